import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newDraft } from '../../src/domain/application';
import { auditEvent } from '../../src/domain/audit';
import { reminderPlan } from '../../src/domain/reminders';
import type { Clock } from '../../src/clock';
import type { OutboxEntry } from '../../src/domain/outbox';
import type { Repos } from '../../src/ports';
import { ensureTables, tableClients } from '../../src/store/tables';
import { tableRepos } from '../../src/store/table-repos';
import { composeReminder } from '../../src/scheduler/reminder-job';
import { addPanelMember } from '../../src/usecases/manage-panel';
import { claimReviewPost, recordReviewPosted } from '../../src/usecases/publish-review';
import { reminderFacts, sendDueReminders } from '../../src/usecases/send-due-reminders';
import { fixedClock, NOW } from '../fixtures';
import { startAzurite, RunningAzurite } from '../support/azurite';
import { ACCOUNTHOUDER, REVIEWER, reviewedRound } from '../support/rounds';

let azurite: RunningAzurite;
let n = 0;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(() => azurite?.stop());

const SECOND_REVIEWER = '00000000-0000-4000-8000-0000000000e2';
const DRAFTER = '00000000-0000-4000-8000-0000000000d1';

/** A fresh set of tables; `open` opens them again, as a second bot process would. */
async function storage() {
  const prefix = `R${process.pid}x${++n}`;
  const open = async () => {
    const clients = tableClients(azurite.connectionString, prefix);
    await ensureTables(clients);
    return tableRepos(clients);
  };
  return { open, repos: await open() };
}

async function meet(repos: Repos, userIds: string[], locale = 'nl-NL') {
  for (const userId of userIds)
    await repos.conversations.save({
      userId,
      conversationId: `a:${userId}`,
      reference: { conversation: { id: `a:${userId}` } },
      locale,
      updatedAt: NOW.toISOString(),
    });
}

/**
 * A reviewed round (panel of one, one reviewed application), plus: a second panel member who has
 * not scored a posted application, and a partner with a draft.
 */
async function roundWithWork(repos: Repos, extra: { accounthouders?: string[] } = {}) {
  const { deps, round } = await reviewedRound(repos, [{ requested: 5_000, score: 4 }]);
  await addPanelMember(deps, { actorId: ACCOUNTHOUDER, person: { userId: SECOND_REVIEWER, mri: '29:second', name: 'Tweede' }, role: 'ervaringsdeskundige' });
  const pending = {
    ...newDraft({ id: 'b'.repeat(20), roundId: round.id, applicantId: 'applicant-x', now: NOW }),
    fields: { title: 'Wacht op scores', wijk: 'Holtenbroek' },
  };
  const created = await repos.applications.create(pending, auditEvent(round.id, 'applicant-x', 'application.created', pending.id, NOW));
  if (!created.ok) throw new Error('create');
  await repos.applications.submit(
    created.value,
    { ...pending, status: 'submitted', submittedAt: NOW.toISOString() },
    auditEvent(round.id, 'applicant-x', 'application.submitted', pending.id, NOW),
    (s) => `LB-${round.year}-${String(s).padStart(3, '0')}`,
  );
  const claimed = await claimReviewPost(deps, round.id, pending.id);
  if (!claimed.ok) throw new Error('claim');
  await recordReviewPosted(deps, claimed.value, { threadId: '19:c@thread.tacv2;messageid=99', activityId: 'm99' });
  const draft = { ...newDraft({ id: 'c'.repeat(20), roundId: round.id, applicantId: DRAFTER, now: NOW }), fields: { title: 'Mijn concept' } };
  await repos.applications.create(draft, auditEvent(round.id, DRAFTER, 'application.created', draft.id, NOW));
  const accounthouders = extra.accounthouders ?? [ACCOUNTHOUDER];
  await meet(repos, [...accounthouders, REVIEWER, SECOND_REVIEWER]);
  await meet(repos, [DRAFTER], 'en-GB');
  return { round, accounthouders, plan: reminderPlan(round, reminderFacts((await repos.allocation.snapshotWithReviews(round.id))!, accounthouders)) };
}

const run = (repos: Repos, clock: Clock, owner: string, accounthouders: string[], extra: { useLease?: boolean } = {}) =>
  sendDueReminders({ repos, clock, accounthouders }, { owner, compose: composeReminder, useLease: extra.useLease ?? false });

/** Which reminder each message belongs to and whom it goes to, so a duplicate shows. */
const messageKey = (e: OutboxEntry) => `${e.id}`;

