import type { Application } from '../domain/application';
import type { AuditEvent } from '../domain/audit';
import type { Round } from '../domain/round';
import type { OutboxEntry } from '../domain/outbox';

/**
 * Row keys inside a round's partition. Everything a round owns lives in one partition so that
 * writes which belong together (a submission and its reference; later a decision and the budget
 * it spends) go in one transaction.
 */
export const ROW = {
  round: 'round',
  counter: 'counter',
  /**
   * An application's row key is also the prefix of its review rows (review record, score sheets,
   * recusals, questions): one range query reads the application with its whole review.
   */
  app: (id: string) => `app_${id}_`,
  appPrefix: 'app_',
  audit: (at: string, unique: string) => `audit_${at}_${unique}`,
  auditPrefix: 'audit_',
  /** Panel rows sort right after the round row: one range query reads the round with its panel. */
  panel: (userId: string) => `round_panel_${userId}`,
  panelPrefix: 'round_panel_',
  review: (appId: string) => `app_${appId}_0`,
  sheet: (appId: string, userId: string) => `app_${appId}_s_${userId}`,
  recusal: (appId: string, userId: string) => `app_${appId}_r_${userId}`,
  question: (appId: string, id: string) => `app_${appId}_q_${id}`,
  /** Outbox rows live in the round's partition, so a decision and its messages commit together. */
  outbox: (createdAt: string, id: string) => `outbox_${createdAt}_${id}`,
  outboxPrefix: 'outbox_',
  ledger: 'ledger',
  decision: (id: string) => `decision_${id}`,
  decisionPrefix: 'decision_',
  /** A panel member's eens/oneens on one version (fingerprint) of the proposal. */
  mark: (fingerprint: string, userId: string) => `mark_${fingerprint}_${userId}`,
  proposalPost: (fingerprint: string) => `proposal_${fingerprint}`,
  accounthouder: (userId: string) => `role_accounthouder_${userId}`,
  accounthouderPrefix: 'role_accounthouder_',
  /** The round's criteria consultation (its responses and decisions follow as cs_r_…, cs_d_…). */
  consultation: 'cs_0',
  /** A reminder's record, in its round's partition next to the outbox messages it stored. */
  reminder: (id: string) => `reminder_${id}`,
  reminderPrefix: 'reminder_',
  /** Leases live in the global partition: they are about work across rounds. */
  lease: (name: string) => `lease_${name}`,
} as const;

/** Upper bound for a RowKey prefix range query: the prefix's last char incremented. */
export function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

/** The filter for every row of `partitionKey` whose RowKey starts with `prefix`. */
export function prefixFilter(partitionKey: string, prefix: string, extra?: string): string {
  return `PartitionKey eq ${odata(partitionKey)} and RowKey ge ${odata(prefix)} and RowKey lt ${odata(prefixEnd(prefix))}${extra ? ` and ${extra}` : ''}`;
}

export const odata = (s: string) => `'${s.replace(/'/g, "''")}'`;

type Entity = { partitionKey: string; rowKey: string; [k: string]: unknown };

export function roundToEntity(round: Round): Entity {
  const { id, wijken, criteria, routing, ...rest } = round;
  return {
    partitionKey: id,
    rowKey: ROW.round,
    kind: 'round',
    ...rest,
    wijkenJson: JSON.stringify(wijken),
    criteriaJson: JSON.stringify(criteria),
    routingJson: JSON.stringify(routing),
  };
}

export function roundFromEntity(e: Record<string, unknown>): Round {
  return {
    id: String(e.partitionKey),
    referencePrefix: String(e.referencePrefix),
    name: String(e.name),
    year: Number(e.year),
    budget: Number(e.budget),
    maxPerApplication: Number(e.maxPerApplication),
    opensAt: String(e.opensAt),
    submissionDeadline: String(e.submissionDeadline),
    reviewDeadline: String(e.reviewDeadline),
    councilAllocationReportDue: String(e.councilAllocationReportDue),
    councilResultsReportDue: String(e.councilResultsReportDue),
    wijken: JSON.parse(String(e.wijkenJson)),
    quorum: Number(e.quorum),
    allowPartialAwards: e.allowPartialAwards === undefined ? true : Boolean(e.allowPartialAwards),
    concentrationLimit: e.concentrationLimit === undefined ? 0.4 : Number(e.concentrationLimit),
    criteria: JSON.parse(String(e.criteriaJson)),
    status: e.status as Round['status'],
    routing: e.routingJson ? JSON.parse(String(e.routingJson)) : { byWijk: {} },
  };
}

