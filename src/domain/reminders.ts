import type { Round } from './round';
import { amsterdamDay, amsterdamInstant } from './round-settings';

/**
 * Reminders exist because of the council's motion (6 May 2025): the council is to be told before
 * the summer how the leerbudget was allocated, and at the end of the year what its effect and
 * results were. Those two dates only work if everyone upstream is on time too, so the bot also
 * reminds panel members who have not scored before the review deadline, partners with a draft
 * before the submission deadline, and awarded partners whose results report is still missing
 * before the year-end report. Everything here is pure: the use case collects the facts and
 * records what was sent.
 */
export type ReminderKind = 'council.allocation' | 'council.results' | 'panel.unscored' | 'draft.unsubmitted' | 'results.missing' | 'consultation.unanswered';

export const REMINDER_KINDS: readonly ReminderKind[] = [
  'council.allocation',
  'council.results',
  'panel.unscored',
  'draft.unsubmitted',
  'results.missing',
  'consultation.unanswered',
];

/** Days before the deadline, by default: four weeks, two weeks, one week, the day before and on the day. */
export const DEFAULT_OFFSETS: readonly number[] = [28, 14, 7, 1, 0];

/**
 * A consultation runs a couple of weeks and its invitation has just arrived: reminders only in its
 * last days, so a late start never sends a reminder together with the invitation.
 */
const KIND_OFFSETS: Partial<Record<ReminderKind, readonly number[]>> = { 'consultation.unanswered': [3, 1] };

/** Local time in Zwolle at which a reminder goes out: the start of a working day. */
export const REMINDER_TIME = '09:00';

/**
 * One reminder is stored with its outbox messages in one Table Storage transaction (at most 100
 * operations); a reminder for more people is recorded in parts of this size.
 */
export const MAX_RECIPIENTS_PER_RECORD = 95;

export interface ReminderOptions {
  /** Offsets in days per kind; a kind not named uses DEFAULT_OFFSETS. An empty list turns the kind off. */
  offsets?: Partial<Record<ReminderKind, readonly number[]>>;
  /** HH:MM, Europe/Amsterdam. */
  time?: string;
}

/** An application a reminder is about: a draft to finish, an application to score, results to report. */
export interface ReminderItem {
  applicationId: string;
  reference?: string;
  title?: string;
  /**
   * When the reason to remind began (the draft was started, the card posted, the award made):
   * a moment before it is no reminder, just noise arriving with the thing itself.
   */
  since?: string;
}

/** What the use case found in the store; plain data. */
export interface ReminderFacts {
  /** Entra object ids of the accounthouders (config and store). */
  accounthouders: readonly string[];
  /** Applications under review with the panel members (ids) who may score and have not. */
  unscored: readonly (ReminderItem & { memberIds: readonly string[] })[];
  /** Applications still in draft, by applicant. */
  drafts: readonly (ReminderItem & { applicantId: string })[];
  /** Awarded applications whose results report has not been submitted. */
  awaitingResults: readonly (ReminderItem & { applicantId: string })[];
  /** An open criteria consultation: its closing date and the people invited in person who have not responded. */
  consultation?: { closesAt: string; unanswered: readonly string[] };
}

export type Recipient = { type: 'user'; userId: string } | { type: 'channel' };

export const recipientKey = (r: Recipient) => (r.type === 'user' ? `u:${r.userId}` : 'channel');

export interface Reminder {
  /** Deterministic: the same round, kind, deadline, offset and audience always give the same id. */
  id: string;
  roundId: string;
  kind: ReminderKind;
  /** ISO instant the reminder is due. */
  at: string;
  /** ISO instant of the deadline it is about. */
  deadline: string;
  offsetDays: number;
  /** 'council' for the council deadlines, the person's id otherwise. */
  audienceKey: string;
  recipients: Recipient[];
  items: ReminderItem[];
}

/** Calendar arithmetic on YYYY-MM-DD; UTC is used only as a calendar, never as a time zone. */
function minusDays(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d - days)).toISOString().slice(0, 10);
}

/**
 * When reminders for `deadline` go out: `offset` calendar days before the deadline's day (in
 * Amsterdam), at `time` local — so 09:00 stays 09:00 across daylight saving changes and year
 * ends. A moment not before the deadline itself (a deadline at 08:00 on the day) is dropped.
 */
