import { acceptableText } from '../domain/text';
import { auditEvent } from '../domain/audit';
import {
  CONSULTATION_LIMITS,
  ConsultationAudience,
  ConsultationResponse,
  ConsultationRole,
  consultationRoleOf,
  CriterionResponse,
  finalSet,
  NewCriterionProposal,
  NotReachedReason,
  participation,
  planInvitations,
  ProposalDecision,
  proposalsOf,
  registeredApplicantsOf,
  RoleFacts,
} from '../domain/consultation';
import type { OutboxEntry } from '../domain/outbox';
import { err, ok, Result } from '../domain/result';
import type { Consultation, ConsultationState } from '../domain/consultation';
import type { Round } from '../domain/round';
import type { Versioned } from '../domain/versioned';
import { langFor, Lang } from '../i18n';
import { adminRound } from './admin-round';
import type { Deps } from './deps';
import { enqueueMessages } from './enqueue-messages';
import { isAccounthouder } from './roles';

export type ConsultationError =
  | { code: 'FORBIDDEN' }
  | { code: 'NO_ROUND' }
  | { code: 'NOT_FOUND' }
  | { code: 'FROZEN' }
  | { code: 'ALREADY_STARTED'; state: ConsultationState }
  | { code: 'CLOSED'; state: ConsultationState }
  | { code: 'PUBLISHED'; state: ConsultationState }
  | { code: 'INVALID'; field: string }
  | { code: 'STALE'; state: ConsultationState };

/** An accounthouder starts a consultation on the round's current criteria, with a closing date and who is invited. */
export async function startConsultation(
  deps: Deps,
  input: {
    actorId: string;
    /** The round the card was drawn from (absent: the newest, as before more rounds a year). */
    roundId?: string;
    closesAt: string;
    invited: Consultation['invited'];
    channel?: Consultation['channel'];
    audience?: ConsultationAudience;
    notReached?: Partial<Record<NotReachedReason, number>>;
    unreachableNames?: string[];
  },
): Promise<Result<ConsultationState, ConsultationError>> {
  if (!(await isAccounthouder(deps, input.actorId))) return err({ code: 'FORBIDDEN' });
  const round = await adminRound(deps, input.roundId);
  if (!round) return err({ code: 'NO_ROUND' });
  const { invited, channel } = input;
  if ((await deps.repos.rounds.submissionCount(round.value.id)) > 0) return err({ code: 'FROZEN' });
  const now = deps.clock.now();
  if (Number.isNaN(Date.parse(input.closesAt)) || Date.parse(input.closesAt) <= now.getTime()) return err({ code: 'INVALID', field: 'closesAt' });
  if (invited.length === 0 && !channel) return err({ code: 'INVALID', field: 'invited' });
  const consultation: Consultation = {
    roundId: round.value.id,
    draft: round.value.criteria,
    closesAt: input.closesAt,
    status: 'open',
    invited,
    ...(channel ? { channel } : {}),
    ...(input.audience ? { audience: input.audience } : {}),
    ...(input.notReached && Object.keys(input.notReached).length ? { notReached: input.notReached } : {}),
    ...(input.unreachableNames?.length ? { unreachableNames: input.unreachableNames } : {}),
    startedBy: input.actorId,
    startedAt: now.toISOString(),
  };
  const details = { invited: invited.length, channel: Boolean(channel), ...(input.audience ? { audience: input.audience } : {}), ...input.notReached };
  const started = await deps.repos.consultations.start(
    consultation,
    auditEvent(round.value.id, input.actorId, 'consultation.started', round.value.id, now, details),
  );
  const state = await deps.repos.consultations.state(round.value.id);
  if (!started.ok) return err({ code: 'ALREADY_STARTED', state: state! });
  return ok(state!);
}

