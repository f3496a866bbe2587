import type { Application as TeamsApp, TurnState } from '@microsoft/teams-ai';
import { z } from 'zod';
import { ALLOCATION_PAGE_LINES, allocationCard, marksCard, proposalPanelCard } from '../../cards/allocation-cards';
import { noticeCard } from '../../cards/notice';
import type { Card } from '../../cards/render';
import { MARK_REMARK_LIMIT } from '../../domain/decision';
import { fill, formatEuro, messages } from '../../i18n';
import type { Logger } from '../../log';
import { MAX_LINES_PER_DECISION } from '../../usecases/allocation-proposal';
import { allocationView, proposalForPanel, proposalMarks, shareProposal } from '../../usecases/allocation-view';
import { AMOUNT_INPUT, applicationOfAmountInput } from '../../domain/allocation';
import { flag, input, roundId, withInputs } from '../core/schemas';
import { approveAllocation } from '../../usecases/approve-allocation';
import type { Deps } from '../../usecases/deps';
import { markProposal } from '../../usecases/mark-proposal';
import { isAccounthouder } from '../../usecases/roles';
import type { DecisionAnnouncer } from '../proactive/decision-announcer';
import { executor } from '../core/execute';
import type { Notifier } from '../proactive/notifier';
import { normaliseCommand, Turn } from '../core/turn';
import { VERBS } from '../core/verbs';
import { cardForRound, matchWithRound } from '../core/round-arg';
import { workingRound } from '../../usecases/admin-round';

const fingerprint = z.string().regex(/^\d{1,4}-[0-9a-f]{8}$/);
const Show = z.object({ roundId: roundId.optional() });
/** Amounts arrive as `amount_<application id>` inputs next to the card's data (whole euros: 8 digits is far over any budget). */
const Approve = withInputs(z.object({ roundId, fingerprint }), AMOUNT_INPUT, 8, MAX_LINES_PER_DECISION);
const Share = z.object({ roundId, fingerprint });
/** A page of a proposal's lines (0 first): one approval's lines, a page at a time. */
const proposalPage = z
  .number()
  .int()
  .min(0)
  .max(Math.ceil(MAX_LINES_PER_DECISION / ALLOCATION_PAGE_LINES));
/** Another page of the same proposal: its page number, and the amounts typed so far (this page's inputs and those carried from others). */
const Page = withInputs(
  z.object({
    roundId,
    fingerprint,
    page: proposalPage,
  }),
  AMOUNT_INPUT,
  8,
  MAX_LINES_PER_DECISION,
);
const Mark = z.object({ roundId, fingerprint, agree: flag, remark: input(MARK_REMARK_LIMIT) });
/** The panel's reactions (`marksPage` from 1), with the allocation page to go back to and the amounts typed so far. */
const Marks = withInputs(
  z.object({
    roundId,
    fingerprint,
    page: proposalPage,
    marksPage: z.number().int().min(1).max(100),
  }),
  AMOUNT_INPUT,
  8,
  MAX_LINES_PER_DECISION,
);
/** Another page of the proposal card in the channel (0 first). */
const PanelPage = z.object({
  roundId,
  fingerprint,
  page: proposalPage,
});

export interface AllocationChat {
  /** `toekenning` in the 1:1 chat: the card for an accounthouder, a refusal for others, undefined for other text. */
  cardForText(turn: Turn, text: string): Promise<Card | undefined>;
}

