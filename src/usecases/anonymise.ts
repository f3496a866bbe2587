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
  FIXED_TERMS,
  anonymisedConsultationResponse,
  anonymisedMark,
  consultationTermEnd,
  isPseudonym,
  KeptItem,
  peopleTermEnd,
  PSEUDONYM_PREFIX,
  pseudonymLabel,
  RemovedCounts,
  removedTotal,
} from '../domain/retention';
import type { Application } from '../domain/application';
import type { ScoreSheet } from '../domain/scoring';
import { formatReference, parseReference } from '../domain/reference';
import type { Versioned } from '../domain/versioned';
import type { AnonymiseWrite } from '../ports';
import { deleteAttachments } from './attachments';
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
  files: 0,
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
    out.files = (out.files ?? 0) + (r.files ?? 0);
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
    const files = (await deps.repos.attachments.list(input.roundId, input.applicationId)).map((r) => r.value);
    const plan = describeAnonymisation(app.value, { ...scene.bundle, attachments: files });
    const reference = app.value.reference;
    const entry = (removed: RemovedCounts, already: boolean) => ({ applicationId: app.value.id, ...(reference ? { reference } : {}), removed, already });
    if (marker?.value.state === 'done') return ok({ entry: entry(marker.value.removed, true), kept: plan.kept });
    if (marker?.value.state === 'files-pending') {
      // The application and its review rows are anonymised; a run stopped before the files were gone.
      const done = await finishFiles(deps, input.roundId, input.applicationId, input.actorId);
      if (done) return ok({ entry: entry(marker.value.removed, false), kept: plan.kept });
      continue;
    }
    // The files go after the rows, before the marker says 'done': the marker says 'files-pending' meanwhile.
    const finalState: AnonymisationMarker['state'] = files.length ? 'files-pending' : 'done';

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
          ? { ...marker.value, state: finalState }
          : ({
              applicationId: app.value.id,
              reason: input.reason,
              by: input.actorId,
              at: now.toISOString(),
              state: finalState,
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
    if (res.ok && finalState === 'files-pending') await finishFiles(deps, input.roundId, input.applicationId, input.actorId);
    if (res.ok) return ok({ entry: entry(marker ? marker.value.removed : plan.removed, false), kept: plan.kept });
    // Someone else created the marker (or changed a row) since the read: read again; their marker then answers.
  }
  return err({ code: 'CONFLICT' });
}

/**
 * Deletes the application's attachments (rows, then blobs; blobs without a row under the
 * application's prefix too) and then sets its marker to 'done' (ETag-guarded). Each step can run
 * again: a rerun after a crash finds fewer rows and deletes what is left. False when the marker
 * changed meanwhile (someone else finished it; the caller reads again).
 */
async function finishFiles(deps: Deps, roundId: string, applicationId: string, actorId: string): Promise<boolean> {
  await deleteAttachments(deps, roundId, applicationId, actorId);
  const marker = (await deps.repos.retention.markers(roundId)).find((m) => m.value.applicationId === applicationId);
  if (!marker || marker.value.state === 'done') return true;
  const res = await deps.repos.retention.anonymise({
    roundId,
    applicationId,
    sheets: [],
    recusals: [],
    questions: [],
    marker: { current: marker, next: { ...marker.value, state: 'done' } },
  });
  return res.ok;
}

/** What the person's other roles gave up (added to the applications' counts in the outcome). */
type RoleCounts = Required<
  Pick<RemovedCounts, 'comments' | 'overallRemarks' | 'recusalNotes' | 'questions' | 'answers' | 'markRemarks' | 'consultationTexts' | 'namesReplaced'>
>;

const emptyRoles = (): RoleCounts => ({
  comments: 0,
  overallRemarks: 0,
  recusalNotes: 0,
  questions: 0,
  answers: 0,
  markRemarks: 0,
  consultationTexts: 0,
  namesReplaced: 0,
});
const roleTotal = (c: RoleCounts) => Object.values(c).reduce((a, b) => a + b, 0);