/** The store's facts about one person for a round: their panel role, and whether they applied for a registered organisation. */
async function factsAbout(deps: Deps, roundId: string, userId: string): Promise<RoleFacts> {
  const [panel, applications] = await Promise.all([deps.repos.reviews.listPanel(roundId), deps.repos.applications.listByApplicant(userId)]);
  const ids = [...new Set(applications.map((a) => a.value.fields.organisationId).filter((id): id is string => Boolean(id)))];
  const registered = new Set((await Promise.all(ids.map((id) => deps.repos.organisations.get(id)))).flatMap((o) => (o ? [o.value.id] : [])));
  return {
    panel: new Map(panel.map((m) => [m.userId.toLowerCase(), m.role])),
    registeredApplicants: registeredApplicantsOf(
      applications.map((a) => a.value),
      registered,
    ),
  };
}

/** The store's facts about everyone for a round: its panel, and everyone who applied (in any round) for a registered organisation. */
async function factsAboutEveryone(deps: Deps, roundId: string): Promise<RoleFacts> {
  const [panel, registry, rounds] = await Promise.all([deps.repos.reviews.listPanel(roundId), deps.repos.organisations.list(), deps.repos.rounds.list()]);
  const applications = (await Promise.all(rounds.map((r) => deps.repos.applications.listByRound(r.id)))).flat();
  return {
    panel: new Map(panel.map((m) => [m.userId.toLowerCase(), m.role])),
    registeredApplicants: registeredApplicantsOf(
      applications.map((a) => a.value),
      new Set(registry.map((o) => o.value.id)),
    ),
  };
}

/** The role someone's response counts in, from the store (never from a card): panel role, partner of a registered organisation, or 'onbekend'. */
export async function consultationRole(deps: Deps, roundId: string, userId: string): Promise<ConsultationRole> {
  return consultationRoleOf(userId, await factsAbout(deps, roundId, userId));
}

/**
 * Anyone may respond while the consultation is open (invited in person, in the channel, or through
 * the welcome card): endorse criteria, propose changes or a new criterion, and change their mind
 * until the closing date. The role the response counts in comes from the store at this moment.
 */
export async function respondToConsultation(
  deps: Deps,
  input: {
    actorId: string;
    roundId: string;
    perCriterion: Record<string, CriterionResponse>;
    newCriterion?: NewCriterionProposal;
  },
): Promise<Result<ConsultationState, ConsultationError>> {
  const state = await deps.repos.consultations.state(input.roundId);
  if (!state) return err({ code: 'NOT_FOUND' });
  const c = state.consultation.value;
  if (c.status !== 'open') return err({ code: 'PUBLISHED', state });
  const now = deps.clock.now();
  if (now.getTime() > Date.parse(c.closesAt)) return err({ code: 'CLOSED', state });
  const known = new Set(c.draft.items.map((i) => i.id));
  for (const [id, r] of Object.entries(input.perCriterion)) {
    if (!known.has(id)) return err({ code: 'INVALID', field: id });
    if (r.kind === 'change') {
      if (!acceptableText(r.reason, CONSULTATION_LIMITS.reason)) return err({ code: 'INVALID', field: `reason_${id}` });
      const ch = r.change;
      if (!ch.title && !ch.description && ch.weight === undefined) return err({ code: 'INVALID', field: `change_${id}` });
      if (
        !acceptableText(ch.title, CONSULTATION_LIMITS.title, false) ||
        !acceptableText(ch.description, CONSULTATION_LIMITS.description, false) ||
        (ch.weight !== undefined && !(ch.weight > 0 && ch.weight <= 10))
      )
        return err({ code: 'INVALID', field: `change_${id}` });
    }
  }
  const added = input.newCriterion;
  if (
    added &&
    (!acceptableText(added.title, CONSULTATION_LIMITS.title) ||
      !acceptableText(added.description, CONSULTATION_LIMITS.description, false) ||
      !(added.weight > 0 && added.weight <= 10) ||
      !acceptableText(added.reason, CONSULTATION_LIMITS.reason))
  ) {
    return err({ code: 'INVALID', field: 'newCriterion' });
  }
  const current = state.responses.find((r) => r.value.userId === input.actorId);
  const role = await consultationRole(deps, input.roundId, input.actorId);
  const response: ConsultationResponse = {
    userId: input.actorId,
    role,
    perCriterion: input.perCriterion,
    // A new criterion stays proposed until replaced: a response without one keeps the earlier one.
    newCriteria: added ? [added] : (current?.value.newCriteria ?? []),
    updatedAt: now.toISOString(),
  };
  const saved = await deps.repos.consultations.saveResponse(
    input.roundId,
    response,
    current?.etag,
    auditEvent(input.roundId, input.actorId, 'consultation.responded', input.roundId, now, { role }),
  );
  const after = (await deps.repos.consultations.state(input.roundId))!;
  return saved.ok ? ok(after) : err({ code: 'STALE', state: after });
}

