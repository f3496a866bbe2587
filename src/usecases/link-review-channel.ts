import { auditEvent } from '../domain/audit';
import { err, ok, Result } from '../domain/result';
import type { ChannelLink, Round } from '../domain/round';
import { adminRound } from './admin-round';
import type { Deps } from './deps';
import { isAccounthouder } from './roles';

export type LinkError = { code: 'FORBIDDEN' } | { code: 'NO_ROUND' } | { code: 'UNKNOWN_WIJK'; wijken: string[] };

/** An accounthouder makes this channel the round's review channel (for all, or for one wijk): the round named, else the newest. */
export async function linkReviewChannel(
  deps: Deps,
  input: { actorId: string; channel: Omit<ChannelLink, 'linkedBy' | 'linkedAt'>; wijk?: string; roundId?: string },
): Promise<Result<{ round: Round; wijk?: string }, LinkError>> {
  if (!(await isAccounthouder(deps, input.actorId))) return err({ code: 'FORBIDDEN' });
  for (let attempt = 0; attempt < 3; attempt++) {
    const current = await adminRound(deps, input.roundId);
    if (!current) return err({ code: 'NO_ROUND' });
    const wijk = input.wijk && current.value.wijken.find((w) => w.toLowerCase() === input.wijk!.toLowerCase());
    if (input.wijk && !wijk) return err({ code: 'UNKNOWN_WIJK', wijken: current.value.wijken });
    const now = deps.clock.now();
    const link: ChannelLink = { ...input.channel, linkedBy: input.actorId, linkedAt: now.toISOString() };
    const routing = wijk
      ? { ...current.value.routing, byWijk: { ...current.value.routing.byWijk, [wijk]: link } }
      : { ...current.value.routing, default: link };
    const next = { ...current.value, routing };
    const saved = await deps.repos.rounds.update(
      current,
      next,
      auditEvent(next.id, input.actorId, 'round.channel-linked', next.id, now, { channelId: link.channelId, wijk: wijk || '*' }),
    );
    if (saved.ok) return ok({ round: next, ...(wijk ? { wijk } : {}) });
  }
  throw new Error('round kept changing while linking a channel');
}
