import { DEFAULT_FORM_VERSION, sameForm } from '../domain/form';
import type { Application } from '../domain/application';
import type { AttachmentRecord } from '../domain/attachments';
import type { AuditEvent } from '../domain/audit';
import { err, ok } from '../domain/result';
import type { Round } from '../domain/round';
import type { PanelMember, Recusal } from '../domain/panel';
import type { ScoreSheet } from '../domain/scoring';
import { memoryConsultations } from './consultation-memory';
import { memoryOrganisations } from './organisation-memory';
import type { AccounthouderRecord } from '../domain/roles';
import type { AllocationRepo, AnonymiseWrite, ConsultationRepo, Repos, ReviewRowsWrite } from '../ports';
import type { AnonymisationMarker } from '../domain/retention';
import type { ConversationRecord, RosterAddress } from '../domain/conversation';
import type { DecisionRecord, PanelMark, ProposalPost } from '../domain/decision';
import type { OutboxEntry } from '../domain/outbox';
import type { DeletionRequest } from '../domain/privacy-request';
import { GLOBAL as GLOBAL_PARTITION } from '../domain/audit';
import type { Question, ReviewBundle, ReviewRecord } from '../domain/review';
import type { ReminderRecord } from '../domain/reminders';
import type { RoundSnapshot, SnapshotWithReviews } from '../domain/snapshot';
import type { Versioned } from '../domain/versioned';

/** Table Storage takes at most 100 operations in one transaction; the twins refuse what it would. */
const MAX_TRANSACTION = 100;

/** Ordinal string order, as Table Storage sorts its keys. */
const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** What Table Storage answers a create of a row that is already there (a 409), for writes that do not expect one. */
const entityExists = () => Object.assign(new Error('The specified entity already exists.'), { statusCode: 409 });

/**
 * In-memory twins of the Table Storage repositories, for use-case tests. They keep the same
 * rules that matter to callers: ETag-conditioned updates, refused duplicate creates, and
 * all-or-nothing submission with a gap-free reference counter; lists come in the order of the
 * table's keys. tests/store/repo-contract.test.ts runs the same tests against both.
 */