/**
 * The person as panel member, consultation respondent, registry user: in every round their own
 * texts in review rows (sheet comments and remark, recusal note, the questions they asked with
 * their answers; the scores stay), their remarks with eens/oneens, the texts of their consultation
 * response; their name on panel rows, marks and consultation invitations becomes the pseudonym
 * label; `createdBy` in the registry becomes the pseudonym. Each write carries an audit record
 * under the pseudonym; what is already blank is not written again, so a rerun writes nothing.
 *
 * Row keys that hold the person's Entra object id (panel `round_panel_<id>`, sheets `_s_<id>`,
 * recusals `_r_<id>`, marks `mark_<fp>_<id>`) stay: the key is a random directory id with no name
 * or contact in it, the reads that find a member's own rows go by it while the round lives, and a
 * delete + create of a sheet could be split over two transactions in a large review (losing its
 * scores would change the council's numbers). Whatever the row says about the person goes.
 */
async function anonymiseRoles(
  deps: Deps,
  actorId: string,
  personId: string,
  pseudonym: string,
  scope: { roundIds?: readonly string[]; reviewTexts: boolean } = { reviewTexts: true },
): Promise<RoleCounts> {
  const c = emptyRoles();
  const label = pseudonymLabel(pseudonym);
  const now = deps.clock.now();
  const audit = (roundId: string, details: Record<string, string | number | boolean>) =>
    auditEvent(roundId, actorId, 'person.anonymised', pseudonym, now, details);
  const texts = (s: ScoreSheet) => Object.values(s.comments ?? {}).filter(Boolean).length;
  for (const round of await deps.repos.rounds.list()) {
    const roundId = round.id;
    if (scope.roundIds && !scope.roundIds.includes(roundId)) continue;
    // Review rows, per application one transaction (ETag-guarded; a row changed meanwhile is read again).
    const snapshot = scope.reviewTexts ? await deps.repos.allocation.snapshotWithReviews(roundId) : undefined;
    for (const applicationId of snapshot ? [...snapshot.bundles.keys()] : []) {
      for (let attempt = 0; ; attempt++) {
        const bundle = attempt === 0 ? snapshot!.bundles.get(applicationId)! : await deps.repos.reviews.bundle(roundId, applicationId);
        const sheets = bundle.sheets.filter((s) => s.value.memberId === personId && (s.value.overall || texts(s.value) > 0));
        const recusals = bundle.recusals.filter((r) => r.memberId === personId && r.note !== undefined);
        const questions = bundle.questions.filter((q) => q.value.askedBy === personId);
        if (!sheets.length && !recusals.length && !questions.length) break;
        const counts = {
          comments: sheets.reduce((n, s) => n + texts(s.value), 0),
          overallRemarks: sheets.filter((s) => s.value.overall).length,
          recusalNotes: recusals.filter((r) => r.note).length,
          questions: questions.filter((q) => q.value.text).length,
          answers: questions.filter((q) => q.value.answer).length,
        };
        const res = await deps.repos.retention.scrubReviewRows({
          roundId,
          applicationId,
          sheets: sheets.map((s) => ({ current: s, next: anonymisedSheet(s.value) })),
          recusals: recusals.map(anonymisedRecusal),
          questions: questions.map((q) => ({ current: q, next: anonymisedQuestion(q.value, () => pseudonym) })),
          audit: audit(roundId, { kind: 'review-texts', applicationId, ...counts }),
        });
        if (res.ok) {
          for (const k of Object.keys(counts) as (keyof typeof counts)[]) c[k] += counts[k];
          break;
        }
        if (attempt >= MAX_ATTEMPTS) throw new Error('review rows kept changing');
      }
    }
    // The panel row: the name becomes the label (role, organisation and scores stay).
    for (const m of await deps.repos.reviews.listPanel(roundId)) {
      if (m.userId !== personId || m.name === label) continue;
      await deps.repos.reviews.putPanelMember(roundId, { ...m, name: label }, audit(roundId, { kind: 'panel-name' }));
      c.namesReplaced++;
    }
    // Marks on the proposal: agree/disagree stays (the decision record counts them), the remark goes.
    for (const m of await deps.repos.allocation.listAllMarks(roundId)) {
      if (m.memberId !== personId || (m.name === label && !m.remark)) continue;
      const { next, remark } = anonymisedMark(m, label);
      await deps.repos.allocation.putMark(roundId, next, audit(roundId, { kind: 'mark', remark }));
      if (remark) c.markRemarks++;
      c.namesReplaced++;
    }
    // The consultation: the response's texts, and the name in the invitation list.
    const state = await deps.repos.consultations.state(roundId);
    for (const r of state?.responses ?? []) {
      if (r.value.userId !== personId) continue;
      const { next, texts: n } = anonymisedConsultationResponse(r.value);
      if (n === 0) continue;
      const saved = await deps.repos.consultations.saveResponse(roundId, next, r.etag, audit(roundId, { kind: 'consultation-response', texts: n }));
      // A conflict: the person saved again or another run blanked it; the next run (or call) reads again.
      if (saved.ok) c.consultationTexts += n;
    }
    const consultation = state?.consultation;
    if (consultation && consultation.value.invited.some((i) => i.userId === personId && i.name !== undefined && i.name !== label)) {
      const next = {
        ...consultation.value,
        invited: consultation.value.invited.map((i) => (i.userId === personId && i.name !== undefined ? { ...i, name: label } : i)),
      };
      const saved = await deps.repos.consultations.update(consultation, next, audit(roundId, { kind: 'consultation-invitation' }));
      if (saved.ok) c.namesReplaced++;
    }
  }
  // The registry: who added an organisation becomes the pseudonym.
  for (const listed of await deps.repos.organisations.list()) {
    // Another instance (or an edit) may change the entry meanwhile: read again, done when it no longer names them.
    for (let attempt = 0, org: typeof listed | undefined = listed; org && org.value.createdBy === personId; attempt++) {
      const saved = await deps.repos.organisations.update(org, { ...org.value, createdBy: pseudonym }, audit(GLOBAL, { kind: 'registry-added-by' }));
      if (saved.ok) {
        c.namesReplaced++;
        break;
      }
      if (attempt >= MAX_ATTEMPTS) throw new Error('organisation kept changing');
      org = await deps.repos.organisations.get(listed.value.id);
    }
  }
  return c;
}

