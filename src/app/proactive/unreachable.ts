import type { OutboxEntry } from '../../domain/outbox';
import type { UnreachableReason } from '../../domain/conversation';
import type { Logger } from '../../log';
import type { Deps } from '../../usecases/deps';
import { reportUnreachable } from '../../usecases/unreachable';
import type { DeliveryFailed } from './notifier';

/**
 * Why a message to a person's 1:1 chat was given up, when it was because the person cannot be
 * reached: no chat and no roster address, or Teams refusing the chat (403: blocked or not
 * allowed; 404: the user or conversation is gone). Other failures (our request, our credentials,
 * Teams down for too long) are not about the person and are only logged.
 */
export function unreachableReason(entry: OutboxEntry, failure: Pick<DeliveryFailed, 'code' | 'status'>): UnreachableReason | undefined {
  if (entry.target.type !== 'user') return undefined;
  if (failure.code === 'NO_CONVERSATION') return 'noAddress';
  if (failure.status === 403 || failure.status === 404) return 'refused';
  return undefined;
}

/** The outbox dispatcher's onUndeliverable: tells the accounthouders, once, who could not be reached. */
export function unreachableReporter(deps: Deps, log: Logger): (entry: OutboxEntry, failure: DeliveryFailed) => Promise<void> {
  return async (entry, failure) => {
    const reason = unreachableReason(entry, failure);
    if (!reason || entry.target.type !== 'user') return;
    const res = await reportUnreachable(deps, {
      roundId: entry.roundId,
      userId: entry.target.userId,
      kind: entry.kind,
      messageId: entry.id,
      reason,
    });
    log.info({ roundId: entry.roundId, kind: entry.kind, reason, notices: res.queued }, 'person not reachable; accounthouders told');
  };
}