export function memoryRepos(): Repos & { auditEvents: AuditEvent[]; failNext?: Error } {
  let etagSeq = 0;
  const etag = () => `W/"${++etagSeq}"`;
  const rounds = new Map<string, Versioned<Round>>();
  const apps = new Map<string, Versioned<Application>>();
  const counters = new Map<string, number>();
  const conversations = new Map<string, ConversationRecord>();
  const roster = new Map<string, RosterAddress>();
  const accounthouders = new Map<string, AccounthouderRecord>();
  const ledgers = new Map<string, Versioned<{ spent: number }>>();
  const leases = new Map<string, { owner: string; expiresAt: number }>();
  /** Review rows by round/kind/application/member, like the table's row keys. */
  const rows = new Map<string, { kind: string; roundId: string; appId: string; value: unknown; etag: string }>();
  const put = (k: string, kind: string, roundId: string, appId: string, value: unknown) => {
    const row = { kind, roundId, appId, value: clone(value), etag: etag() };
    rows.set(k, row);
    return row;
  };
  /** A round's rows of one kind in key order (the keys sort like the table's row keys). */
  const rowsOf = <T>(kind: string, roundId: string, appId?: string) =>
    [...rows.entries()]
      .filter(([, r]) => r.kind === kind && r.roundId === roundId && (appId === undefined || r.appId === appId))
      .sort(([a], [b]) => byKey(a, b))
      .map(([, r]) => ({ value: clone(r.value) as T, etag: r.etag }));
  /** Applications in the table's order: by round, then id. */
  const appsWhere = (keep: (a: Application) => boolean) =>
    [...apps.values()]
      .filter((a) => keep(a.value))
      .sort((a, b) => byKey(a.value.roundId, b.value.roundId) || byKey(a.value.id, b.value.id))
      .map(clone);
  const auditEvents: AuditEvent[] = [];
  const key = (roundId: string, id: string) => `${roundId}/${id}`;
  const attachmentKey = (r: AttachmentRecord) => `${r.roundId}/attachment/${r.applicationId}/${r.sha256}`;
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
        return [...rounds.values()].map((r) => clone(r.value)).sort((a, b) => byKey(a.id, b.id));
      },
      async create(round: Round, audit: AuditEvent) {
        if (rounds.has(round.id)) return err({ code: 'ALREADY_EXISTS' as const });
        const v = { value: clone(round), etag: etag() };
        rounds.set(round.id, v);
        counters.set(round.id, 1);
        auditEvents.push(clone(audit));
        return ok(clone(v));
      },
      async update(current: Versioned<Round>, next: Round, audit: AuditEvent, options: { whileNoSubmissions?: boolean; budgetCoversSpent?: boolean } = {}) {
        throwIfFailing();
        // A changed form is frozen from the first submission like the criteria, whoever writes it.
        const guarded = options.whileNoSubmissions || !sameForm(current.value.form, next.form);
        if (guarded && (counters.get(next.id) ?? 1) > 1) return err({ code: 'FROZEN' as const });
        const spent = ledgers.get(next.id)?.value.spent ?? 0;
        if (options.budgetCoversSpent && spent > next.budget) return err({ code: 'OVERSPENT' as const, spent });
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
        return [...accounthouders.values()].map(clone).sort((a, b) => byKey(a.userId, b.userId));
      },
    },
    applications: {
      async get(roundId: string, id: string) {
        const a = apps.get(key(roundId, id));
        return a && clone(a);
      },
      async listByApplicant(applicantId: string) {
        return appsWhere((a) => a.applicantId === applicantId);
      },
      async listByRound(roundId: string) {
        return appsWhere((a) => a.roundId === roundId);
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
        const round = rounds.get(current.value.roundId)?.value;
        if (round && (round.form?.version ?? DEFAULT_FORM_VERSION) !== (next.formVersion ?? DEFAULT_FORM_VERSION))
          return err({ code: 'FORM_CHANGED' as const });
        const sequence = counters.get(current.value.roundId) ?? 1;
        const submitted = { ...next, reference: reference(sequence) };
        counters.set(current.value.roundId, sequence + 1);
        const v = { value: clone(submitted), etag: etag() };
        apps.set(k, v);
        auditEvents.push({ ...clone(audit), details: { ...audit.details, reference: submitted.reference } });
        return ok(clone(v));
      },
    },
    reviews: {
      async scene(roundId: string, appId: string) {
        const round = await repos.rounds.get(roundId);
        const app = await repos.applications.get(roundId, appId);
        return {
          ...(round ? { round } : {}),
          panel: await repos.reviews.listPanel(roundId),
          ...(app ? { app } : {}),
          bundle: await repos.reviews.bundle(roundId, appId),
        };
      },
      async listPanel(roundId: string) {
        return rowsOf<PanelMember>('panel', roundId)
          .map((r) => r.value)
          .sort((a, b) => a.addedAt.localeCompare(b.addedAt));
      },
      async putPanelMember(roundId: string, member: PanelMember, audit: AuditEvent) {
        put(`${roundId}/panel/${member.userId}`, 'panel', roundId, '', member);
        auditEvents.push(clone(audit));
      },
      async removePanelMember(roundId: string, userId: string, audit: AuditEvent) {
        if (rows.delete(`${roundId}/panel/${userId}`)) auditEvents.push(clone(audit));
      },
      async bundle(roundId: string, appId: string): Promise<ReviewBundle> {
        const review = rowsOf<ReviewRecord>('review', roundId, appId)[0];
        const attachments = rowsOf<AttachmentRecord>('attachment', roundId, appId).map((r) => r.value);
        return {
          ...(review ? { review } : {}),
          sheets: rowsOf<ScoreSheet>('sheet', roundId, appId),
          recusals: rowsOf<Recusal>('recusal', roundId, appId).map((r) => r.value),
          questions: rowsOf<Question>('question', roundId, appId),
          ...(attachments.length ? { attachments } : {}),
        };
      },
      async listReviews(roundId: string) {
        return rowsOf<ReviewRecord>('review', roundId);
      },
      async claim(roundId: string, record: ReviewRecord) {
        throwIfFailing();
        const k = `${roundId}/review/${record.applicationId}`;
        if (rows.has(k)) return err({ code: 'ALREADY_EXISTS' as const });
        return ok({ value: clone(record), etag: put(k, 'review', roundId, record.applicationId, record).etag });
      },
      async updateReview(roundId: string, current: Versioned<ReviewRecord>, next: ReviewRecord, audit?: AuditEvent) {
        const k = `${roundId}/review/${next.applicationId}`;
        if (rows.get(k)?.etag !== current.etag) return err({ code: 'CONFLICT' as const });
        if (audit) auditEvents.push(clone(audit));
        return ok({ value: clone(next), etag: put(k, 'review', roundId, next.applicationId, next).etag });
      },
      async transition(
        roundId: string,
        review: { current: Versioned<ReviewRecord>; next: ReviewRecord },
        application: { current: Versioned<Application>; next: Application },
        audit: AuditEvent[],
        outbox: OutboxEntry[] = [],
      ) {
        throwIfFailing();
        if (outbox.some((e) => e.roundId !== roundId)) throw new RangeError('the messages of a review change belong to its round');
        if (2 + audit.length + outbox.length > MAX_TRANSACTION)
          throw new RangeError(`a review change with ${outbox.length} messages does not fit one transaction`);
        const rk = `${roundId}/review/${review.next.applicationId}`;
        const ak = key(roundId, application.next.id);
        if (rows.get(rk)?.etag !== review.current.etag || apps.get(ak)?.etag !== application.current.etag) return err({ code: 'CONFLICT' as const });
        put(rk, 'review', roundId, review.next.applicationId, review.next);
        apps.set(ak, { value: clone(application.next), etag: etag() });
        auditEvents.push(...audit.map(clone));
        await repos.outbox.enqueue(outbox);
        return ok(undefined);
      },
      async saveSheet(roundId: string, appId: string, sheet: ScoreSheet, currentEtag: string | undefined, audit: AuditEvent, review: Versioned<ReviewRecord>) {
        throwIfFailing();
        const k = `${roundId}/sheet/${appId}/${sheet.memberId}`;
        const rk = `${roundId}/review/${appId}`;
        if (rows.get(k)?.etag !== currentEtag || rows.get(rk)?.etag !== review.etag) return err({ code: 'CONFLICT' as const });
        auditEvents.push(clone(audit));
        const next = { ...review.value, changes: (review.value.changes ?? 0) + 1 };
        const saved = put(k, 'sheet', roundId, appId, sheet).etag;
        return ok({ sheet: { value: clone(sheet), etag: saved }, review: { value: clone(next), etag: put(rk, 'review', roundId, appId, next).etag } });
      },
      async addRecusal(roundId: string, appId: string, recusal: Recusal, audit: AuditEvent, review: Versioned<ReviewRecord>) {
        const k = `${roundId}/recusal/${appId}/${recusal.memberId}`;
        const rk = `${roundId}/review/${appId}`;
        if (rows.has(k)) return err({ code: 'ALREADY_EXISTS' as const });
        if (rows.get(rk)?.etag !== review.etag) return err({ code: 'CONFLICT' as const });
        put(k, 'recusal', roundId, appId, recusal);
        put(rk, 'review', roundId, appId, { ...review.value, changes: (review.value.changes ?? 0) + 1 });
        auditEvents.push(clone(audit));
        return ok(undefined);
      },
      async addQuestion(roundId: string, question: Question, audit: AuditEvent) {
        if (rows.has(`${roundId}/question/${question.applicationId}/${question.id}`)) throw entityExists();
        put(`${roundId}/question/${question.applicationId}/${question.id}`, 'question', roundId, question.applicationId, question);
        auditEvents.push(clone(audit));
      },
      async answerQuestion(roundId: string, current: Versioned<Question>, next: Question, audit: AuditEvent) {
        const k = `${roundId}/question/${next.applicationId}/${next.id}`;
        if (rows.get(k)?.etag !== current.etag) return err({ code: 'CONFLICT' as const });
        put(k, 'question', roundId, next.applicationId, next);
        auditEvents.push(clone(audit));
        return ok(undefined);
      },
    },
    outbox: {
      async enqueue(entries: OutboxEntry[]) {
        for (const e of entries) if (!rows.has(`${e.roundId}/outbox/${e.id}`)) put(`${e.roundId}/outbox/${e.id}`, 'outbox', e.roundId, '', e);
      },
      async due(now: Date, staleClaimMs: number, limit = 100) {
        // ISO times compared as text, as the table's filter does (an entry sending without a claim time counts as stale).
        const stale = new Date(now.getTime() - staleClaimMs).toISOString();
        return [...rows.values()]
          .filter((r) => r.kind === 'outbox')
          .map((r) => ({ value: clone(r.value) as OutboxEntry, etag: r.etag }))
          .filter(({ value: e }) => (e.state === 'pending' && e.notBefore <= now.toISOString()) || (e.state === 'sending' && (e.claimedAt ?? '') <= stale))
          .sort((a, b) => byKey(a.value.createdAt, b.value.createdAt) || byKey(a.value.roundId, b.value.roundId) || byKey(a.value.id, b.value.id))
          .slice(0, limit);
      },
      async update(current: Versioned<OutboxEntry>, next: OutboxEntry, audit?: AuditEvent) {
        const k = `${next.roundId}/outbox/${next.id}`;
        if (rows.get(k)?.etag !== current.etag) return err({ code: 'CONFLICT' as const });
        if (audit) auditEvents.push(clone(audit));
        return ok({ value: clone(next), etag: put(k, 'outbox', next.roundId, '', next).etag });
      },
      async list(roundId: string) {
        return rowsOf<OutboxEntry>('outbox', roundId)
          .map((r) => r.value)
          .sort((a, b) => byKey(a.createdAt, b.createdAt) || byKey(a.id, b.id));
      },
    },
    // Set right below: the consultation twin works on top of these repos.
    consultations: undefined as unknown as ConsultationRepo,
    allocation: {
      async snapshotWithReviews(roundId: string): Promise<SnapshotWithReviews | undefined> {
        const snapshot = await repos.allocation.snapshot(roundId);
        if (!snapshot) return undefined;
        // Like the table's one query: a bundle for each application that has review rows.
        const bundles = new Map<string, ReviewBundle>();
        for (const a of snapshot.applications) {
          const b = await repos.reviews.bundle(roundId, a.value.id);
          if (b.review || b.sheets.length || b.recusals.length || b.questions.length) bundles.set(a.value.id, b);
        }
        return { ...snapshot, bundles };
      },
      async decisions(roundId: string) {
        return rowsOf<DecisionRecord>('decision', roundId);
      },
      async snapshot(roundId: string): Promise<RoundSnapshot | undefined> {
        const round = rounds.get(roundId);
        if (!round) return undefined;
        const applications = appsWhere((a) => a.roundId === roundId);
        const ledger = ledgers.get(roundId);
        return {
          round: clone(round),
          applications,
          panel: await repos.reviews.listPanel(roundId),
          ...(ledger ? { ledger: clone(ledger) } : {}),
          decisions: rowsOf<DecisionRecord>('decision', roundId),
          ...(await repos.consultations.state(roundId).then((c) => (c ? { consultation: c.consultation.value } : {}))),
        };
      },
      async approve(input: Parameters<AllocationRepo['approve']>[0]) {
        throwIfFailing();
        if (input.applications.length + 4 > MAX_TRANSACTION)
          throw new RangeError(`a decision of ${input.applications.length} applications does not fit one transaction`);
        if (rows.has(`${input.roundId}/decision/${input.decision.id}`)) return err({ code: 'CONFLICT' as const });
        if (rounds.get(input.roundId)?.etag !== input.round.etag) return err({ code: 'CONFLICT' as const });
        if (ledgers.get(input.roundId)?.etag !== input.ledger?.etag) return err({ code: 'CONFLICT' as const });
        if (input.applications.some(({ current }) => apps.get(key(input.roundId, current.value.id))?.etag !== current.etag))
          return err({ code: 'CONFLICT' as const });
        rounds.set(input.roundId, { value: clone(input.round.value), etag: etag() });
        ledgers.set(input.roundId, { value: { spent: input.spentAfter }, etag: etag() });
        for (const { next } of input.applications) apps.set(key(input.roundId, next.id), { value: clone(next), etag: etag() });
        put(`${input.roundId}/decision/${input.decision.id}`, 'decision', input.roundId, '', input.decision);
        auditEvents.push(clone(input.audit));
        return ok(undefined);
      },
      async markAnnounced(roundId: string, current: Versioned<DecisionRecord>) {
        const k = `${roundId}/decision/${current.value.id}`;
        if (rows.get(k)?.etag === current.etag) put(k, 'decision', roundId, '', { ...current.value, announced: true });
      },
      async putMark(roundId: string, mark: PanelMark, audit: AuditEvent) {
        put(`${roundId}/mark/${mark.fingerprint}/${mark.memberId}`, 'mark', roundId, mark.fingerprint, mark);
        auditEvents.push(clone(audit));
      },
      async listMarks(roundId: string, fingerprint: string) {
        return rowsOf<PanelMark>('mark', roundId, fingerprint).map((r) => r.value);
      },
      async listAllMarks(roundId: string) {
        return rowsOf<PanelMark>('mark', roundId).map((r) => r.value);
      },
      async getProposalPost(roundId: string, fingerprint: string) {
        return rowsOf<ProposalPost>('proposal', roundId, fingerprint)[0]?.value;
      },
      async claimProposalPost(roundId: string, post: ProposalPost, audit: AuditEvent) {
        const k = `${roundId}/proposal/${post.fingerprint}`;
        if (rows.has(k)) return err({ code: 'ALREADY_EXISTS' as const });
        put(k, 'proposal', roundId, post.fingerprint, post);
        auditEvents.push(clone(audit));
        return ok(undefined);
      },
    },
    audit: {
      async list(roundId: string) {
        // The table's row keys start with the time: oldest first (a stable sort keeps the order of equal times).
        return auditEvents
          .filter((e) => e.roundId === roundId)
          .map(clone)
          .sort((a, b) => byKey(a.at, b.at));
      },
      async record(event: AuditEvent) {
        throwIfFailing();
        auditEvents.push(clone(event));
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
      async list() {
        return [...conversations.values()].map(clone);
      },
      async saveIfAbsent(record: ConversationRecord) {
        if (!conversations.has(record.userId)) conversations.set(record.userId, clone(record));
        return clone(conversations.get(record.userId)!);
      },
      async saveRoster(addresses: RosterAddress[]) {
        for (const a of addresses) roster.set(a.userId, clone(a));
      },
      async getRoster(userId: string) {
        const a = roster.get(userId);
        return a && clone(a);
      },
      async listRoster() {
        return [...roster.values()].sort((a, b) => (a.userId < b.userId ? -1 : 1)).map(clone);
      },
    },
    reminders: {
      async list(roundId: string) {
        return rowsOf<ReminderRecord>('reminder', roundId).map((r) => r.value);
      },
      async record(roundId: string, record: ReminderRecord, outbox: OutboxEntry[], audit: AuditEvent) {
        throwIfFailing();
        if (outbox.some((e) => e.roundId !== roundId)) throw new RangeError('the messages of a reminder belong to its round');
        if (outbox.length + 2 > MAX_TRANSACTION) throw new RangeError(`a reminder record with ${outbox.length} messages does not fit one transaction`);
        const k = `${roundId}/reminder/${record.id}`;
        if (rows.has(k)) return err({ code: 'ALREADY_EXISTS' as const });
        put(k, 'reminder', roundId, '', record);
        await repos.outbox.enqueue(outbox);
        auditEvents.push(clone(audit));
        return ok(undefined);
      },
    },
    leases: {
      async acquire(name: string, owner: string, ttlMs: number, now: Date) {
        const held = leases.get(name);
        if (held && held.owner !== owner && held.expiresAt > now.getTime()) return false;
        leases.set(name, { owner, expiresAt: now.getTime() + ttlMs });
        return true;
      },
      async release(name: string, owner: string) {
        if (leases.get(name)?.owner === owner) leases.delete(name);
      },
    },
    organisations: memoryOrganisations({ auditEvents }),
    attachments: {
      async list(roundId: string, applicationId: string) {
        return rowsOf<AttachmentRecord>('attachment', roundId, applicationId);
      },
      async listRound(roundId: string) {
        return rowsOf<AttachmentRecord>('attachment', roundId).map((r) => r.value);
      },
      async add(app: Versioned<Application>, record: AttachmentRecord, audit: AuditEvent) {
        throwIfFailing();
        const k = attachmentKey(record);
        const existing = rows.get(k);
        if (existing) return err({ code: 'ALREADY_EXISTS' as const, existing: clone(existing.value as AttachmentRecord) });
        const a = apps.get(key(app.value.roundId, app.value.id));
        if (!a || a.etag !== app.etag) return err({ code: 'CONFLICT' as const });
        // The guard changes the application's ETag, as the table's Merge does.
        apps.set(key(app.value.roundId, app.value.id), { value: a.value, etag: etag() });
        put(k, 'attachment', record.roundId, record.applicationId, record);
        auditEvents.push(clone(audit));
        return ok(undefined);
      },
      async remove(app: Versioned<Application>, record: Versioned<AttachmentRecord>, audit: AuditEvent) {
        throwIfFailing();
        const k = attachmentKey(record.value);
        const a = apps.get(key(app.value.roundId, app.value.id));
        if (!a || a.etag !== app.etag || rows.get(k)?.etag !== record.etag) return err({ code: 'CONFLICT' as const });
        apps.set(key(app.value.roundId, app.value.id), { value: a.value, etag: etag() });
        rows.delete(k);
        auditEvents.push(clone(audit));
        return ok(undefined);
      },
      async removeAll(roundId: string, applicationId: string, audit: AuditEvent) {
        const all = rowsOf<AttachmentRecord>('attachment', roundId, applicationId).map((r) => r.value);
        if (!all.length) return [];
        all.forEach((r) => rows.delete(attachmentKey(r)));
        auditEvents.push(clone(audit));
        return all;
      },
    },
    privacy: {
      async get(userId: string) {
        return rowsOf<DeletionRequest>('deletion', GLOBAL_PARTITION, userId)[0];
      },
      async list() {
        return rowsOf<DeletionRequest>('deletion', GLOBAL_PARTITION);
      },
      async save(request: DeletionRequest, currentEtag: string | undefined, audit: AuditEvent, outbox: OutboxEntry[]) {
        throwIfFailing();
        if (outbox.length + 2 > MAX_TRANSACTION) throw new RangeError(`a deletion request with ${outbox.length} messages does not fit one transaction`);
        if (outbox.some((e) => e.roundId !== GLOBAL_PARTITION) || audit.roundId !== GLOBAL_PARTITION)
          throw new RangeError('a deletion request and its messages belong to the global partition');
        const k = `${GLOBAL_PARTITION}/deletion/${request.userId}`;
        if (rows.get(k)?.etag !== currentEtag) return err({ code: 'CONFLICT' as const });
        const row = put(k, 'deletion', GLOBAL_PARTITION, request.userId, request);
        await repos.outbox.enqueue(outbox);
        auditEvents.push(clone(audit));
        return ok({ value: clone(request), etag: row.etag });
      },
    },
    retention: {
      async markers(roundId: string) {
        return rowsOf<AnonymisationMarker>('anonymised', roundId);
      },
      /** All at once (the twin has no transaction size): the same checks as the table, then every write. */
      async anonymise(w: AnonymiseWrite) {
        throwIfFailing();
        const mk = `${w.roundId}/anonymised/${w.applicationId}`;
        if (!w.marker.current && rows.has(mk)) return err({ code: 'ALREADY_EXISTS' as const });
        if (w.marker.current && rows.get(mk)?.etag !== w.marker.current.etag) return err({ code: 'CONFLICT' as const });
        const ak = key(w.roundId, w.applicationId);
        if (w.application && apps.get(ak)?.etag !== w.application.current.etag) return err({ code: 'CONFLICT' as const });
        const rk = `${w.roundId}/review/${w.applicationId}`;
        if (w.review && rows.get(rk)?.etag !== w.review.current.etag) return err({ code: 'CONFLICT' as const });
        const sk = (memberId: string) => `${w.roundId}/sheet/${w.applicationId}/${memberId}`;
        const qk = (id: string) => `${w.roundId}/question/${w.applicationId}/${id}`;
        if (w.sheets.some((x) => rows.get(sk(x.next.memberId))?.etag !== x.current.etag)) return err({ code: 'CONFLICT' as const });
        if (w.questions.some((x) => rows.get(qk(x.next.id))?.etag !== x.current.etag)) return err({ code: 'CONFLICT' as const });
        if (w.application) apps.set(ak, { value: clone(w.application.next), etag: etag() });
        if (w.review) put(rk, 'review', w.roundId, w.applicationId, w.review.next);
        for (const x of w.sheets) put(sk(x.next.memberId), 'sheet', w.roundId, w.applicationId, x.next);
        for (const r of w.recusals) put(`${w.roundId}/recusal/${w.applicationId}/${r.memberId}`, 'recusal', w.roundId, w.applicationId, r);
        for (const x of w.questions) put(qk(x.next.id), 'question', w.roundId, w.applicationId, x.next);
        const marker = { ...w.marker.next, state: w.marker.next.state === 'files-pending' ? ('files-pending' as const) : ('done' as const) };
        put(mk, 'anonymised', w.roundId, w.applicationId, marker);
        if (w.audit) auditEvents.push(clone(w.audit));
        return ok(clone(marker));
      },
      async pseudonymiseAudit(partitions: readonly string[], actorId: string, pseudonym: string) {
        let changed = 0;
        for (const e of auditEvents) {
          if (!partitions.includes(e.roundId) || (e.actorId !== actorId && e.subjectId !== actorId)) continue;
          if (e.actorId === actorId) e.actorId = pseudonym;
          if (e.subjectId === actorId) e.subjectId = pseudonym;
          changed++;
        }
        return changed;
      },
      async purgeSentOutbox(sentBefore: string) {
        let n = 0;
        for (const [k, r] of [...rows.entries()]) {
          const e = r.value as OutboxEntry;
          if (r.kind === 'outbox' && e.state === 'sent' && e.sentAt && e.sentAt < sentBefore && rows.delete(k)) n++;
        }
        return n;
      },
      async scrubReviewRows(w: ReviewRowsWrite) {
        throwIfFailing();
        const sk = (memberId: string) => `${w.roundId}/sheet/${w.applicationId}/${memberId}`;
        const qk = (id: string) => `${w.roundId}/question/${w.applicationId}/${id}`;
        if (w.sheets.some((x) => rows.get(sk(x.next.memberId))?.etag !== x.current.etag)) return err({ code: 'CONFLICT' as const });
        if (w.questions.some((x) => rows.get(qk(x.next.id))?.etag !== x.current.etag)) return err({ code: 'CONFLICT' as const });
        for (const x of w.sheets) put(sk(x.next.memberId), 'sheet', w.roundId, w.applicationId, x.next);
        for (const r of w.recusals) put(`${w.roundId}/recusal/${w.applicationId}/${r.memberId}`, 'recusal', w.roundId, w.applicationId, r);
        for (const x of w.questions) put(qk(x.next.id), 'question', w.roundId, w.applicationId, x.next);
        auditEvents.push(clone(w.audit));
        return ok(undefined);
      },
      async deleteAddresses(userId: string) {
        return [conversations.delete(userId), roster.delete(userId)].filter(Boolean).length;
      },
      async forgetAddresses(userId: string, at: string) {
        let n = 0;
        for (const map of [conversations, roster] as Map<string, { forgetAt?: string }>[]) {
          const v = map.get(userId);
          if (v) {
            v.forgetAt = at;
            n++;
          }
        }
        return n;
      },
      async forgottenAddresses() {
        const out = new Map<string, string>();
        for (const map of [conversations, roster] as Map<string, { forgetAt?: string }>[])
          for (const [id, v] of map) if (v.forgetAt && (!out.has(id) || v.forgetAt < out.get(id)!)) out.set(id, v.forgetAt);
        return [...out].map(([userId, at]) => ({ userId, at }));
      },
      async purgeAddresses(updatedBefore: string) {
        let n = 0;
        for (const map of [conversations, roster] as Map<string, { updatedAt: string }>[])
          for (const [k, v] of [...map.entries()]) if (v.updatedAt < updatedBefore && map.delete(k)) n++;
        return n;
      },
    },
    async ping() {
      return true;
    },
  };

  repos.consultations = memoryConsultations(repos);

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
