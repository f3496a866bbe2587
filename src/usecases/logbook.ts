import { GLOBAL, type AuditEvent } from '../domain/audit';
import { entraIdPattern } from '../domain/personal-data';
import { err, ok, type Result } from '../domain/result';
import type { Lang } from '../i18n';
import { pseudonymTag, type LogbookFilter, type LogbookRow } from '../domain/logbook';

export type { LogbookFilter, LogbookRow } from '../domain/logbook';
import type { Deps } from './deps';
import { isAccounthouder } from './roles';

/** Lines on one page of the logboek card. */
export const LOGBOOK_PAGE = 20;
/** People offered in the card's choice list (the card stays far under 80 KB); the rest are found through an application. */
export const LOGBOOK_PEOPLE = 150;

export interface KnownPerson {
  userId: string;
  name: string;
}

export interface LogbookPage {
  filter: LogbookFilter;
  /** The reference as typed, when it named no application (the filter is then off). */
  unknownReference?: string;
  reference?: string;
  rows: LogbookRow[];
  matched: number;
  page: number;
  pages: number;
  people: KnownPerson[];
  peopleCut: number;
}

export type LogbookError = { code: 'FORBIDDEN' };

interface World {
  /** Every round's id (the partitions whose audit the logboek may read, with the global one). */
  rounds: string[];
  /** Application id → the round it is in. */
  roundOf: Map<string, string>;
  names: Map<string, string>;
  references: Map<string, string>;
  /** Application id → applicant id. */
  applicants: Map<string, string>;
  people: KnownPerson[];
}

/** Words for people the store knows by role only (the app layer's language). */
export interface LogbookLabels {
  /** An applicant the bot has no name for, known by their application. */
  applicant(reference: string): string;
  /** An accounthouder (configured or stored) without a stored name. */
  accounthouder: string;
}

/** Who the people are and which applications exist (application rows and panels; no audit). */
async function world(deps: Deps, labels: LogbookLabels): Promise<World> {
  const [rounds, accounthouders, roster] = await Promise.all([
    deps.repos.rounds.list(),
    deps.repos.roles.listAccounthouders(),
    deps.repos.conversations.listRoster(),
  ]);
  const names = new Map<string, string>();
  const references = new Map<string, string>();
  const applicants = new Map<string, string>();
  const roundOf = new Map<string, string>();
  const applicantRefs = new Map<string, string>();
  for (const round of rounds) {
    const snapshot = await deps.repos.allocation.snapshot(round.id);
    for (const m of snapshot?.panel ?? []) names.set(m.userId, m.name);
    for (const { value: a } of snapshot?.applications ?? []) {
      if (a.reference) references.set(a.id, a.reference);
      applicants.set(a.id, a.applicantId);
      roundOf.set(a.id, round.id);
      if (a.reference && !applicantRefs.has(a.applicantId)) applicantRefs.set(a.applicantId, a.reference);
    }
  }
  for (const a of accounthouders) if (a.name) names.set(a.userId, a.name);
  for (const r of roster) if (r.name) names.set(r.userId, r.name);
  // An applicant the bot has no name for is known by their application (contact details are not for the accounthouder).
  for (const [userId, reference] of applicantRefs) if (!names.has(userId)) names.set(userId, labels.applicant(reference));
  // An accounthouder is one by the configuration or the store; without a stored name, they are known by the role.
  for (const userId of [...(deps.accounthouders ?? []), ...accounthouders.map((a) => a.userId)])
    if (!names.has(userId)) names.set(userId, labels.accounthouder);
  const people = [...names.entries()]
    .map(([userId, name]) => ({ userId, name }))
    .sort((a, b) => a.name.localeCompare(b.name, 'nl') || a.userId.localeCompare(b.userId));
  return { rounds: rounds.map((r) => r.id), roundOf, names, references, applicants, people };
}

/**
 * The audit records a filter can match, read only from the partitions that can hold them: an
 * application's round (and the global partition), a round, or every round when the filter names
 * neither (a person acts anywhere).
 */
