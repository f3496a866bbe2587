import { createHmac } from 'node:crypto';
import { auditEvent, GLOBAL } from '../domain/audit';
import { err, ok, Result } from '../domain/result';
import {
  AnonymisationMarker,
  AnonymisationPlan,
  AnonymiseReason,
  anonymisedApplication,
  anonymisedQuestion,
  anonymisedRecusal,
  anonymisedReview,
  anonymisedSheet,
  describeAnonymisation,
  dueForAnonymisation,
  isPseudonym,
  KeptItem,
  peopleTermEnd,
  PSEUDONYM_PREFIX,
  RemovedCounts,
  removedTotal,
} from '../domain/retention';
import type { AnonymiseWrite } from '../ports';
import type { Deps } from './deps';
import { isAccounthouder } from './roles';

/**
 * Anonymisation: of one application (its term passed, or the accounthouder asks), of everything
 * about one person, and the scheduled run that does it when terms pass. Irreversible: what is
 * removed is not kept anywhere else. Each application is written once (its done-marker is created
 * in the same transaction), so a second press, a second instance or a rerun after a crash does
 * nothing twice and the audit holds one record per application.
 */

export type { AnonymiseReason } from '../domain/retention';

/** What an anonymisation removed and kept, per kind, so a card or message can be computed from it. */
export interface AnonymiseOutcome {
  /** Per application: what was removed (counts and field names), whether it was anonymised before. */
  applications: { applicationId: string; reference?: string; removed: RemovedCounts; already: boolean }[];
  /** The sum over the applications. */
  removed: RemovedCounts;
  /** What stays and why (the subsidy file, the council report, the Woo list). */
  kept: KeptItem[];
  /** Audit records whose actor (or subject) now is a pseudonym. */
  auditPseudonymised: number;
  /** Nothing new was removed: everything was anonymised already. */
  already: boolean;
}

