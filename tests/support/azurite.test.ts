import { RestError, TableClient, TableServiceClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type RunningAzurite } from './azurite';

describe('in-process Azurite', () => {
  let azurite: RunningAzurite;
  let table: TableClient;

  beforeAll(async () => {
    azurite = await startAzurite();
    table = TableClient.fromConnectionString(azurite.connectionString, 'Roundtrip', {
      allowInsecureConnection: true,
    });
    await table.createTable();
  });

  afterAll(async () => {
    await azurite?.stop();
  });

  it('listens on an ephemeral local port', () => {
    expect(azurite.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(azurite.url).not.toMatch(/:10002$/);
  });

  it('round-trips an entity and enforces optimistic concurrency', async () => {
    await table.upsertEntity({ partitionKey: 'p', rowKey: 'r', amount: 100 }, 'Replace');
    const first = await table.getEntity<{ amount: number }>('p', 'r');
    expect(first.amount).toBe(100);

    await table.updateEntity({ partitionKey: 'p', rowKey: 'r', amount: 150 }, 'Replace', {
      etag: first.etag,
    });
    const stale = table.updateEntity({ partitionKey: 'p', rowKey: 'r', amount: 200 }, 'Replace', {
      etag: first.etag,
    });
    await expect(stale).rejects.toSatisfy((e) => e instanceof RestError && e.statusCode === 412);
    expect((await table.getEntity<{ amount: number }>('p', 'r')).amount).toBe(150);
  });

  it('applies a transaction all-or-nothing', async () => {
    await table.submitTransaction([
      ['create', { partitionKey: 't', rowKey: '1' }],
      ['create', { partitionKey: 't', rowKey: '2' }],
    ]);
    // Second batch collides on row 2, so row 3 must not appear either.
    const failed = table.submitTransaction([
      ['create', { partitionKey: 't', rowKey: '3' }],
      ['create', { partitionKey: 't', rowKey: '2' }],
    ]);
    await expect(failed).rejects.toBeInstanceOf(RestError);

    const rows: string[] = [];
    for await (const e of table.listEntities({ queryOptions: { filter: "PartitionKey eq 't'" } })) {
      rows.push(e.rowKey as string);
    }
    expect(rows).toEqual(['1', '2']);
  });

  it('stops and frees the port; instances are isolated', async () => {
    const other = await startAzurite();
    const service = TableServiceClient.fromConnectionString(other.connectionString, {
      allowInsecureConnection: true,
    });
    const names: string[] = [];
    for await (const t of service.listTables()) names.push(t.name ?? '');
    expect(names).toEqual([]);

    await other.stop();
    await expect(fetch(`${other.url}/`)).rejects.toThrow();
  });
});
