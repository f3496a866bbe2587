import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Repos } from '../../src/ports';
import { memoryRepos } from '../../src/store/memory-repos';
import { ensureTables, tableClients } from '../../src/store/tables';
import { tableRepos } from '../../src/store/table-repos';
import { anonymiseDue, pseudonymFor } from '../../src/usecases/anonymise';
import { fixedClock } from '../fixtures';
import { startAzurite, RunningAzurite } from '../support/azurite';
import { DRAFT_ID, reportsOf, retentionRound, TYPED_PERSONAL } from '../support/retention-round';
import { ACCOUNTHOUDER, REVIEWER } from '../support/rounds';

let azurite: RunningAzurite;
let n = 0;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(() => azurite?.stop());

async function storage() {
  const prefix = `Ret${process.pid}x${++n}`;
  const open = async () => {
    const clients = tableClients(azurite.connectionString, prefix);
    await ensureTables(clients);
    return tableRepos(clients);
  };
  return { open, repos: await open() };
}

/** Long after every term: awarded ones (7 years after the year-end report, December 2027) included. */
const LATER = new Date('2036-01-02T08:00:00Z');
const deps = (repos: Repos, at = LATER) => ({ repos, clock: fixedClock(at), accounthouders: [ACCOUNTHOUDER], pseudonymSecret: 'test-secret' });

/** Everything stored in the round's partition that a person could be found in, as one text. */
async function storedText(repos: Repos, roundId: string) {
  const s = (await repos.allocation.snapshotWithReviews(roundId))!;
  return JSON.stringify({ apps: s.applications, bundles: [...s.bundles.values()], audit: await repos.audit.list(roundId) });
}

const anonymisedAudit = async (repos: Repos, roundId: string) => (await repos.audit.list(roundId)).filter((e) => e.action === 'application.anonymised');

describe.each([
  ['memory', async () => ({ repos: memoryRepos() as Repos, open: undefined as undefined | (() => Promise<Repos>) })],
  ['Azurite', async () => storage()],
])('anonymising a whole round (%s)', (_name, make) => {
  it('removes every typed personal value and changes no report number; a rerun does nothing', async () => {
    const { repos } = await make();
    const { roundId, ids } = await retentionRound(repos);
    const before = await reportsOf(repos, roundId);
    const textBefore = await storedText(repos, roundId);
    for (const v of TYPED_PERSONAL) expect(textBefore).toContain(v);

    const first = await anonymiseDue(deps(repos), { owner: 'a' });
    expect(first).toMatchObject({ ran: true, anonymised: ids.length + 1, failedRounds: 0 });
    const after = await reportsOf(repos, roundId);
    // The council's allocation report and both CSVs are the same, to the character (titles come from the decision).
    expect({ ...after.allocation, generatedAt: '' }).toEqual({ ...before.allocation, generatedAt: '' });
    expect(after.woo).toBe(before.woo);
    expect(after.awards).toBe(before.awards);
    expect(after.numbers).toEqual(before.numbers);
    expect(after.results.rows.map((r) => r.state)).toEqual(before.results.rows.map((r) => r.state));
    // The results' texts are gone from the report; the amounts stayed.
    expect(after.results.rows.some((r) => r.done)).toBe(false);
    expect(before.results.rows.some((r) => r.done)).toBe(true);

    const text = await storedText(repos, roundId);
    for (const v of TYPED_PERSONAL) expect(text, v).not.toContain(v);
    // People's ids in the audit are pseudonyms now (the people term passed too), the same person the same one.
    const audit = await repos.audit.list(roundId);
    expect(audit.some((e) => e.actorId === REVIEWER)).toBe(false);
    expect(audit.filter((e) => e.actorId === pseudonymFor({ pseudonymSecret: 'test-secret' }, REVIEWER)).length).toBeGreaterThan(ids.length);
    expect(text).not.toContain('00000000-0000-4000-a000-');
    const draft = (await repos.applications.get(roundId, DRAFT_ID))!.value;
    expect(draft.fields).toEqual({ organisation: 'Stichting Buurtkracht Zwolle', coApplicants: [] });

    expect(await anonymisedAudit(repos, roundId)).toHaveLength(ids.length + 1);
    const again = await anonymiseDue(deps(repos), { owner: 'a' });
    expect(again).toMatchObject({ anonymised: 0, auditPseudonymised: 0 });
    expect(await anonymisedAudit(repos, roundId)).toHaveLength(ids.length + 1);
    expect((await reportsOf(repos, roundId)).numbers).toEqual(before.numbers);
  }, 60_000);

  it('a run that stops after some applications leaves whole ones only; the next run finishes', async () => {
    const { repos } = await make();
    const { roundId, ids } = await retentionRound(repos);
    const before = await reportsOf(repos, roundId);
    let writes = 0;
    const failing: Repos = {
      ...repos,
      // The same repository, with a store that goes away after the third application.
      retention: new Proxy(repos.retention, {
        get(target, prop) {
          const v = Reflect.get(target, prop) as unknown;
          if (prop === 'anonymise')
            return async (w: Parameters<Repos['retention']['anonymise']>[0]) => {
              if (++writes > 3) throw new Error('storage gone');
              return target.anonymise(w);
            };
          return typeof v === 'function' ? v.bind(target) : v;
        },
      }),
    };
    const crashed = await anonymiseDue(deps(failing), { owner: 'a' });
    expect(crashed).toMatchObject({ anonymised: 3, failedRounds: 1 });
    const mid = (await repos.allocation.snapshotWithReviews(roundId))!;
    for (const a of mid.applications) {
      const b = mid.bundles.get(a.value.id);
      const texts = Boolean(a.value.fields.contactName) || Boolean(b?.sheets.some((s) => s.value.overall));
      // Either the application with all its review rows is anonymised, or none of it is.
      expect(texts, a.value.id).toBe(!a.value.anonymisedAt);
    }
    expect(mid.applications.filter((a) => a.value.anonymisedAt)).toHaveLength(3);
    const resumed = await anonymiseDue(deps(repos), { owner: 'a' });
    expect(resumed.anonymised).toBe(ids.length + 1 - 3);
    expect(await anonymisedAudit(repos, roundId)).toHaveLength(ids.length + 1);
    expect((await reportsOf(repos, roundId)).numbers).toEqual(before.numbers);
  }, 60_000);
});