describe('reminders against Azurite, exactly once', () => {
  it('two instances running at every moment of the plan, three times each: every reminder recorded once, every message stored once', async () => {
    const { open, repos: a } = await storage();
    const { round, plan, accounthouders } = await roundWithWork(a);
    const b = await open();
    const kinds = new Set(plan.map((p) => p.kind));
    expect(kinds).toEqual(new Set(['council.allocation', 'council.results', 'panel.unscored', 'draft.unsubmitted']));
    // Moments in order, each run a minute after; the second instance's clock is a second ahead.
    const moments = [...new Set(plan.map((p) => p.at))].sort();
    const results: Awaited<ReturnType<typeof run>>[] = [];
    for (const [i, at] of moments.entries()) {
      const t = new Date(Date.parse(at) + 60_000);
      const clockA = fixedClock(t);
      const clockB = fixedClock(new Date(t.getTime() + 1000));
      const runs = [0, 1, 2].flatMap((k) => [
        run(a, clockA, 'instance-a', accounthouders, { useLease: i % 2 === 0 && k === 0 }),
        run(b, clockB, 'instance-b', accounthouders),
      ]);
      results.push(...(await Promise.all(runs)));
    }
    // Six runs per moment, yet each record written by exactly one of them; the others found it.
    expect(results.reduce((s, r) => s + r.sent, 0)).toBe(plan.length);
    expect(results.reduce((s, r) => s + r.alreadyRecorded, 0)).toBeGreaterThan(0);
    const records = await a.reminders.list(round.id);
    expect(records.map((r) => r.id).sort()).toEqual(plan.map((p) => p.id).sort());
    expect(records.every((r) => r.state === 'sent')).toBe(true);
    const outbox = await a.outbox.list(round.id);
    const keys = outbox.map(messageKey);
    expect(new Set(keys).size).toBe(keys.length);
    // Every reachable recipient of every reminder exactly once: accounthouder + channel per council reminder, one per member / partner.
    const expected = plan.reduce((s, p) => s + p.recipients.length, 0);
    expect(outbox).toHaveLength(expected);
    const perReminder = new Map<string, number>();
    for (const e of outbox)
      perReminder.set(e.id.replace(/-(u:[^-]+(-[^-]+)*|channel)$/, ''), (perReminder.get(e.id.replace(/-(u:[^-]+(-[^-]+)*|channel)$/, '')) ?? 0) + 1);
    for (const p of plan) expect(perReminder.get(`rem-${p.id}`), p.id).toBe(p.recipients.length);
    // Both members have yet to score the posted application; the reviewed one is not mentioned.
    const panelTargets = outbox.filter((e) => e.kind === 'reminder.panel.unscored').map((e) => (e.target as { userId: string }).userId);
    expect(panelTargets.sort()).toEqual([...Array(5).fill(REVIEWER), ...Array(5).fill(SECOND_REVIEWER)]);
    // The partner reads English; the channel Dutch.
    const draftCard = JSON.stringify(outbox.find((e) => e.kind === 'reminder.draft.unsubmitted')!.card);
    expect(draftCard).toContain('Reminder: your application has not been submitted');
    expect(draftCard).toContain('"verb":"apply.resume"');
    const channelCard = JSON.stringify(outbox.find((e) => e.kind === 'reminder.council.allocation' && e.target.type === 'channel')!.card);
    expect(channelCard).toContain('Herinnering: de raad informeren over de verdeling');
    expect(channelCard).not.toContain('report.allocation');
    const personal = outbox.find((e) => e.kind === 'reminder.council.allocation' && e.target.type === 'user')!;
    expect(JSON.stringify(personal.card)).toContain(`"verb":"report.allocation","title":"Verslag over de verdeling maken","data":{"roundId":"${round.id}"}`);
  });

  it('a crash mid-fan-out: the next run sends the rest and repeats nothing', async () => {
    const { repos } = await storage();
    // 120 accounthouders: one council reminder needs two records (95 + 26 with the channel).
    const many = Array.from({ length: 120 }, (_, i) => `00000000-0000-4000-8000-000000001${String(i).padStart(3, '0')}`);
    const { round, plan } = await roundWithWork(repos, { accounthouders: many });
    const d28 = plan.find((p) => p.kind === 'council.allocation' && p.offsetDays === 28)!;
    const clock = fixedClock(new Date(Date.parse(d28.at) + 60_000));
    // At this moment the council reminder (two parts) and the panel's 7-day reminders are due.
    // The second of the council reminder's record transactions fails, as if the process died.
    const crashing: Repos = {
      ...repos,
      reminders: {
        list: (id) => repos.reminders.list(id),
        record: async (id, record, entries, audit) => {
          if (record.reminderId === d28.id && record.part === 1) throw Object.assign(new Error('storage went away'), { code: 'ECONNRESET' });
          return repos.reminders.record(id, record, entries, audit);
        },
      },
    };
    const councilMessages = async () => (await repos.outbox.list(round.id)).filter((e) => e.kind === 'reminder.council.allocation');
    const first = await run(crashing, clock, 'instance-a', many);
    expect(first).toMatchObject({ ran: true, failedRounds: 1 });
    expect(await councilMessages()).toHaveLength(95);
    const afterCrash = (await repos.outbox.list(round.id)).length;

    const second = await run(repos, clock, 'instance-b', many);
    expect(second).toMatchObject({ sent: 1, messages: 26, failedRounds: 0 });
    const third = await run(repos, clock, 'instance-a', many);
    expect(third).toMatchObject({ sent: 0, messages: 0, failedRounds: 0 });
    expect((await repos.outbox.list(round.id)).length).toBe(afterCrash + 26);

    const outbox = await repos.outbox.list(round.id);
    const council = outbox.filter((e) => e.kind === 'reminder.council.allocation');
    const targets = council.map((e) => (e.target.type === 'user' ? e.target.userId : 'channel'));
    expect(targets).toHaveLength(121);
    expect(new Set(targets)).toEqual(new Set([...many, 'channel']));
    const records = (await repos.reminders.list(round.id)).filter((r) => r.reminderId === d28.id);
    expect(records.map((r) => [r.id, r.part, r.recipients.length]).sort()).toEqual([
      [d28.id, 0, 95],
      [`${d28.id}~1`, 1, 26],
    ]);
  });

  it('a reminder missed while down is sent on the next run if still useful; one whose deadline passed is skipped', async () => {
    const { repos } = await storage();
    const { round, plan, accounthouders } = await roundWithWork(repos);
    const council = plan.filter((p) => p.kind === 'council.allocation');
    // Running at the 28-day reminder; then down until two days after the 7-day one.
    await run(repos, fixedClock(new Date(Date.parse(council[0]!.at) + 60_000)), 'a', accounthouders);
    const back = new Date(Date.parse(council[2]!.at) + 2 * 24 * 3600_000);
    const res = await run(repos, fixedClock(back), 'a', accounthouders);
    const records = new Map((await repos.reminders.list(round.id)).map((r) => [r.id, r]));
    expect(records.get(council[0]!.id)?.state).toBe('sent');
    expect(records.get(council[1]!.id)).toMatchObject({ state: 'skipped', reason: 'superseded' });
    expect(records.get(council[2]!.id)).toMatchObject({ state: 'sent', recordedAt: back.toISOString() });
    expect(res.sent).toBeGreaterThanOrEqual(1);
    // Down again over the last two; back after the deadline: nothing sent for it, recorded as skipped.
    const after = new Date(Date.parse(round.councilAllocationReportDue) + 3600_000);
    const before = (await repos.outbox.list(round.id)).filter((e) => e.kind === 'reminder.council.allocation').length;
    await run(repos, fixedClock(after), 'a', accounthouders);
    const final = new Map((await repos.reminders.list(round.id)).map((r) => [r.id, r]));
    expect(final.get(council[3]!.id)).toMatchObject({ state: 'skipped', reason: 'superseded' });
    expect(final.get(council[4]!.id)).toMatchObject({ state: 'skipped', reason: 'deadlinePassed' });
    expect((await repos.outbox.list(round.id)).filter((e) => e.kind === 'reminder.council.allocation')).toHaveLength(before);
    expect(before).toBe(2 * 2); // two reminders sent, each to the accounthouder and the channel
    // Every record has its audit line, in the same transaction: sent and skipped alike, one each.
    const audit = (await repos.audit.list(round.id)).filter((e) => e.action === 'reminder.sent' || e.action === 'reminder.skipped');
    const recordsNow = await repos.reminders.list(round.id);
    expect(audit.map((e) => `${e.action}:${e.subjectId}`).sort()).toEqual(recordsNow.map((r) => `reminder.${r.state}:${r.id}`).sort());
    expect(audit.find((e) => e.subjectId === council[4]!.id)?.details).toMatchObject({ kind: 'council.allocation', reason: 'deadlinePassed' });
  });

  it('someone the bot never talked to is covered but gets no message (no failing outbox entry)', async () => {
    const { repos } = await storage();
    const stranger = '00000000-0000-4000-8000-00000000ffff';
    const { round, plan } = await roundWithWork(repos, { accounthouders: [ACCOUNTHOUDER] });
    const d28 = plan.find((p) => p.kind === 'council.allocation' && p.offsetDays === 28)!;
    const res = await run(repos, fixedClock(new Date(Date.parse(d28.at) + 60_000)), 'a', [ACCOUNTHOUDER, stranger]);
    expect(res.unreachable).toBe(1);
    const record = (await repos.reminders.list(round.id)).find((r) => r.id === d28.id)!;
    expect(record.unreachable).toEqual([`u:${stranger}`]);
    expect((await repos.outbox.list(round.id)).some((e) => e.target.type === 'user' && e.target.userId === stranger)).toBe(false);
  });

  it('a recipient with a team roster address gets the message (the Notifier starts the chat); one with neither is named to the accounthouders once, however many reminders', async () => {
    const { repos } = await storage();
    const [inTeam, stranger] = ['00000000-0000-4000-8000-00000000eeee', '00000000-0000-4000-8000-00000000ffff'];
    await repos.conversations.saveRoster([
      {
        userId: inTeam,
        rosterId: '29:in-team',
        tenantId: 't',
        serviceUrl: 'https://smba.example/',
        botId: '28:bot',
        name: 'In Team',
        updatedAt: NOW.toISOString(),
      },
    ]);
    const { round, plan } = await roundWithWork(repos, { accounthouders: [ACCOUNTHOUDER] });
    const council = plan.filter((p) => p.kind === 'council.allocation').sort((a, b) => a.at.localeCompare(b.at));
    // The notices about the stranger (others about people of the round without a chat may come too): ids from the round, the person and "reminders".
    const about = createHash('sha256').update(`${round.id}|${stranger}|reminders`).digest('hex').slice(0, 24);
    const notices = async () => (await repos.outbox.list(round.id)).filter((e) => e.kind === 'notice.unreachable' && e.id.startsWith(`unreachable-${about}-`));
    const res = await run(repos, fixedClock(new Date(Date.parse(council[0]!.at) + 60_000)), 'a', [ACCOUNTHOUDER, inTeam, stranger]);
    expect(res.unreachable).toBe(1);
    const outbox = await repos.outbox.list(round.id);
    expect(outbox.some((e) => e.kind === 'reminder.council.allocation' && e.target.type === 'user' && e.target.userId === inTeam)).toBe(true);
    expect((await notices()).map((e) => e.target)).toEqual([
      { type: 'user', userId: ACCOUNTHOUDER },
      { type: 'user', userId: inTeam },
    ]);
    expect((await notices())[0]!.text).toMatch(/^Iemand kon niet persoonlijk bereikt worden met herinneringen in deze ronde/);
    // The next reminders find the stranger unreachable again: nothing more is stored.
    const strangerRecords = async () => (await repos.reminders.list(round.id)).filter((r) => r.unreachable?.includes(`u:${stranger}`));
    const before = (await strangerRecords()).length;
    await run(repos, fixedClock(new Date(Date.parse(council[1]!.at) + 60_000)), 'a', [ACCOUNTHOUDER, inTeam, stranger]);
    expect((await strangerRecords()).length).toBeGreaterThan(before);
    expect(await notices()).toHaveLength(2);
  });
});

