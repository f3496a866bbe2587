import { AuditEvent, GLOBAL } from '../domain/audit';
import { Organisation, organisationKeys } from '../domain/organisation';
import { err, ok } from '../domain/result';
import type { OrganisationRepo } from '../ports';
import type { Versioned } from '../domain/versioned';

/** The registry's audit belongs to no round: it goes to the global partition, in the same transaction as the entry. */
export function assertGlobalAudit(audit: AuditEvent): void {
  if (audit.roundId !== GLOBAL) throw new RangeError(`an organisation's audit event belongs to the ${GLOBAL} partition, not ${audit.roundId}`);
}

/**
 * In-memory twin of the organisation registry: the same refusals as the table (a taken id or key,
 * a stale ETag), each check and write without an await between them, so concurrent calls behave
 * like transactions.
 */
export function memoryOrganisations(store: { auditEvents: AuditEvent[] }): OrganisationRepo {
  let seq = 0;
  const etag = () => `W/"o${++seq}"`;
  const entries = new Map<string, Versioned<Organisation>>();
  /** Key (organisationKeys) → id of the entry that has it. */
  const keys = new Map<string, string>();
  const clone = <T>(v: T): T => structuredClone(v);
  const takenBy = (org: Organisation, except?: string) =>
    organisationKeys(org)
      .map((k) => keys.get(k))
      .find((id) => id !== undefined && id !== except);

  return {
    async list() {
      return [...entries.values()].map(clone);
    },
    async listRecent() {
      return [...entries.values()].map(clone);
    },
    async get(id) {
      const e = entries.get(id);
      return e && clone(e);
    },
    async create(org, audit) {
      assertGlobalAudit(audit);
      if (entries.has(org.id)) return err({ code: 'ALREADY_EXISTS' as const, existingId: org.id });
      const existingId = takenBy(org);
      if (existingId) return err({ code: 'ALREADY_EXISTS' as const, existingId });
      const v = { value: clone(org), etag: etag() };
      entries.set(org.id, v);
      for (const k of organisationKeys(org)) keys.set(k, org.id);
      store.auditEvents.push(clone(audit));
      return ok(clone(v));
    },
    async update(current, next, audit) {
      assertGlobalAudit(audit);
      if (next.id !== current.value.id) throw new RangeError('an update keeps the entry’s id');
      const stored = entries.get(next.id);
      if (!stored || stored.etag !== current.etag) return err({ code: 'CONFLICT' as const });
      const existingId = takenBy(next, next.id);
      if (existingId) return err({ code: 'ALREADY_EXISTS' as const, existingId });
      for (const k of organisationKeys(stored.value)) keys.delete(k);
      for (const k of organisationKeys(next)) keys.set(k, next.id);
      const v = { value: clone(next), etag: etag() };
      entries.set(next.id, v);
      store.auditEvents.push(clone(audit));
      return ok(clone(v));
    },
  };
}
