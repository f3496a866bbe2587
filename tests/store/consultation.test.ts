import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTables, tableClients } from '../../src/store/tables';
import { tableRepos } from '../../src/store/table-repos';
import { publishConsultation, respondToConsultation, startConsultation } from '../../src/usecases/consultation';
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
});