export function reminderMoments(deadline: string, offsets: readonly number[] = DEFAULT_OFFSETS, time = REMINDER_TIME): { offsetDays: number; at: string }[] {
  const day = amsterdamDay(deadline);
  const seen = new Set<number>();
  return offsets
    .filter((o) => Number.isInteger(o) && o >= 0 && !seen.has(o) && (seen.add(o), true))
    .map((offsetDays) => ({ offsetDays, at: amsterdamInstant(minusDays(day, offsetDays), time) }))
    .filter((m) => Date.parse(m.at) < Date.parse(deadline))
    .sort((a, b) => a.at.localeCompare(b.at));
}

/** Row-key safe: letters, digits, '-', '.', ':' and '~' only. */
const compactInstant = (iso: string) =>
  new Date(iso)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');

export function reminderId(roundId: string, kind: ReminderKind, deadline: string, offsetDays: number, audienceKey: string): string {
  return `${roundId}.${kind}.${compactInstant(deadline)}.d${offsetDays}.${audienceKey}`;
}

const byReference = (a: ReminderItem, b: ReminderItem) =>
  (a.reference ?? a.title ?? a.applicationId).localeCompare(b.reference ?? b.title ?? b.applicationId) || a.applicationId.localeCompare(b.applicationId);

function groupBy<T>(items: readonly T[], key: (t: T) => string[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) for (const k of key(item)) out.set(k, [...(out.get(k) ?? []), item]);
  return out;
}

/** The earliest start among items that all have one; undefined when any has none (remind as before). */
const earliest = (items: readonly ReminderItem[]): string | undefined => (items.every((i) => i.since) ? items.map((i) => i.since!).sort()[0] : undefined);

const item = (i: ReminderItem): ReminderItem => ({
  applicationId: i.applicationId,
  ...(i.reference ? { reference: i.reference } : {}),
  ...(i.title ? { title: i.title } : {}),
});

/**
 * Every reminder of a round, past and future, from the round's deadlines and the facts as they
 * are now. A draft round has none but the consultation's (nothing else has been announced yet);
 * draft reminders only while the round is open for submissions.
 */
export function reminderPlan(round: Round, facts: ReminderFacts, options: ReminderOptions = {}): Reminder[] {
  const time = options.time ?? REMINDER_TIME;
  const offsets = (kind: ReminderKind) => options.offsets?.[kind] ?? KIND_OFFSETS[kind] ?? DEFAULT_OFFSETS;
  const plan: Reminder[] = [];
  const series = (kind: ReminderKind, deadline: string, audienceKey: string, recipients: Recipient[], items: ReminderItem[], since?: string) => {
    if (recipients.length === 0) return;
    for (const m of reminderMoments(deadline, offsets(kind), time)) {
      if (since && m.at <= since) continue;
      plan.push({
        id: reminderId(round.id, kind, deadline, m.offsetDays, audienceKey),
        roundId: round.id,
        kind,
        at: m.at,
        deadline,
        offsetDays: m.offsetDays,
        audienceKey,
        recipients,
        items,
      });
    }
  };

  // The criteria are drafted before the round opens: a draft round has consultation reminders only.
  for (const userId of [...new Set(facts.consultation?.unanswered ?? [])].sort()) {
    series('consultation.unanswered', facts.consultation!.closesAt, userId, [{ type: 'user', userId }], []);
  }
  if (round.status === 'draft') return plan.sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));

  const council: Recipient[] = [...new Set(facts.accounthouders)].sort().map((userId) => ({ type: 'user', userId }));
  if (round.routing.default) council.push({ type: 'channel' });
  series('council.allocation', round.councilAllocationReportDue, 'council', council, []);
  // The results reminder to the accounthouder names whose results are still missing.
  series('council.results', round.councilResultsReportDue, 'council', council, facts.awaitingResults.map(item).sort(byReference));

  for (const [memberId, apps] of groupBy(facts.unscored, (u) => [...new Set(u.memberIds)])) {
    series('panel.unscored', round.reviewDeadline, memberId, [{ type: 'user', userId: memberId }], apps.map(item).sort(byReference), earliest(apps));
  }
  if (round.status === 'open') {
    for (const [applicantId, apps] of groupBy(facts.drafts, (d) => [d.applicantId])) {
      series(
        'draft.unsubmitted',
        round.submissionDeadline,
        applicantId,
        [{ type: 'user', userId: applicantId }],
        apps.map(item).sort(byReference),
        earliest(apps),
      );
    }
  }
  for (const [applicantId, apps] of groupBy(facts.awaitingResults, (d) => [d.applicantId])) {
    series(
      'results.missing',
      round.councilResultsReportDue,
      applicantId,
      [{ type: 'user', userId: applicantId }],
      apps.map(item).sort(byReference),
      earliest(apps),
    );
  }
  return plan.sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
}

