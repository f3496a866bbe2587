import { AuditEvent, auditEvent } from '../domain/audit';
import { dueReminders, Recipient, recipientKey, Reminder, ReminderFacts, ReminderOptions, reminderPlan } from '../domain/reminders';
import type { Round } from '../domain/round';
import { langFor, Lang } from '../i18n';
import type { OutboxEntry, OutboxTarget } from '../domain/outbox';
import type { ReminderRecord } from '../domain/reminders';
import type { SnapshotWithReviews } from '../domain/snapshot';
import type { ConsultationState } from '../domain/consultation';
import type { Deps } from './deps';
import { reviewContextFrom } from './load-review';
import { reportUnreachable } from './unreachable';

/** What a reminder says to one recipient, in their language (the app layer renders the card). */
export type ComposeReminder = (input: { reminder: Reminder; round: Round; recipient: Recipient; lang: Lang; now: Date }) => { card?: object; text?: string };

export interface SendDueRemindersInput {
  /** This instance, for the lease and the records. */
  owner: string;
  compose: ComposeReminder;
  options?: ReminderOptions;
  /** Only one instance at a time does the work; false for tests that race instances on purpose. */
  useLease?: boolean;
  leaseMs?: number;
  /** Told about a round whose work stopped on an error (for the log). */
  onError?: (roundId: string, error: unknown) => void;
}

export interface SendDueRemindersResult {
  /** False when another instance holds the lease: nothing was done. */
  ran: boolean;
  rounds: number;
  /** Reminder records written with their messages (a large fan-out is several records). */
  sent: number;
  skipped: number;
  /** Outbox messages stored. */
  messages: number;
  /** Recipients the bot has no conversation and no roster address for (covered, no message; the accounthouders are told once). */
  unreachable: number;
  /** Records another instance (or an earlier run) wrote first. */
  alreadyRecorded: number;
  /** Rounds whose work stopped on a storage error; the next run carries on where it stopped. */
  failedRounds: number;
}

export const REMINDER_LEASE = 'reminders';
const LEASE_MS = 2 * 60_000;
/** The review channel's messages are in Dutch: its members share no one language setting. */
const CHANNEL_LANG: Lang = 'nl';

/** The facts a round's reminders need, from one snapshot of the round. */
export function reminderFacts(snapshot: SnapshotWithReviews, accounthouders: readonly string[], consultation?: ConsultationState): ReminderFacts {
  const c = consultation?.consultation.value;
  const responded = new Set(consultation?.responses.map((r) => r.value.userId));
  const facts = {
    accounthouders,
    unscored: [] as ReminderFacts['unscored'][number][],
    drafts: [] as ReminderFacts['drafts'][number][],
    awaitingResults: [] as ReminderFacts['awaitingResults'][number][],
    ...(c?.status === 'open' ? { consultation: { closesAt: c.closesAt, unanswered: c.invited.map((i) => i.userId).filter((id) => !responded.has(id)) } } : {}),
  };
  for (const app of snapshot.applications) {
    const a = app.value;
    const item = { applicationId: a.id, ...(a.reference ? { reference: a.reference } : {}), ...(a.fields.title ? { title: a.fields.title } : {}) };
    if (a.status === 'draft') facts.drafts.push({ ...item, applicantId: a.applicantId, since: a.createdAt });
    else if (a.status === 'awarded' && a.results?.state !== 'submitted')
      facts.awaitingResults.push({ ...item, applicantId: a.applicantId, ...(a.decision ? { since: a.decision.decidedAt } : {}) });
    const bundle = snapshot.bundles.get(a.id);
    if (bundle?.review?.value.state !== 'posted') continue;
    const ctx = reviewContextFrom(snapshot.round, app, snapshot.panel, bundle);
    const posted = bundle.review.value.postedAt;
    if (ctx.open && ctx.progress.unscored.length)
      facts.unscored.push({ ...item, memberIds: ctx.progress.unscored.map((m) => m.userId), ...(posted ? { since: posted } : {}) });
  }
  return facts;
}

/**
 * Sends every reminder that is due and not yet recorded, exactly once. Each reminder (part) is
 * recorded together with its outbox messages in one transaction in the round's partition, and
 * the record's id is the reminder's deterministic id: a second instance, a second run or a run
 * after a crash mid-fan-out finds the record and stores nothing. The lease only keeps instances
 * from doing the same work at once; correctness rests on the records.
 */
export async function sendDueReminders(deps: Deps, input: SendDueRemindersInput): Promise<SendDueRemindersResult> {
  const result: SendDueRemindersResult = { ran: false, rounds: 0, sent: 0, skipped: 0, messages: 0, unreachable: 0, alreadyRecorded: 0, failedRounds: 0 };
  const useLease = input.useLease ?? true;
  if (useLease && !(await deps.repos.leases.acquire(REMINDER_LEASE, input.owner, input.leaseMs ?? LEASE_MS, deps.clock.now()))) return result;
  result.ran = true;
  try {
    const accounthouders = [...new Set([...(deps.accounthouders ?? []), ...(await deps.repos.roles.listAccounthouders()).map((a) => a.userId)])];
    for (const round of await deps.repos.rounds.list()) {
      result.rounds++;
      try {
        await remindRound(deps, input, round.id, accounthouders, result);
      } catch (e) {
        // One round's trouble (storage gone mid-fan-out) does not keep the other rounds' reminders back.
        result.failedRounds++;
        input.onError?.(round.id, e);
      }
    }
  } finally {
    if (useLease) await deps.repos.leases.release(REMINDER_LEASE, input.owner);
  }
  return result;
}

