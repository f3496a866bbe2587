import { createHash } from 'node:crypto';
import { auditEvent, GLOBAL } from '../domain/audit';
import type { OutboxEntry } from '../domain/outbox';
import { newDeletionRequest, REFUSAL_REASON_LIMIT, type DeletionRequest } from '../domain/privacy-request';
import { err, ok, type Result } from '../domain/result';
import { describeAnonymisation, type KeptItem, type RemovedCounts } from '../domain/retention';
import { readText } from '../domain/text';
import type { Versioned } from '../domain/versioned';
import { langFor, type Lang } from '../i18n';
import { anonymisePerson, pseudonymFor } from './anonymise';
import type { Deps } from './deps';
import { isAccounthouder } from './roles';

/** What deleting a person's data would remove and keep: the sum over their applications (part A's plan). */
export interface DeletionPlan {
  applications: number;
  removed: RemovedCounts;
  kept: KeptItem[];
}

/** A request's id on cards: derived from the person, so a card names the request without naming who. */
export const requestIdOf = (userId: string) => `del-${createHash('sha256').update(`deletion|${userId}`).digest('hex').slice(0, 20)}`;
export const REQUEST_ID = /^del-[0-9a-f]{20}$/;

const hash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);

export async function deletionPlan(deps: Deps, userId: string): Promise<DeletionPlan> {
  const apps = await deps.repos.applications.listByApplicant(userId);
  const plans = await Promise.all(apps.map(async (a) => describeAnonymisation(a.value, await deps.repos.reviews.bundle(a.value.roundId, a.value.id))));
  const removed: RemovedCounts = {
    applicationFields: [...new Set(plans.flatMap((p) => p.removed.applicationFields))],
    resultsFields: [...new Set(plans.flatMap((p) => p.removed.resultsFields))],
    comments: plans.reduce((n, p) => n + p.removed.comments, 0),
    overallRemarks: plans.reduce((n, p) => n + p.removed.overallRemarks, 0),
    recusalNotes: plans.reduce((n, p) => n + p.removed.recusalNotes, 0),
    questions: plans.reduce((n, p) => n + p.removed.questions, 0),
    answers: plans.reduce((n, p) => n + p.removed.answers, 0),
    applicantPseudonymised: plans.some((p) => p.removed.applicantPseudonymised),
  };
  const kept = [...new Map(plans.flatMap((p) => p.kept).map((k) => [k.what, k])).values()];
  return { applications: plans.filter((p) => !p.nothingToRemove).length, removed, kept };
}

/** The person's own request (if any) and what deleting would remove and keep. */
export async function deletionState(deps: Deps, userId: string): Promise<{ plan: DeletionPlan; request?: DeletionRequest }> {
  const [plan, current] = await Promise.all([deletionPlan(deps, userId), deps.repos.privacy.get(userId)]);
  return { plan, ...(current ? { request: current.value } : {}) };
}

/** How the app layer words a request for an accounthouder (a card) and an answer for the person (text). */
export interface DeletionMessages {
  forAccounthouder(input: { lang: Lang; request: DeletionRequest; requestId: string; plan: DeletionPlan; name?: string }): object;
  /** The answer to the person, worded from the request's decision and (when approved) its stored outcome. */
  forPerson(input: { lang: Lang; request: DeletionRequest }): string;
}

/** The person's name as the store knows it (team roster, a panel, accounthouders): for the accounthouder's card. */
export async function nameOf(deps: Deps, userId: string): Promise<string | undefined> {
  const roster = await deps.repos.conversations.getRoster(userId);
  if (roster?.name) return roster.name;
  const acc = (await deps.repos.roles.listAccounthouders()).find((a) => a.userId === userId);
  if (acc?.name) return acc.name;
  for (const r of await deps.repos.rounds.list()) {
    const m = (await deps.repos.reviews.listPanel(r.id)).find((p) => p.userId === userId);
    if (m) return m.name;
  }
  return undefined;
}

async function accounthouderIds(deps: Deps): Promise<string[]> {
  const stored = await deps.repos.roles.listAccounthouders();
  return [...new Set([...(deps.accounthouders ?? []), ...stored.map((a) => a.userId)])];
}

