import { createHash } from 'node:crypto';
import type { Application } from '../domain/application';
import { auditEvent } from '../domain/audit';
import {
  CHANGE_NOTE_LIMIT,
  canRequestChanges,
  changeDueDays,
  ChangeRequest,
  ChangeRequestErrors,
  expired,
  isOverdue,
  resubmitted,
  validateChangeRequest,
  withChangesRequested,
} from '../domain/change-request';
import type { OutboxEntry } from '../domain/outbox';
import { parseReference } from '../domain/reference';
import { err, ok, Result } from '../domain/result';
import { reviewDeadlineOf, reviewThreads, type ReviewRecord } from '../domain/review';
import type { Round } from '../domain/round';
import { readText } from '../domain/text';
import type { Versioned } from '../domain/versioned';
import { fieldLabel, changeMessages } from '../i18n/change-request';
import { fill, formatDate, langFor, Lang } from '../i18n';
import type { Deps } from './deps';
import { reviewForMember, type ReviewContext } from './load-review';
import { isAccounthouder } from './roles';

/** The review channel's messages are in Dutch: its members share no one language setting. */
const CHANNEL_LANG: Lang = 'nl';

/** Cards the app layer makes for messages this use case stores in the outbox. */
export interface ChangeCompose {
  /** The applicant's message: the note, the date and a button to open the application. */
  applicant(lang: Lang, app: Application): object;
  /** An accounthouder's message with a panel member's proposal: the request form, the note filled in. */
  proposal(lang: Lang, view: ChangeRequestView, note: string, role: string): object;
}

/** What the request card needs: the application, its round's review deadline and the date rule's days. */
export interface ChangeRequestView {
  application: Application;
  reviewDeadline: string;
  days: { latest: string; suggested: string; earliest: string };
}

export type ChangeRequestError =
  | { code: 'FORBIDDEN' }
  | { code: 'NOT_FOUND' }
  /** Not submitted or in review (a draft, reviewed, decided, withdrawn). */
  | { code: 'NOT_REQUESTABLE'; view: ChangeRequestView }
  /** Already sent back: a second press, or an old card. Nothing is sent again. */
  | { code: 'ALREADY'; view: ChangeRequestView }
  | { code: 'STALE'; view: ChangeRequestView }
  | { code: 'INVALID'; view: ChangeRequestView; errors: ChangeRequestErrors }
  /** The review card is being posted right now (its claim is pending). */
  | { code: 'BUSY'; view: ChangeRequestView }
  /** No day is left before the review deadline. */
  | { code: 'TOO_LATE'; view: ChangeRequestView };

async function viewOf(deps: Deps, app: Versioned<Application>, round: Versioned<Round>): Promise<ChangeRequestView> {
  const bundle = await deps.repos.reviews.bundle(app.value.roundId, app.value.id);
  const reviewDeadline = reviewDeadlineOf(bundle.review?.value, round.value.reviewDeadline);
  return { application: app.value, reviewDeadline, days: changeDueDays(reviewDeadline, deps.clock.now()) };
}

async function load(deps: Deps, actorId: string, roundId: string, applicationId: string) {
  if (!(await isAccounthouder(deps, actorId))) return err({ code: 'FORBIDDEN' as const });
  const [app, round] = await Promise.all([deps.repos.applications.get(roundId, applicationId), deps.repos.rounds.get(roundId)]);
  if (!app || !round || app.value.status === 'draft') return err({ code: 'NOT_FOUND' as const });
  return ok({ app, round });
}

/** The request card for an application, for an accounthouder (`aanvulling LB-2026-007`, the list's button, a proposal). */
export async function changeRequestForm(
  deps: Deps,
  input: { actorId: string; roundId: string; applicationId: string },
): Promise<Result<ChangeRequestView, ChangeRequestError>> {
  const found = await load(deps, input.actorId, input.roundId, input.applicationId);
  if (!found.ok) return found;
  const view = await viewOf(deps, found.value.app, found.value.round);
  if (found.value.app.value.status === 'changes_requested') return err({ code: 'ALREADY', view });
  if (!canRequestChanges(found.value.app.value.status)) return err({ code: 'NOT_REQUESTABLE', view });
  if (view.days.latest <= view.days.earliest) return err({ code: 'TOO_LATE', view });
  return ok(view);
}

