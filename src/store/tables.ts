import { RestError, TableClient, TableServiceClient } from '@azure/data-tables';
import { limitedTable } from './limits';

export interface TableClients {
  rounds: TableClient;
  conversations: TableClient;
}

/**
 * Storage calls fail fast: an invoke must be answered within 5 s, so a long retry ladder would
 * turn a storage hiccup into a Teams time-out. Callers show a clear message instead.
 */
const RETRY = { maxRetries: 2, retryDelayInMs: 150, maxRetryDelayInMs: 600 };

function clientOptions(connectionString: string) {
  return { retryOptions: RETRY, allowInsecureConnection: /DefaultEndpointsProtocol=http;|UseDevelopmentStorage=true/i.test(connectionString) };
}

export function tableClients(connectionString: string, prefix = ''): TableClients {
  // Every write is checked against Table Storage's size limits before it is sent (`limits.ts`).
  const make = (name: string) => limitedTable(TableClient.fromConnectionString(connectionString, `${prefix}${name}`, clientOptions(connectionString)));
  return { rounds: make('Rounds'), conversations: make('Conversations') };
}

/** Creates the tables if missing; safe to run at every start. */
export async function ensureTables(clients: TableClients): Promise<void> {
  await Promise.all(Object.values(clients).map((c: TableClient) => c.createTable()));
}

export function serviceClient(connectionString: string): TableServiceClient {
  return TableServiceClient.fromConnectionString(connectionString, clientOptions(connectionString));
}

export function statusOf(e: unknown): number | undefined {
  if (e instanceof RestError) return e.statusCode;
  const s = (e as { statusCode?: unknown })?.statusCode;
  return typeof s === 'number' ? s : undefined;
}

/** 412: the ETag no longer matches. A failed transaction reports the failing operation's status (409 or 412). */
export const isConflict = (e: unknown) => statusOf(e) === 412 || statusOf(e) === 409;
export const isNotFound = (e: unknown) => statusOf(e) === 404;
