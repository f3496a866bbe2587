import { createHash, randomBytes } from 'node:crypto';
import { type Application, isEditable } from '../domain/application';
import {
  AttachmentKind,
  AttachmentRecord,
  AttachmentRefusal,
  attachmentRulesOf,
  blobNameOf,
  checkLimits,
  classify,
  CONTENT_TYPES,
  documentOf,
  safeFileName,
} from '../domain/attachments';
import { auditEvent } from '../domain/audit';
import { ApplicationForm, fileQuestionsOf, formOf, LocalText } from '../domain/form';
import { err, ok, Result } from '../domain/result';
import type { Deps } from './deps';
import { loadOwnApplication } from './load-own-application';

/** An application's attachment as a card shows it. */
export interface AttachmentView {
  id: string;
  name: string;
  size: number;
  kind: AttachmentKind;
  document?: string;
  /** The form's name for that document (a file question's label), when the round's form asks for it. */
  documentLabel?: LocalText;
  /** The signed download link (absent when the bot signs no links). */
  url?: string;
}

export function attachmentViews(deps: Deps, records: readonly AttachmentRecord[], round?: { form?: ApplicationForm }): AttachmentView[] {
  const now = deps.clock.now();
  const labels = new Map(round ? fileQuestionsOf(formOf(round)).flatMap((q) => (q.label ? [[q.id, q.label] as const] : [])) : []);
  return [...records]
    .sort((a, b) => a.addedAt.localeCompare(b.addedAt))
    .map((r) => ({
      id: r.id,
      name: r.name,
      size: r.size,
      kind: r.kind,
      ...(r.document ? { document: r.document } : {}),
      ...(r.document && labels.has(r.document) ? { documentLabel: labels.get(r.document)! } : {}),
      ...(deps.attachmentLinks ? { url: deps.attachmentLinks.url(r.roundId, r.applicationId, r.id, now) } : {}),
    }));
}

/** The attachments of an application, for its own applicant's cards. */
export async function listAttachments(deps: Deps, roundId: string, applicationId: string): Promise<AttachmentRecord[]> {
  return (await deps.repos.attachments.list(roundId, applicationId)).map((r) => r.value);
}

/**
 * The application a file sent in the chat belongs to: the open one (a draft, or one sent back for
 * changes) the partner last worked on, of those in rounds that exist, and how many are open.
 * A change request counts as work on it (its `updatedAt`), so a file right after one lands there.
 */
export async function draftForFiles(deps: Deps, applicantId: string): Promise<{ draft?: Application; drafts: number }> {
  const drafts = (await deps.repos.applications.listByApplicant(applicantId)).map((a) => a.value).filter((a) => isEditable(a.status));
  drafts.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || a.id.localeCompare(b.id));
  return { ...(drafts[0] ? { draft: drafts[0] } : {}), drafts: drafts.length };
}

export type AttachError =
  | AttachmentRefusal
  | { code: 'WRONG_TYPE' }
  | { code: 'NOT_FOUND' }
  | { code: 'NOT_DRAFT'; application: Application }
  | { code: 'UNAVAILABLE' }
  /** Every attempt lost a race with another change of the draft (try again). */
  | { code: 'BUSY' };

export interface Attached {
  /** stored: new; duplicate: this content was attached before; redelivered: the same activity came again (answered as the first time). */
  outcome: 'stored' | 'duplicate' | 'redelivered';
  record: AttachmentRecord;
  application: Application;
  attachments: AttachmentRecord[];
}

const ATTEMPTS = 4;

/**
 * Stores a file on the partner's own open application (a draft, or sent back for changes). Nothing is half-stored: the blob goes in first under
 * a fresh id, then its row in one transaction with the application's guard (still this draft,
 * unchanged since read: the limits hold against a file arriving at the same moment) and the
 * audit record; when the row is not written the blob is deleted again, and a blob left by a
 * crash in between has no row and is removed by `sweepOrphanBlobs`. The same content twice is
 * stored once (one row per content hash).
 */
export async function attachFile(
  deps: Deps,
  input: { actorId: string; roundId: string; applicationId: string; fileName: string; bytes: Uint8Array; sourceId: string },
): Promise<Result<Attached, AttachError>> {
  const blobs = deps.blobs;
  if (!blobs) return err({ code: 'UNAVAILABLE' });
  const sha256 = createHash('sha256').update(input.bytes).digest('hex');
  // The documents the round's form asks for (its form is frozen once anyone submitted, and this draft is not submitted yet).
  const round = await deps.repos.rounds.get(input.roundId);
  const rules = attachmentRulesOf(round?.value ?? { id: input.roundId });
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const own = await loadOwnApplication(deps, input.actorId, input.roundId, input.applicationId);
    if (!own) return err({ code: 'NOT_FOUND' });
    if (!isEditable(own.value.status)) return err({ code: 'NOT_DRAFT', application: own.value });
    const kind = classify(rules, input.bytes);
    if (!kind.ok) return kind;
    const existing = await listAttachments(deps, input.roundId, input.applicationId);
    const same = existing.find((a) => a.sha256 === sha256);
    if (same)
      return ok({ outcome: same.sourceId === input.sourceId ? 'redelivered' : 'duplicate', record: same, application: own.value, attachments: existing });
    const limits = checkLimits(rules, existing, input.bytes.length);
    if (!limits.ok) return limits;

    const now = deps.clock.now();
    const id = randomBytes(8).toString('hex');
    const name = safeFileName(input.fileName, kind.value);
    const document = documentOf(rules, name, kind.value);
    const record: AttachmentRecord = {
      id,
      roundId: own.value.roundId,
      applicationId: own.value.id,
      sha256,
      blobName: blobNameOf(own.value.roundId, own.value.id, id),
      name,
      kind: kind.value,
      ...(document ? { document } : {}),
      size: input.bytes.length,
      addedBy: input.actorId,
      addedAt: now.toISOString(),
      sourceId: input.sourceId,
    };
    await blobs.put(record.blobName, input.bytes, CONTENT_TYPES[kind.value]);
    let added: Awaited<ReturnType<typeof deps.repos.attachments.add>>;
    try {
      added = await deps.repos.attachments.add(
        own,
        record,
        auditEvent(own.value.roundId, input.actorId, 'application.attachment-added', own.value.id, now, {
          attachmentId: id,
          kind: kind.value,
          bytes: record.size,
        }),
      );
    } catch (e) {
      await blobs.delete(record.blobName).catch(() => undefined);
      throw e;
    }
    if (added.ok) return ok({ outcome: 'stored', record, application: own.value, attachments: [...existing, record] });
    await blobs.delete(record.blobName).catch(() => undefined);
    if (added.error.code === 'ALREADY_EXISTS' && 'existing' in added.error && added.error.existing) {
      const other = added.error.existing;
      return ok({
        outcome: other.sourceId === input.sourceId ? 'redelivered' : 'duplicate',
        record: other,
        application: own.value,
        attachments: await listAttachments(deps, input.roundId, input.applicationId),
      });
    }
    // The draft changed meanwhile (another file, a step saved, a submission): read again.
  }
  return err({ code: 'BUSY' });
}

