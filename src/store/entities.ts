import type { Application } from '../domain/application';
import type { AuditEvent } from '../domain/audit';
import type { Round } from '../domain/round';
import type { OutboxEntry } from '../domain/outbox';
import { JSON_PART_CHARS } from './limits';

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
  /** An attachment's metadata, keyed by its content's hash (one row per content): inside the application's range. */
  attachment: (appId: string, sha256: string) => `app_${appId}_a_${sha256}`,
  attachmentPrefix: (appId: string) => `app_${appId}_a_`,
  /** Outbox rows live in the round's partition, so a decision and its messages commit together. */
  /** By id alone: an entry's id is derived from what it announces, so storing it again (at another time) finds it. */
  outbox: (id: string) => `outbox_${id}`,
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
  /** A person's deletion request, in the global partition (one per person). */
  deletionRequest: (userId: string) => `privacy_del_${userId}`,
  deletionRequestPrefix: 'privacy_del_',
  /** Leases live in the global partition: they are about work across rounds. */
  lease: (name: string) => `lease_${name}`,
  /** An application's anonymisation marker (after the term or on request). */
  anonymised: (appId: string) => `anon_${appId}`,
  anonymisedPrefix: 'anon_',
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

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/**
 * A JSON value as string properties of at most `JSON_PART_CHARS` characters each: `name`, then
 * `name_1`, `name_2`, … for what does not fit (a part never ends inside a surrogate pair). Every
 * value whose size depends on what people type is written this way; rows are replaced whole, so
 * no stale part outlives a shorter value.
 */
export function jsonProps(name: string, value: unknown): Record<string, string> {
  const json = JSON.stringify(value) as string | undefined;
  const out: Record<string, string> = {};
  // Nothing to write (as before: Table Storage has no null).
  if (json === undefined) return out;
  let start = 0;
  for (let n = 0; n === 0 || start < json.length; n++) {
    let end = Math.min(start + JSON_PART_CHARS, json.length);
    if (end < json.length && isHighSurrogate(json.charCodeAt(end - 1))) end--;
    out[n === 0 ? name : `${name}_${n}`] = json.slice(start, end);
    start = end;
  }
  return out;
}

/** The JSON text written by `jsonProps` (or, in older rows, one property), joined again; undefined if absent. */
export function jsonText(e: Record<string, unknown>, name: string): string | undefined {
  if (typeof e[name] !== 'string') return undefined;
  let text = e[name] as string;
  for (let n = 1; typeof e[`${name}_${n}`] === 'string'; n++) text += e[`${name}_${n}`] as string;
  return text;
}

/** The value written by `jsonProps`, or `fallback` when the row has none. */
export function readJson<T>(e: Record<string, unknown>, name: string, fallback?: T): T {
  const text = jsonText(e, name);
  return text === undefined ? (fallback as T) : (JSON.parse(text) as T);
}

export function roundToEntity(round: Round): Entity {
  const { id, wijken, criteria, routing, retention, form, ...rest } = round;
  return {
    partitionKey: id,
    rowKey: ROW.round,
    kind: 'round',
    ...rest,
    ...jsonProps('wijkenJson', wijken),
    ...jsonProps('criteriaJson', criteria),
    ...jsonProps('routingJson', routing),
    ...(retention ? jsonProps('retentionJson', retention) : {}),
    ...(form ? jsonProps('formJson', form) : {}),
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
    wijken: readJson(e, 'wijkenJson'),
    quorum: Number(e.quorum),
    allowPartialAwards: e.allowPartialAwards === undefined ? true : Boolean(e.allowPartialAwards),
    concentrationLimit: e.concentrationLimit === undefined ? 0.4 : Number(e.concentrationLimit),
    criteria: readJson(e, 'criteriaJson'),
    status: e.status as Round['status'],
    routing: readJson(e, 'routingJson', { byWijk: {} }),
    ...(typeof e.retentionJson === 'string' ? { retention: readJson(e, 'retentionJson') } : {}),
    ...(typeof e.formJson === 'string' ? { form: readJson(e, 'formJson') } : {}),
    ...(typeof e.createdWith === 'string' ? { createdWith: e.createdWith } : {}),
  };
}

export function applicationToEntity(app: Application): Entity {
  const { roundId, fields, decision, results, reviewResult, eligibility, changeRequest, ...rest } = app;
  // Table Storage has no null: absent optional values are simply not written.
  const plain = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  return {
    partitionKey: roundId,
    rowKey: ROW.app(app.id),
    kind: 'app',
    ...plain,
    ...jsonProps('fieldsJson', fields),
    ...(decision ? jsonProps('decisionJson', decision) : {}),
    ...(results ? jsonProps('resultsJson', results) : {}),
    ...(reviewResult ? jsonProps('reviewResultJson', reviewResult) : {}),
    ...(eligibility ? jsonProps('eligibilityJson', eligibility) : {}),
    ...(changeRequest ? jsonProps('changeJson', changeRequest) : {}),
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
    fields: readJson(e, 'fieldsJson', {}),
    createdAt: String(e.createdAt),
    updatedAt: String(e.updatedAt),
    ...(opt('reference') ? { reference: opt('reference') } : {}),
    ...(opt('submittedAt') ? { submittedAt: opt('submittedAt') } : {}),
    ...(e.formVersion !== undefined ? { formVersion: Number(e.formVersion) } : {}),
    ...(opt('withdrawnAt') ? { withdrawnAt: opt('withdrawnAt') } : {}),
    ...(opt('reviewNote') ? { reviewNote: opt('reviewNote') as Application['reviewNote'] } : {}),
    ...(opt('anonymisedAt') ? { anonymisedAt: opt('anonymisedAt') } : {}),
    ...(opt('decisionJson') ? { decision: readJson(e, 'decisionJson') } : {}),
    ...(opt('resultsJson') ? { results: readJson(e, 'resultsJson') } : {}),
    ...(opt('reviewResultJson') ? { reviewResult: readJson(e, 'reviewResultJson') } : {}),
    ...(opt('eligibilityJson') ? { eligibility: readJson(e, 'eligibilityJson') } : {}),
    ...(opt('changeJson') ? { changeRequest: readJson(e, 'changeJson') } : {}),
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
    ...jsonProps('detailsJson', event.details ?? {}),
  };
}

export function auditFromEntity(e: Record<string, unknown>): AuditEvent {
  const details = readJson<NonNullable<AuditEvent['details']>>(e, 'detailsJson', {});
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
  return { partitionKey, rowKey, kind, ...jsonProps('json', value) };
}

/** A row of an application's review (record, sheet, recusal, question): keyed under the application, with its id as a column. */
export function reviewEntity(partitionKey: string, rowKey: string, kind: 'review' | 'sheet' | 'recusal' | 'question', appId: string, value: unknown): Entity {
  return { ...jsonEntity(partitionKey, rowKey, kind, value), appId };
}

export function fromJsonEntity<T>(e: Record<string, unknown>): T {
  return readJson<T>(e, 'json');
}

/** Outbox rows keep `state` and `notBefore` as columns so due entries can be queried. */
export function outboxToEntity(entry: OutboxEntry): Entity {
  return {
    ...jsonEntity(entry.roundId, ROW.outbox(entry.id), 'outbox', entry),
    state: entry.state,
    notBefore: entry.notBefore,
    claimedAt: entry.claimedAt ?? '',
  };
}
