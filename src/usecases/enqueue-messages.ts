import type { OutboxEntry } from '../domain/outbox';
import type { Deps } from './deps';

/** Stores proactive messages in the outbox; the dispatcher sends them (never lost, never twice). */
export function enqueueMessages(deps: Deps, entries: OutboxEntry[]): Promise<void> {
  return deps.repos.outbox.enqueue(entries);
}