/** The same by reference, as typed in the chat. */
export async function changeRequestFormByReference(
  deps: Deps,
  input: { actorId: string; reference: string },
): Promise<Result<ChangeRequestView, ChangeRequestError>> {
  if (!(await isAccounthouder(deps, input.actorId))) return err({ code: 'FORBIDDEN' });
  const parsed = parseReference(input.reference);
  if (!parsed) return err({ code: 'NOT_FOUND' });
  const round = (await deps.repos.rounds.list()).find((r) => r.referencePrefix === parsed.prefix && r.year === parsed.year);
  if (!round) return err({ code: 'NOT_FOUND' });
  const app = (await deps.repos.applications.listByRound(round.id)).find((a) => a.value.reference === input.reference);
  if (!app) return err({ code: 'NOT_FOUND' });
  return changeRequestForm(deps, { actorId: input.actorId, roundId: round.id, applicationId: app.value.id });
}

const accounthouderIds = async (deps: Deps) => [
  ...new Set([...(deps.accounthouders ?? []), ...(await deps.repos.roles.listAccounthouders()).map((a) => a.userId)]),
];
const localeOf = async (deps: Deps, userId: string) => langFor((await deps.repos.conversations.get(userId))?.locale);

function message(roundId: string, id: string, kind: string, target: OutboxEntry['target'], body: { card?: object; text?: string }, at: string): OutboxEntry {
  return { id: `${roundId}-${id}`, roundId, kind, target, ...body, state: 'pending', attempts: 0, notBefore: at, createdAt: at };
}

/** Raised with every change of the application's review, so a score racing this write fails on its ETag and reads again. */
const raised = (r: ReviewRecord): ReviewRecord => ({ ...r, changes: (r.changes ?? 0) + 1 });

/**
 * The accounthouder sends the application back with a note and a date. One transaction in the
 * round's partition: the application (ETag-guarded; status, snapshot), its review record when
 * there is one (ETag-guarded, its change count raised: a score or a closing at the same moment
 * makes one of them fail), the audit record and the applicant's message. The card carries the
 * revision: a second press or an old card finds it already sent back and sends nothing again.
 */
export async function requestChanges(
  deps: Deps,
  input: { actorId: string; roundId: string; applicationId: string; rev: number; note: string; dueDate: string; proposedBy?: string; compose: ChangeCompose },
): Promise<Result<{ application: Application; request: ChangeRequest }, ChangeRequestError>> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const found = await load(deps, input.actorId, input.roundId, input.applicationId);
    if (!found.ok) return found;
    const { app, round } = found.value;
    const bundle = await deps.repos.reviews.bundle(app.value.roundId, app.value.id);
    const now = deps.clock.now();
    const reviewDeadline = reviewDeadlineOf(bundle.review?.value, round.value.reviewDeadline);
    const view: ChangeRequestView = { application: app.value, reviewDeadline, days: changeDueDays(reviewDeadline, now) };
    if (app.value.status === 'changes_requested') return err({ code: 'ALREADY', view });
    if (!canRequestChanges(app.value.status)) return err({ code: 'NOT_REQUESTABLE', view });
    if (app.value.rev !== input.rev) return err({ code: 'STALE', view });
    if (view.days.latest <= view.days.earliest) return err({ code: 'TOO_LATE', view });
    const valid = validateChangeRequest({ note: input.note, dueDate: input.dueDate }, { reviewDeadline, now });
    if (!valid.ok) return err({ code: 'INVALID', view, errors: valid.error });
    if (bundle.review?.value.state === 'pending') return err({ code: 'BUSY', view });

    const at = now.toISOString();
    const id = createHash('sha256').update(`${app.value.id}|${at}|${input.actorId}`).digest('hex').slice(0, 8);
    const next = withChangesRequested(
      app.value,
      {
        id,
        note: valid.value.note,
        requestedBy: input.actorId,
        requestedAt: at,
        dueBy: valid.value.dueBy,
        ...(input.proposedBy ? { proposedBy: input.proposedBy } : {}),
      },
      now,
    );
    const audit = auditEvent(app.value.roundId, input.actorId, 'application.changes-requested', app.value.id, now, {
      reference: app.value.reference ?? '',
      dueBy: valid.value.dueBy,
      proposed: Boolean(input.proposedBy),
    });
    const outbox = [
      message(
        app.value.roundId,
        `change-${app.value.id}-${id}`,
        'change.applicant',
        { type: 'user', userId: app.value.applicantId },
        { card: input.compose.applicant(await localeOf(deps, app.value.applicantId), next) },
        at,
      ),
    ];
    const saved = bundle.review
      ? await deps.repos.reviews.transition(
          app.value.roundId,
          { current: bundle.review, next: raised(bundle.review.value) },
          { current: app, next },
          [audit],
          outbox,
        )
      : await deps.repos.applications.update(app, next, audit, outbox);
    if (saved.ok) return ok({ application: next, request: next.changeRequest! });
    // Someone else changed the application or its review (a score, the review closing): read again.
  }
  const again = await changeRequestForm(deps, input);
  return again.ok ? err({ code: 'STALE', view: again.value }) : again;
}

