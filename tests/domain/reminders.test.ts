import { describe, expect, it } from 'vitest';
import {
  DEFAULT_OFFSETS,
  dueReminders,
  MAX_RECIPIENTS_PER_RECORD,
  RecordedPart,
  recipientKey,
  Reminder,
  ReminderFacts,
  reminderMoments,
  reminderPlan,
} from '../../src/domain/reminders';
import { amsterdamDay, amsterdamInstant, amsterdamTime } from '../../src/domain/round-settings';
import type { Round } from '../../src/domain/round';
import { fixedClock, NOW, round as baseRound } from '../fixtures';

const local = (iso: string) => `${amsterdamDay(iso)} ${amsterdamTime(iso)}`;
const CHANNEL = {
  teamId: 't',
  channelId: '19:c@thread.tacv2',
  serviceUrl: 'http://127.0.0.1:9/',
  tenantId: 't',
  botId: 'b',
  linkedBy: 'a',
  linkedAt: NOW.toISOString(),
};
const NO_FACTS: ReminderFacts = { accounthouders: ['acc-1'], unscored: [], drafts: [], awaitingResults: [] };

function round(overrides: Partial<Round> = {}): Round {
  return baseRound({ routing: { byWijk: {}, default: CHANNEL }, ...overrides });
}

describe('when reminders go out', () => {
  it('28, 14, 7 and 1 days ahead and on the day, at 09:00 in Zwolle', () => {
    const deadline = amsterdamInstant('2026-06-30', '17:00');
    const moments = reminderMoments(deadline);
    expect(moments.map((m) => m.offsetDays)).toEqual([28, 14, 7, 1, 0]);
    expect(moments.map((m) => local(m.at))).toEqual(['2026-06-02 09:00', '2026-06-16 09:00', '2026-06-23 09:00', '2026-06-29 09:00', '2026-06-30 09:00']);
    expect(moments.map((m) => m.at)).toEqual([
      '2026-06-02T07:00:00.000Z',
      '2026-06-16T07:00:00.000Z',
      '2026-06-23T07:00:00.000Z',
      '2026-06-29T07:00:00.000Z',
      '2026-06-30T07:00:00.000Z',
    ]);
  });

  it('stays at 09:00 local across the change to summer time (late March)', () => {
    // Summer time starts on Sunday 29 March 2026 at 02:00.
    const moments = reminderMoments(amsterdamInstant('2026-04-02', '17:00'));
    expect(moments.map((m) => local(m.at))).toEqual(['2026-03-05 09:00', '2026-03-19 09:00', '2026-03-26 09:00', '2026-04-01 09:00', '2026-04-02 09:00']);
    // Winter time (UTC+1) before, summer time (UTC+2) after.
    expect(moments.map((m) => m.at.slice(11, 16))).toEqual(['08:00', '08:00', '08:00', '07:00', '07:00']);
    // A reminder on the day of the change itself.
    const onTheDay = reminderMoments(amsterdamInstant('2026-03-30', '17:00')).find((m) => m.offsetDays === 1)!;
    expect(onTheDay.at).toBe('2026-03-29T07:00:00.000Z');
    expect(local(onTheDay.at)).toBe('2026-03-29 09:00');
  });

  it('stays at 09:00 local across the change to winter time (late October)', () => {
    // Winter time starts on Sunday 25 October 2026 at 03:00.
    const moments = reminderMoments(amsterdamInstant('2026-10-26', '17:00'));
    expect(moments.map((m) => local(m.at))).toEqual(['2026-09-28 09:00', '2026-10-12 09:00', '2026-10-19 09:00', '2026-10-25 09:00', '2026-10-26 09:00']);
    expect(moments.map((m) => m.at.slice(11, 16))).toEqual(['07:00', '07:00', '07:00', '08:00', '08:00']);
  });

  it('a deadline on 1 January 2027 is reminded in December 2026', () => {
    const moments = reminderMoments(amsterdamInstant('2027-01-01', '17:00'));
    expect(moments.map((m) => m.at)).toEqual([
      '2026-12-04T08:00:00.000Z',
      '2026-12-18T08:00:00.000Z',
      '2026-12-25T08:00:00.000Z',
      '2026-12-31T08:00:00.000Z',
      '2027-01-01T08:00:00.000Z',
    ]);
    expect(moments.map((m) => local(m.at))).toEqual(['2026-12-04 09:00', '2026-12-18 09:00', '2026-12-25 09:00', '2026-12-31 09:00', '2027-01-01 09:00']);
  });

  it('a leap day and a month end count calendar days', () => {
    expect(reminderMoments(amsterdamInstant('2028-03-01', '17:00'), [1, 14]).map((m) => local(m.at))).toEqual(['2028-02-16 09:00', '2028-02-29 09:00']);
  });

  it('drops the reminder on the day when the deadline is before 09:00, and takes configured offsets', () => {
    expect(reminderMoments(amsterdamInstant('2026-06-30', '08:00')).map((m) => m.offsetDays)).toEqual([28, 14, 7, 1]);
    expect(reminderMoments(amsterdamInstant('2026-06-30', '17:00'), [3, 3, -1, 0.5, 0], '08:30').map((m) => local(m.at))).toEqual([
      '2026-06-27 08:30',
      '2026-06-30 08:30',
    ]);
  });
});

