import type { TableClient, TransactionAction } from '@azure/data-tables';

/**
 * Azure Table Storage's limits, checked before anything is sent so that Azurite and Azure refuse
 * alike (Azurite checks property length and body bytes, not Azure's entity size formula):
 * a string property holds at most 64 KiB (32,768 UTF-16 code units), an entity at most 1 MiB
 * (Azure counts 2 bytes per character), a transaction at most 100 operations and 4 MiB.
 */
export const TABLE_LIMITS = {
  propertyChars: 32 * 1024,
  entityBytes: 1024 * 1024,
  batchOperations: 100,
  batchBytes: 4 * 1024 * 1024,
  /** Azure allows 255 properties, three of which are PartitionKey, RowKey and Timestamp. */
  properties: 252,
} as const;

/** A JSON value longer than this is written in parts: `name`, `name_1`, `name_2`, … */
export const JSON_PART_CHARS = 32_000;

export type StorageLimit = 'PropertyValueTooLarge' | 'EntityTooLarge' | 'RequestBodyTooLarge' | 'TooManyOperations' | 'TooManyProperties';

/**
 * A write refused because it is larger than Table Storage takes. It has the shape of the SDK's
 * `RestError` for a 400 (`statusCode`, `code`), so it is handled like Azure's own refusal: not a
 * conflict, not an outage, and trying again does not help.
 */
export class StorageLimitError extends Error {
  readonly statusCode = 400;
  constructor(
    readonly code: StorageLimit,
    readonly size: number,
    readonly limit: number,
  ) {
    super(`${code}: ${size} > ${limit}`);
    this.name = 'StorageLimitError';
  }
}

type Entity = { partitionKey?: unknown; rowKey?: unknown; [k: string]: unknown };

/** Azure's size of an entity: 4 + keys at 2 bytes a character + per property 8 + name + value. */
export function entityBytes(e: Entity): number {
  let size = 4 + 2 * String(e.partitionKey ?? '').length + 2 * String(e.rowKey ?? '').length;
  for (const [name, value] of Object.entries(e)) {
    if (name === 'partitionKey' || name === 'rowKey' || value === undefined) continue;
    size += 8 + 2 * name.length + valueBytes(value);
  }
  return size;
}

function valueBytes(v: unknown): number {
  if (typeof v === 'string') return 4 + 2 * v.length;
  if (typeof v === 'boolean') return 1;
  if (v instanceof Date || typeof v === 'number') return 8;
  return 4 + 2 * JSON.stringify(v ?? '').length;
}

/** Throws `StorageLimitError` when one entity is over a limit. */
export function assertEntityFits(e: Entity): void {
  const props = Object.keys(e).filter((k) => k !== 'partitionKey' && k !== 'rowKey' && e[k] !== undefined);
  if (props.length > TABLE_LIMITS.properties) throw new StorageLimitError('TooManyProperties', props.length, TABLE_LIMITS.properties);
  for (const k of props) {
    const v = e[k];
    if (typeof v === 'string' && v.length > TABLE_LIMITS.propertyChars)
      throw new StorageLimitError('PropertyValueTooLarge', v.length, TABLE_LIMITS.propertyChars);
  }
  const bytes = entityBytes(e);
  if (bytes > TABLE_LIMITS.entityBytes) throw new StorageLimitError('EntityTooLarge', bytes, TABLE_LIMITS.entityBytes);
}

/**
 * An upper estimate of a transaction's request body: each entity as the JSON the SDK sends (UTF-8)
 * plus 1 KiB per operation for its multipart headers, URL and type annotations.
 */
export function batchBytes(actions: readonly TransactionAction[]): number {
  return actions.reduce((sum, a) => sum + 1024 + Buffer.byteLength(JSON.stringify(a[1])), 0);
}

/** Throws `StorageLimitError` when a transaction, or an entity in it, is over a limit. */
export function assertBatchFits(actions: readonly TransactionAction[]): void {
  if (actions.length > TABLE_LIMITS.batchOperations) throw new StorageLimitError('TooManyOperations', actions.length, TABLE_LIMITS.batchOperations);
  for (const a of actions) if (a[0] !== 'delete') assertEntityFits(a[1]);
  const bytes = batchBytes(actions);
  if (bytes > TABLE_LIMITS.batchBytes) throw new StorageLimitError('RequestBodyTooLarge', bytes, TABLE_LIMITS.batchBytes);
}

/** What `fittingBatches` packs a transaction to: 3 MiB, leaving room under 4 MiB for what the estimate does not see. */
const PACK_BYTES = 3 * 1024 * 1024;

/**
 * Splits operations that need not be atomic (outbox entries) into transactions within the
 * limits: at most 100 operations and 3 MiB (estimated) each.
 */
export function fittingBatches(actions: readonly TransactionAction[]): TransactionAction[][] {
  const out: TransactionAction[][] = [];
  let current: TransactionAction[] = [];
  let bytes = 0;
  for (const a of actions) {
    const size = batchBytes([a]);
    if (current.length && (current.length === TABLE_LIMITS.batchOperations || bytes + size > PACK_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(a);
    bytes += size;
  }
  if (current.length) out.push(current);
  return out;
}

/**
 * The table client with every write checked against the limits first: a write over them is
 * refused here, with nothing sent, exactly as Azure would refuse it.
 */
export function limitedTable(table: TableClient): TableClient {
  return new Proxy(table, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      const fn = value as (...args: unknown[]) => unknown;
      switch (prop) {
        case 'createEntity':
        case 'updateEntity':
        case 'upsertEntity':
          return async (entity: Entity, ...rest: unknown[]) => {
            assertEntityFits(entity);
            return fn.call(target, entity, ...rest);
          };
        case 'submitTransaction':
          return async (actions: TransactionAction[], ...rest: unknown[]) => {
            assertBatchFits(actions);
            return fn.call(target, actions, ...rest);
          };
        default:
          return fn.bind(target);
      }
    },
  });
}
