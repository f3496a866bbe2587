import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTables, tableClients } from '../../src/store/tables';
import { tableRepos } from '../../src/store/table-repos';
import { startRound } from '../../src/usecases/create-round';
import { fixedClock, NOW } from '../fixtures';
import { startAzurite, RunningAzurite } from '../support/azurite';
import { ACCOUNTHOUDER, linkedRound } from '../support/rounds';

/** Starting another round on Table Storage (Azurite): the same card twice at once, two cards with one prefix at once. */
let azurite: RunningAzurite;
let n = 0;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(() => azurite?.stop());

const YEAR = NOW.getUTCFullYear();

async function setup() {
  const clients = tableClients(azurite.connectionString, `MR${process.pid}x${++n}`);
  await ensureTables(clients);
  const repos = tableRepos(clients);
  await linkedRound(repos);
  return { repos, deps: { repos, clock: fixedClock(), accounthouders: [ACCOUNTHOUDER] } };
}

const raw = (prefix: string) => ({ name: 'Leerbudget najaar', prefix, year: String(YEAR) });

describe('starting another round on Table Storage', () => {
  it('the same card pressed twice at once makes one round with one audit record; both presses get it', async () => {
    const { repos, deps } = await setup();
    const results = await Promise.all([1, 2, 3].map(() => startRound(deps, { actorId: ACCOUNTHOUDER, token: 'same-card-token', raw: raw('LBN') })));
    expect(results.every((r) => r.ok && r.value.round.value.id === `LBN-${YEAR}`)).toBe(true);
    expect(results.filter((r) => r.ok && r.value.created)).toHaveLength(1);
    expect((await repos.audit.list(`LBN-${YEAR}`)).filter((e) => e.action === 'round.created')).toHaveLength(1);
    expect((await repos.rounds.get(`LBN-${YEAR}`))!.value.createdWith).toBe('same-card-token');
  });

  it('two cards with one prefix at once: one round; the other is told the prefix is taken', async () => {
    const { repos, deps } = await setup();
    const [a, b] = await Promise.all(['card-a-token', 'card-b-token'].map((token) => startRound(deps, { actorId: ACCOUNTHOUDER, token, raw: raw('LBN') })));
    const outcomes = [a, b].map((r) => (r!.ok ? 'created' : r!.error.code === 'INVALID' ? r!.error.errors.prefix : r!.error.code)).sort();
    expect(outcomes).toEqual(['created', 'prefixTaken']);
    expect((await repos.rounds.list()).map((r) => r.id).sort()).toEqual([`LB-${YEAR}`, `LBN-${YEAR}`]);
    expect((await repos.audit.list(`LBN-${YEAR}`)).filter((e) => e.action === 'round.created')).toHaveLength(1);
  });
});