async function auditsFor(deps: Deps, w: World, filter: LogbookFilter): Promise<AuditEvent[]> {
  const appRound = filter.applicationId ? w.roundOf.get(filter.applicationId) : undefined;
  const partitions = appRound ? [appRound, GLOBAL] : filter.roundId ? [filter.roundId] : [...w.rounds, GLOBAL];
  return (await Promise.all(partitions.map((p) => deps.repos.audit.list(p)))).flat();
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Amsterdam's calendar day of an instant. */
const amsterdamDay = (iso: string) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(new Date(iso));

/** The records of the filter, newest first (not yet worded: a page words only its own). */
function matching(audits: AuditEvent[], w: World, filter: LogbookFilter): AuditEvent[] {
  const ownApps = filter.personId ? new Set([...w.applicants].filter(([, u]) => u === filter.personId).map(([id]) => id)) : undefined;
  return audits
    .filter((e) => !filter.roundId || e.roundId === filter.roundId)
    .filter((e) => !filter.applicationId || e.subjectId === filter.applicationId)
    .filter((e) => !filter.personId || e.actorId === filter.personId || e.subjectId === filter.personId || ownApps!.has(e.subjectId))
    .filter((e) => {
      if (!filter.from && !filter.to) return true;
      const day = amsterdamDay(e.at);
      return (!filter.from || day >= filter.from) && (!filter.to || day <= filter.to);
    })
    .sort((a, b) => b.at.localeCompare(a.at));
}

/** One record as the accounthouder reads it: names from the store, a pseudonym's tag, never ids. */
function rowOf(w: World, e: AuditEvent): LogbookRow {
  const actorTag = pseudonymTag(e.actorId);
  const who: LogbookRow['who'] =
    e.actorId === 'system'
      ? { kind: 'system' }
      : actorTag
        ? { kind: 'pseudonym', tag: actorTag }
        : { kind: 'person', ...(w.names.get(e.actorId) ? { name: w.names.get(e.actorId)! } : {}) };
  const reference = w.references.get(e.subjectId);
  const person = entraIdPattern.test(e.subjectId) && e.subjectId !== e.actorId ? w.names.get(e.subjectId) : undefined;
  const subjectTag = e.subjectId !== e.actorId ? pseudonymTag(e.subjectId) : undefined;
  const subject: LogbookRow['subject'] = reference
    ? { kind: 'application', reference }
    : person
      ? { kind: 'person', name: person }
      : subjectTag
        ? { kind: 'pseudonym', tag: subjectTag }
        : undefined;
  return {
    at: e.at,
    roundId: e.roundId,
    action: e.action,
    who,
    ...(subject ? { subject } : {}),
    ...(e.details ? { details: e.details } : {}),
  };
}

/** The filter as the card or link gives it, checked against the store: an application by its reference, a person only when the bot knows them. */
function checked(w: World, input: LogbookFilter & { reference?: string }): { filter: LogbookFilter; unknownReference?: string; reference?: string } {
  const { reference: typed, ...rest } = input;
  const filter: LogbookFilter = { lang: rest.lang };
  if (rest.roundId) filter.roundId = rest.roundId;
  if (rest.from && DAY.test(rest.from)) filter.from = rest.from;
  if (rest.to && DAY.test(rest.to)) filter.to = rest.to;
  if (rest.personId && w.names.has(rest.personId)) filter.personId = rest.personId;
  let appId = rest.applicationId && w.references.has(rest.applicationId) ? rest.applicationId : undefined;
  const ref = typed?.trim().toUpperCase();
  if (ref) appId = [...w.references].find(([, r]) => r === ref)?.[0];
  if (appId) filter.applicationId = appId;
  return { filter, ...(ref && !appId ? { unknownReference: typed!.trim() } : {}), ...(appId ? { reference: w.references.get(appId)! } : {}) };
}

/** The accounthouder's logboek: every audit record of the filter, newest first, 20 a page, with readable names. */
export async function logbook(
  deps: Deps,
  input: {
    actorId: string;
    lang: Lang;
    reference?: string;
    personId?: string;
    from?: string;
    to?: string;
    page: number;
    labels: LogbookLabels;
  },
): Promise<Result<LogbookPage, LogbookError>> {
  if (!(await isAccounthouder(deps, input.actorId))) return err({ code: 'FORBIDDEN' });
  const w = await world(deps, input.labels);
  const { filter, unknownReference, reference } = checked(w, {
    lang: input.lang,
    ...(input.reference ? { reference: input.reference } : {}),
    ...(input.personId ? { personId: input.personId } : {}),
    ...(input.from ? { from: input.from } : {}),
    ...(input.to ? { to: input.to } : {}),
  });
  const all = matching(await auditsFor(deps, w, filter), w, filter);
  const pages = Math.max(1, Math.ceil(all.length / LOGBOOK_PAGE));
  const page = Math.min(Math.max(1, input.page), pages);
  return ok({
    filter,
    ...(unknownReference ? { unknownReference } : {}),
    ...(reference ? { reference } : {}),
    rows: all.slice((page - 1) * LOGBOOK_PAGE, page * LOGBOOK_PAGE).map((e) => rowOf(w, e)),
    matched: all.length,
    page,
    pages,
    people: w.people.slice(0, LOGBOOK_PEOPLE),
    peopleCut: Math.max(0, w.people.length - LOGBOOK_PEOPLE),
  });
}

/** The filter as link parameters (short names: the signature covers each). */
export function logbookParams(actorId: string, filter: LogbookFilter): Record<string, string> {
  return {
    by: actorId,
    lang: filter.lang,
    ...(filter.roundId ? { round: filter.roundId } : {}),
    ...(filter.applicationId ? { app: filter.applicationId } : {}),
    ...(filter.personId ? { person: filter.personId } : {}),
    ...(filter.from ? { from: filter.from } : {}),
    ...(filter.to ? { to: filter.to } : {}),
  };
}

/** The filter of a signed link's parameters; undefined when it has one no link of ours has. */
export function logbookFilterFromParams(params: Record<string, string>): (LogbookFilter & { by: string }) | undefined {
  const known = new Set(['by', 'lang', 'round', 'app', 'person', 'from', 'to']);
  if (Object.keys(params).some((k) => !known.has(k)) || !params.by || !entraIdPattern.test(params.by)) return undefined;
  return {
    by: params.by,
    lang: params.lang === 'en' ? 'en' : 'nl',
    ...(params.round ? { roundId: params.round } : {}),
    ...(params.app ? { applicationId: params.app } : {}),
    ...(params.person ? { personId: params.person } : {}),
    ...(params.from ? { from: params.from } : {}),
    ...(params.to ? { to: params.to } : {}),
  };
}

/**
 * Every row of a signed link's filter, for the CSV. The link was made for an accounthouder: it
 * works only while they still are one. The download is audited.
 */
export async function logbookRows(deps: Deps, filter: LogbookFilter & { by: string }, labels: LogbookLabels): Promise<LogbookRow[] | undefined> {
  if (!(await isAccounthouder(deps, filter.by))) return undefined;
  const w = await world(deps, labels);
  const f = checked(w, filter).filter;
  const rows = matching(await auditsFor(deps, w, f), w, f).map((e) => rowOf(w, e));
  await deps.repos.audit.record({
    roundId: GLOBAL,
    at: deps.clock.now().toISOString(),
    actorId: filter.by,
    action: 'logbook.exported',
    subjectId: filter.by,
    details: { rows: rows.length },
  });
  return rows;
}
