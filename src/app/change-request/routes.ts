import { formLabels } from '../../cards/answers';
import type { Application as TeamsApp, TurnState } from '@microsoft/teams-ai';
import { z } from 'zod';
import { changeApplicantCard, changeDiffCard, changeRequestCard } from '../../cards/change-request-cards';
import { noticeCard } from '../../cards/notice';
import type { Card } from '../../cards/render';
import { reviewCard } from '../../cards/review-cards';
import { CHANGE_NOTE_LIMIT } from '../../domain/change-request';
import { fill, formatDate, messages } from '../../i18n';
import { changeMessages } from '../../i18n/change-request';
import type { Logger } from '../../log';
import type { Deps } from '../../usecases/deps';
import { loadReview, viewerIn } from '../../usecases/load-review';
import {
  ChangeCompose,
  ChangeRequestError,
  changeRequestForm,
  changeRequestFormByReference,
  proposeChanges,
  requestChanges,
} from '../../usecases/request-changes';
import { executor } from '../core/execute';
import { applicationId, input, rev, roundId } from '../core/schemas';
import { normaliseCommand, Turn } from '../core/turn';
import { VERBS } from '../core/verbs';
import type { ReviewPublisher } from '../proactive/review-publisher';

/** The card names which application at which revision, and carries the typed note and date; never who. */
const RequestPayload = z.object({ roundId, applicationId, rev, note: input(CHANGE_NOTE_LIMIT), dueDate: z.string().max(10).optional() });
const ProposePayload = z.object({ roundId, applicationId, changeNote: input(CHANGE_NOTE_LIMIT) });
const DiffPayload = z.object({ roundId, applicationId });
/** The list's button names only which application; who asks comes from the activity. */
const OpenPayload = z.object({ roundId, applicationId });

/** `aanvulling LB-2026-007`, `changes LB-2026-007` (the reference loses its dashes in `normaliseCommand`). */
const COMMAND = /^(?:aanvulling|aanvulling vragen|request changes|changes) ([a-z]{1,6}) (\d{4}) (\d{3,})$/;

export const changeCompose: ChangeCompose = {
  applicant: (lang, app) => changeApplicantCard(lang, app),
  proposal: (lang, view, note, role) => changeRequestCard(lang, view, { note, proposalRole: role }),
};

export interface ChangeChat {
  cardForText(turn: Turn, text: string): Promise<Card | undefined>;
}

/**
 * Change requests (aanvulling): the accounthouder's request card (command, or a panel member's
 * proposal in their chat), the panel member's proposal from the review card, and what changed.
 * `outboxChanged` wakes the dispatcher for the messages the writes stored.
 */
