import type { Application as TeamsApp, TurnState } from '@microsoft/teams-ai';
import { TeamsInfo, TurnContext } from 'botbuilder';
import { z } from 'zod';
import { noticeCard } from '../../cards/notice';
import type { Card } from '../../cards/render';
import { applicationReadCard, othersCard, panelCard, questionCard, reviewCard } from '../../cards/review-cards';
import { CONFLICT_NOTE_LIMIT, PANEL_ROLES } from '../../domain/panel';
import { LIMITS } from '../../domain/validation';
import { ANSWER_LIMIT, QUESTION_LIMIT } from '../../domain/review';
import { COMMENT_LIMIT, OVERALL_LIMIT, SHEET_INPUT } from '../../domain/scoring';
import { CRITERIA_LIMITS } from '../../domain/criteria-edit';
import { ApplicationRef, entraId, flag, input, page, roundId, withInputs } from '../core/schemas';
import { fill, langFor, messages, plural, type Plural } from '../../i18n';
import type { Logger } from '../../log';
import type { Deps } from '../../usecases/deps';
import { linkReviewChannel } from '../../usecases/link-review-channel';
import { reviewToRepost } from '../../usecases/repost-review';
import { importTeamRoster } from '../proactive/roster';
import { loadReview, othersForMember, viewerIn } from '../../usecases/load-review';
import { addPanelMember, panelOverview, removePanelMember } from '../../usecases/manage-panel';
import { channelRound, roundToLink } from '../../usecases/channel-round';
import { roundMessages } from '../../i18n/rounds';
import type { Round } from '../../domain/round';
import { answerQuestion, askQuestion } from '../../usecases/questions';
import { addAccounthouder, isAccounthouder } from '../../usecases/roles';
import { scoreApplication } from '../../usecases/score-application';
import { declareConflict } from '../../usecases/declare-conflict';
import { executor } from '../core/execute';
import type { Notifier } from '../proactive/notifier';
import type { ReviewPublisher } from '../proactive/review-publisher';
import { errorFacts, sendCard, Turn } from '../core/turn';
import { VERBS } from '../core/verbs';

const ReviewRef = ApplicationRef;
const OthersPayload = ReviewRef.extend({ page });
/** Scores and comments arrive as `score_<criterion>` / `comment_<criterion>` / `overall` inputs next to the card's own data. */
const ScorePayload = withInputs(ReviewRef, SHEET_INPUT, Math.max(COMMENT_LIMIT, OVERALL_LIMIT), 2 * CRITERIA_LIMITS.maxCount + 1);
const ConflictPayload = ReviewRef.extend({ conflictNote: input(CONFLICT_NOTE_LIMIT) });
const AskPayload = ReviewRef.extend({ question: input(QUESTION_LIMIT) });
const AnswerPayload = ReviewRef.extend({ questionId: z.string().regex(/^[a-f0-9]{8}$/), answer: input(ANSWER_LIMIT) });
const panelRound = z
  .union([roundId, z.literal('')])
  .optional()
  .transform((v) => v || undefined);
const PanelAdd = z.object({
  person: entraId.optional().or(z.literal('')),
  role: z.enum(PANEL_ROLES),
  organisation: input(LIMITS.short),
  accounthouder: flag.optional(),
  /** The round the panel card was drawn from (absent on older cards: the channel's round). */
  roundId: panelRound,
});
const PanelRemove = z.object({ userId: entraId, roundId: panelRound });

export interface ChannelChat {
  /** A message that @mentions the bot in a team channel or group chat. */
  onMessage(context: TurnContext, turn: Turn, text: string): Promise<void>;
}