export type AnonymiseError = { code: 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT' };

const LOCAL_SECRET = 'leerbudget-local-pseudonyms';

/**
 * A person's stable pseudonym: an HMAC of their id with the configured secret. The same person
 * gets the same pseudonym everywhere (their actions still link), and without the secret it cannot
 * be turned back into the id.
 */
export function pseudonymFor(deps: Pick<Deps, 'pseudonymSecret'>, id: string): string {
  if (isPseudonym(id) || id === 'system') return id;
  return (
    PSEUDONYM_PREFIX +
    createHmac('sha256', deps.pseudonymSecret || LOCAL_SECRET)
      .update(id)
      .digest('hex')
      .slice(0, 20)
  );
}

const emptyRemoved = (): RemovedCounts => ({
  applicationFields: [],
  resultsFields: [],
  comments: 0,
  overallRemarks: 0,
  recusalNotes: 0,
  questions: 0,
  answers: 0,
  applicantPseudonymised: false,
});

function sumRemoved(list: RemovedCounts[]): RemovedCounts {
  const out = emptyRemoved();
  for (const r of list) {
    out.applicationFields = [...new Set([...out.applicationFields, ...r.applicationFields])];
    out.resultsFields = [...new Set([...out.resultsFields, ...r.resultsFields])];
    out.comments += r.comments;
    out.overallRemarks += r.overallRemarks;
    out.recusalNotes += r.recusalNotes;
    out.questions += r.questions;
    out.answers += r.answers;
    out.applicantPseudonymised ||= r.applicantPseudonymised;
  }
  return out;
}

function mergeKept(list: KeptItem[][]): KeptItem[] {
  const seen = new Map<string, KeptItem>();
  for (const k of list.flat()) if (!seen.has(k.what)) seen.set(k.what, k);
  return [...seen.values()];
}

async function mayAnonymise(deps: Deps, actorId: string): Promise<boolean> {
  return actorId === 'system' || (await isAccounthouder(deps, actorId));
}

/** What anonymising one application would remove and keep, for the confirmation card (accounthouder only). */
export async function planApplicationAnonymisation(
  deps: Deps,
  input: { actorId: string; roundId: string; applicationId: string },
): Promise<Result<AnonymisationPlan & { title?: string }, AnonymiseError>> {
  if (!(await mayAnonymise(deps, input.actorId))) return err({ code: 'FORBIDDEN' });
  const scene = await deps.repos.reviews.scene(input.roundId, input.applicationId);
  if (!scene.app) return err({ code: 'NOT_FOUND' });
  const plan = describeAnonymisation(scene.app.value, scene.bundle);
  return ok({ ...plan, ...(scene.app.value.fields.title ? { title: scene.app.value.fields.title } : {}) });
}

const MAX_ATTEMPTS = 3;

/**
 * Anonymises one application with its review rows (sheets' remarks, recusal notes, questions and
 * answers) in one transaction with its marker and audit record. The first writer wins; another
 * (a second press, a second instance) finds the marker and gets the outcome with `already`.
 */
export async function anonymiseApplication(
  deps: Deps,
  input: { actorId: string; roundId: string; applicationId: string; reason: AnonymiseReason },
): Promise<Result<AnonymiseOutcome, AnonymiseError>> {
  if (!(await mayAnonymise(deps, input.actorId))) return err({ code: 'FORBIDDEN' });
  const one = await anonymiseOne(deps, input);
  if (!one.ok) return one;
  return ok({
    applications: [one.value.entry],
    removed: one.value.entry.removed,
    kept: one.value.kept,
    auditPseudonymised: 0,
    already: one.value.entry.already,
  });
}

async function anonymiseOne(
  deps: Deps,
  input: { actorId: string; roundId: string; applicationId: string; reason: AnonymiseReason },
): Promise<Result<{ entry: AnonymiseOutcome['applications'][number]; kept: KeptItem[] }, AnonymiseError>> {
  const pseudonym = (id: string) => pseudonymFor(deps, id);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const [scene, markers] = await Promise.all([deps.repos.reviews.scene(input.roundId, input.applicationId), deps.repos.retention.markers(input.roundId)]);
    const app = scene.app;
    if (!app) return err({ code: 'NOT_FOUND' });
    const marker = markers.find((m) => m.value.applicationId === input.applicationId);
    const plan = describeAnonymisation(app.value, scene.bundle);
    const reference = app.value.reference;
    const entry = (removed: RemovedCounts, already: boolean) => ({ applicationId: app.value.id, ...(reference ? { reference } : {}), removed, already });
    if (marker?.value.state === 'done') return ok({ entry: entry(marker.value.removed, true), kept: plan.kept });

    const now = deps.clock.now();
    const { bundle } = scene;
    const review = bundle.review;
    const nextReview = review && anonymisedReview(review.value, pseudonym);
    const write: AnonymiseWrite = {
      roundId: input.roundId,
      applicationId: input.applicationId,
      ...(app.value.anonymisedAt ? {} : { application: { current: app, next: anonymisedApplication(app.value, pseudonym, now) } }),
      ...(review && nextReview && JSON.stringify(nextReview) !== JSON.stringify(review.value) ? { review: { current: review, next: nextReview } } : {}),
      sheets: bundle.sheets
        .filter((s) => s.value.overall || Object.keys(s.value.comments ?? {}).length)
        .map((s) => ({ current: s, next: anonymisedSheet(s.value) })),
      recusals: bundle.recusals.filter((r) => r.note !== undefined).map(anonymisedRecusal),
      questions: bundle.questions
        .filter((q) => q.value.text || q.value.answer !== undefined || !isPseudonym(q.value.askedBy))
        .map((q) => ({ current: q, next: anonymisedQuestion(q.value, pseudonym) })),
      marker: {
        ...(marker ? { current: marker } : {}),
        next: marker
          ? marker.value
          : ({
              applicationId: app.value.id,
              reason: input.reason,
              by: input.actorId,
              at: now.toISOString(),
              state: 'done',
              removed: plan.removed,
            } satisfies AnonymisationMarker),
      },
      // One audit record per application: with the first write (a resumed run adds none).
      ...(marker
        ? {}
        : {
            audit: auditEvent(input.roundId, input.actorId, 'application.anonymised', app.value.id, now, {
              reason: input.reason,
              ...(reference ? { reference } : {}),
              removed: removedTotal(plan.removed),
            }),
          }),
    };
    const res = await deps.repos.retention.anonymise(write);
    if (res.ok) return ok({ entry: entry(marker ? marker.value.removed : plan.removed, false), kept: plan.kept });
    // Someone else created the marker (or changed a row) since the read: read again; their marker then answers.
  }
  return err({ code: 'CONFLICT' });
}

/**
 * Everything about one person: each application they made (in every round) is anonymised, and
 * their id in every audit record (as actor or subject) is replaced by their pseudonym. Recorded in
 * the global audit under the pseudonym, never the id.
 *
 * Not (yet) covered here: a panel member's own remarks on others' applications leave with those
 * applications' terms, and the rows that have the person's id in their key (panel membership,
 * sheets, the 1:1 chat address) stay until the round's people term; the outcome's `kept` says so.
 */
export async function anonymisePerson(
  deps: Deps,
  input: { actorId: string; personId: string; reason: AnonymiseReason },
): Promise<Result<AnonymiseOutcome, AnonymiseError>> {
  if (!(await mayAnonymise(deps, input.actorId))) return err({ code: 'FORBIDDEN' });
  if (!input.personId || isPseudonym(input.personId)) return err({ code: 'NOT_FOUND' });
  const entries: AnonymiseOutcome['applications'] = [];
  const kept: KeptItem[][] = [];
  for (const a of await deps.repos.applications.listByApplicant(input.personId)) {
    const one = await anonymiseOne(deps, { actorId: input.actorId, roundId: a.value.roundId, applicationId: a.value.id, reason: input.reason });
    if (!one.ok) return one;
    entries.push(one.value.entry);
    kept.push(one.value.kept);
  }
  const partitions = [GLOBAL, ...(await deps.repos.rounds.list()).map((r) => r.id)];
  const pseudonym = pseudonymFor(deps, input.personId);
  const auditPseudonymised = await deps.repos.retention.pseudonymiseAudit(partitions, input.personId, pseudonym);
  const already = entries.every((e) => e.already) && auditPseudonymised === 0;
  if (!already) {
    await deps.repos.audit.record(
      auditEvent(GLOBAL, input.actorId, 'person.anonymised', pseudonym, deps.clock.now(), {
        reason: input.reason,
        applications: entries.filter((e) => !e.already).length,
        auditRecords: auditPseudonymised,
      }),
    );
  }
  return ok({ applications: entries, removed: sumRemoved(entries.map((e) => e.removed)), kept: mergeKept(kept), auditPseudonymised, already });
}