/** The accounthouder accepts or rejects a proposal with a reply (the proposer receives it). Decided once. */
export async function decideProposal(
  deps: Deps,
  input: { actorId: string; roundId: string; proposalId: string; accept: boolean; reply: string },
): Promise<Result<{ state: ConsultationState; proposerId: string; already: boolean }, ConsultationError>> {
  if (!(await isAccounthouder(deps, input.actorId))) return err({ code: 'FORBIDDEN' });
  const state = await deps.repos.consultations.state(input.roundId);
  if (!state) return err({ code: 'NOT_FOUND' });
  if (state.consultation.value.status !== 'open') return err({ code: 'PUBLISHED', state });
  const proposal = proposalsOf(state.responses.map((r) => r.value)).find((p) => p.id === input.proposalId);
  if (!proposal) return err({ code: 'INVALID', field: 'proposalId' });
  if (!acceptableText(input.reply, CONSULTATION_LIMITS.reply, false)) return err({ code: 'INVALID', field: 'reply' });
  const now = deps.clock.now();
  const decision: ProposalDecision = { accepted: input.accept, reply: input.reply.trim(), decidedBy: input.actorId, decidedAt: now.toISOString() };
  const res = await deps.repos.consultations.decide(
    input.roundId,
    input.proposalId,
    decision,
    auditEvent(input.roundId, input.actorId, 'consultation.decided', input.proposalId, now, { accepted: input.accept }),
  );
  return ok({ state: (await deps.repos.consultations.state(input.roundId))!, proposerId: proposal.userId, already: !res.ok });
}

/** Publishes the final set as the round's next criteria version, with the consultation recorded for the council report. */
export async function publishConsultation(deps: Deps, input: { actorId: string; roundId: string }): Promise<Result<ConsultationState, ConsultationError>> {
  if (!(await isAccounthouder(deps, input.actorId))) return err({ code: 'FORBIDDEN' });
  const [state, round] = await Promise.all([deps.repos.consultations.state(input.roundId), deps.repos.rounds.get(input.roundId)]);
  if (!state || !round) return err({ code: 'NOT_FOUND' });
  if (state.consultation.value.status === 'published') return ok(state);
  const responses = state.responses.map((r) => r.value);
  const proposals = proposalsOf(responses);
  const { set, changes } = finalSet(round.value.criteria, proposals, state.decisions);
  const now = deps.clock.now();
  const next: Consultation = {
    ...state.consultation.value,
    status: 'published',
    publishedAt: now.toISOString(),
    publishedVersion: set.version,
    changes,
    participation: participation(state.consultation.value.invited, responses, proposals, state.decisions),
  };
  const res = await deps.repos.consultations.publish({
    consultation: state.consultation,
    next,
    round,
    nextRound: { ...round.value, criteria: set },
    audit: auditEvent(input.roundId, input.actorId, 'consultation.published', input.roundId, now, { version: set.version, changes: changes.length }),
  });
  if (!res.ok)
    return res.error.code === 'FROZEN' ? err({ code: 'FROZEN' }) : err({ code: 'STALE', state: (await deps.repos.consultations.state(input.roundId))! });
  return ok((await deps.repos.consultations.state(input.roundId))!);
}