describe.each([
  ['memory', async () => memoryRepos() as Repos],
  ['Azurite', async () => (await storage()).repos],
])('terms that are not per round (%s)', (_name, make) => {
  it('sent messages go 30 days after sending, unsent ones stay; addresses unused for 24 months go', async () => {
    const repos = await make();
    const now = new Date('2027-06-01T10:00:00Z');
    const at = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();
    const entry = (id: string, state: 'sent' | 'pending', sentDaysAgo?: number) => ({
      id,
      roundId: 'LB-2026',
      kind: 'decision.applicant',
      target: { type: 'user' as const, userId: 'u' },
      card: { text: 'Uw aanvraag is toegekend' },
      state,
      attempts: 0,
      notBefore: at(60),
      createdAt: at(60),
      ...(sentDaysAgo === undefined ? {} : { sentAt: at(sentDaysAgo) }),
    });
    await repos.outbox.enqueue([entry('old', 'sent', 31), entry('recent', 'sent', 29), entry('waiting', 'pending')]);
    const address = (userId: string, daysAgo: number) => ({ userId, conversationId: `a:${userId}`, reference: {}, updatedAt: at(daysAgo) });
    await repos.conversations.save(address('00000000-0000-4000-8000-0000000000a1', 800));
    await repos.conversations.save(address('00000000-0000-4000-8000-0000000000a2', 100));
    await repos.conversations.saveRoster([
      { userId: '00000000-0000-4000-8000-0000000000a3', rosterId: '29:x', tenantId: 't', serviceUrl: 's', botId: 'b', name: 'Oud', updatedAt: at(800) },
    ]);
    const res = await anonymiseDue(deps(repos, now), { owner: 'a' });
    expect(res).toMatchObject({ purgedMessages: 1, purgedAddresses: 2 });
    expect((await repos.outbox.list('LB-2026')).map((e) => e.id).sort()).toEqual(['recent', 'waiting']);
    expect((await repos.conversations.list()).map((c) => c.userId)).toEqual(['00000000-0000-4000-8000-0000000000a2']);
    expect(await repos.conversations.listRoster()).toEqual([]);
  }, 60_000);
});