/**
 * Removes one attachment from the partner's own open application (a draft, or sent back for changes): its row first (with the application's
 * guard and the audit record), then the blob. A second press finds no row and changes nothing.
 */
export async function removeAttachment(
  deps: Deps,
  input: { actorId: string; roundId: string; applicationId: string; attachmentId: string },
): Promise<
  Result<{ removed?: AttachmentRecord; application: Application }, { code: 'NOT_FOUND' } | { code: 'NOT_DRAFT'; application: Application } | { code: 'BUSY' }>
> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const own = await loadOwnApplication(deps, input.actorId, input.roundId, input.applicationId);
    if (!own) return err({ code: 'NOT_FOUND' });
    if (!isEditable(own.value.status)) return err({ code: 'NOT_DRAFT', application: own.value });
    const row = (await deps.repos.attachments.list(input.roundId, input.applicationId)).find((r) => r.value.id === input.attachmentId);
    if (!row) return ok({ application: own.value });
    const now = deps.clock.now();
    const removed = await deps.repos.attachments.remove(
      own,
      row,
      auditEvent(own.value.roundId, input.actorId, 'application.attachment-removed', own.value.id, now, { attachmentId: row.value.id }),
    );
    if (removed.ok) {
      // The row is gone: a blob that cannot be deleted now is an orphan the sweep removes.
      await deps.blobs?.delete(row.value.blobName).catch(() => undefined);
      return ok({ removed: row.value, application: own.value });
    }
  }
  return err({ code: 'BUSY' });
}

/**
 * Deletes every attachment of an application, rows and blobs (for retention and anonymisation:
 * call this when an application's personal data goes). Rows first, so no row ever points at a
 * missing blob; a blob whose delete fails is left to `sweepOrphanBlobs`. Returns how many.
 */
export async function deleteAttachments(deps: Deps, roundId: string, applicationId: string, actorId = 'system'): Promise<number> {
  const now = deps.clock.now();
  const removed = await deps.repos.attachments.removeAll(
    roundId,
    applicationId,
    auditEvent(roundId, actorId, 'application.attachments-deleted', applicationId, now),
  );
  await Promise.all(removed.map((r) => deps.blobs?.delete(r.blobName).catch(() => undefined)));
  // Blobs of this application without a row (an upload that crashed half-way) go too.
  const left = (await deps.blobs?.list(`${roundId}/${applicationId}/`)) ?? [];
  await Promise.all(left.map((b) => deps.blobs?.delete(b.name).catch(() => undefined)));
  return removed.length;
}

/** A blob is an orphan once it is this old without a row (an upload in progress has its row within seconds). */
export const ORPHAN_AFTER_MS = 15 * 60 * 1000;

/** Deletes blobs that no attachment row references and that are older than `olderThanMs`; returns how many. */
export async function sweepOrphanBlobs(deps: Deps, olderThanMs = ORPHAN_AFTER_MS): Promise<number> {
  if (!deps.blobs) return 0;
  const cutoff = deps.clock.now().getTime() - olderThanMs;
  const blobs = (await deps.blobs.list('')).filter((b) => b.createdAt.getTime() <= cutoff);
  if (!blobs.length) return 0;
  const rounds = [...new Set(blobs.map((b) => b.name.split('/')[0] ?? ''))];
  const referenced = new Set<string>();
  for (const roundId of rounds) {
    if (!roundId) continue;
    for (const r of await deps.repos.attachments.listRound(roundId)) referenced.add(r.blobName);
  }
  const orphans = blobs.filter((b) => !referenced.has(b.name));
  for (const b of orphans) await deps.blobs.delete(b.name);
  return orphans.length;
}

/** One attachment's record and bytes, for the download route (which has checked the signed link first). */
export async function openAttachment(deps: Deps, roundId: string, applicationId: string, attachmentId: string) {
  const record = (await listAttachments(deps, roundId, applicationId)).find((r) => r.id === attachmentId);
  if (!record || !deps.blobs) return undefined;
  const blob = await deps.blobs.open(record.blobName);
  return blob && { record, blob };
}