/** What has been recorded of a reminder: one record per part of its fan-out. */
export interface RecordedPart {
  reminderId: string;
  part: number;
  state: 'sent' | 'skipped';
  recipients: readonly string[];
}

export type SkipReason = 'deadlinePassed' | 'superseded';

export interface DuePart {
  reminder: Reminder;
  /** 0 for the first record of a reminder; later parts continue a fan-out that was cut short or is too large for one record. */
  part: number;
  recordId: string;
  recipients: Recipient[];
}

export const recordIdOf = (reminderId: string, part: number) => (part === 0 ? reminderId : `${reminderId}~${part}`);

/**
 * Which reminders to send now, and which to record as skipped. Per series (same kind, deadline
 * and audience) only the latest reminder that is due counts: after downtime the 14-day reminder
 * is not sent next to the 7-day one, it is recorded as superseded. The latest is sent — late, but
 * still useful — while its deadline is ahead, and recorded as skipped once the deadline passed.
 * A reminder whose fan-out was cut short (a crash between parts) gets only the recipients no
 * record covers yet, so nobody gets it twice.
 */
export function dueReminders(
  plan: readonly Reminder[],
  now: Date,
  recorded: readonly RecordedPart[],
): { send: DuePart[]; skip: { reminder: Reminder; reason: SkipReason }[] } {
  const records = groupBy(recorded, (r) => [r.reminderId]);
  const seriesOf = groupBy(
    plan.filter((r) => Date.parse(r.at) <= now.getTime()),
    (r) => [`${r.kind}|${r.deadline}|${r.audienceKey}`],
  );
  const send: DuePart[] = [];
  const skip: { reminder: Reminder; reason: SkipReason }[] = [];
  for (const due of seriesOf.values()) {
    due.sort((a, b) => a.at.localeCompare(b.at));
    const latest = due[due.length - 1]!;
    for (const r of due.slice(0, -1)) if (!records.has(r.id)) skip.push({ reminder: r, reason: 'superseded' });
    const recs = records.get(latest.id) ?? [];
    if (recs.some((r) => r.state === 'skipped')) continue;
    if (now.getTime() >= Date.parse(latest.deadline)) {
      if (recs.length === 0) skip.push({ reminder: latest, reason: 'deadlinePassed' });
      continue;
    }
    const covered = new Set(recs.flatMap((r) => r.recipients));
    const remaining = latest.recipients.filter((r) => !covered.has(recipientKey(r)));
    const next = recs.reduce((max, r) => Math.max(max, r.part + 1), 0);
    for (let i = 0; i < remaining.length; i += MAX_RECIPIENTS_PER_RECORD) {
      const part = next + i / MAX_RECIPIENTS_PER_RECORD;
      send.push({ reminder: latest, part, recordId: recordIdOf(latest.id, part), recipients: remaining.slice(i, i + MAX_RECIPIENTS_PER_RECORD) });
    }
  }
  return { send, skip };
}

/**
 * The record that a reminder (or one part of its fan-out) was dealt with: sent (its outbox
 * messages were stored with it) or skipped. Its id is the reminder's deterministic id, so a
 * second record of the same reminder is refused.
 */
export interface ReminderRecord {
  /** The reminder's id, with `~<part>` for parts after the first. */
  id: string;
  reminderId: string;
  part: number;
  roundId: string;
  kind: string;
  at: string;
  deadline: string;
  state: 'sent' | 'skipped';
  reason?: 'deadlinePassed' | 'superseded';
  /** Recipient keys this record covers ('u:<id>', 'channel'). */
  recipients: string[];
  /** Covered, but no message stored: the bot has no conversation with them yet. */
  unreachable?: string[];
  recordedAt: string;
  /** The instance that recorded it (for logs). */
  recordedBy: string;
}
