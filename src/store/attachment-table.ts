import { randomUUID } from 'node:crypto';
import type { TableClient, TransactionAction } from '@azure/data-tables';
import type { Application } from '../domain/application';
import type { AttachmentRecord } from '../domain/attachments';
import type { AuditEvent } from '../domain/audit';
import { err, ok } from '../domain/result';
import type { Versioned } from '../domain/versioned';
import type { AttachmentRepo } from '../ports';
import { auditToEntity, fromJsonEntity, jsonEntity, prefixFilter, ROW } from './entities';
import { fittingBatches } from './limits';
import { isConflict, isNotFound, statusOf } from './tables';

const entity = (r: AttachmentRecord) => ({ ...jsonEntity(r.roundId, ROW.attachment(r.applicationId, r.sha256), 'attachment', r), appId: r.applicationId });
const audit = (event: AuditEvent): TransactionAction => ['create', auditToEntity(event, randomUUID())];
/** Unchanged, but only while the application is as it was read (still the same draft). */
const appGuard = (app: Versioned<Application>): TransactionAction => [
  'update',
  { partitionKey: app.value.roundId, rowKey: ROW.app(app.value.id) },
  'Merge',
  { etag: app.etag },
];

/** Attachment rows (`app_<id>_a_<sha256>`), written in one transaction with the application's guard and the audit record. */
export class TableAttachmentRepo implements AttachmentRepo {
  constructor(private readonly table: TableClient) {}

  private async rows(filter: string) {
    const out: Versioned<AttachmentRecord>[] = [];
    for await (const e of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      out.push({ value: fromJsonEntity<AttachmentRecord>(e), etag: String(e.etag) });
    }
    return out;
  }

  list(roundId: string, applicationId: string) {
    return this.rows(prefixFilter(roundId, ROW.attachmentPrefix(applicationId)));
  }

  async listRound(roundId: string) {
    return (await this.rows(prefixFilter(roundId, ROW.appPrefix, "kind eq 'attachment'"))).map((r) => r.value);
  }

  async add(app: Versioned<Application>, record: AttachmentRecord, event: AuditEvent) {
    try {
      await this.table.submitTransaction([['create', entity(record)], appGuard(app), audit(event)]);
      return ok(undefined);
    } catch (e) {
      if (!isConflict(e)) throw e;
      // 409: a row for this content is there (the same file, or a re-delivered activity); 412: the application changed.
      if (statusOf(e) === 409 || (await this.exists(record))) {
        const existing = await this.get(record);
        return err({ code: 'ALREADY_EXISTS' as const, ...(existing ? { existing } : {}) });
      }
      return err({ code: 'CONFLICT' as const });
    }
  }

  async remove(app: Versioned<Application>, record: Versioned<AttachmentRecord>, event: AuditEvent) {
    try {
      await this.table.submitTransaction([
        // A transaction's delete takes no ETag; the application's guard orders every change of its attachments.
        ['delete', { partitionKey: record.value.roundId, rowKey: ROW.attachment(record.value.applicationId, record.value.sha256) }],
        appGuard(app),
        audit(event),
      ]);
      return ok(undefined);
    } catch (e) {
      if (isConflict(e) || isNotFound(e)) return err({ code: 'CONFLICT' as const });
      throw e;
    }
  }

  async removeAll(roundId: string, applicationId: string, event: AuditEvent) {
    const rows = await this.list(roundId, applicationId);
    if (!rows.length) return [];
    const deletes: TransactionAction[] = rows.map((r) => ['delete', { partitionKey: roundId, rowKey: ROW.attachment(applicationId, r.value.sha256) }]);
    for (const batch of fittingBatches([...deletes, audit(event)])) await this.table.submitTransaction(batch);
    return rows.map((r) => r.value);
  }

  private async get(record: AttachmentRecord): Promise<AttachmentRecord | undefined> {
    try {
      return fromJsonEntity<AttachmentRecord>(await this.table.getEntity(record.roundId, ROW.attachment(record.applicationId, record.sha256)));
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  private async exists(record: AttachmentRecord) {
    return (await this.get(record)) !== undefined;
  }
}
