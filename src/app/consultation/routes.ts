import type { Application as TeamsApp, TurnState } from '@microsoft/teams-ai';
import { z } from 'zod';
import { consultationAdminCard, consultationInviteCard, consultationRespondCard } from '../../cards/consultation-cards';
import { noticeCard } from '../../cards/notice';
import type { Card } from '../../cards/render';
import { CONSULTATION_AUDIENCES, CriterionResponse } from '../../domain/consultation';
import { amsterdamInstant } from '../../domain/round-settings';
import { fill, langFor, messages, plural } from '../../i18n';
import type { Logger } from '../../log';
import type { Consultation } from '../../domain/consultation';
import type { OutboxEntry } from '../../domain/outbox';
import {
  ComposeInvitation,
  consultationForRespondent,
  consultationInvitees,
  consultationOverview,
  consultationState,
  decideProposal,
  publishConsultation,
  queueInvitations,
  respondToConsultation,
  startConsultation,
} from '../../usecases/consultation';
import { localeOf } from '../../usecases/conversations';
import { roundOf } from '../../usecases/current-round';
import { CRITERIA_LIMITS } from '../../domain/criteria-edit';
import { flag, input, roundId, withInputs } from '../core/schemas';
import type { Deps } from '../../usecases/deps';
import { isAccounthouder } from '../../usecases/roles';
import { executor } from '../core/execute';
import { normaliseCommand, Turn } from '../core/turn';
import { VERBS } from '../core/verbs';
import { cardForRound, matchWithRound } from '../core/round-arg';
import { adminRound, criteriaFrozen } from '../../usecases/admin-round';
import type { Round } from '../../domain/round';

/** A consultation can still start or be decided on a round whose criteria are not frozen (no submission yet). */
const openToConsultation = async (deps: Deps, round: Round) => !(await criteriaFrozen(deps, round));
const Show = z.object({ roundId: roundId.optional() });
/** `audience` is on every start card since invitations go to everyone the bot knows; a card without it is from before and is answered with the current one. */
const Start = z.object({ roundId, closesAt: input(10), inviteChannel: flag.optional(), audience: z.enum(CONSULTATION_AUDIENCES).optional() });
const Open = z.object({ roundId });
/** Per criterion `verdict_<id>`, `title_<id>`, `description_<id>`, `weight_<id>`, `reason_<id>` inputs, plus a new criterion (`add…`). No role: that comes from the store. */
const RESPONSE_INPUT = /^((verdict|title|description|weight|reason)_[a-z0-9-]{1,60}|addTitle|addDescription|addWeight|addReason)$/;
const Respond = withInputs(z.object({ roundId }), RESPONSE_INPUT, CRITERIA_LIMITS.description, 5 * (CRITERIA_LIMITS.maxCount + 1));
const Decide = withInputs(
  z.object({ roundId, proposalId: z.string().max(200), accept: flag, replyField: z.string().regex(/^reply\d{1,3}$/) }),
  /^reply\d{1,3}$/,
  CRITERIA_LIMITS.description,
  200,
);
const Publish = z.object({ roundId });

/** The invitation is short (a button opens the respond card): thousands of them fit the outbox's batches easily. */
const composeInvitation: ComposeInvitation = ({ consultation, lang }) => ({ card: consultationInviteCard(lang, consultation) });

export interface ConsultationChat {
  cardForText(turn: Turn, text: string): Promise<Card | undefined>;
}