/** How long a marked address is kept at least, so a message enqueued right after anonymising (the deletion request's answer) still goes. */
export const FORGET_GRACE_MS = 60 * 60_000;

/** Messages to this person that are not yet sent or given up (in the global partition and every round's). */
async function pendingMessagesTo(deps: Deps, userId: string): Promise<number> {
  const partitions = [GLOBAL, ...(await deps.repos.rounds.list()).map((r) => r.id)];
  let n = 0;
  for (const pk of partitions)
    n += (await deps.repos.outbox.list(pk)).filter(
      (e) => e.target.type === 'user' && e.target.userId === userId && (e.state === 'pending' || e.state === 'sending'),
    ).length;
  return n;
}

/**
 * Everything about one person, in every role: each application they made (in every round) is
 * anonymised (with its files); as panel member, respondent or registry user their texts go and
 * their name becomes the pseudonym label (`anonymiseRoles`); their id in every audit record (as
 * actor or subject) is replaced by their pseudonym. Recorded in the global audit under the
 * pseudonym, never the id.
 *
 * Their 1:1 chat record and roster address are deleted, unless a message to them still waits in
 * the outbox or they asked themselves (`reason: 'request'`: the answer to the request is sent
 * after this): then they are marked and the scheduled run deletes them once no message waits
 * (and at least `FORGET_GRACE_MS` later). An accounthouder's role record stays while they hold the
 * role (the bot cannot end a role; an administrator removes the row).
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
  const pseudonym = pseudonymFor(deps, input.personId);
  const roles = await anonymiseRoles(deps, input.actorId, input.personId, pseudonym);
  // Where the bot reaches them: now, or once the last message to them is sent or given up.
  const waiting = input.reason === 'request' || (await pendingMessagesTo(deps, input.personId)) > 0;
  const addresses = waiting ? 0 : await deps.repos.retention.deleteAddresses(input.personId);
  const marked = waiting ? await deps.repos.retention.forgetAddresses(input.personId, deps.clock.now().toISOString()) : 0;
  const partitions = [GLOBAL, ...(await deps.repos.rounds.list()).map((r) => r.id)];
  const auditPseudonymised = await deps.repos.retention.pseudonymiseAudit(partitions, input.personId, pseudonym);
  const already = entries.every((e) => e.already) && auditPseudonymised === 0 && roleTotal(roles) === 0 && addresses === 0;
  if (!already) {
    await deps.repos.audit.record(
      auditEvent(GLOBAL, input.actorId, 'person.anonymised', pseudonym, deps.clock.now(), {
        reason: input.reason,
        applications: entries.filter((e) => !e.already).length,
        auditRecords: auditPseudonymised,
        roleTexts: roleTotal(roles) - roles.namesReplaced,
        namesReplaced: roles.namesReplaced,
        addresses,
        addressesLater: marked > 0,
      }),
    );
  }
  const fromApps = sumRemoved(entries.map((e) => e.removed));
  const removed: RemovedCounts = {
    ...fromApps,
    comments: fromApps.comments + roles.comments,
    overallRemarks: fromApps.overallRemarks + roles.overallRemarks,
    recusalNotes: fromApps.recusalNotes + roles.recusalNotes,
    questions: fromApps.questions + roles.questions,
    answers: fromApps.answers + roles.answers,
    markRemarks: roles.markRemarks,
    consultationTexts: roles.consultationTexts,
    namesReplaced: roles.namesReplaced,
    addresses,
    addressesLater: marked > 0,
  };
  return ok({ applications: entries, removed, kept: mergeKept(kept), auditPseudonymised, already });
}

// ---------------------------------------------------------------------------------------------
// The scheduled run.

export const RETENTION_LEASE = 'retention';
const DAY_MS = 24 * 60 * 60_000;
/** The moment `months` before `now` (what was last updated before it has passed a term of `months`). */
const termStart = (now: Date, months: number) => {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.toISOString();
};
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
  /** Texts removed from consultation responses whose term passed. */
  consultationTexts?: number;
  /** People of rounds whose people term passed: names replaced by the label (panel rows, marks, invitations, registry). */
  namesReplaced?: number;
  /** Sent messages deleted (their term passed), and chat or roster addresses not used within theirs. */
  purgedMessages: number;
  purgedAddresses: number;
  failedRounds: number;
}

