import { auditEvent } from '../domain/audit';
import {
  ConsultationResponse,
  ConsultationRole,
  CriterionResponse,
  finalSet,
  NewCriterionProposal,
  participation,
  ProposalDecision,
  proposalsOf,
} from '../domain/consultation';
import { err, ok, Result } from '../domain/result';
import type { Consultation, ConsultationState } from '../domain/consultation';
import type { Round } from '../domain/round';
import type { Versioned } from '../domain/versioned';
import { adminRound } from './admin-round';
import type { Deps } from './deps';
import { isAccounthouder } from './roles';

export type ConsultationError =
  | { code: 'FORBIDDEN' }
  | { code: 'NO_ROUND' }
  | { code: 'NOT_FOUND' }
  | { code: 'FROZEN' }
  | { code: 'ALREADY_STARTED'; state: ConsultationState }
  | { code: 'CLOSED'; state: ConsultationState }
  | { code: 'PUBLISHED'; state: ConsultationState }
  | { code: 'NOT_INVITED' }
  | { code: 'INVALID'; field: string }
  | { code: 'STALE'; state: ConsultationState };

/** An accounthouder starts a consultation on the round's current criteria, with a closing date and who is invited. */
export async function startConsultation(
  deps: Deps,
  input: { actorId: string; closesAt: string; invited: Consultation['invited']; channel?: Consultation['channel'] },
): Promise<Result<ConsultationState, ConsultationError>> {
  if (!(await isAccounthouder(deps, input.actorId))) return err({ code: 'FORBIDDEN' });
  const round = await adminRound(deps);
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
    startedBy: input.actorId,
    startedAt: now.toISOString(),
  };
  const started = await deps.repos.consultations.start(
    consultation,
    auditEvent(round.value.id, input.actorId, 'consultation.started', round.value.id, now, { invited: invited.length, channel: Boolean(channel) }),
  );
  const state = await deps.repos.consultations.state(round.value.id);
  if (!started.ok) return err({ code: 'ALREADY_STARTED', state: state! });
  return ok(state!);
}

/** Who may respond, and in which role: invited in person, or anyone in the invited channel (role chosen on the card). */
function roleOf(c: Consultation, actorId: string, via: { channelId?: string; chosenRole?: ConsultationRole }): ConsultationRole | undefined {
  const invited = c.invited.find((i) => i.userId === actorId);
  if (invited) return invited.role;
  if (c.channel && via.channelId === c.channel.channelId) return via.chosenRole ?? 'partner';
  return undefined;
}

/** An invited person endorses criteria, proposes changes or a new criterion; they may change their mind until the closing date. */
export async function respondToConsultation(
  deps: Deps,
  input: {
    actorId: string;
    roundId: string;
    channelId?: string;
    chosenRole?: ConsultationRole;
    perCriterion: Record<string, CriterionResponse>;
    newCriterion?: NewCriterionProposal;
  },
): Promise<Result<ConsultationState, ConsultationError>> {
  const state = await deps.repos.consultations.state(input.roundId);
  if (!state) return err({ code: 'NOT_FOUND' });
  const c = state.consultation.value;
  const role = roleOf(c, input.actorId, input);
  if (!role) return err({ code: 'NOT_INVITED' });
  if (c.status !== 'open') return err({ code: 'PUBLISHED', state });
  const now = deps.clock.now();
  if (now.getTime() > Date.parse(c.closesAt)) return err({ code: 'CLOSED', state });
  const known = new Set(c.draft.items.map((i) => i.id));
  for (const [id, r] of Object.entries(input.perCriterion)) {
    if (!known.has(id)) return err({ code: 'INVALID', field: id });
    if (r.kind === 'change') {
      if (!r.reason.trim() || r.reason.length > 1000) return err({ code: 'INVALID', field: `reason_${id}` });
      const ch = r.change;
      if (!ch.title && !ch.description && ch.weight === undefined) return err({ code: 'INVALID', field: `change_${id}` });
      if ((ch.title?.length ?? 0) > 80 || (ch.description?.length ?? 0) > 500 || (ch.weight !== undefined && !(ch.weight > 0 && ch.weight <= 10)))
        return err({ code: 'INVALID', field: `change_${id}` });
    }
  }
  const added = input.newCriterion;
  if (
    added &&
    (!added.title.trim() || added.title.length > 80 || added.description.length > 500 || !(added.weight > 0 && added.weight <= 10) || !added.reason.trim())
  ) {
    return err({ code: 'INVALID', field: 'newCriterion' });
  }
  const current = state.responses.find((r) => r.value.userId === input.actorId);
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
  if (input.reply.length > 1000) return err({ code: 'INVALID', field: 'reply' });
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

/** Whom a consultation of the current round invites: its panel members in person, its review channel as a whole. */
export async function consultationInvitees(
  deps: Deps,
  input: { invitePanel: boolean; inviteChannel: boolean },
): Promise<{ invited: Consultation['invited']; channel?: Consultation['channel'] }> {
  const round = await adminRound(deps);
  if (!round) return { invited: [] };
  const panel = input.invitePanel ? await deps.repos.reviews.listPanel(round.value.id) : [];
  const link = input.inviteChannel ? round.value.routing.default : undefined;
  return { invited: panel.map((m) => ({ userId: m.userId, name: m.name, role: m.role })), ...(link ? { channel: { channelId: link.channelId } } : {}) };
}

/** A round's consultation with its responses and decisions. */
export function consultationState(deps: Deps, roundId: string): Promise<ConsultationState | undefined> {
  return deps.repos.consultations.state(roundId);
}
