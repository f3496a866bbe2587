import type { Application as TeamsApp, TurnState } from '@microsoft/teams-ai';
import { z } from 'zod';
import { allocationCard, proposalPanelCard } from '../../cards/allocation-cards';
import { noticeCard } from '../../cards/notice';
import type { Card } from '../../cards/render';
import { auditEvent } from '../../domain/audit';
import { fill, formatEuro, messages } from '../../i18n';
import type { Logger } from '../../log';
import { adminRound } from '../../usecases/admin-round';
import { currentProposal } from '../../usecases/allocation-proposal';
import { approveAllocation } from '../../usecases/approve-allocation';
import type { Deps } from '../../usecases/deps';
import { markProposal } from '../../usecases/mark-proposal';
import { isAccounthouder } from '../../usecases/roles';
import type { DecisionAnnouncer } from '../proactive/decision-announcer';
import { executor } from '../core/execute';
import type { Notifier } from '../proactive/notifier';
import { normaliseCommand, Turn } from '../core/turn';
import { VERBS } from '../core/verbs';

const roundId = z.string().regex(/^[A-Z]{1,6}-\d{4}$/);
const fingerprint = z.string().regex(/^\d{1,4}-[0-9a-f]{8}$/);
const text = (max: number) => z.union([z.string(), z.number()]).transform(String).pipe(z.string().max(max)).optional();
const Show = z.object({ roundId: roundId.optional() }).passthrough();
/** Amounts arrive as `amount_<id>` inputs next to the card's data. */
const Approve = z.object({ roundId, fingerprint }).catchall(text(20)).refine((d) => Object.keys(d).length <= 200, 'too many fields');
const Share = z.object({ roundId, fingerprint });
const Mark = z.object({ roundId, fingerprint, agree: z.enum(['true', 'false']), remark: text(600) });

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
    const round = id ? await deps.repos.rounds.get(id) : await adminRound(deps);
    const cp = round && (await currentProposal(deps, round.value.id));
    if (!cp) return noticeCard(turn.lang, messages(turn.lang).notices.noRoundTitle, messages(turn.lang).link.noRound);
    return allocationCard(turn.lang, cp, await deps.repos.allocation.listMarks(cp.round.id, cp.fingerprint), view);
  }

  execute(VERBS.allocation.show, Show, async (turn, data) => ((await isAccounthouder(deps, turn.userId)) ? card(turn, data.roundId) : refusal(turn)));

  execute(VERBS.allocation.approve, Approve, async (turn, data) => {
    // Each line's amount arrives as `amount_<id>`; 0 declines the line.
    const raw = Object.fromEntries(Object.entries(data).filter(([k]) => k.startsWith('amount_'))) as Record<string, string>;
    const adjustments: Record<string, { amount?: number }> = {};
    for (const [k, v] of Object.entries(raw)) {
      if (v.trim() !== '') adjustments[k.slice('amount_'.length)] = { amount: /^\d+$/.test(v.trim()) ? Number(v.trim()) : Number.NaN };
    }
    const res = await approveAllocation(deps, { actorId: turn.userId, roundId: data.roundId, fingerprint: data.fingerprint, adjustments });
    if (res.ok) {
      log.info({ roundId: data.roundId, decisionId: res.value.decision.id, lines: res.value.decision.lines.length }, 'allocation approved');
      announcer.announceLater();
      const marks = await deps.repos.allocation.listMarks(data.roundId, res.value.after.fingerprint);
      return allocationCard(turn.lang, res.value.after, marks, { notice: fill(t(turn).approved, { total: formatEuro(turn.lang, res.value.decision.total) }), noticeColor: 'good' });
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
        return allocationCard(turn.lang, e.current, await deps.repos.allocation.listMarks(data.roundId, e.current.fingerprint), {
          notice: e.decidedMeanwhile ? t(turn).alreadyApproved : t(turn).stale,
          noticeColor: 'warning',
        });
      case 'INVALID':
        return allocationCard(turn.lang, e.current, await deps.repos.allocation.listMarks(data.roundId, e.current.fingerprint), { error: e.error, raw });
    }
  });

  execute(VERBS.allocation.share, Share, async (turn, data) => {
    if (!(await isAccounthouder(deps, turn.userId))) return refusal(turn);
    const cp = await currentProposal(deps, data.roundId);
    if (!cp) return card(turn, undefined);
    const marks = await deps.repos.allocation.listMarks(cp.round.id, cp.fingerprint);
    if (cp.fingerprint !== data.fingerprint) return allocationCard(turn.lang, cp, marks, { notice: t(turn).stale, noticeColor: 'warning' });
    const channel = cp.round.routing.default;
    if (!channel) return allocationCard(turn.lang, cp, marks, { notice: t(turn).noChannel, noticeColor: 'attention' });
    const now = deps.clock.now();
    const claimed = await deps.repos.allocation.claimProposalPost(
      cp.round.id,
      { fingerprint: cp.fingerprint, threadId: '', activityId: '', serviceUrl: channel.serviceUrl, tenantId: channel.tenantId, botId: channel.botId, postedAt: now.toISOString() },
      auditEvent(cp.round.id, turn.userId, 'allocation.shared', cp.fingerprint, now),
    );
    if (!claimed.ok) return allocationCard(turn.lang, cp, marks, { notice: t(turn).alreadyShared });
    await notifier.postToChannel(channel, proposalPanelCard('nl', cp, marks));
    log.info({ roundId: cp.round.id, fingerprint: cp.fingerprint }, 'proposal shared with the panel');
    return allocationCard(turn.lang, cp, marks, { notice: t(turn).shared, noticeColor: 'good' });
  });

  execute(VERBS.allocation.mark, Mark, async (turn, data) => {
    const res = await markProposal(deps, { actorId: turn.userId, roundId: data.roundId, fingerprint: data.fingerprint, agree: data.agree === 'true', ...(data.remark ? { remark: data.remark } : {}) });
    if (res.ok) return proposalPanelCard(turn.lang, res.value, await deps.repos.allocation.listMarks(data.roundId, data.fingerprint), { notice: t(turn).marked });
    const e = res.error;
    log.warn({ verb: VERBS.allocation.mark, code: e.code }, 'mark refused');
    if (e.code === 'STALE') return proposalPanelCard(turn.lang, e.current, [], { notice: t(turn).markStale, noticeColor: 'warning', open: false });
    return noticeCard(turn.lang, messages(turn.lang).notices.badCardTitle, e.code === 'NOT_ON_PANEL' ? t(turn).notOnPanel : messages(turn.lang).notices.badCard);
  });

  return {
    async cardForText(turn, text) {
      if (!/^(toekenning|toekennen|allocation|allocate)$/.test(normaliseCommand(text))) return undefined;
      return (await isAccounthouder(deps, turn.userId)) ? card(turn, undefined) : refusal(turn);
    },
  };
}
