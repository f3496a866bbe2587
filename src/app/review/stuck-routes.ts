import type { Application as TeamsApp, TurnState } from '@microsoft/teams-ai';
import { z } from 'zod';
import { noticeCard } from '../../cards/notice';
import type { Card } from '../../cards/render';
import { stuckCard } from '../../cards/review-cards';
import { SETTLE_REASON_LIMIT } from '../../domain/review';
import { fill, formatDateTime, messages } from '../../i18n';
import type { Logger } from '../../log';
import { workingRound } from '../../usecases/admin-round';
import { extendReview, SettleError, settleReview, stuckReviews } from '../../usecases/close-review';
import type { Deps } from '../../usecases/deps';
import { isAccounthouder } from '../../usecases/roles';
import { executor } from '../core/execute';
import { ApplicationRef, roundId, withInputs } from '../core/schemas';
import { normaliseCommand, Turn } from '../core/turn';
import { VERBS } from '../core/verbs';
import { cardForRound, matchWithRound } from '../core/round-arg';
import type { ReviewPublisher } from '../proactive/review-publisher';

const Show = z.object({ roundId: roundId.optional() });
/** Each stuck review on the card has its own `day_<id>` and `reason_<id>` inputs; all are sent with every button. */
const Settle = withInputs(ApplicationRef, /^(day|reason)_[a-f0-9]{20}$/, SETTLE_REASON_LIMIT, 2 * 200);

export interface StuckChat {
  /** `vastgelopen` / `stuck` in the 1:1 chat: the card for an accounthouder, a refusal for others, undefined for other text. */
  cardForText(turn: Turn, text: string): Promise<Card | undefined>;
}

/** Stuck reviews: the accounthouder extends them or closes them with a stated reason. */
export function registerStuckRoutes(app: TeamsApp<TurnState>, deps: Deps, log: Logger, publisher: ReviewPublisher): StuckChat {
  const execute = executor(app, log);
  const refusal = (turn: Turn) => noticeCard(turn.lang, messages(turn.lang).notices.badCardTitle, messages(turn.lang).link.refused);

  async function card(turn: Turn, id?: string, notice?: string): Promise<Card> {
    const round = await workingRound(deps, id);
    if (!round) return noticeCard(turn.lang, messages(turn.lang).notices.noRoundTitle, messages(turn.lang).link.noRound);
    const items = await stuckReviews(deps, round.value.id);
    return stuckCard(turn.lang, { roundId: round.value.id, roundName: round.value.name, items, ...(notice ? { notice } : {}) });
  }

  function refused(turn: Turn, roundId: string, code: SettleError['code']): Promise<Card> | Card {
    const t = messages(turn.lang).stuck;
    log.warn({ code }, 'stuck review action refused');
    switch (code) {
      case 'FORBIDDEN':
        return refusal(turn);
      case 'DATE':
        return card(turn, roundId, t.dateError);
      case 'REASON_REQUIRED':
        return card(turn, roundId, t.reasonError);
      case 'NOT_FOUND':
      case 'NOT_STUCK':
      case 'CONFLICT':
        return card(turn, roundId, t.notStuck);
    }
  }

  execute(VERBS.review.stuck, Show, async (turn, data) => ((await isAccounthouder(deps, turn.userId)) ? card(turn, data.roundId) : refusal(turn)));

  execute(VERBS.review.extend, Settle, async (turn, data) => {
    const res = await extendReview(deps, {
      actorId: turn.userId,
      roundId: data.roundId,
      applicationId: data.applicationId,
      day: (data.inputs[`day_${data.applicationId}`] ?? '').trim(),
    });
    if (!res.ok) return refused(turn, data.roundId, res.error.code);
    publisher.refreshSharedLater(res.value);
    const deadline = res.value.bundle.review?.value.deadline ?? res.value.round.value.reviewDeadline;
    return card(
      turn,
      data.roundId,
      fill(messages(turn.lang).stuck.extended, { reference: res.value.app.value.reference ?? '', deadline: formatDateTime(turn.lang, deadline) }),
    );
  });

  execute(VERBS.review.settle, Settle, async (turn, data) => {
    const res = await settleReview(deps, {
      actorId: turn.userId,
      roundId: data.roundId,
      applicationId: data.applicationId,
      reason: data.inputs[`reason_${data.applicationId}`] ?? '',
    });
    if (!res.ok) return refused(turn, data.roundId, res.error.code);
    publisher.refreshSharedLater(res.value);
    return card(turn, data.roundId, fill(messages(turn.lang).stuck.settled, { reference: res.value.app.value.reference ?? '' }));
  });

  return {
    async cardForText(turn, text) {
      const found = matchWithRound(normaliseCommand(text), /^(vastgelopen|vastgelopen beoordelingen|stuck|stuck reviews)$/);
      if (!found) return undefined;
      if (!(await isAccounthouder(deps, turn.userId))) return refusal(turn);
      return cardForRound(deps, turn.lang, { arg: found.arg, command: 'vastgelopen', fallback: (d) => workingRound(d) }, (round) =>
        card(turn, round?.value.id),
      );
    },
  };
}
