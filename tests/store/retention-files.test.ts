import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobNameOf, type AttachmentRecord } from '../../src/domain/attachments';
import { auditEvent } from '../../src/domain/audit';
import type { Repos } from '../../src/ports';
import { azureBlobs } from '../../src/store/blob-store';
import { ensureTables, tableClients } from '../../src/store/tables';
import { tableRepos } from '../../src/store/table-repos';
import { anonymiseApplication, anonymiseDue } from '../../src/usecases/anonymise';
import type { Deps } from '../../src/usecases/deps';
import { fixedClock, NOW } from '../fixtures';
import { startAzurite, RunningAzurite } from '../support/azurite';
import { SAMPLES } from '../support/files';
import { reportsOf, retentionRound } from '../support/retention-round';
import { ACCOUNTHOUDER } from '../support/rounds';

let azurite: RunningAzurite;
let n = 0;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(() => azurite?.stop());

const LATER = new Date('2036-01-02T08:00:00Z');

/** The retention round in Table Storage with two files on each of two applications (rows and blobs), and a blob without a row. */
async function world() {
  const k = ++n;
  const clients = tableClients(azurite.connectionString, `RetF${process.pid}x${k}`);
  await ensureTables(clients);
  const blobs = azureBlobs(azurite.connectionString, `retention-files-${k}`);
  await blobs.ensure();
  const repos = tableRepos(clients);
  const built = await retentionRound(repos);
  const { roundId, ids } = built;
  const withFiles = [ids[0]!, ids[4]!];
  for (const applicationId of withFiles) {
    for (const [i, bytes] of [SAMPLES.pdf, SAMPLES.png].entries()) {
      const app = (await repos.applications.get(roundId, applicationId))!;
      const id = `f${i}${applicationId.slice(0, 6)}`;
      const record: AttachmentRecord = {
        id,
        roundId,
        applicationId,
        sha256: `${i}`.repeat(64),
        blobName: blobNameOf(roundId, applicationId, id),
        name: i ? 'foto-van-de-familie.png' : 'plan.pdf',
        kind: i ? 'png' : 'pdf',
        size: bytes.length,
        addedBy: app.value.applicantId,
        addedAt: NOW.toISOString(),
        sourceId: `src-${id}`,
      };
      await blobs.put(record.blobName, bytes, i ? 'image/png' : 'application/pdf');
      const added = await repos.attachments.add(app, record, auditEvent(roundId, app.value.applicantId, 'application.attachment-added', applicationId, NOW));
      if (!added.ok) throw new Error('attachment');
    }
  }
  // An upload that crashed between blob and row: a blob under the application with no row.
  await blobs.put(blobNameOf(roundId, withFiles[0]!, 'orphan'), SAMPLES.pdf, 'application/pdf');
  const deps = (r: Repos = repos, at = LATER): Deps => ({ repos: r, clock: fixedClock(at), accounthouders: [ACCOUNTHOUDER], pseudonymSecret: 's', blobs });
  return { ...built, repos, blobs, deps, withFiles };
}

const anonymisedAudit = async (repos: Repos, roundId: string) => (await repos.audit.list(roundId)).filter((e) => e.action === 'application.anonymised');

