import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvent, GLOBAL } from '../../src/domain/audit';
import { pseudonymLabel } from '../../src/domain/retention';
import type { Repos } from '../../src/ports';
import { memoryRepos } from '../../src/store/memory-repos';
import { ensureTables, tableClients } from '../../src/store/tables';
import { tableRepos } from '../../src/store/table-repos';
import { anonymiseDue, anonymisePerson, pseudonymFor } from '../../src/usecases/anonymise';
import { fixedClock, NOW } from '../fixtures';
import { startAzurite, RunningAzurite } from '../support/azurite';
import { PANEL_IDS } from '../support/report-round';
import { REVIEW_TEXTS, reportsOf, retentionRound } from '../support/retention-round';
import { ACCOUNTHOUDER, REVIEWER } from '../support/rounds';

let azurite: RunningAzurite;
let n = 0;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(() => azurite?.stop());

const AT = new Date('2026-12-01T09:00:00Z');
const deps = (repos: Repos, at = AT) => ({ repos, clock: fixedClock(at), accounthouders: [ACCOUNTHOUDER], pseudonymSecret: 'test-secret' });
const PSN = pseudonymFor({ pseudonymSecret: 'test-secret' }, REVIEWER);
const MARK_REMARK = 'Oneens: mijn buurvrouw Els kent dit plan';
const CONSULTATION_REASON = 'Mijn dochter heeft hier ervaring mee';

/** The retention round plus what a panel member leaves elsewhere: a mark with a remark, a consultation response, a registry entry, a chat and a roster address. */
async function world(repos: Repos) {
  const built = await retentionRound(repos);
  const { roundId, round } = built;
  const name = (await repos.reviews.listPanel(roundId)).find((m) => m.userId === REVIEWER)!.name;
  await repos.allocation.putMark(
    roundId,
    { fingerprint: 'fp1', memberId: REVIEWER, name, role: 'partner', agree: false, remark: MARK_REMARK, at: NOW.toISOString() },
    auditEvent(roundId, REVIEWER, 'allocation.marked', 'fp1', NOW),
  );
  const started = await repos.consultations.start(
    {
      roundId,
      draft: round.criteria,
      closesAt: '2026-03-01T12:00:00.000Z',
      status: 'open',
      invited: [{ userId: REVIEWER, name, role: 'partner' }],
      startedBy: ACCOUNTHOUDER,
      startedAt: NOW.toISOString(),
    },
    auditEvent(roundId, ACCOUNTHOUDER, 'consultation.started', roundId, NOW),
  );
  if (!started.ok) throw new Error('consultation');
  const [c1, c2] = round.criteria.items;
  await repos.consultations.saveResponse(
    roundId,
    {
      userId: REVIEWER,
      role: 'partner',
      perCriterion: { [c1!.id]: { kind: 'endorse' }, [c2!.id]: { kind: 'change', change: { title: 'Samen met Els', weight: 2 }, reason: CONSULTATION_REASON } },
      newCriteria: [{ title: 'Zorg voor oma', description: 'Zoals bij mijn oma', weight: 1, reason: CONSULTATION_REASON }],
      updatedAt: NOW.toISOString(),
    },
    undefined,
    auditEvent(roundId, REVIEWER, 'consultation.responded', roundId, NOW),
  );
  await repos.organisations.create(
    { id: 'org-rev', name: 'Buurtnetwerk Noord', aliases: [], createdBy: REVIEWER, createdAt: NOW.toISOString(), source: 'accounthouder' },
    auditEvent(GLOBAL, REVIEWER, 'organisation.registered', 'org-rev', NOW),
  );
  for (const userId of [REVIEWER, PANEL_IDS[0]!]) {
    await repos.conversations.save({ userId, conversationId: `a:${userId}`, reference: {}, updatedAt: NOW.toISOString() });
    await repos.conversations.saveRoster([
      { userId, rosterId: `29:${userId}`, tenantId: 't', serviceUrl: 's', botId: 'b', name, updatedAt: NOW.toISOString() },
    ]);
  }
  // A message to the reviewer still waits (a reminder, say): their addresses must stay until it is sent.
  await repos.outbox.enqueue([
    {
      id: 'to-reviewer',
      roundId,
      kind: 'reminder.review',
      target: { type: 'user', userId: REVIEWER },
      text: 'Nog scoren',
      state: 'pending',
      attempts: 0,
      notBefore: NOW.toISOString(),
      createdAt: NOW.toISOString(),
    },
  ]);
  return { ...built, name };
}