// ---------------------------------------------------------------------------------------------
// The scheduled run.

export const RETENTION_LEASE = 'retention';
const LEASE_MS = 5 * 60_000;
/** The round-level marker (people pseudonymised in the round's audit); application ids are 20 hex characters, so it never clashes. */
export const ROUND_MARKER = 'round';

export interface AnonymiseDueInput {
  owner: string;
  /** False for tests that race instances on purpose. */
  useLease?: boolean;
  leaseMs?: number;
  onError?: (roundId: string, error: unknown) => void;
}

export interface AnonymiseDueResult {
  ran: boolean;
  rounds: number;
  /** Applications this run anonymised (or finished). */
  anonymised: number;
  /** Found anonymised by someone else meanwhile. */
  already: number;
  /** Audit records pseudonymised because the round's people term passed. */
  auditPseudonymised: number;
  failedRounds: number;
}

/**
 * Anonymises every application whose term passed, each exactly once; when a round's people term
 * has passed too, replaces every person's id in the round's audit by their pseudonym. Modelled on
 * the reminders: a lease keeps instances from doing the same work at once, the markers make it
 * correct (a second instance's write is refused), and a run that stops (storage gone, a crash)
 * leaves whole applications only; the next run carries on.
 */
export async function anonymiseDue(deps: Deps, input: AnonymiseDueInput): Promise<AnonymiseDueResult> {
  const result: AnonymiseDueResult = { ran: false, rounds: 0, anonymised: 0, already: 0, auditPseudonymised: 0, failedRounds: 0 };
  const useLease = input.useLease ?? true;
  if (useLease && !(await deps.repos.leases.acquire(RETENTION_LEASE, input.owner, input.leaseMs ?? LEASE_MS, deps.clock.now()))) return result;
  result.ran = true;
  try {
    for (const round of await deps.repos.rounds.list()) {
      result.rounds++;
      try {
        await anonymiseRound(deps, round.id, result);
      } catch (e) {
        result.failedRounds++;
        input.onError?.(round.id, e);
      }
    }
  } finally {
    if (useLease) await deps.repos.leases.release(RETENTION_LEASE, input.owner);
  }
  return result;
}

async function anonymiseRound(deps: Deps, roundId: string, result: AnonymiseDueResult): Promise<void> {
  const [snapshot, markers] = await Promise.all([deps.repos.allocation.snapshot(roundId), deps.repos.retention.markers(roundId)]);
  if (!snapshot) return;
  const round = snapshot.round.value;
  const now = deps.clock.now();
  const apps = snapshot.applications.map((a) => a.value);
  const pending = new Set(markers.filter((m) => m.value.state === 'rows-pending').map((m) => m.value.applicationId));
  const due = [
    ...dueForAnonymisation(
      apps,
      round,
      snapshot.decisions.map((d) => d.value.approvedAt),
      now,
    ).map((a) => a.id),
    ...pending,
  ];
  for (const applicationId of new Set(due)) {
    const one = await anonymiseOne(deps, { actorId: 'system', roundId, applicationId, reason: 'retention' });
    if (!one.ok) throw new Error(`anonymising an application failed: ${one.error.code}`);
    if (one.value.entry.already) result.already++;
    else result.anonymised++;
  }
  // The round's people: once their term passed and every application is anonymised.
  if (Date.parse(peopleTermEnd(round)) > now.getTime()) return;
  if (markers.some((m) => m.value.applicationId === ROUND_MARKER && m.value.state === 'done')) return;
  const after = await deps.repos.applications.listByRound(roundId);
  if (after.some((a) => !a.value.anonymisedAt)) return;
  const actors = [...new Set((await deps.repos.audit.list(roundId)).map((e) => e.actorId))].filter((id) => id !== 'system' && !isPseudonym(id));
  let changed = 0;
  for (const id of actors) changed += await deps.repos.retention.pseudonymiseAudit([roundId], id, pseudonymFor(deps, id));
  const res = await deps.repos.retention.anonymise({
    roundId,
    applicationId: ROUND_MARKER,
    sheets: [],
    recusals: [],
    questions: [],
    marker: { next: { applicationId: ROUND_MARKER, reason: 'retention', by: 'system', at: now.toISOString(), state: 'done', removed: emptyRemoved() } },
    audit: auditEvent(roundId, 'system', 'round.people-pseudonymised', roundId, now, { people: actors.length, auditRecords: changed }),
  });
  if (res.ok) result.auditPseudonymised += changed;
}
