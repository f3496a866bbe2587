import type { Application as TeamsApp, TurnState } from '@microsoft/teams-ai';
import { z } from 'zod';
import { consultationAdminCard, consultationRespondCard } from '../../cards/consultation-cards';
import { noticeCard } from '../../cards/notice';
import type { Card } from '../../cards/render';
import { CONSULTATION_ROLES, CriterionResponse } from '../../domain/consultation';
import { amsterdamInstant } from '../../domain/round-settings';
import { fill, langFor, messages } from '../../i18n';
import type { Logger } from '../../log';
import type { Consultation } from '../../domain/consultation';
import type { OutboxEntry } from '../../domain/outbox';
import {
  consultationInvitees,
  consultationOverview,
  consultationState,
  decideProposal,
  publishConsultation,
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

const Show = z.object({ roundId: roundId.optional() });
const Start = z.object({ roundId, closesAt: input(10), inviteChannel: flag.optional(), invitePanel: flag.optional() });
/** Per criterion `verdict_<id>`, `title_<id>`, `description_<id>`, `weight_<id>`, `reason_<id>` inputs, plus a new criterion (`add…`) and a role. */
const RESPONSE_INPUT = /^((verdict|title|description|weight|reason)_[a-z0-9-]{1,60}|addTitle|addDescription|addWeight|addReason)$/;
const Respond = withInputs(
  z.object({ roundId, role: z.enum(CONSULTATION_ROLES).or(z.literal('')).optional() }),
  RESPONSE_INPUT,
  CRITERIA_LIMITS.description,
  5 * (CRITERIA_LIMITS.maxCount + 1),
);
const Decide = withInputs(
  z.object({ roundId, proposalId: z.string().max(200), accept: flag, replyField: z.string().regex(/^reply\d{1,3}$/) }),
  /^reply\d{1,3}$/,
  CRITERIA_LIMITS.description,
  200,
);
const Publish = z.object({ roundId });

export interface ConsultationChat {
  cardForText(turn: Turn, text: string): Promise<Card | undefined>;
}

/** The criteria consultation: the accounthouder starts, follows, decides and publishes; invited people respond. */
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
    return consultationAdminCard(turn.lang, o.round.value, o.state, o.submitted, view);
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
    const invitees = await consultationInvitees(deps, { invitePanel: data.invitePanel === 'true', inviteChannel: data.inviteChannel === 'true' });
    const res = await startConsultation(deps, { actorId: turn.userId, closesAt, ...invitees });
    if (!res.ok) {
      if (res.error.code === 'FORBIDDEN') return refusal(turn);
      const e = res.error;
      log.warn({ verb: VERBS.consultation.start, code: e.code }, 'consultation not started');
      const note = e.code === 'FROZEN' ? t(turn).frozen : e.code === 'INVALID' ? `${t(turn).closesAt}: ${messages(turn.lang).errors.date}` : '';
      return adminCard(turn, data.roundId, note ? { notice: note, noticeColor: 'attention' } : {});
    }
    const c = res.value.consultation.value;
    const round = await roundOf(deps, c.roundId);
    const channel = c.channel && round?.value.routing.default;
    const entries: OutboxEntry[] = [];
    for (const person of c.invited) {
      const lang = langFor(await localeOf(deps, person.userId));
      entries.push(
        message(
          c,
          `invite-${person.userId}`,
          { type: 'user', userId: person.userId },
          { card: consultationRespondCard(lang, c, { knownRole: person.role, now: deps.clock.now() }) },
          c.startedAt,
        ),
      );
    }
    if (channel) {
      entries.push(
        message(
          c,
          'invite-channel',
          { type: 'channel', serviceUrl: channel.serviceUrl, tenantId: channel.tenantId, botId: channel.botId, channelId: channel.channelId },
          { card: consultationRespondCard('nl', c, { now: deps.clock.now() }) },
          c.startedAt,
        ),
      );
    }
    await enqueue(entries);
    return adminCard(turn, data.roundId, { notice: t(turn).started, noticeColor: 'good' });
  });

  execute(VERBS.consultation.respond, Respond, async (turn, data) => {
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
    const channelData = turn.context.activity.channelData ?? {};
    const res = await respondToConsultation(deps, {
      actorId: turn.userId,
      roundId: data.roundId,
      channelId: channelData.channel?.id ?? turn.context.activity.conversation.id.split(';')[0],
      ...(data.role ? { chosenRole: data.role } : {}),
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
    const invitedRole = c.invited.find((i) => i.userId === turn.userId)?.role;
    const now = deps.clock.now();
    if (res.ok) {
      const mine = res.value.responses.find((r) => r.value.userId === turn.userId)?.value;
      return consultationRespondCard(turn.lang, res.value.consultation.value, {
        notice: t(turn).thanks,
        noticeColor: 'good',
        ...(mine ? { response: mine } : {}),
        ...(invitedRole ? { knownRole: invitedRole } : {}),
        now,
      });
    }
    const e = res.error;
    log.warn({ verb: VERBS.consultation.respond, code: e.code }, 'consultation response refused');
    const note = e.code === 'NOT_INVITED' ? t(turn).notInvited : e.code === 'CLOSED' || e.code === 'PUBLISHED' ? t(turn).closed : t(turn).invalid;
    const mine = state.responses.find((r) => r.value.userId === turn.userId)?.value;
    return consultationRespondCard(turn.lang, c, {
      notice: note,
      noticeColor: 'attention',
      ...(mine ? { response: mine } : {}),
      ...(invitedRole ? { knownRole: invitedRole } : {}),
      now,
    });
  });

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
          { text: fill(messages('nl').consult.channelPublished, { round: round.name, version: c.publishedVersion ?? '', responded }) },
          c.publishedAt,
        ),
      ]);
    }
    return adminCard(turn, data.roundId, { notice: fill(t(turn).published, { version: c.publishedVersion ?? '' }), noticeColor: 'good' });
  });

  return {
    async cardForText(turn, input) {
      if (!/^(raadpleging|raadplegen|consultation|consult)$/.test(normaliseCommand(input))) return undefined;
      return (await isAccounthouder(deps, turn.userId)) ? adminCard(turn) : refusal(turn);
    },
  };
}
