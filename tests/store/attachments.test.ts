import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/clock';
import { newDraft } from '../../src/domain/application';
import { auditEvent } from '../../src/domain/audit';
import { azureBlobs } from '../../src/store/blob-store';
import { ensureTables, tableClients } from '../../src/store/tables';
import { tableRepos } from '../../src/store/table-repos';
import { attachFile, deleteAttachments, sweepOrphanBlobs } from '../../src/usecases/attachments';
import type { Deps } from '../../src/usecases/deps';
import { startAzurite, RunningAzurite } from '../support/azurite';
import { SAMPLES } from '../support/files';

let azurite: RunningAzurite;
let seq = 0;
const APPLICANT = 'ae6442f7-d916-41cc-be58-673e9d5e2860';
const ROUND = 'LB-2026';

beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(() => azurite?.stop());

/** A draft in Table Storage and a fresh container, on Azurite; `later` moves the clock on. */
async function world() {
  const n = ++seq;
  const clients = tableClients(azurite.connectionString, `Att${process.pid}x${n}`);
  await ensureTables(clients);
  const blobs = azureBlobs(azurite.connectionString, `attachments-${n}`);
  await blobs.ensure();
  let offset = 0;
  const clock: Clock = { now: () => new Date(Date.now() + offset) } as Clock;
  const deps: Deps = { repos: tableRepos(clients), clock, blobs };
  const draft = newDraft({ id: `a${String(n).padStart(19, '0')}`, roundId: ROUND, applicantId: APPLICANT, now: new Date() });
  await deps.repos.applications.create(draft, auditEvent(ROUND, APPLICANT, 'application.created', draft.id, new Date()));
  const attach = (bytes: Uint8Array, sourceId = `s-${Math.random()}`, d: Deps = deps) =>
    attachFile(d, { actorId: APPLICANT, roundId: ROUND, applicationId: draft.id, fileName: 'plan.pdf', bytes, sourceId });
  return { deps, blobs, draft, attach, later: (ms: number) => (offset += ms) };
}

describe('attachments on Azurite (blobs and table rows)', () => {
  it('a stored file has both its row and its blob, and every row’s blob exists', async () => {
    const w = await world();
    const res = await w.attach(SAMPLES.pdf);
    expect(res.ok && res.value.outcome).toBe('stored');
    const rows = await w.deps.repos.attachments.list(ROUND, w.draft.id);
    expect(rows).toHaveLength(1);
    const blob = await w.blobs.open(rows[0]!.value.blobName);
    expect(blob?.contentType).toBe('application/pdf');
    const chunks: Uint8Array[] = [];
    for await (const c of blob!.stream) chunks.push(c);
    expect(new Uint8Array(Buffer.concat(chunks))).toEqual(SAMPLES.pdf);
    // The row is in the application's key range: the review card's read carries it.
    expect((await w.deps.repos.reviews.scene(ROUND, w.draft.id)).bundle.attachments).toHaveLength(1);
  });

  it('the same content twice, at once or re-delivered, is stored once', async () => {
    const w = await world();
    const [a, b] = await Promise.all([w.attach(SAMPLES.pdf, 'one'), w.attach(SAMPLES.pdf, 'two')]);
    expect([a, b].map((r) => r.ok && r.value.outcome).sort()).toEqual(['duplicate', 'stored']);
    const again = await w.attach(SAMPLES.pdf, 'one');
    expect(again.ok && again.value.outcome).toMatch(/redelivered|duplicate/);
    expect(await w.deps.repos.attachments.list(ROUND, w.draft.id)).toHaveLength(1);
    expect(await w.blobs.list('')).toHaveLength(1);
  });

  it('a crash between blob and row leaves no row without its blob, and the orphan blob is swept once old enough', async () => {
    const w = await world();
    await w.attach(SAMPLES.png);
    // The row write fails and the process "dies" before it can delete the blob it stored.
    const crashing: Deps = {
      ...w.deps,
      repos: {
        ...w.deps.repos,
        attachments: Object.assign(Object.create(w.deps.repos.attachments), { add: () => Promise.reject(new Error('process died')) }),
      },
      blobs: { ...w.blobs, delete: () => Promise.reject(new Error('process died')) },
    };
    await expect(w.attach(SAMPLES.pdf, 'crash', crashing)).rejects.toThrow('process died');
    const rows = (await w.deps.repos.attachments.list(ROUND, w.draft.id)).map((r) => r.value);
    expect(rows.map((r) => r.kind)).toEqual(['png']);
    for (const r of rows) expect(await w.blobs.open(r.blobName)).toBeDefined();
    expect(await w.blobs.list('')).toHaveLength(2);

    expect(await sweepOrphanBlobs(w.deps)).toBe(0); // too young: it could be an upload in progress
    w.later(16 * 60 * 1000);
    expect(await sweepOrphanBlobs(w.deps)).toBe(1);
    expect((await w.blobs.list('')).map((b) => b.name)).toEqual(rows.map((r) => r.blobName));
  });

  it('a file arriving at the same moment as others cannot break the count limit; deleteAttachments removes rows and blobs', async () => {
    const w = await world();
    const distinct = Array.from({ length: 12 }, (_, i) => new Uint8Array([...SAMPLES.png, i]));
    const results = await Promise.all(distinct.map((b) => w.attach(b)));
    const stored = results.filter((r) => r.ok && r.value.outcome === 'stored').length;
    expect(stored).toBeLessThanOrEqual(10);
    expect(await w.deps.repos.attachments.list(ROUND, w.draft.id)).toHaveLength(stored);
    expect(await deleteAttachments(w.deps, ROUND, w.draft.id)).toBe(stored);
    expect(await w.deps.repos.attachments.list(ROUND, w.draft.id)).toEqual([]);
    expect(await w.blobs.list('')).toEqual([]);
  });
});