export function registerChangeRequestRoutes(
  app: TeamsApp<TurnState>,
  deps: Deps,
  log: Logger,
  publisher: ReviewPublisher,
  outboxChanged: () => void,
): ChangeChat {
  const execute = executor(app, log);

  function refusal(turn: Turn, e: ChangeRequestError, typed: { note?: string; dueDate?: string } = {}): Card {
    const t = changeMessages(turn.lang);
    switch (e.code) {
      case 'FORBIDDEN':
        return noticeCard(turn.lang, t.forbiddenTitle, t.forbidden);
      case 'NOT_FOUND':
        return noticeCard(turn.lang, t.notFoundTitle, t.notFound);
      case 'ALREADY':
        return changeRequestCard(turn.lang, e.view, {
          closed: true,
          noticeKind: 'info',
          notice: fill(t.already, { date: e.view.application.changeRequest ? formatDate(turn.lang, e.view.application.changeRequest.requestedAt) : '' }),
        });
      case 'NOT_REQUESTABLE':
        return changeRequestCard(turn.lang, e.view, {
          closed: true,
          notice: fill(t.notRequestable, { status: messages(turn.lang).status[e.view.application.status] }),
        });
      case 'TOO_LATE':
        return changeRequestCard(turn.lang, e.view, { closed: true, notice: fill(t.tooLate, { deadline: formatDate(turn.lang, e.view.reviewDeadline) }) });
      case 'STALE':
        return changeRequestCard(turn.lang, e.view, { ...typed, notice: t.stale });
      case 'BUSY':
        return changeRequestCard(turn.lang, e.view, { ...typed, notice: t.busy });
      case 'INVALID':
        return changeRequestCard(turn.lang, e.view, { ...typed, errors: e.errors });
    }
  }

  execute(VERBS.change.request, RequestPayload, async (turn, data) => {
    const typed = { note: data.note ?? '', dueDate: data.dueDate ?? '' };
    const res = await requestChanges(deps, {
      actorId: turn.userId,
      roundId: data.roundId,
      applicationId: data.applicationId,
      rev: data.rev,
      note: typed.note,
      dueDate: typed.dueDate,
      compose: changeCompose,
    });
    if (!res.ok) {
      log.info({ verb: VERBS.change.request, roundId: data.roundId, applicationId: data.applicationId, code: res.error.code }, 'change request refused');
      return refusal(turn, res.error, typed);
    }
    log.info({ verb: VERBS.change.request, roundId: data.roundId, applicationId: data.applicationId }, 'changes requested');
    outboxChanged();
    const ctx = await loadReview(deps, data.roundId, data.applicationId);
    if (ctx?.bundle.review?.value.state === 'posted') publisher.refreshSharedLater(ctx);
    const t = changeMessages(turn.lang);
    const application = res.value.application;
    return noticeCard(
      turn.lang,
      fill(t.requestTitle, { reference: application.reference ?? '' }),
      fill(t.sent, { reference: application.reference ?? '', due: formatDate(turn.lang, new Date(Date.parse(res.value.request.dueBy) - 1).toISOString()) }),
    );
  });

  // The list's button (`aanvragen`): the same card as the command, or why not (someone else, already sent back, no longer in review).
  execute(VERBS.change.open, OpenPayload, async (turn, data) => {
    const res = await changeRequestForm(deps, { actorId: turn.userId, roundId: data.roundId, applicationId: data.applicationId });
    if (!res.ok)
      log.info({ verb: VERBS.change.open, roundId: data.roundId, applicationId: data.applicationId, code: res.error.code }, 'change request card refused');
    return res.ok ? changeRequestCard(turn.lang, res.value) : refusal(turn, res.error);
  });

  execute(
    VERBS.change.propose,
    ProposePayload,
    async (turn, data) => {
      const t = changeMessages(turn.lang).review;
      const res = await proposeChanges(deps, {
        actorId: turn.userId,
        roundId: data.roundId,
        applicationId: data.applicationId,
        cardActivityId: turn.context.activity.replyToId,
        cardServiceUrl: turn.context.activity.serviceUrl,
        note: data.changeNote ?? '',
        compose: changeCompose,
      });
      if (res.ok) {
        if (!res.value.already) outboxChanged();
        log.info({ verb: VERBS.change.propose, roundId: data.roundId, applicationId: data.applicationId, already: res.value.already }, 'changes proposed');
        return reviewCard(turn.lang, res.value.ctx, viewerIn(res.value.ctx, turn.userId), { notice: t.proposed });
      }
      const e = res.error;
      log.info({ verb: VERBS.change.propose, roundId: data.roundId, code: e.code }, 'change proposal refused');
      const r = messages(turn.lang).review;
      if ('ctx' in e) {
        const notice = e.code === 'NOTE_REQUIRED' ? t.proposeRequired : e.code === 'NOT_IN_REVIEW' ? t.proposeNotNow : r.busy;
        return reviewCard(turn.lang, e.ctx, viewerIn(e.ctx, turn.userId), { notice });
      }
      if (e.code === 'RECUSED' || e.code === 'NOT_ON_PANEL') {
        const ctx = await loadReview(deps, data.roundId, data.applicationId);
        if (ctx) return reviewCard(turn.lang, ctx, viewerIn(ctx, turn.userId), { notice: e.code === 'RECUSED' ? r.recusedRefused : r.notOnPanel });
      }
      return noticeCard(turn.lang, messages(turn.lang).notices.badCardTitle, e.code === 'WRONG_CARD' ? r.wrongCard : r.unknownApplication);
    },
    { userSpecific: true },
  );

  // What changed: the same application texts anyone who can open the review card can read (like `review.read`).
  execute(
    VERBS.change.diff,
    DiffPayload,
    async (turn, data) => {
      const ctx = await loadReview(deps, data.roundId, data.applicationId);
      return ctx
        ? changeDiffCard(turn.lang, ctx.app.value, formLabels(turn.lang, ctx.round.value))
        : noticeCard(turn.lang, messages(turn.lang).notices.notFoundTitle, messages(turn.lang).notices.notFound);
    },
    { userSpecific: true },
  );

  return {
    async cardForText(turn, text) {
      const m = COMMAND.exec(normaliseCommand(text));
      if (!m) return undefined;
      const reference = `${m[1]!.toUpperCase()}-${m[2]}-${m[3]}`;
      const res = await changeRequestFormByReference(deps, { actorId: turn.userId, reference });
      return res.ok ? changeRequestCard(turn.lang, res.value) : refusal(turn, res.error);
    },
  };
}
