import { auditEvent } from '../domain/audit';
import type { PanelMark } from '../domain/decision';
import { err, ok, Result } from '../domain/result';
import type { ChannelLink } from '../domain/round';
import { workingRound } from './admin-round';
import { currentProposal, CurrentProposal } from './allocation-proposal';
import type { Deps } from './deps';
import { isAccounthouder } from './roles';

export interface AllocationView {
  current: CurrentProposal;
  /** The panel's eens / oneens on this version of the proposal. */
  marks: PanelMark[];
}

/** The panel's marks on one version of the proposal. */
export function proposalMarks(deps: Deps, roundId: string, fingerprint: string): Promise<PanelMark[]> {
  return deps.repos.allocation.listMarks(roundId, fingerprint);
}

/** The allocation card's data: the named round's (or the current round's) proposal with its marks. */
export async function allocationView(deps: Deps, roundId?: string): Promise<AllocationView | undefined> {
  const round = roundId ? await deps.repos.rounds.get(roundId) : await workingRound(deps);
  const current = round && (await currentProposal(deps, round.value.id));
  if (!current) return undefined;
  return { current, marks: await proposalMarks(deps, current.round.id, current.fingerprint) };
}

/** The proposal as the panel sees it (another page of the card in the channel): for panel members and accounthouders, from the store. */
export async function proposalForPanel(
  deps: Deps,
  input: { actorId: string; roundId: string },
): Promise<Result<AllocationView, { code: 'NOT_FOUND' } | { code: 'NOT_ON_PANEL' }>> {
  const view = await allocationView(deps, input.roundId);
  if (!view) return err({ code: 'NOT_FOUND' });
  const onPanel = view.current.snapshot.panel.some((m) => m.userId === input.actorId);
  if (!onPanel && !(await isAccounthouder(deps, input.actorId))) return err({ code: 'NOT_ON_PANEL' });
  return ok(view);
}

export type ShareError =
  | { code: 'FORBIDDEN' }
  | { code: 'NOT_FOUND' }
  | ({ code: 'STALE' } & AllocationView)
  | ({ code: 'NO_CHANNEL' } & AllocationView)
  | ({ code: 'ALREADY_SHARED' } & AllocationView);

/**
 * The accounthouder puts this version of the proposal before the panel: claimed once per version
 * (a second click or instance is refused) and audited; the app layer then posts it in the channel.
 */
export async function shareProposal(
  deps: Deps,
  input: { actorId: string; roundId: string; fingerprint: string },
): Promise<Result<AllocationView & { channel: ChannelLink }, ShareError>> {
  if (!(await isAccounthouder(deps, input.actorId))) return err({ code: 'FORBIDDEN' });
  const view = await allocationView(deps, input.roundId);
  if (!view) return err({ code: 'NOT_FOUND' });
  const { current } = view;
  if (current.fingerprint !== input.fingerprint) return err({ code: 'STALE', ...view });
  const channel = current.round.routing.default;
  if (!channel) return err({ code: 'NO_CHANNEL', ...view });
  const now = deps.clock.now();
  const claimed = await deps.repos.allocation.claimProposalPost(
    current.round.id,
    {
      fingerprint: current.fingerprint,
      threadId: '',
      activityId: '',
      serviceUrl: channel.serviceUrl,
      tenantId: channel.tenantId,
      botId: channel.botId,
      postedAt: now.toISOString(),
    },
    auditEvent(current.round.id, input.actorId, 'allocation.shared', current.fingerprint, now),
  );
  if (!claimed.ok) return err({ code: 'ALREADY_SHARED', ...view });
  return ok({ ...view, channel });
}