describe('two instances (Azurite)', () => {
  it('anonymise each application once: one audit record per application', async () => {
    const { repos, open } = await storage();
    const { roundId, ids } = await retentionRound(repos);
    const other = await open();
    const [a, b] = await Promise.all([anonymiseDue(deps(repos), { owner: 'a', useLease: false }), anonymiseDue(deps(other), { owner: 'b', useLease: false })]);
    expect(a.failedRounds + b.failedRounds).toBe(0);
    expect(a.anonymised + b.anonymised).toBe(ids.length + 1);
    const records = await anonymisedAudit(repos, roundId);
    expect(records).toHaveLength(ids.length + 1);
    expect(new Set(records.map((e) => e.subjectId)).size).toBe(ids.length + 1);
    expect((await repos.audit.list(roundId)).filter((e) => e.action === 'round.people-pseudonymised')).toHaveLength(1);
  }, 60_000);

  it('with the lease, the second instance does nothing while the first runs', async () => {
    const { repos, open } = await storage();
    await retentionRound(repos);
    const other = await open();
    const [a, b] = await Promise.all([anonymiseDue(deps(repos), { owner: 'a' }), anonymiseDue(deps(other), { owner: 'b' })]);
    expect([a.ran, b.ran].filter(Boolean)).toHaveLength(1);
  }, 60_000);
});

describe('an application whose review rows do not fit one transaction (Azurite)', () => {
  it('goes in steps: the application row first with a rows-pending marker; a crash between steps resumes; one audit record', async () => {
    const prefix = `RetBig${process.pid}x${++n}`;
    const clients = tableClients(azurite.connectionString, prefix);
    await ensureTables(clients);
    const repos = tableRepos(clients);
    const { roundId, ids } = await retentionRound(repos);
    const id = ids[5]!;
    // 120 questions with answers: with the application, sheets, marker and audit far over 100 operations.
    for (let i = 0; i < 120; i++) {
      const q = {
        id: `big${String(i).padStart(3, '0')}`,
        applicationId: id,
        askedBy: REVIEWER,
        text: `Vraag ${i} over de buurvrouw`,
        askedAt: '2026-11-23T09:00:00.000Z',
      };
      await repos.reviews.addQuestion(roundId, q, { roundId, at: q.askedAt, actorId: REVIEWER, action: 'review.question-asked', subjectId: id });
    }
    // A process that dies after its first transaction (the application row and the marker).
    let transactions = 0;
    const dying = new Proxy(clients.rounds, {
      get(target, prop, receiver) {
        if (prop === 'submitTransaction')
          return async (...args: Parameters<typeof target.submitTransaction>) => {
            if (++transactions > 1) throw new Error('process died');
            return target.submitTransaction(...args);
          };
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const { TableRetentionRepo } = await import('../../src/store/retention-table');
    const crashed = { ...repos, retention: new TableRetentionRepo(dying) };
    const { anonymiseApplication } = await import('../../src/usecases/anonymise');
    await expect(anonymiseApplication(deps(crashed), { actorId: 'system', roundId, applicationId: id, reason: 'retention' })).rejects.toThrow('process died');
    const mid = (await repos.retention.markers(roundId)).find((m) => m.value.applicationId === id)!;
    expect(mid.value.state).toBe('rows-pending');
    // The application row (what every report and card reads) is whole already; the questions follow.
    expect((await repos.applications.get(roundId, id))!.value.anonymisedAt).toBeDefined();
    expect(JSON.stringify(await repos.reviews.bundle(roundId, id))).toContain('over de buurvrouw');

    const resumed = await anonymiseDue(deps(repos), { owner: 'a' });
    expect(resumed.failedRounds).toBe(0);
    expect((await repos.retention.markers(roundId)).find((m) => m.value.applicationId === id)!.value.state).toBe('done');
    const bundle = await repos.reviews.bundle(roundId, id);
    expect(bundle.questions).toHaveLength(120 + 0);
    expect(JSON.stringify(bundle)).not.toContain('over de buurvrouw');
    expect((await anonymisedAudit(repos, roundId)).filter((e) => e.subjectId === id)).toHaveLength(1);
  }, 60_000);
});