async function remindRound(deps: Deps, input: SendDueRemindersInput, roundId: string, accounthouders: string[], result: SendDueRemindersResult): Promise<void> {
  // Open reviews' sheets tell who has not scored yet: this one needs the review rows.
  const snapshot = await deps.repos.allocation.snapshotWithReviews(roundId);
  if (!snapshot) return;
  const round = snapshot.round.value;
  const now = deps.clock.now();
  const plan = reminderPlan(round, reminderFacts(snapshot, accounthouders, await deps.repos.consultations.state(roundId)), input.options);
  if (!plan.some((r) => Date.parse(r.at) <= now.getTime())) return;
  const recorded = await deps.repos.reminders.list(roundId);
  const { send, skip } = dueReminders(plan, now, recorded);
  const base = (r: Reminder) => ({
    reminderId: r.id,
    roundId,
    kind: r.kind,
    at: r.at,
    deadline: r.deadline,
    recordedAt: now.toISOString(),
    recordedBy: input.owner,
  });

  for (const { reminder, reason } of skip) {
    const record: ReminderRecord = { ...base(reminder), id: reminder.id, part: 0, state: 'skipped', reason, recipients: reminder.recipients.map(recipientKey) };
    const res = await deps.repos.reminders.record(roundId, record, [], reminderAudit(record, now));
    if (res.ok) result.skipped++;
    else result.alreadyRecorded++;
  }

  const stopped = new Set<string>();
  for (const part of send) {
    // Parts go in order; once one is found recorded, another instance is on this reminder.
    if (stopped.has(part.reminder.id)) continue;
    const entries: OutboxEntry[] = [];
    const unreachable: string[] = [];
    for (const recipient of part.recipients) {
      const target = await targetOf(deps, round, recipient);
      if (!target) {
        unreachable.push(recipientKey(recipient));
        continue;
      }
      const message = input.compose({ reminder: part.reminder, round, recipient, lang: target.lang, now });
      entries.push({
        id: `rem-${part.reminder.id}-${recipientKey(recipient)}`,
        roundId,
        kind: `reminder.${part.reminder.kind}`,
        target: target.target,
        ...message,
        state: 'pending',
        attempts: 0,
        notBefore: now.toISOString(),
        createdAt: now.toISOString(),
      });
    }
    const record: ReminderRecord = {
      ...base(part.reminder),
      id: part.recordId,
      part: part.part,
      state: 'sent',
      recipients: part.recipients.map(recipientKey),
      ...(unreachable.length ? { unreachable } : {}),
    };
    const res = await deps.repos.reminders.record(roundId, record, entries, reminderAudit(record, now));
    if (!res.ok) {
      result.alreadyRecorded++;
      stopped.add(part.reminder.id);
      continue;
    }
    result.sent++;
    result.messages += entries.length;
    result.unreachable += unreachable.length;
    // Once per person and round, whatever the number of reminders: the accounthouders hear who could not be reached.
    for (const recipient of part.recipients) {
      if (recipient.type === 'user' && unreachable.includes(recipientKey(recipient)))
        await reportUnreachable(deps, {
          roundId,
          userId: recipient.userId,
          kind: `reminder.${part.reminder.kind}`,
          messageId: part.recordId,
          reason: 'noAddress',
        });
    }
  }
}

async function targetOf(deps: Deps, round: Round, recipient: Recipient): Promise<{ target: OutboxTarget; lang: Lang } | undefined> {
  if (recipient.type === 'channel') {
    const c = round.routing.default;
    return c && { target: { type: 'channel', serviceUrl: c.serviceUrl, tenantId: c.tenantId, botId: c.botId, channelId: c.channelId }, lang: CHANNEL_LANG };
  }
  // A stored 1:1 chat, or a team roster address the Notifier starts the chat from.
  const conversation = await deps.repos.conversations.get(recipient.userId);
  if (conversation) return { target: { type: 'user', userId: recipient.userId }, lang: langFor(conversation.locale) };
  return (await deps.repos.conversations.getRoster(recipient.userId))
    ? { target: { type: 'user', userId: recipient.userId }, lang: langFor(undefined) }
    : undefined;
}

/** The audit line of a reminder dealt with: what kind, to how many, how many could not be reached, or why it was skipped. No names. */
function reminderAudit(record: ReminderRecord, now: Date): AuditEvent {
  return auditEvent(record.roundId, 'system', record.state === 'sent' ? 'reminder.sent' : 'reminder.skipped', record.id, now, {
    kind: record.kind,
    recipients: record.recipients.length,
    ...(record.unreachable?.length ? { unreachable: record.unreachable.length } : {}),
    ...(record.reason ? { reason: record.reason } : {}),
  });
}