describe('attachments go with the application (Azurite: blobs and tables)', () => {
  it('the scheduled run deletes every attachment row and blob of each application once; the reports are unchanged; a rerun does nothing', async () => {
    const w = await world();
    const before = await reportsOf(w.repos, w.roundId);
    expect(await w.blobs.list(`${w.roundId}/`)).toHaveLength(5);

    const first = await anonymiseDue(w.deps(), { owner: 'a' });
    expect(first).toMatchObject({ ran: true, anonymised: w.ids.length + 1, failedRounds: 0 });
    for (const id of w.withFiles) {
      expect(await w.repos.attachments.list(w.roundId, id)).toEqual([]);
      expect(await w.blobs.list(`${w.roundId}/${id}/`)).toEqual([]);
      const marker = (await w.repos.retention.markers(w.roundId)).find((m) => m.value.applicationId === id)!;
      // The outcome counts the files (the rows; the orphan blob is swept, not counted as a file).
      expect(marker.value).toMatchObject({ state: 'done', removed: { files: 2 } });
    }
    expect(await w.blobs.list('')).toEqual([]);
    expect(JSON.stringify((await w.repos.allocation.snapshotWithReviews(w.roundId))!.bundles.get(w.withFiles[0]!))).not.toContain('foto-van-de-familie');
    expect((await reportsOf(w.repos, w.roundId)).numbers).toEqual(before.numbers);
    expect((await reportsOf(w.repos, w.roundId)).woo).toBe(before.woo);
    const deletedAudit = (await w.repos.audit.list(w.roundId)).filter((e) => e.action === 'application.attachments-deleted');
    expect(deletedAudit.map((e) => e.subjectId).sort()).toEqual([...w.withFiles].sort());

    const again = await anonymiseDue(w.deps(), { owner: 'a' });
    expect(again).toMatchObject({ anonymised: 0, failedRounds: 0 });
    expect((await w.repos.audit.list(w.roundId)).filter((e) => e.action === 'application.attachments-deleted')).toHaveLength(2);
    expect(await anonymisedAudit(w.repos, w.roundId)).toHaveLength(w.ids.length + 1);
    const once = await anonymiseApplication(w.deps(), { actorId: 'system', roundId: w.roundId, applicationId: w.withFiles[0]!, reason: 'retention' });
    expect(once.ok && once.value).toMatchObject({ already: true, removed: { files: 2 } });
  }, 60_000);

  it('a process dying after the application row and before the files leaves a files-pending marker; the next run deletes them and says how many', async () => {
    const w = await world();
    const id = w.withFiles[1]!;
    const dying: Repos = {
      ...w.repos,
      attachments: new Proxy(w.repos.attachments, {
        get(target, prop) {
          if (prop === 'removeAll') return async () => Promise.reject(new Error('process died'));
          const v = Reflect.get(target, prop) as unknown;
          return typeof v === 'function' ? v.bind(target) : v;
        },
      }),
    };
    await expect(
      anonymiseApplication(w.deps(dying), { actorId: ACCOUNTHOUDER, roundId: w.roundId, applicationId: id, reason: 'accounthouder' }),
    ).rejects.toThrow('process died');
    const mid = (await w.repos.retention.markers(w.roundId)).find((m) => m.value.applicationId === id)!;
    expect(mid.value).toMatchObject({ state: 'files-pending', removed: { files: 2 } });
    // The application row is whole already (no contact, no texts); only the files wait.
    expect((await w.repos.applications.get(w.roundId, id))!.value.fields.contactName).toBeUndefined();
    expect(await w.repos.attachments.list(w.roundId, id)).toHaveLength(2);

    // Retention is not due yet for this one (decided in 2026): the run resumes it because of the marker.
    const resumed = await anonymiseDue(w.deps(w.repos, new Date('2026-12-01T08:00:00Z')), { owner: 'a' });
    expect(resumed).toMatchObject({ anonymised: 1, failedRounds: 0 });
    expect(await w.repos.attachments.list(w.roundId, id)).toEqual([]);
    expect(await w.blobs.list(`${w.roundId}/${id}/`)).toEqual([]);
    expect((await w.repos.retention.markers(w.roundId)).find((m) => m.value.applicationId === id)!.value.state).toBe('done');
    expect((await anonymisedAudit(w.repos, w.roundId)).filter((e) => e.subjectId === id)).toHaveLength(1);
    // The other application's files are untouched: nothing was due for it.
    expect(await w.repos.attachments.list(w.roundId, w.withFiles[0]!)).toHaveLength(2);
  }, 60_000);
});