describe.each([
  ['memory', async () => memoryRepos() as Repos],
  [
    'Azurite',
    async () => {
      const clients = tableClients(azurite.connectionString, `RetP${process.pid}x${++n}`);
      await ensureTables(clients);
      return tableRepos(clients);
    },
  ],
])('everything about a panel member (%s)', (_name, make) => {
  it('their texts go in every record, scores and counts stay, their name becomes the label, their addresses go once the last message to them is sent; a rerun does nothing', async () => {
    const repos = await make();
    const w = await world(repos);
    const { roundId } = w;
    const before = await reportsOf(repos, roundId);
    const otherSheetsBefore = [...before.snapshot.bundles.values()].flatMap((b) => b.sheets.filter((s) => s.value.memberId !== REVIEWER).map((s) => s.value));

    const res = await anonymisePerson(deps(repos), { actorId: ACCOUNTHOUDER, personId: REVIEWER, reason: 'accounthouder' });
    expect(res.ok).toBe(true);
    const outcome = res.ok ? res.value : undefined!;
    expect(outcome.already).toBe(false);
    expect(outcome.removed).toMatchObject({
      overallRemarks: w.ids.length,
      questions: 3,
      answers: 3,
      markRemarks: 1,
      consultationTexts: 5,
      addresses: 0,
      addressesLater: true,
    });
    expect(outcome.removed.comments).toBe(w.ids.length * w.round.criteria.items.length);
    // Panel row, mark, invitation and the registry's entry.
    expect(outcome.removed.namesReplaced).toBe(4);

    const after = await reportsOf(repos, roundId);
    expect(after.numbers).toEqual(before.numbers);
    expect(after.woo).toBe(before.woo);
    const bundles = [...after.snapshot.bundles.values()];
    const own = bundles.flatMap((b) => b.sheets.filter((s) => s.value.memberId === REVIEWER).map((s) => s.value));
    expect(own).toHaveLength(w.ids.length);
    for (const s of own) {
      expect(s.overall).toBe('');
      expect(s.comments).toEqual({});
      expect(Object.keys(s.scores).length).toBeGreaterThan(0);
    }
    // The other members' texts are theirs: they go with their own term or request.
    expect(bundles.flatMap((b) => b.sheets.filter((s) => s.value.memberId !== REVIEWER).map((s) => s.value))).toEqual(otherSheetsBefore);
    const questions = bundles.flatMap((b) => b.questions.map((q) => q.value));
    expect(questions.every((q) => q.askedBy === PSN && q.text === '' && q.answer === undefined)).toBe(true);

    const label = pseudonymLabel(PSN);
    const panel = (await repos.reviews.listPanel(roundId)).find((m) => m.userId === REVIEWER)!;
    expect(panel).toMatchObject({ name: label, role: expect.any(String) });
    const mark = (await repos.allocation.listAllMarks(roundId)).find((m) => m.memberId === REVIEWER)!;
    expect(mark).toMatchObject({ name: label, agree: false });
    expect(mark.remark).toBeUndefined();
    const state = (await repos.consultations.state(roundId))!;
    expect(state.consultation.value.invited[0]!.name).toBe(label);
    const resp = state.responses.find((r) => r.value.userId === REVIEWER)!.value;
    expect(
      Object.values(resp.perCriterion)
        .map((c) => c.kind)
        .sort(),
    ).toEqual(['change', 'endorse']);
    expect(resp.newCriteria).toHaveLength(1);
    const stored = JSON.stringify({ panel, mark, state, orgs: await repos.organisations.list() });
    for (const v of [w.name, MARK_REMARK, CONSULTATION_REASON, 'Els', 'oma']) expect(stored, v).not.toContain(v);
    expect((await repos.organisations.get('org-rev'))!.value.createdBy).toBe(PSN);
    for (const pk of [roundId, GLOBAL]) expect((await repos.audit.list(pk)).some((e) => e.actorId === REVIEWER || e.subjectId === REVIEWER)).toBe(false);

    // The addresses wait for the pending message.
    expect(await repos.conversations.get(REVIEWER)).toBeDefined();
    expect(await repos.conversations.getRoster(REVIEWER)).toBeDefined();
    const early = await anonymiseDue(deps(repos, new Date(AT.getTime() + 2 * 3600_000)), { owner: 'a' });
    expect(early.purgedAddresses).toBe(0);
    expect(await repos.conversations.get(REVIEWER)).toBeDefined();
    const pending = (await repos.outbox.due(new Date(AT.getTime() + 3 * 3600_000), 60_000)).find((e) => e.value.id === 'to-reviewer')!;
    await repos.outbox.update(pending, { ...pending.value, state: 'sent', sentAt: AT.toISOString() });
    const later = await anonymiseDue(deps(repos, new Date(AT.getTime() + 3 * 3600_000)), { owner: 'a' });
    expect(later.purgedAddresses).toBe(2);
    expect(await repos.conversations.get(REVIEWER)).toBeUndefined();
    expect(await repos.conversations.getRoster(REVIEWER)).toBeUndefined();
    // Someone else's addresses stay.
    expect(await repos.conversations.get(PANEL_IDS[0]!)).toBeDefined();

    const audits = (await repos.audit.list(roundId)).length + (await repos.audit.list(GLOBAL)).length;
    const again = await anonymisePerson(deps(repos), { actorId: ACCOUNTHOUDER, personId: REVIEWER, reason: 'accounthouder' });
    expect(again.ok && again.value.already).toBe(true);
    expect((await repos.audit.list(roundId)).length + (await repos.audit.list(GLOBAL)).length).toBe(audits);
  }, 60_000);

  it('a member with nothing waiting loses their addresses at once; their recusal note goes, the recusal stays', async () => {
    const repos = await make();
    const { roundId, ids } = await world(repos);
    const res = await anonymisePerson(deps(repos), { actorId: ACCOUNTHOUDER, personId: PANEL_IDS[0]!, reason: 'accounthouder' });
    expect(res.ok && res.value.removed).toMatchObject({ recusalNotes: 1, addresses: 2, addressesLater: false });
    expect(await repos.conversations.get(PANEL_IDS[0]!)).toBeUndefined();
    expect(await repos.conversations.getRoster(PANEL_IDS[0]!)).toBeUndefined();
    const recusal = (await repos.reviews.bundle(roundId, ids[0]!)).recusals.find((r) => r.memberId === PANEL_IDS[0]);
    expect(recusal).toMatchObject({ reason: 'declared' });
    expect(JSON.stringify(recusal)).not.toContain(REVIEW_TEXTS.recusal);
  }, 60_000);

  it('on their own request the addresses stay for the answer, and go once it is sent and an hour has passed', async () => {
    const repos = await make();
    await world(repos);
    const res = await anonymisePerson(deps(repos), { actorId: ACCOUNTHOUDER, personId: PANEL_IDS[0]!, reason: 'request' });
    expect(res.ok && res.value.removed).toMatchObject({ addresses: 0, addressesLater: true });
    expect((await anonymiseDue(deps(repos, new Date(AT.getTime() + 30 * 60_000)), { owner: 'a' })).purgedAddresses).toBe(0);
    expect(await repos.conversations.get(PANEL_IDS[0]!)).toBeDefined();
    expect((await anonymiseDue(deps(repos, new Date(AT.getTime() + 61 * 60_000)), { owner: 'a' })).purgedAddresses).toBe(2);
    expect(await repos.conversations.get(PANEL_IDS[0]!)).toBeUndefined();
  }, 60_000);
});
