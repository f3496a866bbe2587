import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvent } from '../../src/domain/audit';
import { DEFAULT_FORM, formOf } from '../../src/domain/form';
import type { FormOperation } from '../../src/domain/form-edit';
import { Round } from '../../src/domain/round';
import type { Repos } from '../../src/ports';
import { ROW } from '../../src/store/entities';
import { tableRepos } from '../../src/store/table-repos';
import { ensureTables, tableClients, TableClients } from '../../src/store/tables';
import { editForm } from '../../src/usecases/edit-form';
import { submitApplication } from '../../src/usecases/submit-application';
import { fixedClock, NOW, round } from '../fixtures';
import { RunningAzurite, startAzurite } from '../support/azurite';
import { draftRounds } from '../support/race-rounds';
import { hostile } from '../cards/card-fixtures';
import { worstForm } from '../cards/form-fixtures';
import { formStorageCheck } from '../../src/domain/form-edit';
import { entityBytes, TABLE_LIMITS } from '../../src/store/limits';

let azurite: RunningAzurite;
let clients: TableClients;
let repos: Repos;
const INGRID = 'ingrid';

beforeAll(async () => {
  azurite = await startAzurite();
  clients = tableClients(azurite.connectionString, 'FormEditRace');
  await ensureTables(clients);
  repos = tableRepos(clients);
});
afterAll(() => azurite?.stop());

const roundWithDraft = draftRounds(() => repos, 2300, 'f');

const deps = () => ({ repos, clock: fixedClock(), accounthouders: [INGRID] });

/** An optional question: a draft complete under the old form is still complete under the new one. */
const add = (label: string): FormOperation => ({
  op: 'addQuestion',
  stepId: 'results',
  type: 'shortText',
  raw: { labelNl: label, labelEn: label, required: 'false' },
});
const submit = (r: Round, appId: string) => submitApplication(deps(), { applicantId: 'anouk', roundId: r.id, applicationId: appId, rev: 1 });
/** Commit time of an entity as Table Storage recorded it. */
async function committedAt(pk: string, rk: string): Promise<number> {
  const e = await clients.rounds.getEntity<Record<string, unknown>>(pk, rk);
  return Date.parse(String(e.timestamp));
}
const formChanges = async (roundId: string) => (await repos.audit.list(roundId)).filter((e) => e.action === 'round.formChanged');

describe('a form edit racing the first submission (Azurite)', () => {
  it("a submission landing between the edit's check and its write makes the write FROZEN; nothing of the edit is stored", async () => {
    const { r, appId } = await roundWithDraft();
    const racing: Repos = {
      ...repos,
      rounds: {
        get: (id) => repos.rounds.get(id),
        list: () => repos.rounds.list(),
        create: (a, b) => repos.rounds.create(a, b),
        update: (a, b, c, d) => repos.rounds.update(a, b, c, d),
        // The early check sees no submission; the partner submits right after it.
        async submissionCount(id) {
          const count = await repos.rounds.submissionCount(id);
          expect((await submit(r, appId)).ok).toBe(true);
          return count;
        },
      },
    };
    const res = await editForm(
      { repos: racing, clock: fixedClock(), accounthouders: [INGRID] },
      { actorId: INGRID, roundId: r.id, version: 1, operation: add('Net te laat') },
    );
    expect(!res.ok && res.error.code).toBe('FROZEN');
    const stored = (await repos.rounds.get(r.id))!.value;
    expect(stored.form).toBeUndefined();
    expect(formOf(stored)).toEqual(DEFAULT_FORM);
    expect(await formChanges(r.id)).toHaveLength(0);
  });

  it('an edit that commits first is followed by the submission, which still gets its reference; then the form is fixed', async () => {
    const { r, appId } = await roundWithDraft();
    const res = await editForm(deps(), { actorId: INGRID, roundId: r.id, version: 1, operation: add('Op tijd') });
    expect(res.ok).toBe(true);
    const s = await submit(r, appId);
    expect(s.ok && s.value.application.reference).toBe(`LB-${r.year}-001`);
    expect((await repos.rounds.get(r.id))!.value.form!.version).toBe(2);
    const again = await editForm(deps(), { actorId: INGRID, roundId: r.id, version: 2, operation: add('Nu te laat') });
    expect(!again.ok && again.error.code).toBe('FROZEN');
    expect(await formChanges(r.id)).toHaveLength(1);
  });

  it('run at the same moment, many times: one of them wins cleanly — never a new form version after a submission', async () => {
    const outcomes = { frozen: 0, editFirst: 0 };
    for (let trial = 0; trial < 12; trial++) {
      const { r, appId } = await roundWithDraft();
      const [e, s] = await Promise.all([editForm(deps(), { actorId: INGRID, roundId: r.id, version: 1, operation: add(`Poging ${trial}`) }), submit(r, appId)]);
      // The submission always goes through, with the first reference.
      expect(s.ok && s.value.application.reference, `trial ${trial}`).toBe(`LB-${r.year}-001`);
      const stored = (await repos.rounds.get(r.id))!.value;
      const audit = await formChanges(r.id);
      if (e.ok) {
        outcomes.editFirst++;
        expect(stored.form!.version).toBe(2);
        expect(audit).toHaveLength(1);
        // The edit committed before the submission did.
        expect(await committedAt(r.id, ROW.round)).toBeLessThanOrEqual(await committedAt(r.id, ROW.app(appId)));
      } else {
        outcomes.frozen++;
        expect(e.error.code, `trial ${trial}`).toBe('FROZEN');
        expect(stored.form).toBeUndefined();
        expect(audit).toHaveLength(0);
      }
      // After the submission, any further edit is refused.
      const later = await editForm(deps(), { actorId: INGRID, roundId: r.id, version: formOf(stored).version, operation: add('Later') });
      expect(!later.ok && later.error.code).toBe('FROZEN');
    }
    expect(outcomes.frozen + outcomes.editFirst).toBe(12);
  });
});

describe('a form at every ceiling (Azurite)', () => {
  it('is stored on the round row through the real limits and reads back the same', async () => {
    const { r } = await roundWithDraft();
    const form = worstForm(hostile);
    expect(formStorageCheck(form).ok).toBe(true);
    const current = (await repos.rounds.get(r.id))!;
    const saved = await repos.rounds.update(current, { ...r, form }, auditEvent(r.id, INGRID, 'round.formChanged', r.id, NOW), { whileNoSubmissions: true });
    expect(saved.ok).toBe(true);
    expect((await repos.rounds.get(r.id))!.value.form).toEqual(form);
    const row = await clients.rounds.getEntity<Record<string, unknown>>(r.id, ROW.round);
    const { etag: _e, timestamp: _t, ...props } = row as Record<string, unknown>;
    void _e;
    void _t;
    // Written in parts under 32 K characters, the row well under 1 MiB.
    expect(Object.keys(props).filter((k) => k.startsWith('formJson')).length).toBeGreaterThan(1);
    expect(entityBytes(props)).toBeLessThan(TABLE_LIMITS.entityBytes);
  });
});