/** The accounthouder's consultation card: the round, its consultation (if any) and whether criteria are frozen. */
export async function consultationOverview(
  deps: Deps,
  roundId?: string,
): Promise<{ round: Versioned<Round>; state?: ConsultationState; submitted: boolean } | undefined> {
  const round = await adminRound(deps, roundId);
  if (!round) return undefined;
  const [state, submitted] = await Promise.all([deps.repos.consultations.state(round.value.id), deps.repos.rounds.submissionCount(round.value.id)]);
  return { round, ...(state ? { state } : {}), submitted: submitted > 0 };
}

export interface Invitees {
  invited: Consultation['invited'];
  channel?: Consultation['channel'];
  audience: ConsultationAudience;
  notReached: Partial<Record<NotReachedReason, number>>;
  /** Names of the first people without a chat or roster address (from the panel; those without a known name are only counted). */
  unreachableNames: string[];
}

/** How many names of people who cannot be reached the accounthouder's card lists; the count says the rest. */
const MAX_UNREACHABLE_NAMES = 20;

/**
 * Whom a consultation of the current round invites (for the accounthouder only): in person
 * `everyone` the bot knows — each person with a stored 1:1 chat, each panel member, each applicant
 * for a registered organisation — or the `panel` only; each person once, with their role from the
 * store; only people with a 1:1 chat can get a message, the others are counted by reason. And the
 * review channel as a whole when asked and linked.
 */
export async function consultationInvitees(
  deps: Deps,
  input: { actorId: string; roundId?: string; audience: ConsultationAudience; inviteChannel: boolean },
): Promise<Result<Invitees, { code: 'FORBIDDEN' } | { code: 'NO_ROUND' }>> {
  if (!(await isAccounthouder(deps, input.actorId))) return err({ code: 'FORBIDDEN' });
  const round = await adminRound(deps, input.roundId);
  if (!round) return err({ code: 'NO_ROUND' });
  const [facts, conversations, roster, panel] = await Promise.all([
    factsAboutEveryone(deps, round.value.id),
    deps.repos.conversations.list(),
    deps.repos.conversations.listRoster(),
    deps.repos.reviews.listPanel(round.value.id),
  ]);
  const plan = planInvitations({
    audience: input.audience,
    facts,
    withConversation: conversations.map((c) => c.userId),
    withAddress: roster.map((a) => a.userId),
  });
  const names = new Map(panel.map((m) => [m.userId.toLowerCase(), m.name]));
  const unreachableNames = plan.unreachable.flatMap((id) => (names.get(id) ? [names.get(id)!] : [])).slice(0, MAX_UNREACHABLE_NAMES);
  const link = input.inviteChannel ? round.value.routing.default : undefined;
  return ok({
    invited: plan.invited,
    ...(link ? { channel: { channelId: link.channelId } } : {}),
    audience: input.audience,
    notReached: plan.notReached,
    unreachableNames,
  });
}

/** What an invitation says, in the recipient's language (the app layer renders the card). */
export type ComposeInvitation = (input: { consultation: Consultation; lang: Lang; to: 'person' | 'channel' }) => { card?: object; text?: string };

/** The review channel's messages are in Dutch: its members share no one language setting. */
const CHANNEL_LANG: Lang = 'nl';

/**
 * Stores the invitations of an open consultation in the outbox: one per person invited in person
 * and one for the channel, with ids from the consultation and the person, in the stored order (so
 * storing them again after a crash stores the same batches and nothing twice). Then marks the
 * consultation (ETag-guarded, audited); a marked or closed consultation stores nothing. Safe to call
 * again at any time: the start does it, and the accounthouder's card does it when the mark is missing.
 */