describe('the reminder lease', () => {
  it('one holder at a time; free again when released or expired; taking over is ETag-guarded', async () => {
    const { open, repos: a } = await storage();
    const b = await open();
    const t = NOW;
    expect(await a.leases.acquire('reminders', 'a', 60_000, t)).toBe(true);
    expect(await b.leases.acquire('reminders', 'b', 60_000, t)).toBe(false);
    expect(await a.leases.acquire('reminders', 'a', 60_000, t)).toBe(true);
    await b.leases.release('reminders', 'b');
    expect(await b.leases.acquire('reminders', 'b', 60_000, new Date(t.getTime() + 30_000))).toBe(false);
    // Expired: of several instances taking over at once, exactly one wins.
    const later = new Date(t.getTime() + 61_000);
    const others = await Promise.all(Array.from({ length: 6 }, async (_, i) => (await open()).leases.acquire('reminders', `x${i}`, 60_000, later)));
    expect(others.filter(Boolean)).toHaveLength(1);
    const winner = `x${others.indexOf(true)}`;
    await a.leases.release('reminders', 'a');
    expect(await b.leases.acquire('reminders', 'b', 60_000, later)).toBe(false);
    await a.leases.release('reminders', winner);
    expect(await b.leases.acquire('reminders', 'b', 60_000, later)).toBe(true);
  });

  it('while another instance holds it, a run does nothing', async () => {
    const { repos } = await storage();
    const { plan, accounthouders } = await roundWithWork(repos);
    const clock = fixedClock(new Date(Date.parse(plan[0]!.at) + 60_000));
    expect(await repos.leases.acquire('reminders', 'other', 60_000, clock.now())).toBe(true);
    expect(await run(repos, clock, 'me', accounthouders, { useLease: true })).toMatchObject({ ran: false, sent: 0 });
    await repos.leases.release('reminders', 'other');
    expect(await run(repos, clock, 'me', accounthouders, { useLease: true })).toMatchObject({ ran: true });
    // Released after the run: another instance may run next.
    expect(await repos.leases.acquire('reminders', 'other', 60_000, clock.now())).toBe(true);
  });
});