/** The criteria consultation: the accounthouder starts, follows, decides and publishes; anyone responds, in the role the store gives them. */
export function registerConsultationRoutes(
  app: TeamsApp<TurnState>,
  deps: Deps,
  log: Logger,
  enqueue: (entries: OutboxEntry[]) => Promise<void>,
): ConsultationChat {
  const execute = executor(app, log);
  const t = (turn: Turn) => messages(turn.lang).consult;
  const refusal = (turn: Turn) => noticeCard(turn.lang, messages(turn.lang).notices.badCardTitle, messages(turn.lang).link.refused);

  async function adminCard(turn: Turn, id?: string, view: Parameters<typeof consultationAdminCard>[4] = {}): Promise<Card> {
    const o = await consultationOverview(deps, id);
    if (!o) return noticeCard(turn.lang, messages(turn.lang).notices.noRoundTitle, messages(turn.lang).link.noRound);
    const c = o.state?.consultation.value;
    // Invitations not yet all stored (a crash during the start): store them now; nothing is stored twice.
    if (c && c.status === 'open' && !c.invitationsQueuedAt) await queueInvitations(deps, { roundId: c.roundId, compose: composeInvitation, enqueue });
    return consultationAdminCard(turn.lang, o.round.value, o.state, o.submitted, view);
  }

  async function respondCard(
    turn: Turn,
    roundId: string,
    view: Omit<Parameters<typeof consultationRespondCard>[2], 'now' | 'response' | 'role'>,
  ): Promise<Card> {
    const found = await consultationForRespondent(deps, { actorId: turn.userId, roundId });
    if (!found.ok) return noticeCard(turn.lang, messages(turn.lang).notices.notFoundTitle, t(turn).none);
    const { consultation, response, role } = found.value;
    return consultationRespondCard(turn.lang, consultation, { ...view, ...(response ? { response } : {}), role, now: deps.clock.now() });
  }

  const message = (c: Consultation, id: string, target: OutboxEntry['target'], body: { card?: object; text?: string }, at: string): OutboxEntry => ({
    id: `${c.roundId}-${id}`,
    roundId: c.roundId,
    kind: `consultation.${id.split('-')[0]}`,
    target,
    ...body,
    state: 'pending',
    attempts: 0,
    notBefore: at,
    createdAt: at,
  });

  execute(VERBS.consultation.show, Show, async (turn, data) => ((await isAccounthouder(deps, turn.userId)) ? adminCard(turn, data.roundId) : refusal(turn)));

  execute(VERBS.consultation.start, Start, async (turn, data) => {
    const day = data.closesAt ?? '';
    const closesAt = /^\d{4}-\d{2}-\d{2}$/.test(day) ? amsterdamInstant(day, '17:00') : '';
    if (!(await isAccounthouder(deps, turn.userId))) return refusal(turn);
    if (!data.audience) return adminCard(turn, data.roundId, { notice: t(turn).oldCard, noticeColor: 'attention' });
    const invitees = await consultationInvitees(deps, {
      actorId: turn.userId,
      roundId: data.roundId,
      audience: data.audience,
      inviteChannel: data.inviteChannel === 'true',
    });
    if (!invitees.ok) return invitees.error.code === 'FORBIDDEN' ? refusal(turn) : adminCard(turn, data.roundId);
    const res = await startConsultation(deps, { actorId: turn.userId, roundId: data.roundId, closesAt, ...invitees.value });
    if (!res.ok) {
      if (res.error.code === 'FORBIDDEN') return refusal(turn);
      const e = res.error;
      log.warn({ verb: VERBS.consultation.start, code: e.code }, 'consultation not started');
      const note =
        e.code === 'FROZEN'
          ? t(turn).frozen
          : e.code === 'INVALID'
            ? e.field === 'invited'
              ? t(turn).nobody
              : `${t(turn).closesAt}: ${messages(turn.lang).errors.date}`
            : '';
      return adminCard(turn, data.roundId, note ? { notice: note, noticeColor: 'attention' } : {});
    }
    const queued = await queueInvitations(deps, { roundId: res.value.consultation.value.roundId, compose: composeInvitation, enqueue });
    const c = res.value.consultation.value;
    log.info(
      { verb: VERBS.consultation.start, roundId: c.roundId, invited: c.invited.length, channel: Boolean(c.channel), ...c.notReached, messages: queued.queued },
      'consultation started',
    );
    return adminCard(turn, data.roundId, { started: true });
  });

  // The invitation's and the welcome card's button: the respond card for whoever presses it.
  execute(VERBS.consultation.open, Open, (turn, data) => respondCard(turn, data.roundId, {}), { userSpecific: true });

  execute(
    VERBS.consultation.respond,
    Respond,
    async (turn, data) => {
      const state = await consultationState(deps, data.roundId);
      if (!state) return noticeCard(turn.lang, messages(turn.lang).notices.notFoundTitle, t(turn).none);
      const c = state.consultation.value;
      const field = (k: string) => (data.inputs[k] ?? '').trim();
      const perCriterion: Record<string, CriterionResponse> = {};
      for (const item of c.draft.items) {
        const verdict = field(`verdict_${item.id}`);
        if (verdict === 'endorse') perCriterion[item.id] = { kind: 'endorse' };
        else if (verdict === 'change') {
          const weight = field(`weight_${item.id}`);
          perCriterion[item.id] = {
            kind: 'change',
            change: {
              ...(field(`title_${item.id}`) ? { title: field(`title_${item.id}`) } : {}),
              ...(field(`description_${item.id}`) ? { description: field(`description_${item.id}`) } : {}),
              ...(weight ? { weight: Number(weight.replace(',', '.')) } : {}),
            },
            reason: field(`reason_${item.id}`),
          };
        }
      }
      const addTitle = field('addTitle');
      const res = await respondToConsultation(deps, {
        actorId: turn.userId,
        roundId: data.roundId,
        perCriterion,
        ...(addTitle
          ? {
              newCriterion: {
                title: addTitle,
                description: field('addDescription'),
                weight: Number(field('addWeight').replace(',', '.') || '1'),
                reason: field('addReason'),
              },
            }
          : {}),
      });
      if (res.ok) {
        const mine = res.value.responses.find((r) => r.value.userId === turn.userId)?.value;
        return consultationRespondCard(turn.lang, res.value.consultation.value, {
          notice: t(turn).thanks,
          noticeColor: 'accent',
          ...(mine ? { response: mine, role: mine.role } : {}),
          now: deps.clock.now(),
        });
      }
      const e = res.error;
      log.warn({ verb: VERBS.consultation.respond, code: e.code }, 'consultation response refused');
      const note = e.code === 'CLOSED' || e.code === 'PUBLISHED' ? t(turn).closed : t(turn).invalid;
      return respondCard(turn, data.roundId, { notice: note, noticeColor: 'attention' });
    },
    { userSpecific: true },
  );

  execute(VERBS.consultation.decide, Decide, async (turn, data) => {
    const reply = data.inputs[data.replyField] ?? '';
    const res = await decideProposal(deps, { actorId: turn.userId, roundId: data.roundId, proposalId: data.proposalId, accept: data.accept === 'true', reply });
    if (!res.ok)
      return res.error.code === 'FORBIDDEN'
        ? refusal(turn)
        : adminCard(turn, data.roundId, { notice: messages(turn.lang).notices.badCard, noticeColor: 'attention' });
    if (!res.value.already) {
      const c = res.value.state.consultation.value;
      const [, about] = data.proposalId.split('|');
      const title = c.draft.items.find((i) => i.id === about)?.title ?? t(turn).newProposals;
      const lang = langFor(await localeOf(deps, res.value.proposerId));
      const d = res.value.state.decisions[data.proposalId]!;
      const tx = messages(lang).consult;
      await enqueue([
        message(
          c,
          `reply-${data.proposalId.replace(/[^A-Za-z0-9-]/g, '_')}`,
          { type: 'user', userId: res.value.proposerId },
          { text: fill(tx.replyToProposer, { about: title, verdict: d.accepted ? tx.verdictAccepted : tx.verdictRejected, reply: d.reply }) },
          d.decidedAt,
        ),
      ]);
    }
    return adminCard(turn, data.roundId);
  });

  execute(VERBS.consultation.publish, Publish, async (turn, data) => {
    const res = await publishConsultation(deps, { actorId: turn.userId, roundId: data.roundId });
    if (!res.ok) {
      if (res.error.code === 'FORBIDDEN') return refusal(turn);
      return adminCard(turn, data.roundId, {
        notice: res.error.code === 'FROZEN' ? t(turn).frozen : messages(turn.lang).notices.stale,
        noticeColor: 'attention',
      });
    }
    const c = res.value.consultation.value;
    const round = (await roundOf(deps, data.roundId))?.value;
    const channel = round?.routing.default;
    if (channel && c.publishedAt) {
      const responded = res.value.responses.length;
      await enqueue([
        message(
          c,
          'published-channel',
          { type: 'channel', serviceUrl: channel.serviceUrl, tenantId: channel.tenantId, botId: channel.botId, channelId: channel.channelId },
          { text: fill(plural('nl', responded, messages('nl').consult.channelPublished), { round: round.name, version: c.publishedVersion ?? '' }) },
          c.publishedAt,
        ),
      ]);
    }
    return adminCard(turn, data.roundId, { notice: fill(t(turn).published, { version: c.publishedVersion ?? '' }), noticeColor: 'accent' });
  });

  return {
    async cardForText(turn, input) {
      const found = matchWithRound(normaliseCommand(input), /^(raadpleging|raadplegen|consultation|consult)$/);
      if (!found) return undefined;
      if (!(await isAccounthouder(deps, turn.userId))) return refusal(turn);
      return cardForRound(deps, turn.lang, { arg: found.arg, command: 'raadpleging', fallback: (d) => adminRound(d), relevant: openToConsultation }, (round) =>
        adminCard(turn, round?.value.id),
      );
    },
  };
}