describe('the plan of a round', () => {
  it('a round with no applications: only the two council deadlines, to the accounthouders and the review channel', () => {
    const r = round();
    const plan = reminderPlan(r, { ...NO_FACTS, accounthouders: ['acc-2', 'acc-1', 'acc-2'] });
    expect(plan).toHaveLength(2 * DEFAULT_OFFSETS.length);
    expect(new Set(plan.map((p) => p.kind))).toEqual(new Set(['council.allocation', 'council.results']));
    for (const p of plan) {
      expect(p.recipients).toEqual([{ type: 'user', userId: 'acc-1' }, { type: 'user', userId: 'acc-2' }, { type: 'channel' }]);
      expect(p.deadline).toBe(p.kind === 'council.allocation' ? r.councilAllocationReportDue : r.councilResultsReportDue);
      expect(p.audienceKey).toBe('council');
      expect(amsterdamTime(p.at)).toBe('09:00');
    }
  });

  it('no channel linked and no accounthouder: no council reminders; a draft round: no reminders at all', () => {
    expect(reminderPlan(round({ routing: { byWijk: {} } }), { ...NO_FACTS, accounthouders: [] })).toEqual([]);
    expect(reminderPlan(round({ routing: { byWijk: {} } }), NO_FACTS).every((p) => p.recipients.length === 1)).toBe(true);
    expect(reminderPlan(round({ status: 'draft' }), NO_FACTS)).toEqual([]);
  });

  it('panel members with unscored applications, partners with drafts and awarded partners without results each get their own series', () => {
    const r = round();
    const facts: ReminderFacts = {
      accounthouders: ['acc-1'],
      unscored: [
        { applicationId: 'a2', reference: 'LB-2026-002', title: 'Twee', memberIds: ['m1', 'm2'] },
        { applicationId: 'a1', reference: 'LB-2026-001', title: 'Een', memberIds: ['m1'] },
      ],
      drafts: [
        { applicationId: 'd1', applicantId: 'p1', title: 'Concept' },
        { applicationId: 'd2', applicantId: 'p1' },
      ],
      awaitingResults: [{ applicationId: 'w1', applicantId: 'p2', reference: 'LB-2026-003', title: 'Toegekend' }],
    };
    const plan = reminderPlan(r, facts);
    const series = (kind: string, key: string) => plan.filter((p) => p.kind === kind && p.audienceKey === key);
    expect(series('panel.unscored', 'm1')).toHaveLength(5);
    expect(series('panel.unscored', 'm1')[0]!.items.map((i) => i.reference)).toEqual(['LB-2026-001', 'LB-2026-002']);
    expect(series('panel.unscored', 'm2')[0]!.items.map((i) => i.applicationId)).toEqual(['a2']);
    expect(series('panel.unscored', 'm1').every((p) => p.deadline === r.reviewDeadline)).toBe(true);
    expect(series('draft.unsubmitted', 'p1')[0]!.items.map((i) => i.applicationId)).toEqual(['d1', 'd2']);
    expect(series('draft.unsubmitted', 'p1').every((p) => p.deadline === r.submissionDeadline && p.recipients[0]!.type === 'user')).toBe(true);
    expect(series('results.missing', 'p2').every((p) => p.deadline === r.councilResultsReportDue)).toBe(true);
    // The accounthouder's results reminder names the missing reports.
    expect(plan.find((p) => p.kind === 'council.results')!.items.map((i) => i.applicationId)).toEqual(['w1']);
    expect(plan).toHaveLength(5 * 6);
    // Deterministic, unique ids that are safe as Table Storage row keys.
    expect(new Set(plan.map((p) => p.id)).size).toBe(plan.length);
    expect(reminderPlan(r, facts).map((p) => p.id)).toEqual(plan.map((p) => p.id));
    for (const p of plan) expect(p.id).toMatch(/^[A-Za-z0-9.:~_-]+$/);
    expect(plan[0]!.id).toMatch(/^LB-2026\.draft\.unsubmitted\.\d{8}T\d{6}Z\.d28\.p1$/);
  });

  it('draft reminders only while the round is open for submissions', () => {
    const facts = { ...NO_FACTS, drafts: [{ applicationId: 'd1', applicantId: 'p1' }] };
    expect(reminderPlan(round({ status: 'paused' }), facts).some((p) => p.kind === 'draft.unsubmitted')).toBe(false);
    expect(reminderPlan(round({ status: 'closed' }), facts).some((p) => p.kind === 'draft.unsubmitted')).toBe(false);
    expect(reminderPlan(round({ status: 'open' }), facts).filter((p) => p.kind === 'draft.unsubmitted')).toHaveLength(5);
  });

  it('a moved deadline is a new series (new ids)', () => {
    const a = reminderPlan(round(), NO_FACTS);
    const b = reminderPlan(round({ councilAllocationReportDue: amsterdamInstant('2027-02-08', '17:00') }), NO_FACTS);
    const ids = (p: Reminder[], kind: string) => p.filter((x) => x.kind === kind).map((x) => x.id);
    expect(ids(b, 'council.allocation').some((id) => ids(a, 'council.allocation').includes(id))).toBe(false);
    expect(ids(b, 'council.results')).toEqual(ids(a, 'council.results'));
  });
});