/**
 * A panel member proposes a change request: the note goes to every accounthouder (outbox, their
 * language) as a request card with the note filled in; nothing is sent to the applicant. Only from
 * the application's own review card, by a member who is not recused, while it is in review.
 * One transaction: the review record (raised), the application unchanged (ETag-guarded), the
 * audit record and the messages; the messages' ids come from the member and the note, so the
 * same proposal twice stores them once.
 */
export async function proposeChanges(
  deps: Deps,
  input: { actorId: string; roundId: string; applicationId: string; cardActivityId?: string; cardServiceUrl?: string; note: string; compose: ChangeCompose },
): Promise<
  Result<
    { ctx: ReviewContext; already: boolean },
    { code: 'NOT_FOUND' | 'WRONG_CARD' | 'NOT_ON_PANEL' | 'RECUSED' } | { code: 'NOTE_REQUIRED' | 'NOT_IN_REVIEW' | 'CONFLICT'; ctx: ReviewContext }
  >
> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const gate = await reviewForMember(deps, input);
    if (!gate.ok) return gate;
    const { ctx, viewer } = gate.value;
    if (viewer.kind === 'recused') return err({ code: 'RECUSED' });
    const text = readText(input.note, CHANGE_NOTE_LIMIT);
    if (text.error !== undefined || !text.value) return err({ code: 'NOTE_REQUIRED', ctx });
    if (!ctx.open || ctx.app.value.status !== 'in_review') return err({ code: 'NOT_IN_REVIEW', ctx });
    const review = ctx.bundle.review!;
    const app = ctx.app.value;
    const key = createHash('sha256').update(`${input.actorId}|${text.value}`).digest('hex').slice(0, 12);
    const already = (await deps.repos.outbox.list(app.roundId)).some((e) => e.id.startsWith(`${app.roundId}-changeprop-${app.id}-${key}-`));
    if (already) return ok({ ctx, already: true });
    const now = deps.clock.now();
    const at = now.toISOString();
    const view: ChangeRequestView = {
      application: app,
      reviewDeadline: reviewDeadlineOf(review.value, ctx.round.value.reviewDeadline),
      days: changeDueDays(reviewDeadlineOf(review.value, ctx.round.value.reviewDeadline), now),
    };
    const outbox: OutboxEntry[] = [];
    for (const userId of await accounthouderIds(deps)) {
      const lang = await localeOf(deps, userId);
      const role = changeMessages(lang).roles[viewer.member.role] ?? viewer.member.role;
      outbox.push(
        message(
          app.roundId,
          `changeprop-${app.id}-${key}-${userId}`,
          'change.proposal',
          { type: 'user', userId },
          { card: input.compose.proposal(lang, view, text.value, role) },
          at,
        ),
      );
    }
    const audit = auditEvent(app.roundId, input.actorId, 'application.changes-proposed', app.id, now, { reference: app.reference ?? '', to: outbox.length });
    const saved = await deps.repos.reviews.transition(
      app.roundId,
      { current: review, next: raised(review.value) },
      { current: ctx.app, next: app },
      [audit],
      outbox,
    );
    if (saved.ok) return ok({ ctx, already: false });
  }
  const gate = await reviewForMember(deps, input);
  return gate.ok ? err({ code: 'CONFLICT', ctx: gate.value.ctx }) : gate;
}

/** The fields that changed, by label, for a sentence ("Aanpak, Bedrag"). */
export function changedLabels(lang: Lang, request: ChangeRequest): string {
  return (request.changed ?? []).map((k) => fieldLabel(lang, k)).join(', ');
}