export async function queueInvitations(
  deps: Deps,
  input: { roundId: string; compose: ComposeInvitation; enqueue?: (entries: OutboxEntry[]) => Promise<void> },
): Promise<{ queued: number }> {
  const enqueue = input.enqueue ?? ((entries: OutboxEntry[]) => enqueueMessages(deps, entries));
  for (let attempt = 0; attempt < 3; attempt++) {
    const current = await deps.repos.consultations.get(input.roundId);
    const c = current?.value;
    const now = deps.clock.now();
    if (!current || !c || c.invitationsQueuedAt || c.status !== 'open' || now.getTime() > Date.parse(c.closesAt)) return { queued: 0 };
    const [round, conversations] = await Promise.all([deps.repos.rounds.get(c.roundId), deps.repos.conversations.list()]);
    const locales = new Map(conversations.map((x) => [x.userId, x.locale]));
    const entry = (id: string, target: OutboxEntry['target'], body: { card?: object; text?: string }): OutboxEntry => ({
      id: `${c.roundId}-${id}`,
      roundId: c.roundId,
      kind: 'consultation.invite',
      target,
      ...body,
      state: 'pending',
      attempts: 0,
      notBefore: c.startedAt,
      createdAt: c.startedAt,
    });
    const entries = c.invited.map((p) =>
      entry(`invite-${p.userId}`, { type: 'user', userId: p.userId }, input.compose({ consultation: c, lang: langFor(locales.get(p.userId)), to: 'person' })),
    );
    const link = c.channel && round?.value.routing.default;
    if (link) {
      entries.push(
        entry(
          'invite-channel',
          { type: 'channel', serviceUrl: link.serviceUrl, tenantId: link.tenantId, botId: link.botId, channelId: link.channelId },
          input.compose({ consultation: c, lang: CHANNEL_LANG, to: 'channel' }),
        ),
      );
    }
    await enqueue(entries);
    const marked = await deps.repos.consultations.update(
      current,
      { ...c, invitationsQueuedAt: now.toISOString() },
      auditEvent(c.roundId, 'system', 'consultation.invited', c.roundId, now, { messages: entries.length }),
    );
    if (marked.ok) return { queued: entries.length };
    // Someone else changed the row (published it, or marked it first): read again.
  }
  return { queued: 0 };
}

/** The respond card's facts for one person: the consultation, their response (if any) and the role it counts in. */
export async function consultationForRespondent(
  deps: Deps,
  input: { actorId: string; roundId: string },
): Promise<Result<{ consultation: Consultation; response?: ConsultationResponse; role: ConsultationRole }, { code: 'NOT_FOUND' }>> {
  const [state, role] = await Promise.all([deps.repos.consultations.state(input.roundId), consultationRole(deps, input.roundId, input.actorId)]);
  if (!state) return err({ code: 'NOT_FOUND' });
  const response = state.responses.find((r) => r.value.userId === input.actorId)?.value;
  return ok({ consultation: state.consultation.value, ...(response ? { response } : {}), role });
}

/**
 * The consultation anyone may join now (the welcome card's open entry): of a round that is not
 * closed, open, and before its closing date. The newest round's first. One point read per round.
 */
export async function openConsultation(deps: Deps): Promise<{ roundId: string; closesAt: string } | undefined> {
  const now = deps.clock.now().getTime();
  const rounds = (await deps.repos.rounds.list()).filter((r) => r.status !== 'closed').sort((a, b) => b.year - a.year || b.id.localeCompare(a.id));
  const found = await Promise.all(rounds.map((r) => deps.repos.consultations.get(r.id)));
  const open = found.find((c) => c && c.value.status === 'open' && now < Date.parse(c.value.closesAt));
  return open && { roundId: open.value.roundId, closesAt: open.value.closesAt };
}

/** A round's consultation with its responses and decisions. */
export function consultationState(deps: Deps, roundId: string): Promise<ConsultationState | undefined> {
  return deps.repos.consultations.state(roundId);
}