/**
 * The person asks for their data to be removed. One open request per person: while one is open, a
 * second ask (a second press, an old card) returns it and writes nothing. The request, its audit
 * record and a card to every accounthouder (through the outbox) are one transaction.
 */
export async function requestDeletion(
  deps: Deps,
  input: { actorId: string; lang: Lang; messages: DeletionMessages },
): Promise<Result<{ request: DeletionRequest; already: boolean }, { code: 'CONFLICT' }>> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const current = await deps.repos.privacy.get(input.actorId);
    if (current?.value.state === 'open') return ok({ request: current.value, already: true });
    const now = deps.clock.now();
    const request = newDeletionRequest(input.actorId, input.lang, now, current?.value);
    const [plan, name, to] = await Promise.all([deletionPlan(deps, input.actorId), nameOf(deps, input.actorId), accounthouderIds(deps)]);
    const requestId = requestIdOf(input.actorId);
    const outbox: OutboxEntry[] = [];
    for (const userId of to) {
      const lang = langFor((await deps.repos.conversations.get(userId))?.locale);
      outbox.push({
        id: `privacy-request-${hash(`${input.actorId}|${request.rev}`)}-${hash(userId).slice(0, 12)}`,
        roundId: GLOBAL,
        kind: 'privacy.deletion-request',
        target: { type: 'user', userId },
        card: input.messages.forAccounthouder({ lang, request, requestId, plan, ...(name ? { name } : {}) }),
        state: 'pending',
        attempts: 0,
        notBefore: now.toISOString(),
        createdAt: now.toISOString(),
      });
    }
    const saved = await deps.repos.privacy.save(
      request,
      current?.etag,
      auditEvent(GLOBAL, input.actorId, 'privacy.deletion-requested', input.actorId, now, { rev: request.rev, accounthouders: outbox.length }),
      outbox,
    );
    if (saved.ok) return ok({ request: saved.value.value, already: false });
  }
  return err({ code: 'CONFLICT' });
}

export type DecideError =
  { code: 'FORBIDDEN' } | { code: 'NOT_FOUND' } | { code: 'REASON'; error: string } | { code: 'CONFLICT' } | { code: 'ANONYMISE_FAILED' };

export interface RequestView {
  requestId: string;
  request: DeletionRequest;
  name?: string;
  plan: DeletionPlan;
}

async function findRequest(deps: Deps, requestId: string): Promise<Versioned<DeletionRequest> | undefined> {
  return (await deps.repos.privacy.list()).find((r) => requestIdOf(r.value.userId) === requestId);
}

/** One request as the accounthouder sees it (for the card and after a decision). */
export async function viewRequest(deps: Deps, input: { actorId: string; requestId: string }): Promise<Result<RequestView, DecideError>> {
  if (!(await isAccounthouder(deps, input.actorId))) return err({ code: 'FORBIDDEN' });
  const found = await findRequest(deps, input.requestId);
  if (!found) return err({ code: 'NOT_FOUND' });
  const [plan, name] = await Promise.all([deletionPlan(deps, found.value.userId), nameOf(deps, found.value.userId)]);
  return ok({ requestId: input.requestId, request: found.value, plan, ...(name ? { name } : {}) });
}

/** The open requests, oldest first (accounthouder only). */
export async function openRequests(
  deps: Deps,
  actorId: string,
): Promise<Result<{ requestId: string; request: DeletionRequest; name?: string }[], DecideError>> {
  if (!(await isAccounthouder(deps, actorId))) return err({ code: 'FORBIDDEN' });
  const open = (await deps.repos.privacy.list()).filter((r) => r.value.state === 'open').sort((a, b) => a.value.requestedAt.localeCompare(b.value.requestedAt));
  return ok(
    await Promise.all(
      open.map(async (r) => {
        const name = await nameOf(deps, r.value.userId);
        return { requestId: requestIdOf(r.value.userId), request: r.value, ...(name ? { name } : {}) };
      }),
    ),
  );
}

