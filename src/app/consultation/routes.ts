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
import { adminRound } from '../../usecases/admin-round';
import { decideProposal, publishConsultation, respondToConsultation, startConsultation } from '../../usecases/consultation';
import type { Deps } from '../../usecases/deps';
import { isAccounthouder } from '../../usecases/roles';
import { executor } from '../core/execute';
import { normaliseCommand, Turn } from '../core/turn';
import { VERBS } from '../core/verbs';

const roundId = z.string().regex(/^[A-Z]{1,6}-\d{4}$/);
const text = (max: number) => z.union([z.string(), z.number()]).transform(String).pipe(z.string().max(max)).optional();
const Show = z.object({ roundId: roundId.optional() }).passthrough();
const Start = z.object({ roundId, closesAt: text(20), inviteChannel: z.enum(['true', 'false']).optional(), invitePanel: z.enum(['true', 'false']).optional() });
/** Per criterion `verdict_<id>`, `title_<id>`, `description_<id>`, `weight_<id>`, `reason_<id>` inputs, plus a new criterion and a role. */
const Respond = z.object({ roundId, role: z.enum(CONSULTATION_ROLES).or(z.literal('')).optional() }).catchall(text(1100)).refine((d) => Object.keys(d).length <= 120, 'too many fields');
const Decide = z.object({ roundId, proposalId: z.string().max(200), accept: z.enum(['true', 'false']), replyField: z.string().regex(/^reply\d{1,3}$/) }).catchall(text(1100));
const Publish = z.object({ roundId });

export interface ConsultationChat {
  cardForText(turn: Turn, text: string): Promise<Card | undefined>;
}

