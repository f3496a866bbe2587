import type { Application } from '../domain/application';
import type { AuditEvent } from '../domain/audit';
import { err, ok } from '../domain/result';
import type { Round } from '../domain/round';
import type { AccounthouderRecord, ConversationRecord, Repos, Versioned } from '../ports';

/**
 * In-memory twins of the Table Storage repositories, for use-case tests. They keep the same
 * rules that matter to callers: ETag-conditioned updates, refused duplicate creates, and
 * all-or-nothing submission with a gap-free reference counter.
 */
export function memoryRepos(): Repos & { auditEvents: AuditEvent[]; failNext?: Error } {
  let etagSeq = 0;
  const etag = () => `W/"${++etagSeq}"`;
  const rounds = new Map<string, Versioned<Round>>();
  const apps = new Map<string, Versioned<Application>>();
  const counters = new Map<string, number>();
  const conversations = new Map<string, ConversationRecord>();
  const accounthouders = new Map<string, AccounthouderRecord>();
  const auditEvents: AuditEvent[] = [];
  const key = (roundId: string, id: string) => `${roundId}/${id}`;
  const clone = <T>(v: T): T => structuredClone(v);

  const repos = {
    auditEvents,
    failNext: undefined as Error | undefined,
    rounds: {
      async get(roundId: string) {
        const r = rounds.get(roundId);
        return r && clone(r);
      },
      async list() {
        return [...rounds.values()].map((r) => clone(r.value));
      },
      async create(round: Round, audit: AuditEvent) {
        if (rounds.has(round.id)) return err({ code: 'ALREADY_EXISTS' as const });
        const v = { value: clone(round), etag: etag() };
        rounds.set(round.id, v);
        counters.set(round.id, 1);
        auditEvents.push(clone(audit));
        return ok(clone(v));
      },
      async update(current: Versioned<Round>, next: Round, audit: AuditEvent, options: { whileNoSubmissions?: boolean } = {}) {
        throwIfFailing();
        if (options.whileNoSubmissions && (counters.get(next.id) ?? 1) > 1) return err({ code: 'FROZEN' as const });
        if (rounds.get(current.value.id)?.etag !== current.etag) return err({ code: 'CONFLICT' as const });
        const v = { value: clone(next), etag: etag() };
        rounds.set(next.id, v);
        auditEvents.push(clone(audit));
        return ok(clone(v));
      },
      async submissionCount(roundId: string) {
        return (counters.get(roundId) ?? 1) - 1;
      },
    },
    roles: {
      async isAccounthouder(userId: string) {
        return accounthouders.has(userId);
      },
      async addAccounthouder(record: AccounthouderRecord, audit: AuditEvent) {
        accounthouders.set(record.userId, clone(record));
        auditEvents.push(clone(audit));
      },
      async listAccounthouders() {
        return [...accounthouders.values()].map(clone);
      },
    },
    applications: {
      async get(roundId: string, id: string) {
        const a = apps.get(key(roundId, id));
        return a && clone(a);
      },
      async listByApplicant(applicantId: string) {
        return [...apps.values()].filter((a) => a.value.applicantId === applicantId).map(clone);
      },
      async create(app: Application, audit: AuditEvent) {
        throwIfFailing();
        if (apps.has(key(app.roundId, app.id))) return err({ code: 'ALREADY_EXISTS' as const });
        const v = { value: clone(app), etag: etag() };
        apps.set(key(app.roundId, app.id), v);
        auditEvents.push(clone(audit));
        return ok(clone(v));
      },
      async update(current: Versioned<Application>, next: Application, audit: AuditEvent) {
        throwIfFailing();
        const k = key(current.value.roundId, current.value.id);
        if (apps.get(k)?.etag !== current.etag) return err({ code: 'CONFLICT' as const });
        const v = { value: clone(next), etag: etag() };
        apps.set(k, v);
        auditEvents.push(clone(audit));
        return ok(clone(v));
      },
      async submit(current: Versioned<Application>, next: Application, audit: AuditEvent, reference: (n: number) => string) {
        throwIfFailing();
        const k = key(current.value.roundId, current.value.id);
        if (apps.get(k)?.etag !== current.etag) return err({ code: 'CONFLICT' as const });
        const sequence = counters.get(current.value.roundId) ?? 1;
        const submitted = { ...next, reference: reference(sequence) };
        counters.set(current.value.roundId, sequence + 1);
        const v = { value: clone(submitted), etag: etag() };
        apps.set(k, v);
        auditEvents.push({ ...clone(audit), details: { ...audit.details, reference: submitted.reference } });
        return ok(clone(v));
      },
    },
    audit: {
      async list(roundId: string) {
        return auditEvents.filter((e) => e.roundId === roundId).map(clone);
      },
    },
    conversations: {
      async save(record: ConversationRecord) {
        conversations.set(record.userId, clone(record));
      },
      async get(userId: string) {
        const c = conversations.get(userId);
        return c && clone(c);
      },
    },
    async ping() {
      return true;
    },
  };

  /** Lets a test make the next write fail as if storage were down. */
  function throwIfFailing() {
    const e = repos.failNext;
    if (e) {
      repos.failNext = undefined;
      throw e;
    }
  }
  return repos;
}
