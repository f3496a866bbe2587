import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTables, tableClients } from '../../src/store/tables';
import { tableRepos } from '../../src/store/table-repos';
import { CRITERIA_LIMITS } from '../../src/domain/criteria-edit';
import { Consultation, MAX_CONSULTATION_INVITED } from '../../src/domain/consultation';
import { consultationEntity } from '../../src/store/consultation-table';
import type { OutboxEntry } from '../../src/domain/outbox';
import { publishConsultation, queueInvitations, respondToConsultation, startConsultation } from '../../src/usecases/consultation';
import { seedDemoRound } from '../../src/usecases/seed-demo-round';
import { fixedClock, NOW } from '../fixtures';
import { startAzurite, RunningAzurite } from '../support/azurite';

let azurite: RunningAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(() => azurite?.stop());

const BOSS = 'boss';
const invited = Array.from({ length: 6 }, (_, i) => ({
  userId: `u${i}`,
  name: `U${i}`,
  role: (i % 2 ? 'partner' : 'ervaringsdeskundige') as 'partner' | 'ervaringsdeskundige',
}));

describe('consultation storage (Azurite)', () => {
  it('responses survive a restart and concurrent edits; a published version never changes', async () => {
    const clients = tableClients(azurite.connectionString, 'Cons');
    await ensureTables(clients);
    const deps = { repos: tableRepos(clients), clock: fixedClock(), accounthouders: [BOSS] };
    const { roundId } = await seedDemoRound(deps);
    await startConsultation(deps, { actorId: BOSS, closesAt: new Date(NOW.getTime() + 7 * 86_400_000).toISOString(), invited });

    // Six people at once, and one of them twice at the same moment.
    const results = await Promise.all([
      ...invited.map((p) => respondToConsultation(deps, { actorId: p.userId, roundId, perCriterion: { integraal: { kind: 'endorse' } } })),
      respondToConsultation(deps, { actorId: 'u0', roundId, perCriterion: { regie: { kind: 'endorse' } } }),
    ]);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.error.code === 'STALE')).toBe(true);

    // A "restart": new clients, new repositories, the same storage.
    const again = { ...deps, repos: tableRepos(tableClients(azurite.connectionString, 'Cons')) };
    const state = (await again.repos.consultations.state(roundId))!;
    expect(state.responses.map((r) => r.value.userId).sort()).toEqual(['u0', 'u1', 'u2', 'u3', 'u4', 'u5']);

    const published = await publishConsultation(again, { actorId: BOSS, roundId });
    expect(published.ok).toBe(true);
    const version = (await again.repos.rounds.get(roundId))!.value.criteria.version;
    expect(await respondToConsultation(again, { actorId: 'u1', roundId, perCriterion: {} })).toMatchObject({ ok: false, error: { code: 'PUBLISHED' } });
    expect((await publishConsultation(again, { actorId: BOSS, roundId })).ok).toBe(true);
    expect((await again.repos.rounds.get(roundId))!.value.criteria.version).toBe(version);
  });

  it('the largest invitation list fits its row (in parts), reads back whole everywhere, and its invitations are stored exactly once after a crash mid-fan-out', async () => {
    const clients = tableClients(azurite.connectionString, 'ConsBig');
    await ensureTables(clients);
    const deps = { repos: tableRepos(clients), clock: fixedClock(), accounthouders: [BOSS] };
    const { roundId } = await seedDemoRound(deps);
    const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    const many = Array.from({ length: MAX_CONSULTATION_INVITED }, (_, i) => ({
      userId: id(i),
      role: (['partner', 'ervaringsdeskundige', 'gemeente', 'onbekend'] as const)[i % 4],
    }));
    const started = await startConsultation(deps, {
      actorId: BOSS,
      closesAt: new Date(NOW.getTime() + 7 * 86_400_000).toISOString(),
      invited: many,
      audience: 'everyone',
      notReached: { noConversation: 12 },
    });
    expect(started.ok).toBe(true);
    expect((await deps.repos.consultations.get(roundId))?.value.invited).toEqual(many);
    expect((await deps.repos.consultations.state(roundId))?.consultation.value).toMatchObject({ invited: many, notReached: { noConversation: 12 } });
    expect((await deps.repos.allocation.snapshot(roundId))?.consultation?.invited).toHaveLength(many.length);
    expect((await deps.repos.allocation.snapshotWithReviews(roundId))?.consultation?.invited).toHaveLength(many.length);

    // The process dies after the first two batches of 100 reached the outbox.
    const compose = () => ({ text: 'Denk mee' });
    const crash = async (entries: OutboxEntry[]) => {
      await deps.repos.outbox.enqueue(entries.slice(0, 200));
      throw new Error('process died');
    };
    await expect(queueInvitations(deps, { roundId, compose, enqueue: crash })).rejects.toThrow('process died');
    expect(await queueInvitations(deps, { roundId, compose })).toEqual({ queued: many.length });
    const outbox = await deps.repos.outbox.list(roundId);
    expect(outbox).toHaveLength(many.length);
    expect(new Set(outbox.map((e) => e.id)).size).toBe(many.length);
    expect(await queueInvitations(deps, { roundId, compose })).toEqual({ queued: 0 });

    // Publishing rewrites the row with the list intact.
    await publishConsultation(deps, { actorId: BOSS, roundId });
    const published = (await deps.repos.consultations.get(roundId))!.value;
    expect(published.invited).toEqual(many);
    expect(published.participation?.invited).toEqual({ partner: 1000, ervaringsdeskundige: 1000, gemeente: 1000, onbekend: 1000 });
  }, 120_000);

  it("worst case, the consultation row stays under Table Storage's 1 MiB per entity and 64 KiB per property", () => {
    const long = (n: number) => 'Uitgangspunt met uitleg. '.repeat(Math.ceil(n / 25)).slice(0, n);
    const items = Array.from({ length: CRITERIA_LIMITS.maxCount }, (_, i) => ({
      id: `uitgangspunt-${i}`.padEnd(40, 'x'),
      title: long(80),
      description: long(CRITERIA_LIMITS.description),
      weight: 1,
      scaleMin: 1,
      scaleMax: 5,
    }));
    const c: Consultation = {
      roundId: 'LB-2026',
      draft: { version: 1, items },
      closesAt: NOW.toISOString(),
      status: 'published',
      // The longest role for everyone, and ids in the Entra form.
      invited: Array.from({ length: MAX_CONSULTATION_INVITED }, (_, i) => ({
        userId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        role: 'ervaringsdeskundige' as const,
      })),
      channel: { channelId: '19:'.padEnd(80, 'c') },
      audience: 'everyone',
      notReached: { noConversation: 9999, overLimit: 9999 },
      invitationsQueuedAt: NOW.toISOString(),
      startedBy: BOSS,
      startedAt: NOW.toISOString(),
      publishedAt: NOW.toISOString(),
      publishedVersion: 2,
      changes: items.map((i) => ({ proposalId: `${'u'.repeat(36)}|${i.id}`, criterionId: i.id, kind: 'changed' as const })),
      participation: {
        invited: { partner: 0, ervaringsdeskundige: 4000, gemeente: 0, onbekend: 0 },
        responded: { partner: 0, ervaringsdeskundige: 4000, gemeente: 0, onbekend: 0 },
        proposals: 9999,
        accepted: 9999,
        rejected: 0,
      },
    };
    const entity = consultationEntity(c);
    // Table Storage counts a string as 2 bytes a character (UTF-16), plus the property names and a little overhead.
    const size = Object.entries(entity).reduce((n, [k, v]) => n + 8 + k.length * 2 + String(v).length * 2, 4);
    expect(size).toBeLessThan(1024 * 1024);
    for (const v of Object.values(entity)) expect(String(v).length).toBeLessThanOrEqual(32 * 1024);
  });
});