/** The criteria consultation: the accounthouder starts, follows, decides and publishes; invited people respond. */
export function registerConsultationRoutes(app: TeamsApp<TurnState>, deps: Deps, log: Logger, enqueue: (entries: OutboxEntry[]) => Promise<void>): ConsultationChat {
  const execute = executor(app, log);
  const t = (turn: Turn) => messages(turn.lang).consult;
  const refusal = (turn: Turn) => noticeCard(turn.lang, messages(turn.lang).notices.badCardTitle, messages(turn.lang).link.refused);

  async function adminCard(turn: Turn, id?: string, view: Parameters<typeof consultationAdminCard>[4] = {}): Promise<Card> {
    const round = await adminRound(deps, id);
    if (!round) return noticeCard(turn.lang, messages(turn.lang).notices.noRoundTitle, messages(turn.lang).link.noRound);
    const [state, submitted] = await Promise.all([deps.repos.consultations.state(round.value.id), deps.repos.rounds.submissionCount(round.value.id)]);
    return consultationAdminCard(turn.lang, round.value, state, submitted > 0, view);
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
    if (!(await isAccounthouder(deps, turn.userId))) return refusal(turn);
    const round = await deps.repos.rounds.get(data.roundId);
    if (!round) return adminCard(turn);
    const day = data.closesAt ?? '';
    const closesAt = /^\d{4}-\d{2}-\d{2}$/.test(day) ? amsterdamInstant(day, '17:00') : '';
    const panel = data.invitePanel === 'true' ? await deps.repos.reviews.listPanel(round.value.id) : [];
    const channel = data.inviteChannel === 'true' ? round.value.routing.default : undefined;
    const res = await startConsultation(deps, {
      actorId: turn.userId,
      closesAt,
      invited: panel.map((m) => ({ userId: m.userId, name: m.name, role: m.role })),
      ...(channel ? { channel: { channelId: channel.channelId } } : {}),
    });
    if (!res.ok) {
      const e = res.error;
      log.warn({ verb: VERBS.consultation.start, code: e.code }, 'consultation not started');
      const note = e.code === 'FROZEN' ? t(turn).frozen : e.code === 'INVALID' ? `${t(turn).closesAt}: ${messages(turn.lang).errors.date}` : '';
      return adminCard(turn, data.roundId, note ? { notice: note, noticeColor: 'attention' } : {});
    }
    const c = res.value.consultation.value;
    const entries: OutboxEntry[] = [];
    for (const person of c.invited) {
      const lang = langFor((await deps.repos.conversations.get(person.userId))?.locale);
      entries.push(message(c, `invite-${person.userId}`, { type: 'user', userId: person.userId }, { card: consultationRespondCard(lang, c, { knownRole: person.role, now: deps.clock.now() }) }, c.startedAt));
    }
    if (channel) {
      entries.push(message(c, 'invite-channel', { type: 'channel', serviceUrl: channel.serviceUrl, tenantId: channel.tenantId, botId: channel.botId, channelId: channel.channelId }, { card: consultationRespondCard('nl', c, { now: deps.clock.now() }) }, c.startedAt));
    }
    await enqueue(entries);
    return adminCard(turn, data.roundId, { notice: t(turn).started, noticeColor: 'good' });
  });

  execute(VERBS.consultation.respond, Respond, async (turn, data) => {
    const state = await deps.repos.consultations.state(data.roundId);
    if (!state) return noticeCard(turn.lang, messages(turn.lang).notices.notFoundTitle, t(turn).none);
    const c = state.consultation.value;
    const field = (k: string) => ((data as Record<string, string | undefined>)[k] ?? '').trim();
    const perCriterion: Record<string, CriterionResponse> = {};
    for (const item of c.draft.items) {
      const verdict = field(`verdict_${item.id}`);
      if (verdict === 'endorse') perCriterion[item.id] = { kind: 'endorse' };
      else if (verdict === 'change') {
        const weight = field(`weight_${item.id}`);
        perCriterion[item.id] = {
          kind: 'change',
          change: { ...(field(`title_${item.id}`) ? { title: field(`title_${item.id}`) } : {}), ...(field(`description_${item.id}`) ? { description: field(`description_${item.id}`) } : {}), ...(weight ? { weight: Number(weight.replace(',', '.')) } : {}) },
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
      ...(addTitle ? { newCriterion: { title: addTitle, description: field('addDescription'), weight: Number(field('addWeight').replace(',', '.') || '1'), reason: field('addReason') } } : {}),
    });
    const invitedRole = c.invited.find((i) => i.userId === turn.userId)?.role;
    const now = deps.clock.now();
    if (res.ok) {
      const mine = res.value.responses.find((r) => r.value.userId === turn.userId)?.value;
      return consultationRespondCard(turn.lang, res.value.consultation.value, { notice: t(turn).thanks, noticeColor: 'good', ...(mine ? { response: mine } : {}), ...(invitedRole ? { knownRole: invitedRole } : {}), now });
    }
    const e = res.error;
    log.warn({ verb: VERBS.consultation.respond, code: e.code }, 'consultation response refused');
    const note = e.code === 'NOT_INVITED' ? t(turn).notInvited : e.code === 'CLOSED' || e.code === 'PUBLISHED' ? t(turn).closed : t(turn).invalid;
    const mine = state.responses.find((r) => r.value.userId === turn.userId)?.value;
    return consultationRespondCard(turn.lang, c, { notice: note, noticeColor: 'attention', ...(mine ? { response: mine } : {}), ...(invitedRole ? { knownRole: invitedRole } : {}), now });
  });

  execute(VERBS.consultation.decide, Decide, async (turn, data) => {
    const reply = String((data as Record<string, unknown>)[data.replyField] ?? '');
    const res = await decideProposal(deps, { actorId: turn.userId, roundId: data.roundId, proposalId: data.proposalId, accept: data.accept === 'true', reply });
    if (!res.ok) return res.error.code === 'FORBIDDEN' ? refusal(turn) : adminCard(turn, data.roundId, { notice: messages(turn.lang).notices.badCard, noticeColor: 'attention' });
    if (!res.value.already) {
      const c = res.value.state.consultation.value;
      const [, about] = data.proposalId.split('|');
      const title = c.draft.items.find((i) => i.id === about)?.title ?? t(turn).newProposals;
      const lang = langFor((await deps.repos.conversations.get(res.value.proposerId))?.locale);
      const d = res.value.state.decisions[data.proposalId]!;
      const tx = messages(lang).consult;
      await enqueue([message(c, `reply-${data.proposalId.replace(/[^A-Za-z0-9-]/g, '_')}`, { type: 'user', userId: res.value.proposerId }, { text: fill(tx.replyToProposer, { about: title, verdict: d.accepted ? tx.verdictAccepted : tx.verdictRejected, reply: d.reply }) }, d.decidedAt)]);
    }
    return adminCard(turn, data.roundId);
  });

  execute(VERBS.consultation.publish, Publish, async (turn, data) => {
    const res = await publishConsultation(deps, { actorId: turn.userId, roundId: data.roundId });
    if (!res.ok) {
      if (res.error.code === 'FORBIDDEN') return refusal(turn);
      return adminCard(turn, data.roundId, { notice: res.error.code === 'FROZEN' ? t(turn).frozen : messages(turn.lang).notices.stale, noticeColor: 'attention' });
    }
    const c = res.value.consultation.value;
    const round = (await deps.repos.rounds.get(data.roundId))?.value;
    const channel = round?.routing.default;
    if (channel && c.publishedAt) {
      const responded = res.value.responses.length;
      await enqueue([message(c, 'published-channel', { type: 'channel', serviceUrl: channel.serviceUrl, tenantId: channel.tenantId, botId: channel.botId, channelId: channel.channelId }, { text: fill(messages('nl').consult.channelPublished, { round: round.name, version: c.publishedVersion ?? '', responded }) }, c.publishedAt)]);
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