export function applicationToEntity(app: Application): Entity {
  const { roundId, fields, decision, results, reviewResult, eligibility, ...rest } = app;
  // Table Storage has no null: absent optional values are simply not written.
  const plain = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  return {
    partitionKey: roundId,
    rowKey: ROW.app(app.id),
    kind: 'app',
    ...plain,
    fieldsJson: JSON.stringify(fields),
    ...(decision ? { decisionJson: JSON.stringify(decision) } : {}),
    ...(results ? { resultsJson: JSON.stringify(results) } : {}),
    ...(reviewResult ? { reviewResultJson: JSON.stringify(reviewResult) } : {}),
    ...(eligibility ? { eligibilityJson: JSON.stringify(eligibility) } : {}),
  };
}

export function applicationFromEntity(e: Record<string, unknown>): Application {
  const opt = (k: string) => (typeof e[k] === 'string' ? (e[k] as string) : undefined);
  return {
    id: String(e.id),
    roundId: String(e.partitionKey),
    applicantId: String(e.applicantId),
    status: e.status as Application['status'],
    rev: Number(e.rev),
    position: e.position as Application['position'],
    fields: JSON.parse(String(e.fieldsJson ?? '{}')),
    createdAt: String(e.createdAt),
    updatedAt: String(e.updatedAt),
    ...(opt('reference') ? { reference: opt('reference') } : {}),
    ...(opt('submittedAt') ? { submittedAt: opt('submittedAt') } : {}),
    ...(opt('withdrawnAt') ? { withdrawnAt: opt('withdrawnAt') } : {}),
    ...(opt('reviewNote') ? { reviewNote: opt('reviewNote') as Application['reviewNote'] } : {}),
    ...(opt('decisionJson') ? { decision: JSON.parse(opt('decisionJson')!) } : {}),
    ...(opt('resultsJson') ? { results: JSON.parse(opt('resultsJson')!) } : {}),
    ...(opt('reviewResultJson') ? { reviewResult: JSON.parse(opt('reviewResultJson')!) } : {}),
    ...(opt('eligibilityJson') ? { eligibility: JSON.parse(opt('eligibilityJson')!) } : {}),
  };
}

export function auditToEntity(event: AuditEvent, unique: string): Entity {
  return {
    partitionKey: event.roundId,
    rowKey: ROW.audit(event.at, unique),
    kind: 'audit',
    at: event.at,
    actorId: event.actorId,
    action: event.action,
    subjectId: event.subjectId,
    detailsJson: JSON.stringify(event.details ?? {}),
  };
}

export function auditFromEntity(e: Record<string, unknown>): AuditEvent {
  const details = JSON.parse(String(e.detailsJson ?? '{}'));
  return {
    roundId: String(e.partitionKey),
    at: String(e.at),
    actorId: String(e.actorId),
    action: e.action as AuditEvent['action'],
    subjectId: String(e.subjectId),
    ...(Object.keys(details).length ? { details } : {}),
  };
}

/** Review rows keep their value as JSON: they are read whole and never queried by field. */
export function jsonEntity(partitionKey: string, rowKey: string, kind: string, value: unknown): Entity {
  return { partitionKey, rowKey, kind, json: JSON.stringify(value) };
}

/** A row of an application's review (record, sheet, recusal, question): keyed under the application, with its id as a column. */
export function reviewEntity(partitionKey: string, rowKey: string, kind: 'review' | 'sheet' | 'recusal' | 'question', appId: string, value: unknown): Entity {
  return { ...jsonEntity(partitionKey, rowKey, kind, value), appId };
}

export function fromJsonEntity<T>(e: Record<string, unknown>): T {
  return JSON.parse(String(e.json)) as T;
}

/** Outbox rows keep `state` and `notBefore` as columns so due entries can be queried. */
export function outboxToEntity(entry: OutboxEntry): Entity {
  return {
    ...jsonEntity(entry.roundId, ROW.outbox(entry.createdAt, entry.id), 'outbox', entry),
    state: entry.state,
    notBefore: entry.notBefore,
    claimedAt: entry.claimedAt ?? '',
  };
}
