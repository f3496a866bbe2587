import { createHash, randomUUID } from 'node:crypto';
import { TableClient, TransactionAction } from '@azure/data-tables';
import { AuditEvent, GLOBAL } from '../domain/audit';
import { Organisation, organisationKeys } from '../domain/organisation';
import { err, ok } from '../domain/result';
import type { OrganisationRepo } from '../ports';
import type { Versioned } from '../domain/versioned';
import { auditToEntity, fromJsonEntity, jsonEntity, prefixFilter } from './entities';
import { assertGlobalAudit } from './organisation-memory';
import { isConflict, isNotFound } from './tables';

/**
 * The registry lives in the global partition of the rounds table (next to roles and their audit):
 * one row per entry (`org_<id>`) and one index row per key the entry claims (`orgkey_<hash>`:
 * normalised name, each normalised alias, KvK number; see `organisationKeys`). An entry and its
 * index rows are written in one transaction with the audit row: a second entry with a taken key
 * fails as a whole (409), however many register at the same moment. Keys are hashed, so names
 * (personal data when the organisation is an eenmanszaak) stay out of row keys.
 */
const ENTRY_PREFIX = 'org_';
const ROW = {
  entry: (id: string) => `${ENTRY_PREFIX}${id}`,
  key: (key: string) => `orgkey_${createHash('sha256').update(key).digest('hex')}`,
};
/** How old the copy of the registry used for linking at submission may be (`listRecent`). */
export const REGISTRY_COPY_MS = 30_000;
/** Table Storage: at most 100 operations in one transaction. */
const MAX_ACTIONS = 100;

const audit = (event: AuditEvent): TransactionAction => ['create', auditToEntity(event, randomUUID())];
const keyRow = (key: string, orgId: string) => ({ partitionKey: GLOBAL, rowKey: ROW.key(key), kind: 'organisation-key', orgId });

export class TableOrganisationRepo implements OrganisationRepo {
  /** The last list read, shared by the calls within REGISTRY_COPY_MS (one read for a burst of submissions); dropped on every own write. */
  private copy?: { at: number; list: Promise<Versioned<Organisation>[]> };

  constructor(private readonly table: TableClient) {}

  private async row(rowKey: string): Promise<Record<string, unknown> | undefined> {
    try {
      return await this.table.getEntity<Record<string, unknown>>(GLOBAL, rowKey);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /** The entry that holds one of `keys`, other than `except` (after a refused write: who won). */
  private async holderOf(keys: string[], except?: string): Promise<string | undefined> {
    const rows = await Promise.all(keys.map((k) => this.row(ROW.key(k))));
    return rows.map((r) => (r ? String(r.orgId) : undefined)).find((id) => id !== undefined && id !== except);
  }

  private submit(actions: TransactionAction[]) {
    if (actions.length > MAX_ACTIONS) throw new RangeError(`an organisation write of ${actions.length} operations does not fit one transaction`);
    return this.table.submitTransaction(actions);
  }

  async list(): Promise<Versioned<Organisation>[]> {
    const out: Versioned<Organisation>[] = [];
    const filter = prefixFilter(GLOBAL, ENTRY_PREFIX, "kind eq 'organisation'");
    for await (const e of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter } }))
      out.push({ value: fromJsonEntity<Organisation>(e), etag: String(e.etag) });
    return out;
  }

  listRecent(): Promise<Versioned<Organisation>[]> {
    const now = performance.now();
    if (!this.copy || now - this.copy.at > REGISTRY_COPY_MS) {
      const list = this.list();
      const copy = { at: now, list };
      this.copy = copy;
      // A failed read is not kept: the next call reads again.
      list.catch(() => {
        if (this.copy === copy) this.copy = undefined;
      });
    }
    return this.copy.list;
  }

  async get(id: string): Promise<Versioned<Organisation> | undefined> {
    const e = await this.row(ROW.entry(id));
    return e ? { value: fromJsonEntity<Organisation>(e), etag: String(e.etag) } : undefined;
  }

  async create(org: Organisation, event: AuditEvent) {
    try {
      return await this.createEntry(org, event);
    } finally {
      this.copy = undefined;
    }
  }

  async update(current: Versioned<Organisation>, next: Organisation, event: AuditEvent) {
    try {
      return await this.updateEntry(current, next, event);
    } finally {
      this.copy = undefined;
    }
  }

  private async createEntry(org: Organisation, event: AuditEvent) {
    assertGlobalAudit(event);
    const keys = organisationKeys(org);
    try {
      const res = await this.submit([
        ['create', jsonEntity(GLOBAL, ROW.entry(org.id), 'organisation', org)],
        ...keys.map((k): TransactionAction => ['create', keyRow(k, org.id)]),
        audit(event),
      ]);
      return ok({ value: org, etag: String(res.subResponses[0]?.etag) });
    } catch (e) {
      if (!isConflict(e)) throw e;
      const existingId = (await this.row(ROW.entry(org.id))) ? org.id : await this.holderOf(keys);
      return err({ code: 'ALREADY_EXISTS' as const, ...(existingId ? { existingId } : {}) });
    }
  }

  private async updateEntry(current: Versioned<Organisation>, next: Organisation, event: AuditEvent) {
    assertGlobalAudit(event);
    if (next.id !== current.value.id) throw new RangeError('an update keeps the entry’s id');
    const before = new Set(organisationKeys(current.value));
    const after = organisationKeys(next);
    const added = after.filter((k) => !before.has(k));
    const removed = [...before].filter((k) => !after.includes(k));
    try {
      const res = await this.submit([
        ['update', jsonEntity(GLOBAL, ROW.entry(next.id), 'organisation', next), 'Replace', { etag: current.etag }],
        ...removed.map((k): TransactionAction => ['delete', { partitionKey: GLOBAL, rowKey: ROW.key(k) }]),
        ...added.map((k): TransactionAction => ['create', keyRow(k, next.id)]),
        audit(event),
      ]);
      return ok({ value: next, etag: String(res.subResponses[0]?.etag) });
    } catch (e) {
      if (!isConflict(e)) throw e;
      // The entry changed since read (the ETag), or a new key is another entry's.
      const now = await this.row(ROW.entry(next.id));
      if (!now || String(now.etag) !== current.etag) return err({ code: 'CONFLICT' as const });
      const existingId = await this.holderOf(added, next.id);
      return existingId ? err({ code: 'ALREADY_EXISTS' as const, existingId }) : err({ code: 'CONFLICT' as const });
    }
  }
}
