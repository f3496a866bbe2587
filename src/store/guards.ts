import type { TableClient, TransactionAction } from '@azure/data-tables';
import { ROW } from './entities';
import { isNotFound } from './tables';

/**
 * For a write that is only allowed while nobody has submitted in the round: 'FROZEN' if someone
 * has, else the counter rewritten unchanged under its ETag (to add to the transaction), so a
 * submission at the same moment makes the transaction fail instead of slipping past the check.
 */
export async function noSubmissionsGuard(
  table: TableClient,
  roundId: string,
  /** The version of the round's form this write leaves: recorded on the counter, so a submission validated against another one fails (`formVersionOf`). */
  formVersion?: number,
): Promise<TransactionAction | 'FROZEN' | undefined> {
  let counter: Record<string, unknown> | undefined;
  try {
    counter = await table.getEntity<Record<string, unknown>>(roundId, ROW.counter);
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
  if (Number(counter?.next ?? 1) > 1) return 'FROZEN';
  return counter
    ? [
        'update',
        {
          partitionKey: roundId,
          rowKey: ROW.counter,
          kind: 'counter',
          next: Number(counter.next),
          ...((formVersion ?? counter.formVersion) !== undefined ? { formVersion: Number(formVersion ?? counter.formVersion) } : {}),
        },
        'Replace',
        { etag: String(counter.etag) },
      ]
    : undefined;
}

/**
 * The form version a round's counter records (written by every guarded round write that changes
 * the form); undefined when none was recorded (the form is the one the round was created with).
 */
export function formVersionOf(counter: Record<string, unknown> | undefined): number | undefined {
  return counter?.formVersion === undefined ? undefined : Number(counter.formVersion);
}

/** What a round's decisions spent so far (0 before the first decision). */
export async function spentOf(table: TableClient, roundId: string): Promise<number> {
  try {
    const ledger = await table.getEntity<Record<string, unknown>>(roundId, ROW.ledger);
    return Number(ledger.spent);
  } catch (e) {
    if (!isNotFound(e)) throw e;
    return 0;
  }
}
