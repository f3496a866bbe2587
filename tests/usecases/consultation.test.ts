import { describe, expect, it } from 'vitest';
import { memoryRepos } from '../../src/store/memory-repos';
import { decideProposal, publishConsultation, respondToConsultation, startConsultation } from '../../src/usecases/consultation';
import { seedDemoRound } from '../../src/usecases/seed-demo-round';
import { fixedClock, NOW } from '../fixtures';

const BOSS = '00000000-0000-4000-8000-0000000000b0';
const closes = new Date(NOW.getTime() + 14 * 86_400_000).toISOString();
const invited = [
  { userId: 'p1', name: 'Partner', role: 'partner' as const },
  { userId: 'e1', name: 'Ervaringsdeskundige', role: 'ervaringsdeskundige' as const },
];

async function setup() {
  const clock = fixedClock();
  const deps = { repos: memoryRepos(), clock, accounthouders: [BOSS] };
  const { roundId } = await seedDemoRound(deps);
  return { deps, clock, roundId };
}

describe('the criteria consultation', () => {
  it('only an accounthouder starts it, with a future closing date and someone invited', async () => {
    const { deps } = await setup();
    expect(await startConsultation(deps, { actorId: 'p1', closesAt: closes, invited })).toEqual({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await startConsultation(deps, { actorId: BOSS, closesAt: NOW.toISOString(), invited })).toMatchObject({
      ok: false,
      error: { code: 'INVALID', field: 'closesAt' },
    });
    expect((await startConsultation(deps, { actorId: BOSS, closesAt: closes, invited })).ok).toBe(true);
    expect(await startConsultation(deps, { actorId: BOSS, closesAt: closes, invited })).toMatchObject({ ok: false, error: { code: 'ALREADY_STARTED' } });
  });

  it('only invited people respond (in person, or anyone in the invited channel); they can change their mind until it closes', async () => {
    const { deps, clock, roundId } = await setup();
    await startConsultation(deps, { actorId: BOSS, closesAt: closes, invited, channel: { channelId: '19:c' } });
    expect(await respondToConsultation(deps, { actorId: 'stranger', roundId, perCriterion: { integraal: { kind: 'endorse' } } })).toEqual({
      ok: false,
      error: { code: 'NOT_INVITED' },
    });
    expect(
      (
        await respondToConsultation(deps, {
          actorId: 'stranger',
          roundId,
          channelId: '19:c',
          chosenRole: 'ervaringsdeskundige',
          perCriterion: { integraal: { kind: 'endorse' } },
        })
      ).ok,
    ).toBe(true);
    await respondToConsultation(deps, { actorId: 'p1', roundId, perCriterion: { regie: { kind: 'change', change: { weight: 2 }, reason: 'Kern.' } } });
    const changed = await respondToConsultation(deps, { actorId: 'p1', roundId, perCriterion: { regie: { kind: 'endorse' } } });
    expect(changed.ok && changed.value.responses.find((r) => r.value.userId === 'p1')?.value.perCriterion).toEqual({ regie: { kind: 'endorse' } });
    expect(await respondToConsultation(deps, { actorId: 'p1', roundId, perCriterion: { geld: { kind: 'endorse' } } })).toMatchObject({
      ok: false,
      error: { code: 'INVALID' },
    });
    expect(
      await respondToConsultation(deps, { actorId: 'p1', roundId, perCriterion: { regie: { kind: 'change', change: { weight: 50 }, reason: 'x' } } }),
    ).toMatchObject({ ok: false, error: { code: 'INVALID' } });
    clock.set(new Date(Date.parse(closes) + 1));
    expect(await respondToConsultation(deps, { actorId: 'p1', roundId, perCriterion: {} })).toMatchObject({ ok: false, error: { code: 'CLOSED' } });
  });

  it('the accounthouder decides each proposal once and publishes the final set as the next version, recorded by role', async () => {
    const { deps, roundId } = await setup();
    await startConsultation(deps, { actorId: BOSS, closesAt: closes, invited });
    await respondToConsultation(deps, {
      actorId: 'p1',
      roundId,
      perCriterion: { integraal: { kind: 'endorse' }, regie: { kind: 'change', change: { weight: 2 }, reason: 'Regie is de kern.' } },
    });
    await respondToConsultation(deps, {
      actorId: 'e1',
      roundId,
      perCriterion: {},
      newCriterion: { title: 'Jongeren praten mee', description: 'Met jongeren.', weight: 1, reason: 'Niet over maar met.' },
    });
    expect(await decideProposal(deps, { actorId: 'p1', roundId, proposalId: 'p1|regie', accept: true, reply: 'ja' })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    const d1 = await decideProposal(deps, { actorId: BOSS, roundId, proposalId: 'p1|regie', accept: true, reply: 'Eens, goed punt.' });
    expect(d1.ok && d1.value).toMatchObject({ proposerId: 'p1', already: false });
    const again = await decideProposal(deps, { actorId: BOSS, roundId, proposalId: 'p1|regie', accept: false, reply: 'toch niet' });
    expect(again.ok && again.value.already).toBe(true);
    await decideProposal(deps, { actorId: BOSS, roundId, proposalId: 'e1|new|0', accept: false, reply: 'Zit al in ervaringsdeskundigheid.' });
    expect(await publishConsultation(deps, { actorId: 'e1', roundId })).toEqual({ ok: false, error: { code: 'FORBIDDEN' } });
    const published = await publishConsultation(deps, { actorId: BOSS, roundId });
    expect(published.ok && published.value.consultation.value).toMatchObject({
      status: 'published',
      publishedVersion: 2,
      changes: [{ proposalId: 'p1|regie', criterionId: 'regie', kind: 'changed' }],
      participation: {
        invited: { partner: 1, ervaringsdeskundige: 1, gemeente: 0 },
        responded: { partner: 1, ervaringsdeskundige: 1, gemeente: 0 },
        proposals: 2,
        accepted: 1,
        rejected: 1,
      },
    });
    const round = (await deps.repos.rounds.get(roundId))!.value;
    expect(round.criteria.version).toBe(2);
    expect(round.criteria.items.find((c) => c.id === 'regie')?.weight).toBe(2);
    // A published version never changes: publishing again or deciding later changes nothing.
    expect((await publishConsultation(deps, { actorId: BOSS, roundId })).ok).toBe(true);
    expect(await decideProposal(deps, { actorId: BOSS, roundId, proposalId: 'e1|new|0', accept: true, reply: '' })).toMatchObject({
      ok: false,
      error: { code: 'PUBLISHED' },
    });
    expect((await deps.repos.rounds.get(roundId))!.value.criteria.version).toBe(2);
  });
});
