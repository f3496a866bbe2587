import { randomUUID } from 'node:crypto';
import { TableClient, TransactionAction } from '@azure/data-tables';
import type { Application } from '../domain/application';
import { AuditEvent, GLOBAL } from '../domain/audit';
import { err, ok } from '../domain/result';
import type { Round } from '../domain/round';
import type { PanelMember, Recusal } from '../domain/panel';
import type { ScoreSheet } from '../domain/scoring';
import type { AccounthouderRecord } from '../domain/roles';
import type {
  AllocationRepo,
  ApplicationRepo,
  AuditRepo,
  ConversationRepo,
  OutboxRepo,
  LeaseRepo,
  ReminderRepo,
  Repos,
  ReviewRepo,
  RoleRepo,
  RoundRepo,
  PrivacyRepo,
} from '../ports';
import type { DecisionRecord, PanelMark, ProposalPost } from '../domain/decision';
import type { RoundSnapshot, SnapshotWithReviews } from '../domain/snapshot';
import type { ConversationRecord, RosterAddress } from '../domain/conversation';
import type { OutboxEntry } from '../domain/outbox';
import type { DeletionRequest } from '../domain/privacy-request';
import type { ReminderRecord } from '../domain/reminders';
import type { Question, ReviewBundle, ReviewRecord, ReviewScene } from '../domain/review';
import type { Versioned } from '../domain/versioned';
import {
  applicationFromEntity,
  applicationToEntity,
  auditFromEntity,
  auditToEntity,
  fromJsonEntity,
  jsonEntity,
  jsonProps,
  odata,
  readJson,
  outboxToEntity,
  prefixFilter,
  reviewEntity,
  roundFromEntity,
  roundToEntity,
  ROW,
} from './entities';
import { isConflict, isNotFound, TableClients } from './tables';
import { refusedOn } from './refused';
import { consultationFromEntity, TableConsultationRepo } from './consultation-table';
import { TableOrganisationRepo } from './organisation-table';
import { TableAttachmentRepo } from './attachment-table';
import { formVersionOf, noSubmissionsGuard, spentOf } from './guards';
import { DEFAULT_FORM_VERSION, sameForm } from '../domain/form';
import { fittingBatches } from './limits';
import { TableRetentionRepo } from './retention-table';

const MAX_REFERENCE_ATTEMPTS = 20;