/** The allocation: the accounthouder's one card, the proposal before the panel, the approval. */
export function registerAllocationRoutes(app: TeamsApp<TurnState>, deps: Deps, log: Logger, notifier: Notifier, announcer: DecisionAnnouncer): AllocationChat {
  const execute = executor(app, log);
  const t = (turn: Turn) => messages(turn.lang).alloc;
  const refusal = (turn: Turn) => noticeCard(turn.lang, messages(turn.lang).notices.badCardTitle, t(turn).forbidden);

  async function card(turn: Turn, id: string | undefined, view: Parameters<typeof allocationCard>[3] = {}): Promise<Card> {
    const found = await allocationView(deps, id);
    if (!found) return noticeCard(turn.lang, messages(turn.lang).notices.noRoundTitle, messages(turn.lang).link.noRound);
    return allocationCard(turn.lang, found.current, found.marks, view);
  }

  execute(VERBS.allocation.show, Show, async (turn, data) => ((await isAccounthouder(deps, turn.userId)) ? card(turn, data.roundId) : refusal(turn)));

  execute(VERBS.allocation.page, Page, async (turn, data) => {
    if (!(await isAccounthouder(deps, turn.userId))) return refusal(turn);
    const found = await allocationView(deps, data.roundId);
    if (!found) return card(turn, undefined);
    // A page of another version of the proposal: the current one from its start, typed amounts dropped.
    if (found.current.fingerprint !== data.fingerprint)
      return allocationCard(turn.lang, found.current, found.marks, { notice: t(turn).stale, noticeColor: 'attention' });
    return allocationCard(turn.lang, found.current, found.marks, { page: data.page, raw: data.inputs });
  });

  execute(VERBS.allocation.marks, Marks, async (turn, data) => {
    if (!(await isAccounthouder(deps, turn.userId))) return refusal(turn);
    const found = await allocationView(deps, data.roundId);
    if (!found) return card(turn, undefined);
    if (found.current.fingerprint !== data.fingerprint)
      return allocationCard(turn.lang, found.current, found.marks, { notice: t(turn).stale, noticeColor: 'attention' });
    return marksCard(turn.lang, found.current, found.marks, { page: data.page, marksPage: data.marksPage, raw: data.inputs });
  });

  execute(VERBS.allocation.approve, Approve, async (turn, data) => {
    // Each line's amount arrives as `amount_<id>`; 0 declines the line.
    const raw = data.inputs;
    const adjustments: Record<string, { amount?: number }> = {};
    for (const [k, v] of Object.entries(raw)) {
      if (v.trim() !== '') adjustments[applicationOfAmountInput(k)] = { amount: /^\d+$/.test(v.trim()) ? Number(v.trim()) : Number.NaN };
    }
    const res = await approveAllocation(deps, { actorId: turn.userId, roundId: data.roundId, fingerprint: data.fingerprint, adjustments });
    if (res.ok) {
      log.info({ roundId: data.roundId, decisionId: res.value.decision.id, lines: res.value.decision.lines.length }, 'allocation approved');
      announcer.announceLater();
      const marks = await proposalMarks(deps, data.roundId, res.value.after.fingerprint);
      return allocationCard(turn.lang, res.value.after, marks, {
        notice: fill(t(turn).approved, { total: formatEuro(turn.lang, res.value.decision.total) }),
        noticeColor: 'accent',
      });
    }
    const e = res.error;
    log.warn({ verb: VERBS.allocation.approve, code: e.code }, 'approval refused');
    switch (e.code) {
      case 'FORBIDDEN':
        return refusal(turn);
      case 'NOT_FOUND':
        return card(turn, undefined);
      case 'NOTHING_TO_DECIDE':
        return allocationCard(turn.lang, e.current, [], { notice: t(turn).nothing });
      case 'STALE':
        return allocationCard(turn.lang, e.current, await proposalMarks(deps, data.roundId, e.current.fingerprint), {
          notice: e.decidedMeanwhile ? t(turn).alreadyApproved : t(turn).stale,
          noticeColor: 'attention',
        });
      case 'INVALID':
        return allocationCard(turn.lang, e.current, await proposalMarks(deps, data.roundId, e.current.fingerprint), { error: e.error, raw });
    }
  });

  execute(VERBS.allocation.share, Share, async (turn, data) => {
    const res = await shareProposal(deps, { actorId: turn.userId, roundId: data.roundId, fingerprint: data.fingerprint });
    if (!res.ok) {
      const e = res.error;
      switch (e.code) {
        case 'FORBIDDEN':
          return refusal(turn);
        case 'NOT_FOUND':
          return card(turn, undefined);
        case 'STALE':
          return allocationCard(turn.lang, e.current, e.marks, { notice: t(turn).stale, noticeColor: 'attention' });
        case 'NO_CHANNEL':
          return allocationCard(turn.lang, e.current, e.marks, { notice: t(turn).noChannel, noticeColor: 'attention' });
        case 'ALREADY_SHARED':
          return allocationCard(turn.lang, e.current, e.marks, { notice: t(turn).alreadyShared });
      }
    }
    const { current: cp, marks, channel } = res.value;
    await notifier.postToChannel(channel, proposalPanelCard('nl', cp, marks));
    log.info({ roundId: cp.round.id, fingerprint: cp.fingerprint }, 'proposal shared with the panel');
    return allocationCard(turn.lang, cp, marks, { notice: t(turn).shared, noticeColor: 'accent' });
  });

  // A page of the panel's card, for the one who turned it: the card in the channel stays on its first page for everyone else.
  execute(
    VERBS.allocation.panelPage,
    PanelPage,
    async (turn, data) => {
      const res = await proposalForPanel(deps, { actorId: turn.userId, roundId: data.roundId });
      if (!res.ok) {
        log.info({ verb: VERBS.allocation.panelPage, code: res.error.code }, 'proposal page refused');
        const text = res.error.code === 'NOT_ON_PANEL' ? t(turn).notOnPanel : messages(turn.lang).notices.notFound;
        return noticeCard(turn.lang, messages(turn.lang).notices.badCardTitle, text);
      }
      const { current, marks } = res.value;
      if (current.fingerprint !== data.fingerprint)
        return proposalPanelCard(turn.lang, current, [], { notice: t(turn).markStale, noticeColor: 'warning', open: false });
      return proposalPanelCard(turn.lang, current, marks, { page: data.page });
    },
    { userSpecific: true },
  );

  execute(VERBS.allocation.mark, Mark, async (turn, data) => {
    const res = await markProposal(deps, {
      actorId: turn.userId,
      roundId: data.roundId,
      fingerprint: data.fingerprint,
      agree: data.agree === 'true',
      ...(data.remark ? { remark: data.remark } : {}),
    });
    if (res.ok) return proposalPanelCard(turn.lang, res.value, await proposalMarks(deps, data.roundId, data.fingerprint), { notice: t(turn).marked });
    const e = res.error;
    log.warn({ verb: VERBS.allocation.mark, code: e.code }, 'mark refused');
    if (e.code === 'STALE') return proposalPanelCard(turn.lang, e.current, [], { notice: t(turn).markStale, noticeColor: 'attention', open: false });
    return noticeCard(
      turn.lang,
      messages(turn.lang).notices.badCardTitle,
      e.code === 'NOT_ON_PANEL' ? t(turn).notOnPanel : messages(turn.lang).notices.badCard,
    );
  });

  return {
    async cardForText(turn, text) {
      const found = matchWithRound(normaliseCommand(text), /^(toekenning|toekennen|allocation|allocate)$/);
      if (!found) return undefined;
      if (!(await isAccounthouder(deps, turn.userId))) return refusal(turn);
      return cardForRound(deps, turn.lang, { arg: found.arg, command: 'toekenning', fallback: (d) => workingRound(d) }, (round) => card(turn, round?.value.id));
    },
  };
}
