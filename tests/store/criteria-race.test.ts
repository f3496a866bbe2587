import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawCriteriaEdit, toRawCriterion } from '../../src/domain/criteria-edit';
import { Round } from '../../src/domain/round';
import type { Repos } from '../../src/ports';
import { ROW } from '../../src/store/entities';
import { tableRepos } from '../../src/store/table-repos';
import { ensureTables, tableClients, TableClients } from '../../src/store/tables';
import { submitApplication } from '../../src/usecases/submit-application';
import { updateCriteria } from '../../src/usecases/update-criteria';
import { fixedClock, round } from '../fixtures';
import { RunningAzurite, startAzurite } from '../support/azurite';
import { draftRounds } from '../support/race-rounds';

let azurite: RunningAzurite;
let clients: TableClients;
let repos: Repos;
const INGRID = 'ingrid';

beforeAll(async () => {
  azurite = await startAzurite();
  clients = tableClients(azurite.connectionString, 'Race');
  await ensureTables(clients);
  repos = tableRepos(clients);
});
afterAll(() => azurite?.stop());

const roundWithDraft = draftRounds(() => repos, 2200, 'a');

const deps = () => ({ repos, clock: fixedClock(), accounthouders: [INGRID] });

function edit(r: Round, title: string): RawCriteriaEdit {
  const rows = Object.fromEntries(r.criteria.items.map((c) => [c.id, { ...toRawCriterion(c), remove: 'false' }]));
  rows.regie = { ...rows.regie, title };
  return { rows };
}

const submit = (r: Round, appId: string) => submitApplication(deps(), { applicantId: 'anouk', roundId: r.id, applicationId: appId, rev: 1 });

/** Commit time of an entity as Table Storage recorded it. */
async function committedAt(pk: string, rk: string): Promise<number> {
  const e = await clients.rounds.getEntity<Record<string, unknown>>(pk, rk);
  return Date.parse(String(e.timestamp));
}

describe('a criteria edit racing a submission (Azurite)', () => {
  it("a submission landing between the edit's check and its write makes the write FROZEN", async () => {
    const { r, appId } = await roundWithDraft();
    const racing: Repos = {
      ...repos,
      rounds: {
        ...repos.rounds,
        get: (id) => repos.rounds.get(id),
        list: () => repos.rounds.list(),
        create: (a, b) => repos.rounds.create(a, b),
        update: (a, b, c, d) => repos.rounds.update(a, b, c, d),
        // The early check sees no submission; the partner submits right after it.
        async submissionCount(id) {
          const count = await repos.rounds.submissionCount(id);
          const s = await submit(r, appId);
          expect(s.ok).toBe(true);
          return count;
        },
      },
    };
    const res = await updateCriteria(
      { repos: racing, clock: fixedClock(), accounthouders: [INGRID] },
      { actorId: INGRID, roundId: r.id, version: 1, raw: edit(r, 'Net te laat') },
    );
    expect(!res.ok && res.error.code).toBe('FROZEN');
    const stored = (await repos.rounds.get(r.id))!.value.criteria;
    expect(stored).toEqual(r.criteria);
    expect((await repos.audit.list(r.id)).some((e) => e.action === 'round.criteria-changed')).toBe(false);
  });

  it('an edit that commits first is followed by the submission, which still gets its reference', async () => {
    const { r, appId } = await roundWithDraft();
    const res = await updateCriteria(deps(), { actorId: INGRID, roundId: r.id, version: 1, raw: edit(r, 'Op tijd') });
    expect(res.ok).toBe(true);
    const s = await submit(r, appId);
    expect(s.ok && s.value.application.reference).toBe(`LB-${r.year}-001`);
    const again = await updateCriteria(deps(), { actorId: INGRID, roundId: r.id, version: 2, raw: edit(r, 'Nu te laat') });
    expect(!again.ok && again.error.code).toBe('FROZEN');
  });

  it('run at the same moment, many times: never a changed criteria version after a submission', async () => {
    const outcomes = { frozen: 0, editFirst: 0 };
    for (let trial = 0; trial < 15; trial++) {
      const { r, appId } = await roundWithDraft();
      const [e, s] = await Promise.all([
        updateCriteria(deps(), { actorId: INGRID, roundId: r.id, version: 1, raw: edit(r, `Poging ${trial}`) }),
        submit(r, appId),
      ]);
      expect(s.ok, `trial ${trial}: submission`).toBe(true);
      const stored = (await repos.rounds.get(r.id))!.value.criteria;
      if (e.ok) {
        // The edit committed, so it must have committed before the submission.
        outcomes.editFirst++;
        expect(stored.version).toBe(2);
        expect(await committedAt(r.id, ROW.round)).toBeLessThanOrEqual(await committedAt(r.id, ROW.app(appId)));
      } else {
        outcomes.frozen++;
        expect(e.error.code, `trial ${trial}`).toBe('FROZEN');
        expect(stored).toEqual(r.criteria);
      }
      expect(await repos.rounds.submissionCount(r.id)).toBe(1);
    }
    expect(outcomes.frozen + outcomes.editFirst).toBe(15);
  });
});