const answerEntry = (request: DeletionRequest, text: string, now: Date): OutboxEntry => ({
  id: `privacy-answer-${hash(`${request.userId}|${request.rev}`)}`,
  roundId: GLOBAL,
  kind: 'privacy.deletion-answer',
  target: { type: 'user', userId: request.userId },
  text,
  state: 'pending',
  attempts: 0,
  notBefore: now.toISOString(),
  createdAt: now.toISOString(),
});

/**
 * The accounthouder decides a request, once: the decision is written ETag-guarded on the revision
 * the card was drawn from; a second press (or another accounthouder's) gets the request as it is
 * now. Refusing needs a reason, which the person is sent. Approving marks the request approved,
 * then removes the data (`anonymisePerson`, which does nothing twice), then stores what it removed
 * and sends the person the outcome computed from it — an approval stopped half-way is completed by
 * the next press.
 */
export async function decideDeletion(
  deps: Deps,
  input: { actorId: string; requestId: string; rev: number; approve: boolean; reason?: string; messages: DeletionMessages },
): Promise<Result<{ view: RequestView; already: boolean }, DecideError>> {
  if (!(await isAccounthouder(deps, input.actorId))) return err({ code: 'FORBIDDEN' });
  const found = await findRequest(deps, input.requestId);
  if (!found) return err({ code: 'NOT_FOUND' });
  const view = async (already: boolean) => {
    const v = await viewRequest(deps, { actorId: input.actorId, requestId: input.requestId });
    return v.ok ? ok({ view: v.value, already }) : v;
  };
  let current = found;
  const r = current.value;
  const resuming = r.state === 'approved' && !r.outcome;
  if (!resuming && (r.state !== 'open' || r.rev !== input.rev)) return view(true);
  const now = deps.clock.now();
  if (!input.approve) {
    const reason = readText(input.reason, REFUSAL_REASON_LIMIT);
    if (reason.error || !reason.value) return err({ code: 'REASON', error: reason.error ?? 'required' });
    const next: DeletionRequest = { ...r, state: 'refused', rev: r.rev + 1, decidedBy: input.actorId, decidedAt: now.toISOString(), reason: reason.value };
    const saved = await deps.repos.privacy.save(
      next,
      current.etag,
      auditEvent(GLOBAL, input.actorId, 'privacy.deletion-decided', r.userId, now, { outcome: 'refused', rev: next.rev }),
      [answerEntry(next, input.messages.forPerson({ lang: next.lang, request: next }), now)],
    );
    return view(!saved.ok);
  }
  if (!resuming) {
    const next: DeletionRequest = { ...r, state: 'approved', rev: r.rev + 1, decidedBy: input.actorId, decidedAt: now.toISOString() };
    const claimed = await deps.repos.privacy.save(
      next,
      current.etag,
      auditEvent(GLOBAL, input.actorId, 'privacy.deletion-decided', r.userId, now, { outcome: 'approved', rev: next.rev }),
      [],
    );
    if (!claimed.ok) return view(true);
    current = claimed.value;
  }
  const outcome = await anonymisePerson(deps, { actorId: input.actorId, personId: r.userId, reason: 'request' });
  if (!outcome.ok) return err({ code: 'ANONYMISE_FAILED' });
  const o = outcome.value;
  const applications = o.applications.filter((a) => !a.already).length;
  const done: DeletionRequest = {
    ...current.value,
    rev: current.value.rev + 1,
    outcome: { applications, removed: o.removed, auditRecords: o.auditPseudonymised, kept: o.kept.map((k) => k.what) },
  };
  const text = input.messages.forPerson({ lang: done.lang, request: done });
  // The outcome's own audit is anonymisation's ('person.anonymised'); this write stores it and sends the answer.
  const saved = await deps.repos.privacy.save(
    done,
    current.etag,
    auditEvent(GLOBAL, input.actorId, 'privacy.deletion-decided', pseudonymFor(deps, r.userId), deps.clock.now(), { outcome: 'completed', rev: done.rev }),
    [answerEntry(done, text, now)],
  );
  return view(!saved.ok && !resuming);
}