/**
 * The applicant sends the changed application back (the same submit button): back to in review
 * (or submitted, when its card was never posted), reference and counter untouched. One
 * transaction: the application, its review record (raised: the shared card and every member's
 * view are drawn again), the audit record and a message in every thread of the review card.
 */
export async function resubmitApplication(
  deps: Deps,
  current: Versioned<Application>,
  /** The application as it goes back (its registry links refreshed); `current` guards the write. */
  changed: Application,
  actorId: string,
): Promise<Result<Versioned<Application>, { code: 'CONFLICT' }>> {
  const bundle = await deps.repos.reviews.bundle(current.value.roundId, current.value.id);
  const review = bundle.review;
  const posted = review?.value.state === 'posted';
  const now = deps.clock.now();
  const at = now.toISOString();
  const next = resubmitted(changed, posted, now);
  const cr = next.changeRequest!;
  const audit = auditEvent(current.value.roundId, actorId, 'application.resubmitted', current.value.id, now, {
    reference: current.value.reference ?? '',
    changed: (cr.changed ?? []).length,
  });
  const t = changeMessages(CHANNEL_LANG);
  const fields = changedLabels(CHANNEL_LANG, cr);
  const text = fill(fields ? t.thread : t.threadNothing, { reference: current.value.reference ?? '', fields });
  const outbox = posted
    ? reviewThreads(review!.value).map((thread, i) =>
        message(
          current.value.roundId,
          `resubmit-${current.value.id}-${cr.id}-${i}`,
          'change.thread',
          {
            type: 'thread',
            serviceUrl: thread.serviceUrl,
            tenantId: review!.value.tenantId ?? '',
            botId: review!.value.botId ?? '',
            threadId: thread.threadId,
          },
          { text },
          at,
        ),
      )
    : [];
  const saved = review
    ? await deps.repos.reviews.transition(current.value.roundId, { current: review, next: raised(review.value) }, { current, next }, [audit], outbox)
    : await deps.repos.applications.update(current, next, audit);
  if (!saved.ok) return err({ code: 'CONFLICT' });
  const stored = await deps.repos.applications.get(current.value.roundId, current.value.id);
  return ok(stored ?? { value: next, etag: '' });
}

/**
 * The clock's part (every five minutes): a change request whose date passed without the
 * application coming back. As the card states: the review goes on with the application as it was
 * (the snapshot is put back), the accounthouders and the applicant are told. One transaction per
 * application, ETag-guarded: a resubmission at the same moment wins or this one does, never both.
 */
export async function expireChangeRequests(deps: Deps): Promise<{ roundId: string; applicationId: string }[]> {
  const done: { roundId: string; applicationId: string }[] = [];
  const now = deps.clock.now();
  for (const round of await deps.repos.rounds.list()) {
    if (round.status === 'draft') continue;
    for (const app of await deps.repos.applications.listByRound(round.id)) {
      if (!isOverdue(app.value, now)) continue;
      const bundle = await deps.repos.reviews.bundle(round.id, app.value.id);
      const review = bundle.review;
      const next = expired(app.value, review?.value.state === 'posted', now);
      const cr = app.value.changeRequest!;
      const at = now.toISOString();
      const audit = auditEvent(round.id, 'system', 'application.changes-expired', app.value.id, now, { reference: app.value.reference ?? '', dueBy: cr.dueBy });
      const outbox: OutboxEntry[] = [];
      for (const userId of new Set([...(await accounthouderIds(deps)), app.value.applicantId])) {
        const lang = await localeOf(deps, userId);
        const t = changeMessages(lang);
        const values = {
          reference: app.value.reference ?? '',
          due: formatDate(lang, new Date(Date.parse(cr.dueBy) - 1).toISOString()),
          requested: formatDate(lang, cr.requestedAt),
        };
        const text = fill(userId === app.value.applicantId ? t.expiredApplicant : t.expiredAccounthouder, values);
        outbox.push(message(round.id, `change-expired-${app.value.id}-${cr.id}-${userId}`, 'change.expired', { type: 'user', userId }, { text }, at));
      }
      const saved = review
        ? await deps.repos.reviews.transition(round.id, { current: review, next: raised(review.value) }, { current: app, next }, [audit], outbox)
        : await deps.repos.applications.update(app, next, audit, outbox);
      if (saved.ok) done.push({ roundId: round.id, applicationId: app.value.id });
    }
  }
  return done;
}