/** Runs the plan as the use case would, with a fake clock, recording what it sends. */
function simulate(plan: Reminder[], times: Date[]) {
  const recorded: RecordedPart[] = [];
  const log: { at: string; id: string; how: string }[] = [];
  for (const now of times) {
    const { send, skip } = dueReminders(plan, now, recorded);
    for (const s of skip) {
      recorded.push({ reminderId: s.reminder.id, part: 0, state: 'skipped', recipients: [] });
      log.push({ at: now.toISOString(), id: s.reminder.id, how: s.reason });
    }
    for (const p of send) {
      recorded.push({ reminderId: p.reminder.id, part: p.part, state: 'sent', recipients: p.recipients.map(recipientKey) });
      log.push({ at: now.toISOString(), id: p.reminder.id, how: 'sent' });
    }
  }
  return log;
}

describe('which reminders are due', () => {
  const r = round();
  const plan = reminderPlan(r, NO_FACTS).filter((p) => p.kind === 'council.allocation');

  it('a clock ticking every five minutes sends each reminder once, at its moment', () => {
    const clock = fixedClock(new Date(Date.parse(plan[0]!.at) - 60 * 60_000));
    const times: Date[] = [];
    while (clock.now().getTime() < Date.parse(r.councilAllocationReportDue) + 24 * 3600_000) {
      times.push(clock.now());
      clock.advance(5 * 60_000);
    }
    const log = simulate(plan, times);
    expect(log.map((l) => l.how)).toEqual(['sent', 'sent', 'sent', 'sent', 'sent']);
    expect(log.map((l) => l.id)).toEqual(plan.map((p) => p.id));
    // Sent within five minutes of 09:00.
    for (const [i, l] of log.entries()) expect(Date.parse(l.at) - Date.parse(plan[i]!.at)).toBeLessThan(5 * 60_000);
  });

  it('nothing before its moment', () => {
    expect(dueReminders(plan, new Date(Date.parse(plan[0]!.at) - 1), [])).toEqual({ send: [], skip: [] });
  });

  it('after downtime only the latest due reminder is sent, still before the deadline; older ones are superseded', () => {
    // Down from before the 28-day reminder until after the 7-day one.
    const back = new Date(Date.parse(plan[2]!.at) + 2 * 24 * 3600_000);
    const log = simulate(plan, [back]);
    expect(log).toEqual([
      { at: back.toISOString(), id: plan[0]!.id, how: 'superseded' },
      { at: back.toISOString(), id: plan[1]!.id, how: 'superseded' },
      { at: back.toISOString(), id: plan[2]!.id, how: 'sent' },
    ]);
  });

  it('once the deadline has passed a missed reminder is skipped, not sent', () => {
    const after = new Date(Date.parse(r.councilAllocationReportDue) + 60_000);
    const log = simulate(plan, [after]);
    expect(log.filter((l) => l.how === 'sent')).toEqual([]);
    expect(log.at(-1)).toEqual({ at: after.toISOString(), id: plan[4]!.id, how: 'deadlinePassed' });
    expect(log.filter((l) => l.how === 'superseded')).toHaveLength(4);
  });

  it('a fan-out cut short continues with the recipients no record covers; a large one is split in parts', () => {
    const many = Array.from({ length: 200 }, (_, i) => `acc-${String(i).padStart(3, '0')}`);
    const big = reminderPlan(r, { ...NO_FACTS, accounthouders: many }).filter((p) => p.kind === 'council.allocation');
    const at = new Date(big[0]!.at);
    const first = dueReminders(big, at, []).send;
    expect(first.map((p) => [p.part, p.recipients.length])).toEqual([
      [0, MAX_RECIPIENTS_PER_RECORD],
      [1, MAX_RECIPIENTS_PER_RECORD],
      [2, 201 - 2 * MAX_RECIPIENTS_PER_RECORD],
    ]);
    expect(first.map((p) => p.recordId)).toEqual([big[0]!.id, `${big[0]!.id}~1`, `${big[0]!.id}~2`]);
    // Only part 0 was recorded before a crash: the rest goes out, part 0's recipients are not repeated.
    const again = dueReminders(big, at, [{ reminderId: big[0]!.id, part: 0, state: 'sent', recipients: first[0]!.recipients.map(recipientKey) }]).send;
    expect(again.map((p) => p.part)).toEqual([1, 2]);
    const keys = again.flatMap((p) => p.recipients.map(recipientKey));
    expect(keys).toHaveLength(201 - MAX_RECIPIENTS_PER_RECORD);
    expect(keys.some((k) => first[0]!.recipients.map(recipientKey).includes(k))).toBe(false);
    // Everyone covered: nothing more.
    const all: RecordedPart[] = first.map((p) => ({ reminderId: big[0]!.id, part: p.part, state: 'sent', recipients: p.recipients.map(recipientKey) }));
    expect(dueReminders(big, at, all)).toEqual({ send: [], skip: [] });
  });
});