/** The review channel: linking, the panel card, per-user review cards, questions to applicants. */
/** `outboxChanged`: a review that got stuck stored messages for the accounthouders; the dispatcher sends them now. */
export function registerReviewRoutes(
  app: TeamsApp<TurnState>,
  deps: Deps,
  log: Logger,
  notifier: Notifier,
  publisher: ReviewPublisher,
  outboxChanged: () => void = () => undefined,
): ChannelChat {
  const execute = executor(app, log);

  const notice = (turn: Turn, text: string) => noticeCard(turn.lang, messages(turn.lang).notices.badCardTitle, text);

  /** The card of this review as this person may see it. */
  async function viewFor(turn: Turn, ids: { roundId: string; applicationId: string }, note?: string): Promise<Card> {
    const ctx = await loadReview(deps, ids.roundId, ids.applicationId);
    if (!ctx) return notice(turn, messages(turn.lang).review.unknownApplication);
    return reviewCard(turn.lang, ctx, viewerIn(ctx, turn.userId), note ? { notice: note } : {});
  }

  /**
   * The refusals every panel action on a review card can meet, as the person sees them: the card
   * again with why (nothing was saved), or a notice when the card itself is wrong.
   */
  function panelRefusal(
    turn: Turn,
    ids: { roundId: string; applicationId: string },
    code: 'NOT_FOUND' | 'WRONG_CARD' | 'NOT_ON_PANEL' | 'RECUSED' | 'CLOSED',
  ): Promise<Card> | Card {
    const t = messages(turn.lang).review;
    switch (code) {
      case 'CLOSED':
        return viewFor(turn, ids, t.closed);
      case 'NOT_ON_PANEL':
        return viewFor(turn, ids, t.notOnPanel);
      case 'RECUSED':
        return viewFor(turn, ids, t.recusedRefused);
      case 'WRONG_CARD':
        return notice(turn, t.wrongCard);
      case 'NOT_FOUND':
        // The card names a round and application that do not go together (or no longer exist): not "not yours".
        return notice(turn, t.unknownApplication);
    }
  }

  execute(VERBS.review.refresh, ReviewRef, (turn, data) => viewFor(turn, data), { userSpecific: true });

  // The others' scores, on a card of their own (a full panel does not fit next to the form): only for a member whose sheet counts.
  execute(
    VERBS.review.others,
    OthersPayload,
    async (turn, data) => {
      const t = messages(turn.lang).review;
      const res = await othersForMember(deps, { actorId: turn.userId, roundId: data.roundId, applicationId: data.applicationId });
      if (res.ok) return othersCard(turn.lang, res.value.ctx, res.value.viewer, data.page);
      const e = res.error;
      log.info({ verb: VERBS.review.others, code: e.code }, 'others scores refused');
      if (e.code === 'NOT_FOUND') return notice(turn, messages(turn.lang).notices.notFound);
      return reviewCard(turn.lang, e.ctx, viewerIn(e.ctx, turn.userId), { notice: e.code === 'NOT_YET' ? t.othersNotYet : t.notOnPanel });
    },
    { userSpecific: true },
  );

  // The whole application and the criteria, when the review card can show only part of them.
  execute(
    VERBS.review.read,
    ReviewRef,
    async (turn, data) => {
      const ctx = await loadReview(deps, data.roundId, data.applicationId);
      return ctx ? applicationReadCard(turn.lang, ctx) : notice(turn, messages(turn.lang).notices.notFound);
    },
    { userSpecific: true },
  );

  execute(
    VERBS.review.score,
    ScorePayload,
    async (turn, data) => {
      const t = messages(turn.lang).review;
      const raw = data.inputs;
      const res = await scoreApplication(deps, {
        roundId: data.roundId,
        applicationId: data.applicationId,
        actorId: turn.userId,
        cardActivityId: turn.context.activity.replyToId,
        cardServiceUrl: turn.context.activity.serviceUrl,
        raw,
      });
      if (res.ok) {
        publisher.refreshSharedLater(res.value.ctx);
        if (res.value.ctx.bundle.review?.value.stuckAt) outboxChanged();
        return reviewCard(turn.lang, res.value.ctx, res.value.viewer, { notice: t.saved });
      }
      const e = res.error;
      log.warn({ verb: VERBS.review.score, code: e.code, roundId: data.roundId, applicationId: data.applicationId }, 'score refused');
      switch (e.code) {
        case 'INVALID':
          return reviewCard(turn.lang, e.ctx, e.viewer, { raw, errors: e.errors });
        case 'CONFLICT':
          return viewFor(turn, data, t.conflict);
        case 'BUSY':
          // Nothing was saved: the form comes back with what they typed.
          return reviewCard(turn.lang, e.ctx, e.viewer, { raw, notice: t.busy });
        case 'UNKNOWN_CRITERION':
          return panelRefusal(turn, data, 'WRONG_CARD');
        default:
          return panelRefusal(turn, data, e.code);
      }
    },
    { userSpecific: true },
  );

  execute(
    VERBS.review.conflict,
    ConflictPayload,
    async (turn, data) => {
      const t = messages(turn.lang).review;
      const res = await declareConflict(deps, {
        roundId: data.roundId,
        applicationId: data.applicationId,
        actorId: turn.userId,
        cardActivityId: turn.context.activity.replyToId,
        cardServiceUrl: turn.context.activity.serviceUrl,
        note: data.conflictNote ?? '',
      });
      if (res.ok) {
        publisher.refreshSharedLater(res.value.ctx);
        if (res.value.ctx.bundle.review?.value.stuckAt) outboxChanged();
        return reviewCard(turn.lang, res.value.ctx, viewerIn(res.value.ctx, turn.userId));
      }
      const code = res.error.code;
      log.warn({ verb: VERBS.review.conflict, code }, 'conflict declaration refused');
      if (code === 'NOTE_REQUIRED') return viewFor(turn, data, t.conflictRequired);
      return code === 'CONFLICT' ? viewFor(turn, data, t.busy) : panelRefusal(turn, data, code);
    },
    { userSpecific: true },
  );

  execute(
    VERBS.review.ask,
    AskPayload,
    async (turn, data) => {
      const t = messages(turn.lang).review;
      const res = await askQuestion(deps, {
        roundId: data.roundId,
        applicationId: data.applicationId,
        actorId: turn.userId,
        cardActivityId: turn.context.activity.replyToId,
        cardServiceUrl: turn.context.activity.serviceUrl,
        text: data.question ?? '',
      });
      if (!res.ok) {
        const code = res.error.code;
        log.warn({ verb: VERBS.review.ask, code }, 'question refused');
        return code === 'TEXT_REQUIRED' ? viewFor(turn, data, t.questionRequired) : panelRefusal(turn, data, code);
      }
      const { question, application } = res.value;
      const applicantLang = langFor(await notifier.localeOf(application.applicantId));
      const delivered = await notifier.sendToUser(application.applicantId, questionCard(applicantLang, application, question));
      return viewFor(turn, data, delivered ? t.asked : t.askFailed);
    },
    { userSpecific: true },
  );

  execute(VERBS.review.answer, AnswerPayload, async (turn, data) => {
    const t = messages(turn.lang).question;
    const res = await answerQuestion(deps, {
      roundId: data.roundId,
      applicationId: data.applicationId,
      questionId: data.questionId,
      actorId: turn.userId,
      answer: data.answer ?? '',
    });
    if (!res.ok) {
      const e = res.error;
      return e.code === 'NOT_FOUND'
        ? notice(turn, messages(turn.lang).notices.notFound)
        : questionCard(turn.lang, e.application, e.question, t.required, 'attention');
    }
    const { question, application, already } = res.value;
    if (!already) {
      const ctx = await loadReview(deps, data.roundId, data.applicationId);
      if (ctx) await publisher.replyInThread(ctx, fill(messages('nl').review.answerPosted, { question: question.text, answer: question.answer ?? '' }));
    }
    return questionCard(turn.lang, application, question, already ? t.already : t.sent);
  });

  /** The panel card of the round named (the card's, or typed), else of the channel's round; or why not. */
  async function panelView(context: TurnContext, turn: Turn, note?: string, named?: string): Promise<Card> {
    const channelId = context.activity.channelData?.channel?.id ?? context.activity.conversation.id.split(';')[0]!;
    const which = await channelRound(deps, { channelId, ...(named ? { roundId: named } : {}) });
    const r = roundMessages(turn.lang);
    if (which.kind === 'not-found') return notice(turn, fill(r.channel.notFound, { id: named ?? '' }));
    if (which.kind === 'choose') return notice(turn, roundsText(turn, r.channel.panelWhich, which.rounds));
    const [overview, candidates] = await Promise.all([which.kind === 'round' ? panelOverview(deps, which.round.value.id) : undefined, teamMembers(context)]);
    if (!overview) return notice(turn, messages(turn.lang).link.noRound);
    return panelCard(turn.lang, {
      ...overview,
      candidates: candidates.map((c) => ({ userId: c.aadObjectId, name: c.name })),
      ...(note ? { notice: note } : {}),
    });
  }

  execute(VERBS.review.panelAdd, PanelAdd, async (turn, data) => {
    const t = messages(turn.lang).panel;
    if (!(await isAccounthouder(deps, turn.userId))) return notice(turn, messages(turn.lang).link.refused);
    if (turn.personal) return notice(turn, t.onlyInTeam);
    // The person must be a member of this team as Teams reports it; the card only says which one was picked.
    const person = (await teamMembers(turn.context)).find((m) => m.aadObjectId === data.person);
    if (!person) return panelView(turn.context, turn, t.unknownPerson, data.roundId);
    const round = data.roundId ?? (await channelRoundId(turn.context));
    if (!round) return panelView(turn.context, turn);
    const res = await addPanelMember(deps, {
      actorId: turn.userId,
      roundId: round,
      person: { userId: person.aadObjectId, mri: person.id, name: person.name },
      role: data.role,
      ...(data.organisation ? { organisation: data.organisation } : {}),
    });
    if (!res.ok) {
      const e = res.error;
      const note =
        e.code === 'ORGANISATION_REQUIRED'
          ? t.organisationRequired
          : e.code === 'ORGANISATION_AMBIGUOUS'
            ? fill(t.organisationAmbiguous, { names: e.candidates.join(', ') })
            : e.code === 'ORGANISATION_INVALID'
              ? t.organisationInvalid
              : e.code === 'PANEL_FULL'
                ? t.full
                : messages(turn.lang).link.refused;
      log.info({ verb: VERBS.review.panelAdd, code: e.code }, 'panel member not added');
      return panelView(turn.context, turn, note, round);
    }
    if (data.accounthouder === 'true') await addAccounthouder(deps, { actorId: turn.userId, userId: person.aadObjectId, name: person.name });
    publisher.refreshRoundLater(res.value.roundId);
    // Applications that waited for a panel with a partner or ervaringsdeskundige are posted now.
    publisher.sweep().catch((e) => log.warn({ err: errorFacts(e) }, 'review sweep after a panel change failed'));
    const org = res.value.organisation;
    const linked = org ? ` ${fill(org.registered ? t.organisationRegistered : t.organisationLinked, { organisation: org.name })}` : '';
    return panelView(turn.context, turn, fill(t.added, { name: person.name }) + linked, res.value.roundId);
  });

  execute(VERBS.review.panelRemove, PanelRemove, async (turn, data) => {
    if (!(await isAccounthouder(deps, turn.userId))) return notice(turn, messages(turn.lang).link.refused);
    const round = data.roundId ?? (await channelRoundId(turn.context));
    if (!round) return panelView(turn.context, turn);
    const res = await removePanelMember(deps, { actorId: turn.userId, userId: data.userId, roundId: round });
    if (!res.ok) return notice(turn, messages(turn.lang).link.refused);
    publisher.refreshRoundLater(res.value.roundId);
    return panelView(turn.context, turn, messages(turn.lang).panel.removed, res.value.roundId);
  });

  /** The channel's round when it is clear which one (see `channelRound`), else undefined. */
  async function channelRoundId(context: TurnContext): Promise<string | undefined> {
    const channelId = context.activity.channelData?.channel?.id ?? context.activity.conversation.id.split(';')[0]!;
    const which = await channelRound(deps, { channelId });
    return which.kind === 'round' ? which.round.value.id : undefined;
  }

  const roundsText = (turn: Turn, forms: Plural, rounds: Round[]) =>
    fill(plural(turn.lang, rounds.length, forms), { ids: rounds.map((x) => x.id).join(', '), id: rounds[rounds.length - 1]?.id ?? '' });

  return {
    async onMessage(context, turn, text) {
      const t = messages(turn.lang).link;
      const command = text.trim().replace(/\s+/g, ' ');
      const link = /^(koppel|link) (beoordeling|review)(?: ([A-Za-z]{1,6}-\d{4}))?(?: (.+))?$/i.exec(command);
      if (link) {
        const channelData = context.activity.channelData ?? {};
        const named = link[3]?.toUpperCase();
        if (await isAccounthouder(deps, turn.userId)) {
          const which = await roundToLink(deps, named);
          const r = roundMessages(turn.lang);
          if (which.kind === 'not-found') return void (await context.sendActivity(fill(r.channel.notFound, { id: named ?? '' })));
          if (which.kind === 'choose') return void (await context.sendActivity(roundsText(turn, r.channel.linkWhich, which.rounds)));
        }
        const res = await linkReviewChannel(deps, {
          ...(named ? { roundId: named } : {}),
          actorId: turn.userId,
          channel: {
            teamId: channelData.team?.id ?? '',
            channelId: channelData.channel?.id ?? context.activity.conversation.id.split(';')[0]!,
            serviceUrl: context.activity.serviceUrl,
            tenantId: channelData.tenant?.id ?? context.activity.conversation.tenantId ?? '',
            botId: context.activity.recipient.id,
          },
          ...(link[4] ? { wijk: link[4] } : {}),
        });
        if (!res.ok) {
          const e = res.error;
          await context.sendActivity(
            e.code === 'FORBIDDEN' ? t.refused : e.code === 'NO_ROUND' ? t.noRound : fill(t.unknownWijk, { wijken: e.wijken.join(', ') }),
          );
          return;
        }
        await context.sendActivity(
          res.value.wijk ? fill(t.doneWijk, { wijk: res.value.wijk, round: res.value.round.name }) : fill(t.done, { round: res.value.round.name }),
        );
        publisher.sweep().catch(() => undefined);
        // The panel and applicants in this team can now be reached before they ever chat with the bot.
        await importTeamRoster(context, deps).catch((e) => log.warn({ activity: 'link', err: errorFacts(e) }, 'team roster not stored'));
        return;
      }
      const repost = /^(kaart|card) (\S+)$/i.exec(command);
      if (repost) {
        const reference = repost[2]!.toUpperCase();
        const channelId = context.activity.channelData?.channel?.id ?? context.activity.conversation.id.split(';')[0]!;
        const res = await reviewToRepost(deps, { actorId: turn.userId, reference, channelId });
        if (!res.ok) {
          log.info({ code: res.error.code }, 'review card not posted again');
          const text = { NOT_FOUND: t.repostNotFound, FORBIDDEN: t.repostRefused, WRONG_CHANNEL: t.repostWrongChannel, TOO_MANY: t.repostTooMany }[
            res.error.code
          ];
          await context.sendActivity(fill(text, { reference }));
          return;
        }
        const posted = await publisher
          .repost(res.value.ctx, res.value.channel, context.activity.serviceUrl, turn.userId)
          .catch((e: unknown) => (log.warn({ err: errorFacts(e) }, 'posting a review card again failed'), false));
        await context.sendActivity(fill(posted ? t.reposted : t.repostFailed, { reference }));
        return;
      }
      const panel = /^panel(?: ([A-Za-z]{1,6}-\d{4}))?$/i.exec(command);
      if (panel) {
        if (!(await isAccounthouder(deps, turn.userId))) {
          await context.sendActivity(t.refused);
          return;
        }
        await sendCard(context, await panelView(context, turn, undefined, panel[1]?.toUpperCase()));
        return;
      }
      await context.sendActivity(t.help);
    },
  };
}

/** The team's members as Teams reports them (all pages). */
async function teamMembers(context: TurnContext): Promise<{ id: string; aadObjectId: string; name: string }[]> {
  const out: { id: string; aadObjectId: string; name: string }[] = [];
  let token: string | undefined;
  do {
    const page = await TeamsInfo.getPagedMembers(context, 500, token);
    for (const m of page.members) if (m.aadObjectId) out.push({ id: m.id, aadObjectId: m.aadObjectId, name: m.name ?? m.givenName ?? '' });
    token = page.continuationToken;
  } while (token);
  return out;
}