async function getEntity(table: TableClient, pk: string, rk: string) {
  try {
    return await table.getEntity<Record<string, unknown>>(pk, rk);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

async function listAll(table: TableClient, filter: string) {
  const out: Record<string, unknown>[] = [];
  for await (const e of table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) out.push(e);
  return out;
}

/** The review record with one more change counted. */
const raised = (review: ReviewRecord): ReviewRecord => ({ ...review, changes: (review.changes ?? 0) + 1 });

/** The application rows of a round, without their review rows (which share the prefix). */
const listApplications = (table: TableClient, roundId: string) => listAll(table, prefixFilter(roundId, ROW.appPrefix, "kind eq 'app'"));

/** The round row and its panel rows, from one range query. */
async function roundFamily(table: TableClient, roundId: string): Promise<{ round?: Versioned<Round>; panel: PanelMember[] }> {
  const rows = await listAll(table, prefixFilter(roundId, ROW.round));
  const roundRow = rows.find((e) => e.kind === 'round');
  return {
    ...(roundRow ? { round: { value: roundFromEntity(roundRow), etag: String(roundRow.etag) } } : {}),
    panel: panelOf(rows),
  };
}

const panelOf = (rows: Record<string, unknown>[]) =>
  rows
    .filter((e) => e.kind === 'panel')
    .map((e) => fromJsonEntity<PanelMember>(e))
    .sort((a, b) => a.addedAt.localeCompare(b.addedAt));

const emptyBundle = (): ReviewBundle => ({ sheets: [], recusals: [], questions: [] });

/** Adds one review row (record, sheet, recusal or question) to its bundle. */
function addToBundle(bundle: ReviewBundle, e: Record<string, unknown>): void {
  const etag = String(e.etag);
  if (e.kind === 'review') bundle.review = { value: fromJsonEntity(e), etag };
  else if (e.kind === 'sheet') bundle.sheets.push({ value: fromJsonEntity(e), etag });
  else if (e.kind === 'recusal') bundle.recusals.push(fromJsonEntity(e));
  else if (e.kind === 'question') bundle.questions.push({ value: fromJsonEntity(e), etag });
  else if (e.kind === 'attachment') (bundle.attachments ??= []).push(fromJsonEntity(e));
}

const auditAction = (event: AuditEvent): TransactionAction => ['create', auditToEntity(event, randomUUID())];

/**
 * An ETag-guarded update of an application that sends only what changed: a Merge of the changed
 * properties when the next row keeps every property of the current one (the same row as a
 * Replace), else a Replace. An approval of 90 applications with long texts fits 4 MiB this way.
 */
function applicationUpdate(current: Versioned<Application>, next: Application): TransactionAction {
  const before: Record<string, unknown> = applicationToEntity(current.value);
  const after = applicationToEntity(next);
  if (!Object.keys(before).every((k) => k in after)) return ['update', after, 'Replace', { etag: current.etag }];
  const changed = Object.fromEntries(Object.entries(after).filter(([k, v]) => k === 'partitionKey' || k === 'rowKey' || before[k] !== v));
  return ['update', { ...changed, partitionKey: after.partitionKey, rowKey: after.rowKey }, 'Merge', { etag: current.etag }];
}

const jitter = (attempt: number) => new Promise((r) => setTimeout(r, Math.random() * 10 * (attempt + 1)));

export class TableRoundRepo implements RoundRepo {
  constructor(private readonly table: TableClient) {}

  async get(roundId: string): Promise<Versioned<Round> | undefined> {
    const e = await getEntity(this.table, roundId, ROW.round);
    return e ? { value: roundFromEntity(e), etag: String(e.etag) } : undefined;
  }

  async list(): Promise<Round[]> {
    return (await listAll(this.table, `RowKey eq ${odata(ROW.round)}`)).map(roundFromEntity);
  }

  async submissionCount(roundId: string): Promise<number> {
    const counter = await getEntity(this.table, roundId, ROW.counter);
    return Math.max(0, Number(counter?.next ?? 1) - 1);
  }

  async update(current: Versioned<Round>, next: Round, audit: AuditEvent, options: { whileNoSubmissions?: boolean; budgetCoversSpent?: boolean } = {}) {
    const actions: TransactionAction[] = [['update', roundToEntity(next), 'Replace', { etag: current.etag }], auditAction(audit)];
    // A changed form is frozen from the first submission like the criteria, whoever writes it.
    const formChanged = !sameForm(current.value.form, next.form);
    if (formChanged) options = { ...options, whileNoSubmissions: true };
    if (options.whileNoSubmissions) {
      const guard = await noSubmissionsGuard(this.table, next.id, formChanged ? (next.form?.version ?? DEFAULT_FORM_VERSION) : undefined);
      if (guard === 'FROZEN') return err({ code: 'FROZEN' as const });
      if (guard) actions.push(guard);
    }
    if (options.budgetCoversSpent) {
      // An approval commits only while the round is as it read it, so reading the ledger suffices:
      // an approval after this read changes the round's ETag or fails on this update's.
      const spent = await spentOf(this.table, next.id);
      if (spent > next.budget) return err({ code: 'OVERSPENT' as const, spent });
    }
    try {
      const res = await this.table.submitTransaction(actions);
      return ok({ value: next, etag: String(res.subResponses[0]?.etag) });
    } catch (e) {
      if (!isConflict(e)) throw e;
      if (options.whileNoSubmissions && (await this.submissionCount(next.id)) > 0) return err({ code: 'FROZEN' as const });
      return err({ code: 'CONFLICT' as const });
    }
  }

  async create(round: Round, audit: AuditEvent) {
    // The round, its reference counter and the audit record start life together.
    const res = await refusedOn('ALREADY_EXISTS', () =>
      this.table.submitTransaction([
        ['create', roundToEntity(round)],
        ['create', { partitionKey: round.id, rowKey: ROW.counter, kind: 'counter', next: 1 }],
        auditAction(audit),
      ]),
    );
    return res.ok ? ok({ value: round, etag: String(res.value.subResponses[0]?.etag) }) : res;
  }
}

export class TableApplicationRepo implements ApplicationRepo {
  /**
   * Per round, the reference counter as this process last wrote it: the next submission uses it
   * without reading it first. The transaction is guarded by the counter's ETag, so when anything
   * else changed it since, the transaction fails as a whole and the counter is read again.
   */
  private readonly counters = new Map<string, { next: number; etag: string; formVersion?: number }>();

  constructor(private readonly table: TableClient) {}

  async get(roundId: string, applicationId: string): Promise<Versioned<Application> | undefined> {
    const e = await getEntity(this.table, roundId, ROW.app(applicationId));
    return e ? { value: applicationFromEntity(e), etag: String(e.etag) } : undefined;
  }

  async listByApplicant(applicantId: string): Promise<Versioned<Application>[]> {
    const rows = await listAll(this.table, `kind eq 'app' and applicantId eq ${odata(applicantId)}`);
    return rows.map((e) => ({ value: applicationFromEntity(e), etag: String(e.etag) }));
  }

  async listByRound(roundId: string): Promise<Versioned<Application>[]> {
    return (await listApplications(this.table, roundId)).map((e) => ({ value: applicationFromEntity(e), etag: String(e.etag) }));
  }

  async create(application: Application, audit: AuditEvent) {
    const res = await refusedOn('ALREADY_EXISTS', () => this.table.submitTransaction([['create', applicationToEntity(application)], auditAction(audit)]));
    return res.ok ? ok({ value: application, etag: String(res.value.subResponses[0]?.etag) }) : res;
  }

  async update(current: Versioned<Application>, next: Application, audit: AuditEvent) {
    const res = await refusedOn('CONFLICT', () =>
      this.table.submitTransaction([['update', applicationToEntity(next), 'Replace', { etag: current.etag }], auditAction(audit)]),
    );
    return res.ok ? ok({ value: next, etag: String(res.value.subResponses[0]?.etag) }) : res;
  }

  async submit(current: Versioned<Application>, next: Application, audit: AuditEvent, reference: (sequence: number) => string) {
    const roundId = current.value.roundId;
    for (let attempt = 0; attempt < MAX_REFERENCE_ATTEMPTS; attempt++) {
      const known = this.counters.get(roundId);
      const counter = known ?? (await getEntity(this.table, roundId, ROW.counter));
      const sequence = Number(counter?.next ?? 1);
      // The form was changed after this submission was validated (the change recorded its version
      // on the counter in the same write): the caller validates again against the round as it is now.
      const recorded = known ? known.formVersion : formVersionOf(counter);
      if (recorded !== undefined && recorded !== (next.formVersion ?? DEFAULT_FORM_VERSION)) {
        if (known) {
          this.counters.delete(roundId);
          continue;
        }
        return err({ code: 'FORM_CHANGED' as const });
      }
      const submitted: Application = { ...next, reference: reference(sequence) };
      const stamp = recorded !== undefined ? { formVersion: recorded } : {};
      const counterAction: TransactionAction = counter
        ? ['update', { partitionKey: roundId, rowKey: ROW.counter, kind: 'counter', next: sequence + 1, ...stamp }, 'Replace', { etag: String(counter.etag) }]
        : ['create', { partitionKey: roundId, rowKey: ROW.counter, kind: 'counter', next: sequence + 1, ...stamp }];
      try {
        const res = await this.table.submitTransaction([
          counterAction,
          ['update', applicationToEntity(submitted), 'Replace', { etag: current.etag }],
          auditAction({ ...audit, details: { ...audit.details, reference: submitted.reference! } }),
        ]);
        const counterEtag = res.subResponses[0]?.etag;
        if (counterEtag) this.counters.set(roundId, { next: sequence + 1, etag: String(counterEtag), ...stamp });
        else this.counters.delete(roundId);
        return ok({ value: submitted, etag: String(res.subResponses[1]?.etag) });
      } catch (e) {
        this.counters.delete(roundId);
        // The counter as remembered was stale (another instance submitted, a guard rewrote it, it is gone): read it and try again.
        if (known && (isConflict(e) || isNotFound(e))) continue;
        if (!isConflict(e)) throw e;
        // Either another submission took this number (retry with the next) or the application itself changed (the caller decides).
        const now = await this.get(roundId, current.value.id);
        if (!now || now.etag !== current.etag) return err({ code: 'CONFLICT' as const });
        await jitter(attempt);
      }
    }
    return err({ code: 'CONFLICT' as const });
  }
}

export class TableRoleRepo implements RoleRepo {
  constructor(private readonly table: TableClient) {}

  async isAccounthouder(userId: string): Promise<boolean> {
    return Boolean(await getEntity(this.table, GLOBAL, ROW.accounthouder(userId)));
  }

  async addAccounthouder(record: AccounthouderRecord, audit: AuditEvent): Promise<void> {
    await this.table.submitTransaction([
      ['upsert', { partitionKey: GLOBAL, rowKey: ROW.accounthouder(record.userId), kind: 'role', ...record }, 'Replace'],
      auditAction(audit),
    ]);
  }

  async listAccounthouders(): Promise<AccounthouderRecord[]> {
    const filter = prefixFilter(GLOBAL, ROW.accounthouderPrefix);
    return (await listAll(this.table, filter)).map((e) => ({
      userId: String(e.userId),
      name: String(e.name),
      addedBy: String(e.addedBy),
      addedAt: String(e.addedAt),
    }));
  }
}

export class TableAuditRepo implements AuditRepo {
  constructor(private readonly table: TableClient) {}

  async list(roundId: string): Promise<AuditEvent[]> {
    const filter = prefixFilter(roundId, ROW.auditPrefix);
    return (await listAll(this.table, filter)).map(auditFromEntity);
  }

  async record(event: AuditEvent): Promise<void> {
    await this.table.createEntity(auditToEntity(event, randomUUID()));
  }
}

export class TableConversationRepo implements ConversationRepo {
  constructor(private readonly table: TableClient) {}

  async save(record: ConversationRecord): Promise<void> {
    await this.table.upsertEntity(conversationToEntity(record), 'Replace');
  }

  async saveIfAbsent(record: ConversationRecord): Promise<ConversationRecord> {
    try {
      await this.table.createEntity(conversationToEntity(record));
      return record;
    } catch (e) {
      if (!isConflict(e)) throw e;
      return (await this.get(record.userId)) ?? record;
    }
  }

  /**
   * The 'roster' partition: one row per team member (Entra object id), replaced on every roster
   * read; in batches of 100 (one transaction per batch, all in one partition).
   */
  async saveRoster(addresses: RosterAddress[]): Promise<void> {
    const unique = [...new Map(addresses.map((a) => [a.userId, a])).values()];
    for (let i = 0; i < unique.length; i += 100) {
      await this.table.submitTransaction(
        unique.slice(i, i + 100).map((a) => [
          'upsert',
          {
            partitionKey: 'roster',
            rowKey: a.userId,
            rosterId: a.rosterId,
            tenantId: a.tenantId,
            serviceUrl: a.serviceUrl,
            botId: a.botId,
            name: a.name,
            updatedAt: a.updatedAt,
          },
          'Replace',
        ]),
      );
    }
  }

  async getRoster(userId: string): Promise<RosterAddress | undefined> {
    const e = await getEntity(this.table, 'roster', userId);
    return e && rosterFromEntity(userId, e);
  }

  async listRoster(): Promise<RosterAddress[]> {
    return (await listAll(this.table, `PartitionKey eq 'roster'`)).map((e) => rosterFromEntity(String(e.rowKey), e));
  }

  async get(userId: string): Promise<ConversationRecord | undefined> {
    const e = await getEntity(this.table, 'user', userId);
    return e && conversationFromEntity(userId, e);
  }

  /**
   * One scan of the 'user' partition. It holds one row (about 1 KB) per person who ever wrote to
   * the bot in a 1:1 chat, so at most the tenant's users: for a municipality hundreds to a few
   * thousand rows, a few MB, read in pages of 1,000.
   */
  async list(): Promise<ConversationRecord[]> {
    return (await listAll(this.table, `PartitionKey eq 'user'`)).map((e) => conversationFromEntity(String(e.rowKey), e));
  }
}

function conversationToEntity(record: ConversationRecord) {
  return {
    partitionKey: 'user',
    rowKey: record.userId,
    conversationId: record.conversationId,
    ...jsonProps('referenceJson', record.reference),
    ...(record.locale ? { locale: record.locale } : {}),
    updatedAt: record.updatedAt,
  };
}

function rosterFromEntity(userId: string, e: Record<string, unknown>): RosterAddress {
  return {
    userId,
    rosterId: String(e.rosterId),
    tenantId: String(e.tenantId),
    serviceUrl: String(e.serviceUrl),
    botId: String(e.botId),
    name: String(e.name ?? ''),
    updatedAt: String(e.updatedAt),
  };
}

function conversationFromEntity(userId: string, e: Record<string, unknown>): ConversationRecord {
  return {
    userId,
    conversationId: String(e.conversationId),
    reference: readJson(e, 'referenceJson'),
    ...(typeof e.locale === 'string' ? { locale: e.locale } : {}),
    updatedAt: String(e.updatedAt),
  };
}

export function tableRepos(clients: TableClients): Repos {
  return {
    rounds: new TableRoundRepo(clients.rounds),
    roles: new TableRoleRepo(clients.rounds),
    applications: new TableApplicationRepo(clients.rounds),
    reviews: new TableReviewRepo(clients.rounds),
    outbox: new TableOutboxRepo(clients.rounds),
    allocation: new TableAllocationRepo(clients.rounds),
    consultations: new TableConsultationRepo(clients.rounds),
    audit: new TableAuditRepo(clients.rounds),
    conversations: new TableConversationRepo(clients.conversations),
    reminders: new TableReminderRepo(clients.rounds),
    leases: new TableLeaseRepo(clients.rounds),
    organisations: new TableOrganisationRepo(clients.rounds),
    attachments: new TableAttachmentRepo(clients.rounds),
    retention: new TableRetentionRepo(clients.rounds, clients.conversations),
    privacy: new TablePrivacyRepo(clients.rounds),
    async ping() {
      try {
        await getEntity(clients.rounds, '__health', '__health');
        return true;
      } catch {
        return false;
      }
    },
  };
}

export class TableReviewRepo implements ReviewRepo {
  constructor(private readonly table: TableClient) {}

  async scene(roundId: string, applicationId: string): Promise<ReviewScene> {
    const [family, rows] = await Promise.all([roundFamily(this.table, roundId), listAll(this.table, prefixFilter(roundId, ROW.app(applicationId)))]);
    const bundle = emptyBundle();
    let app: Versioned<Application> | undefined;
    for (const e of rows) {
      if (e.kind === 'app') app = { value: applicationFromEntity(e), etag: String(e.etag) };
      else addToBundle(bundle, e);
    }
    return { ...family, ...(app ? { app } : {}), bundle };
  }

  async listPanel(roundId: string): Promise<PanelMember[]> {
    return panelOf(await listAll(this.table, prefixFilter(roundId, ROW.panelPrefix)));
  }

  async putPanelMember(roundId: string, member: PanelMember, audit: AuditEvent): Promise<void> {
    await this.table.submitTransaction([['upsert', jsonEntity(roundId, ROW.panel(member.userId), 'panel', member), 'Replace'], auditAction(audit)]);
  }

  async removePanelMember(roundId: string, userId: string, audit: AuditEvent): Promise<void> {
    if (!(await getEntity(this.table, roundId, ROW.panel(userId)))) return;
    await this.table.submitTransaction([['delete', { partitionKey: roundId, rowKey: ROW.panel(userId) }], auditAction(audit)]);
  }

  async bundle(roundId: string, applicationId: string): Promise<ReviewBundle> {
    const bundle = emptyBundle();
    for (const e of await listAll(this.table, prefixFilter(roundId, ROW.app(applicationId), "kind ne 'app'"))) addToBundle(bundle, e);
    return bundle;
  }

  async listReviews(roundId: string): Promise<Versioned<ReviewRecord>[]> {
    const rows = await listAll(this.table, `PartitionKey eq ${odata(roundId)} and kind eq 'review'`);
    return rows.map((e) => ({ value: fromJsonEntity<ReviewRecord>(e), etag: String(e.etag) }));
  }

  async claim(roundId: string, record: ReviewRecord) {
    const res = await refusedOn('ALREADY_EXISTS', () =>
      this.table.createEntity(reviewEntity(roundId, ROW.review(record.applicationId), 'review', record.applicationId, record)),
    );
    return res.ok ? ok({ value: record, etag: String(res.value.etag) }) : res;
  }

  async updateReview(roundId: string, current: Versioned<ReviewRecord>, next: ReviewRecord, audit?: AuditEvent) {
    if (audit) {
      const res = await refusedOn('CONFLICT', () => this.table.submitTransaction([this.reviewUpdate(roundId, current, next), auditAction(audit)]));
      return res.ok ? ok({ value: next, etag: String(res.value.subResponses[0]?.etag) }) : res;
    }
    const res = await refusedOn('CONFLICT', () =>
      this.table.updateEntity(reviewEntity(roundId, ROW.review(next.applicationId), 'review', next.applicationId, next), 'Replace', { etag: current.etag }),
    );
    return res.ok ? ok({ value: next, etag: String(res.value.etag) }) : res;
  }

  async transition(
    roundId: string,
    review: { current: Versioned<ReviewRecord>; next: ReviewRecord },
    application: { current: Versioned<Application>; next: Application },
    audit: AuditEvent[],
    outbox: OutboxEntry[] = [],
  ) {
    if (outbox.some((e) => e.roundId !== roundId)) throw new RangeError('the messages of a review change belong to its round');
    const actions: TransactionAction[] = [
      [
        'update',
        reviewEntity(roundId, ROW.review(review.next.applicationId), 'review', review.next.applicationId, review.next),
        'Replace',
        { etag: review.current.etag },
      ],
      ['update', applicationToEntity(application.next), 'Replace', { etag: application.current.etag }],
      ...audit.map(auditAction),
      ...outbox.map((e): TransactionAction => ['create', outboxToEntity(e)]),
    ];
    if (actions.length > 100) throw new RangeError(`a review change with ${outbox.length} messages does not fit one transaction`);
    return refusedOn('CONFLICT', async () => {
      await this.table.submitTransaction(actions);
    });
  }

  async saveSheet(roundId: string, applicationId: string, sheet: ScoreSheet, etag: string | undefined, audit: AuditEvent, review: Versioned<ReviewRecord>) {
    const entity = reviewEntity(roundId, ROW.sheet(applicationId, sheet.memberId), 'sheet', applicationId, sheet);
    const next = raised(review.value);
    const res = await refusedOn('CONFLICT', () =>
      this.table.submitTransaction([
        etag ? ['update', entity, 'Replace', { etag }] : ['create', entity],
        this.reviewUpdate(roundId, review, next),
        auditAction(audit),
      ]),
    );
    return res.ok
      ? ok({ sheet: { value: sheet, etag: String(res.value.subResponses[0]?.etag) }, review: { value: next, etag: String(res.value.subResponses[1]?.etag) } })
      : res;
  }

  async addRecusal(roundId: string, applicationId: string, recusal: Recusal, audit: AuditEvent, review: Versioned<ReviewRecord>) {
    const key = ROW.recusal(applicationId, recusal.memberId);
    const res = await refusedOn('CONFLICT', async () => {
      await this.table.submitTransaction([
        ['create', reviewEntity(roundId, key, 'recusal', applicationId, recusal)],
        this.reviewUpdate(roundId, review, raised(review.value)),
        auditAction(audit),
      ]);
    });
    if (res.ok) return res;
    // The whole transaction failed: on the recusal (already there) or on the review record.
    return (await getEntity(this.table, roundId, key)) ? err({ code: 'ALREADY_EXISTS' as const }) : res;
  }

  private reviewUpdate(roundId: string, current: Versioned<ReviewRecord>, next: ReviewRecord): TransactionAction {
    return ['update', reviewEntity(roundId, ROW.review(next.applicationId), 'review', next.applicationId, next), 'Replace', { etag: current.etag }];
  }

  async addQuestion(roundId: string, question: Question, audit: AuditEvent): Promise<void> {
    await this.table.submitTransaction([
      ['create', reviewEntity(roundId, ROW.question(question.applicationId, question.id), 'question', question.applicationId, question)],
      auditAction(audit),
    ]);
  }

  async answerQuestion(roundId: string, current: Versioned<Question>, next: Question, audit: AuditEvent) {
    return refusedOn('CONFLICT', async () => {
      await this.table.submitTransaction([
        ['update', reviewEntity(roundId, ROW.question(next.applicationId, next.id), 'question', next.applicationId, next), 'Replace', { etag: current.etag }],
        auditAction(audit),
      ]);
    });
  }
}

export class TableOutboxRepo implements OutboxRepo {
  constructor(private readonly table: TableClient) {}

  async enqueue(entries: OutboxEntry[]): Promise<void> {
    const byRound = new Map<string, OutboxEntry[]>();
    for (const e of entries) byRound.set(e.roundId, [...(byRound.get(e.roundId) ?? []), e]);
    for (const group of byRound.values()) {
      // Table Storage takes at most 100 operations and 4 MiB per transaction.
      for (const batch of fittingBatches(group.map((e): TransactionAction => ['create', outboxToEntity(e)]))) {
        try {
          await this.table.submitTransaction(batch);
        } catch (e) {
          // Entries have fixed ids: a repeated enqueue (after a crash) finds its batch already stored.
          if (!isConflict(e)) throw e;
        }
      }
    }
  }

  async due(now: Date, staleClaimMs: number, limit = 100): Promise<Versioned<OutboxEntry>[]> {
    const stale = new Date(now.getTime() - staleClaimMs).toISOString();
    const filter =
      `kind eq 'outbox' and ((state eq 'pending' and notBefore le ${odata(now.toISOString())}) or ` + `(state eq 'sending' and claimedAt le ${odata(stale)}))`;
    const rows = await listAll(this.table, filter);
    return rows
      .map((e) => ({ value: fromJsonEntity<OutboxEntry>(e), etag: String(e.etag) }))
      .sort((a, b) => a.value.createdAt.localeCompare(b.value.createdAt))
      .slice(0, limit);
  }

  async update(current: Versioned<OutboxEntry>, next: OutboxEntry, audit?: AuditEvent) {
    if (audit) {
      if (audit.roundId !== next.roundId) throw new RangeError('the audit record of a message belongs to its partition');
      const res = await refusedOn('CONFLICT', () =>
        this.table.submitTransaction([['update', outboxToEntity(next), 'Replace', { etag: current.etag }], auditAction(audit)]),
      );
      if (!res.ok) return res;
      const etag = res.value.subResponses[0]?.etag;
      // The transaction's answer carries the row's new ETag; read it back only if it did not.
      return ok({ value: next, etag: etag ?? String((await getEntity(this.table, next.roundId, ROW.outbox(next.id)))?.etag) });
    }
    const res = await refusedOn('CONFLICT', () => this.table.updateEntity(outboxToEntity(next), 'Replace', { etag: current.etag }));
    return res.ok ? ok({ value: next, etag: String(res.value.etag) }) : res;
  }

  async list(roundId: string): Promise<OutboxEntry[]> {
    const filter = prefixFilter(roundId, ROW.outboxPrefix);
    return (await listAll(this.table, filter))
      .map((e) => fromJsonEntity<OutboxEntry>(e))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }
}

/** Rows a snapshot with reviews never needs: many, and read elsewhere. */
const SNAPSHOT_SKIPS = ['audit', 'attachment', 'outbox', 'mark', 'proposal', 'counter', 'role', 'reminder', 'consultation-response', 'consultation-decision'];

export class TableAllocationRepo implements AllocationRepo {
  constructor(private readonly table: TableClient) {}

  async snapshot(roundId: string): Promise<RoundSnapshot | undefined> {
    // Without the review rows: five small range reads and the application rows, in parallel.
    const [family, apps, ledger, decisions, consultation] = await Promise.all([
      roundFamily(this.table, roundId),
      listApplications(this.table, roundId),
      getEntity(this.table, roundId, ROW.ledger),
      this.decisions(roundId),
      getEntity(this.table, roundId, ROW.consultation),
    ]);
    if (!family.round) return undefined;
    return {
      round: family.round,
      panel: family.panel,
      applications: apps.map((e) => ({ value: applicationFromEntity(e), etag: String(e.etag) })),
      ...(ledger ? { ledger: { value: { spent: Number(ledger.spent) }, etag: String(ledger.etag) } } : {}),
      decisions,
      ...(consultation ? { consultation: consultationFromEntity(consultation) } : {}),
    };
  }

  async decisions(roundId: string): Promise<Versioned<DecisionRecord>[]> {
    return (await listAll(this.table, prefixFilter(roundId, ROW.decisionPrefix))).map((e) => ({
      value: fromJsonEntity<DecisionRecord>(e),
      etag: String(e.etag),
    }));
  }

  /** The whole round in one partition query, review rows included. */
  async snapshotWithReviews(roundId: string): Promise<SnapshotWithReviews | undefined> {
    const filter = `PartitionKey eq ${odata(roundId)} and ${SNAPSHOT_SKIPS.map((k) => `kind ne ${odata(k)}`).join(' and ')}`;
    const rows = await listAll(this.table, filter);
    let round: Versioned<Round> | undefined;
    const bundles = new Map<string, ReviewBundle>();
    const snapshot: Omit<SnapshotWithReviews, 'round'> = { applications: [], panel: [], bundles, decisions: [] };
    const panelRows: Record<string, unknown>[] = [];
    for (const e of rows) {
      const etag = String(e.etag);
      switch (e.kind) {
        case 'round':
          round = { value: roundFromEntity(e), etag };
          break;
        case 'app':
          snapshot.applications.push({ value: applicationFromEntity(e), etag });
          break;
        case 'panel':
          panelRows.push(e);
          break;
        case 'review':
        case 'sheet':
        case 'recusal':
        case 'question': {
          const appId = String(e.appId);
          let b = bundles.get(appId);
          if (!b) bundles.set(appId, (b = emptyBundle()));
          addToBundle(b, e);
          break;
        }
        case 'ledger':
          snapshot.ledger = { value: { spent: Number(e.spent) }, etag };
          break;
        case 'decision':
          snapshot.decisions.push({ value: fromJsonEntity(e), etag });
          break;
        case 'consultation':
          snapshot.consultation = consultationFromEntity(e);
          break;
      }
    }
    snapshot.panel = panelOf(panelRows);
    return round && { round, ...snapshot };
  }

  async approve(input: Parameters<AllocationRepo['approve']>[0]) {
    const { roundId } = input;
    const ledger = { partitionKey: roundId, rowKey: ROW.ledger, kind: 'ledger', spent: input.spentAfter };
    const actions: TransactionAction[] = [
      // Unchanged, but only while the round (its budget) is as the proposal read it.
      ['update', { partitionKey: roundId, rowKey: ROW.round }, 'Merge', { etag: input.round.etag }],
      input.ledger ? ['update', ledger, 'Replace', { etag: input.ledger.etag }] : ['create', ledger],
      ...input.applications.map(({ current, next }) => applicationUpdate(current, next)),
      ['create', jsonEntity(roundId, ROW.decision(input.decision.id), 'decision', input.decision)],
      auditAction(input.audit),
    ];
    if (actions.length > 100) throw new RangeError(`a decision of ${input.applications.length} applications does not fit one transaction`);
    return refusedOn('CONFLICT', async () => {
      await this.table.submitTransaction(actions);
    });
  }

  async markAnnounced(roundId: string, current: Versioned<DecisionRecord>): Promise<void> {
    try {
      await this.table.updateEntity(jsonEntity(roundId, ROW.decision(current.value.id), 'decision', { ...current.value, announced: true }), 'Replace', {
        etag: current.etag,
      });
    } catch (e) {
      if (!isConflict(e)) throw e;
    }
  }

  async putMark(roundId: string, mark: PanelMark, audit: AuditEvent): Promise<void> {
    await this.table.submitTransaction([
      ['upsert', jsonEntity(roundId, ROW.mark(mark.fingerprint, mark.memberId), 'mark', mark), 'Replace'],
      auditAction(audit),
    ]);
  }

  async listMarks(roundId: string, fingerprint: string): Promise<PanelMark[]> {
    const prefix = `mark_${fingerprint}_`;
    return (await listAll(this.table, prefixFilter(roundId, prefix))).map((e) => fromJsonEntity<PanelMark>(e));
  }

  async listAllMarks(roundId: string): Promise<PanelMark[]> {
    return (await listAll(this.table, prefixFilter(roundId, 'mark_'))).map((e) => fromJsonEntity<PanelMark>(e));
  }

  async getProposalPost(roundId: string, fingerprint: string): Promise<ProposalPost | undefined> {
    const e = await getEntity(this.table, roundId, ROW.proposalPost(fingerprint));
    return e ? fromJsonEntity<ProposalPost>(e) : undefined;
  }

  async claimProposalPost(roundId: string, post: ProposalPost, audit: AuditEvent) {
    return refusedOn('ALREADY_EXISTS', async () => {
      await this.table.submitTransaction([['create', jsonEntity(roundId, ROW.proposalPost(post.fingerprint), 'proposal', post)], auditAction(audit)]);
    });
  }
}

export class TableReminderRepo implements ReminderRepo {
  constructor(private readonly table: TableClient) {}

  async list(roundId: string): Promise<ReminderRecord[]> {
    const filter = prefixFilter(roundId, ROW.reminderPrefix);
    return (await listAll(this.table, filter)).map((e) => fromJsonEntity<ReminderRecord>(e));
  }

  async record(roundId: string, record: ReminderRecord, outbox: OutboxEntry[], audit: AuditEvent) {
    if (outbox.some((e) => e.roundId !== roundId)) throw new RangeError('the messages of a reminder belong to its round');
    const actions: TransactionAction[] = [
      ['create', { ...jsonEntity(roundId, ROW.reminder(record.id), 'reminder', record), state: record.state }],
      ...outbox.map((e): TransactionAction => ['create', outboxToEntity(e)]),
      auditAction(audit),
    ];
    if (actions.length > 100) throw new RangeError(`a reminder record with ${outbox.length} messages does not fit one transaction`);
    try {
      await this.table.submitTransaction(actions);
      return ok(undefined);
    } catch (e) {
      // The record is created, never replaced: a conflict means another instance (or an earlier run) recorded it.
      if (isConflict(e)) return err({ code: 'ALREADY_EXISTS' as const });
      throw e;
    }
  }
}

export class TableLeaseRepo implements LeaseRepo {
  constructor(private readonly table: TableClient) {}

  async acquire(name: string, owner: string, ttlMs: number, now: Date): Promise<boolean> {
    const entity = { partitionKey: GLOBAL, rowKey: ROW.lease(name), kind: 'lease', owner, expiresAt: new Date(now.getTime() + ttlMs).toISOString() };
    const current = await getEntity(this.table, GLOBAL, ROW.lease(name));
    try {
      if (!current) await this.table.createEntity(entity);
      else if (current.owner !== owner && Date.parse(String(current.expiresAt)) > now.getTime()) return false;
      // Taking over (or extending) is conditioned on the ETag read: of two instances only one wins.
      else await this.table.updateEntity(entity, 'Replace', { etag: String(current.etag) });
      return true;
    } catch (e) {
      if (isConflict(e)) return false;
      throw e;
    }
  }

  async release(name: string, owner: string): Promise<void> {
    const current = await getEntity(this.table, GLOBAL, ROW.lease(name));
    if (!current || current.owner !== owner) return;
    try {
      await this.table.deleteEntity(GLOBAL, ROW.lease(name), { etag: String(current.etag) });
    } catch (e) {
      if (!isConflict(e) && !isNotFound(e)) throw e;
    }
  }
}

export class TablePrivacyRepo implements PrivacyRepo {
  constructor(private readonly table: TableClient) {}

  async get(userId: string): Promise<Versioned<DeletionRequest> | undefined> {
    const e = await getEntity(this.table, GLOBAL, ROW.deletionRequest(userId));
    return e ? { value: fromJsonEntity<DeletionRequest>(e), etag: String(e.etag) } : undefined;
  }

  async list(): Promise<Versioned<DeletionRequest>[]> {
    return (await listAll(this.table, prefixFilter(GLOBAL, ROW.deletionRequestPrefix))).map((e) => ({
      value: fromJsonEntity<DeletionRequest>(e),
      etag: String(e.etag),
    }));
  }

  async save(request: DeletionRequest, etag: string | undefined, audit: AuditEvent, outbox: OutboxEntry[]) {
    if (outbox.some((e) => e.roundId !== GLOBAL) || audit.roundId !== GLOBAL)
      throw new RangeError('a deletion request and its messages belong to the global partition');
    const row = { ...jsonEntity(GLOBAL, ROW.deletionRequest(request.userId), 'deletion', request), state: request.state };
    const actions: TransactionAction[] = [
      etag === undefined ? ['create', row] : ['update', row, 'Replace', { etag }],
      ...outbox.map((e): TransactionAction => ['create', outboxToEntity(e)]),
      auditAction(audit),
    ];
    if (actions.length > 100) throw new RangeError(`a deletion request with ${outbox.length} messages does not fit one transaction`);
    const res = await refusedOn('CONFLICT', () => this.table.submitTransaction(actions));
    if (!res.ok) return res;
    const saved = await this.get(request.userId);
    return ok(saved ?? { value: request, etag: '' });
  }
}