/**
 * Anonymises every application whose term passed, each exactly once; when a round's people term
 * has passed, replaces every person's id in the round's audit by their pseudonym. Modelled on
 * the reminders: a lease keeps instances from doing the same work at once, the markers make it
 * correct (a second instance's write is refused), and a run that stops (storage gone, a crash)
 * leaves whole applications only; the next run carries on.
 */
export async function anonymiseDue(deps: Deps, input: AnonymiseDueInput): Promise<AnonymiseDueResult> {
  const result: AnonymiseDueResult = {
    ran: false,
    rounds: 0,
    anonymised: 0,
    already: 0,
    auditPseudonymised: 0,
    purgedMessages: 0,
    purgedAddresses: 0,
    failedRounds: 0,
  };
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
    // Terms that are not per round: sent messages (their rendered cards) and unused addresses.
    const now = deps.clock.now();
    result.purgedMessages = await deps.repos.retention.purgeSentOutbox(new Date(now.getTime() - FIXED_TERMS.sentMessageDays * DAY_MS).toISOString());
    result.purgedAddresses = await deps.repos.retention.purgeAddresses(termStart(now, FIXED_TERMS.addressMonths));
    // Addresses of anonymised people that waited for a last message: gone once it is sent or given up.
    for (const f of await deps.repos.retention.forgottenAddresses()) {
      if (Date.parse(f.at) > now.getTime() - FORGET_GRACE_MS || (await pendingMessagesTo(deps, f.userId)) > 0) continue;
      result.purgedAddresses += await deps.repos.retention.deleteAddresses(f.userId);
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
  const pending = new Set(markers.filter((m) => m.value.state !== 'done' && m.value.applicationId !== ROUND_MARKER).map((m) => m.value.applicationId));
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
  // The consultation's term: its responses' texts and the names in its invitations go (counts stay).
  result.consultationTexts = (result.consultationTexts ?? 0) + (await expireConsultation(deps, roundId, now));
  // The round's people: once their term passed, their names on the round's panel rows, marks and
  // invitations become labels, the registry's createdBy and the ids in the round's audit become
  // pseudonyms (an awarded application keeps its own applicant id until its longer term; panel
  // texts in review rows go with their application).
  if (Date.parse(peopleTermEnd(round)) > now.getTime()) return;
  if (markers.some((m) => m.value.applicationId === ROUND_MARKER && m.value.state === 'done')) return;
  const actors = [...new Set((await deps.repos.audit.list(roundId)).map((e) => e.actorId))].filter((id) => id !== 'system' && !isPseudonym(id));
  const people = new Set([...actors, ...snapshot.panel.map((m) => m.userId)].filter((id) => !isPseudonym(id)));
  for (const id of people) {
    const c = await anonymiseRoles(deps, 'system', id, pseudonymFor(deps, id), { roundIds: [roundId], reviewTexts: false });
    result.namesReplaced = (result.namesReplaced ?? 0) + c.namesReplaced;
  }
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

/** Once a published consultation's term passed: every response without its texts, the invitations without names. Returns how many texts went. */
async function expireConsultation(deps: Deps, roundId: string, now: Date): Promise<number> {
  const consultation = await deps.repos.consultations.get(roundId);
  const end = consultation && consultationTermEnd(consultation.value);
  if (!consultation || !end || Date.parse(end) > now.getTime()) return 0;
  const state = await deps.repos.consultations.state(roundId);
  let texts = 0;
  for (const r of state?.responses ?? []) {
    const { next, texts: n } = anonymisedConsultationResponse(r.value);
    if (n === 0) continue;
    const saved = await deps.repos.consultations.saveResponse(
      roundId,
      next,
      r.etag,
      auditEvent(roundId, 'system', 'consultation.texts-removed', roundId, now, { texts: n }),
    );
    if (saved.ok) texts += n;
  }
  const c = state?.consultation ?? consultation;
  if (c.value.invited.some((i) => i.name !== undefined) || c.value.unreachableNames?.length) {
    const { unreachableNames: _names, ...rest } = c.value;
    const next = { ...rest, invited: c.value.invited.map(({ name: _n, ...i }) => i) };
    await deps.repos.consultations.update(c, next, auditEvent(roundId, 'system', 'consultation.texts-removed', roundId, now, { names: true }));
  }
  return texts;
}

// ---------------------------------------------------------------------------------------------
// Anonymise now: the accounthouder's confirmation card and its button.

export type AnonymiseScope = 'application' | 'person';

export interface AnonymiseConfirmation {
  scope: AnonymiseScope;
  roundId: string;
  applicationId: string;
  reference: string;
  /** The application's revision the card is drawn from: a changed application gets a fresh card. */
  rev: number;
  /** For a person: how many applications they made (all rounds). */
  applications: number;
  plan: AnonymisationPlan;
}

async function applicationByReference(deps: Deps, reference: string) {
  const parsed = parseReference(reference);
  if (!parsed) return undefined;
  const round = (await deps.repos.rounds.list()).find((r) => r.referencePrefix === parsed.prefix && r.year === parsed.year);
  if (!round) return undefined;
  const ref = formatReference(parsed.prefix, parsed.year, parsed.sequence);
  return (await deps.repos.applications.listByRound(round.id)).find((a) => a.value.reference === ref);
}

async function confirmationFor(deps: Deps, app: Versioned<Application>, scope: AnonymiseScope): Promise<AnonymiseConfirmation> {
  const a = app.value;
  const own = scope === 'person' && !isPseudonym(a.applicantId) ? await deps.repos.applications.listByApplicant(a.applicantId) : [app];
  const plans = await Promise.all(own.map(async (x) => describeAnonymisation(x.value, await deps.repos.reviews.bundle(x.value.roundId, x.value.id))));
  const plan: AnonymisationPlan = {
    applicationId: a.id,
    ...(a.reference ? { reference: a.reference } : {}),
    removed: { ...sumRemoved(plans.map((p) => p.removed)), applicantPseudonymised: !isPseudonym(a.applicantId) },
    kept: mergeKept(plans.map((p) => p.kept)),
    nothingToRemove: plans.every((p) => p.nothingToRemove) && (scope === 'application' || isPseudonym(a.applicantId)),
  };
  return { scope, roundId: a.roundId, applicationId: a.id, reference: a.reference ?? '', rev: a.rev, applications: own.length, plan };
}

/** The confirmation card's data for `anonimiseer LB-2026-007` (or the applicant of it): what will go and what stays. */
export async function confirmAnonymisation(
  deps: Deps,
  input: { actorId: string; reference: string; scope: AnonymiseScope },
): Promise<Result<AnonymiseConfirmation, AnonymiseError>> {
  if (!(await isAccounthouder(deps, input.actorId))) return err({ code: 'FORBIDDEN' });
  const app = await applicationByReference(deps, input.reference);
  if (!app) return err({ code: 'NOT_FOUND' });
  return ok(await confirmationFor(deps, app, input.scope));
}

export type AnonymiseNowResult =
  | { kind: 'done'; reference: string; scope: AnonymiseScope; outcome: AnonymiseOutcome }
  /** The application changed since the card was drawn: nothing was done; the fresh confirmation. */
  | { kind: 'stale'; confirmation: AnonymiseConfirmation };

/**
 * The confirmation card's button. Only the accounthouder; the person is the application's
 * applicant as stored (never anything from the card). A second press finds everything done and
 * says so (`outcome.already`); a card drawn before the application changed gets a fresh card.
 */
export async function anonymiseNow(
  deps: Deps,
  input: { actorId: string; roundId: string; applicationId: string; rev: number; scope: AnonymiseScope },
): Promise<Result<AnonymiseNowResult, AnonymiseError>> {
  if (!(await isAccounthouder(deps, input.actorId))) return err({ code: 'FORBIDDEN' });
  const app = await deps.repos.applications.get(input.roundId, input.applicationId);
  if (!app) return err({ code: 'NOT_FOUND' });
  const reference = app.value.reference ?? '';
  const done = input.scope === 'application' ? Boolean(app.value.anonymisedAt) : isPseudonym(app.value.applicantId);
  if (!done && app.value.rev !== input.rev) return ok({ kind: 'stale', confirmation: await confirmationFor(deps, app, input.scope) });
  const res =
    input.scope === 'application'
      ? await anonymiseApplication(deps, { actorId: input.actorId, roundId: input.roundId, applicationId: input.applicationId, reason: 'accounthouder' })
      : done
        ? ok<AnonymiseOutcome>({ applications: [], removed: emptyRemoved(), kept: [], auditPseudonymised: 0, already: true })
        : await anonymisePerson(deps, { actorId: input.actorId, personId: app.value.applicantId, reason: 'accounthouder' });
  if (!res.ok) return res;
  return ok({ kind: 'done', reference, scope: input.scope, outcome: res.value });
}
