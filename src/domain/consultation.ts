import type { CriteriaSet, Criterion } from './criteria';
import { CRITERIA_LIMITS } from './criteria-edit';
import type { PanelRole } from './panel';
import type { Versioned } from './versioned';

/**
 * The motion asks that the criteria are drafted WITH partners and ervaringsdeskundigen, invited
 * broadly and actively. A consultation puts a draft criteria set before them; each can endorse a
 * criterion, propose a change (with a reason) or propose a new one, until the closing date. The
 * accounthouder accepts or rejects each proposal and publishes the final set.
 */
export const CONSULTATION_ROLES = ['partner', 'ervaringsdeskundige', 'gemeente', 'onbekend'] as const;
/**
 * The role a response counts in. It comes from the bot's store, never from a card: the panel role
 * of a member of the round's panel; 'partner' for someone who applied for a registered
 * organisation; 'onbekend' for everyone else (counted, never chosen).
 */
export type ConsultationRole = (typeof CONSULTATION_ROLES)[number];

/** Whom the accounthouder invites in person: everyone the bot knows, or the panel only. */
export const CONSULTATION_AUDIENCES = ['everyone', 'panel'] as const;
export type ConsultationAudience = (typeof CONSULTATION_AUDIENCES)[number];

/**
 * At most this many people are invited in person. The consultation row keeps the list (about 80
 * characters a person, in parts: a Table Storage entity holds 1 MiB); beyond it people can still
 * respond through the welcome card, and the card says how many were left out.
 */
export const MAX_CONSULTATION_INVITED = 4000;

/**
 * The free texts of a response and of a reply: a proposed title and description as a criteria
 * edit allows, a reason, a reply. The reason is 500 characters (about 80 words) so that a
 * response changing every one of 12 criteria at full length still fits one card in Teams.
 */
export const CONSULTATION_LIMITS = { title: CRITERIA_LIMITS.title, description: CRITERIA_LIMITS.description, reason: 500, reply: 1000 } as const;

/** Why someone who would have been invited in person was not: no 1:1 chat with the bot and no team roster address to start one from, or beyond the maximum. */
export const NOT_REACHED_REASONS = ['noConversation', 'overLimit'] as const;
export type NotReachedReason = (typeof NOT_REACHED_REASONS)[number];

/** What the store says about who someone is, for a round's consultation. User ids in lower case. */
export interface RoleFacts {
  /** The round's panel members and their panel role. */
  panel: ReadonlyMap<string, PanelRole>;
  /** People who applied (in any round) for an organisation in the registry. */
  registeredApplicants: ReadonlySet<string>;
}

const key = (userId: string) => userId.toLowerCase();

/** The role someone counts in: the panel role on the round's panel, else 'partner' when they applied for a registered organisation, else 'onbekend'. */
export function consultationRoleOf(userId: string, facts: RoleFacts): ConsultationRole {
  const id = key(userId);
  return facts.panel.get(id) ?? (facts.registeredApplicants.has(id) ? 'partner' : 'onbekend');
}

/** The applicants whose application points at an entry of the registry (`fields.organisationId`). */
export function registeredApplicantsOf(
  applications: readonly { applicantId: string; fields: { organisationId?: string | undefined } }[],
  registryIds: ReadonlySet<string>,
): Set<string> {
  return new Set(applications.filter((a) => a.fields.organisationId && registryIds.has(a.fields.organisationId)).map((a) => key(a.applicantId)));
}

export interface InvitationPlan {
  invited: { userId: string; role: ConsultationRole }[];
  notReached: Partial<Record<NotReachedReason, number>>;
  /** Who has neither a chat nor a roster address (ids as given, in lower case), in id order. */
  unreachable: string[];
}

/**
 * Whom a consultation invites in person. `everyone`: each person with a 1:1 chat with the bot,
 * each panel member and each applicant for a registered organisation; `panel`: the panel only.
 * Each person once (ids compared in lower case), with their role from the store, in a fixed order
 * (by id, so storing the invitations again stores the same batches). Only people with a 1:1 chat or a
 * team roster address can be written to; the others, and those beyond `max`, are counted by reason.
 */
export function planInvitations(input: {
  audience: ConsultationAudience;
  facts: RoleFacts;
  withConversation: readonly string[];
  /** People the bot can start a chat with (team roster addresses): reachable, but not invited by `everyone` for that alone. */
  withAddress?: readonly string[];
  max?: number;
}): InvitationPlan {
  const chatted = new Set(input.withConversation.map(key));
  const reachable = new Set([...chatted, ...(input.withAddress ?? []).map(key)]);
  const people = new Set(input.facts.panel.keys());
  if (input.audience === 'everyone') {
    for (const id of chatted) people.add(id);
    for (const id of input.facts.registeredApplicants) people.add(id);
  }
  const max = input.max ?? MAX_CONSULTATION_INVITED;
  const sorted = [...people].sort();
  const withChat = sorted.filter((id) => reachable.has(id));
  const notReached: Partial<Record<NotReachedReason, number>> = {};
  if (sorted.length > withChat.length) notReached.noConversation = sorted.length - withChat.length;
  if (withChat.length > max) notReached.overLimit = withChat.length - max;
  return {
    invited: withChat.slice(0, max).map((userId) => ({ userId, role: consultationRoleOf(userId, input.facts) })),
    notReached,
    unreachable: sorted.filter((id) => !reachable.has(id)),
  };
}

export interface CriterionChange {
  title?: string;
  description?: string;
  weight?: number;
}

export type CriterionResponse = { kind: 'endorse' } | { kind: 'change'; change: CriterionChange; reason: string };

export interface NewCriterionProposal {
  title: string;
  description: string;
  weight: number;
  reason: string;
}

export interface ConsultationResponse {
  userId: string;
  role: ConsultationRole;
  perCriterion: Record<string, CriterionResponse>;
  newCriteria: NewCriterionProposal[];
  updatedAt: string;
}

export type ProposalDecision = { accepted: boolean; reply: string; decidedBy: string; decidedAt: string };

/** A proposal is identified by who made it and what it is about ("<user>|<criterion id>" or "<user>|new|<n>"). */
export function proposalId(userId: string, about: string | { newIndex: number }): string {
  return typeof about === 'string' ? `${userId}|${about}` : `${userId}|new|${about.newIndex}`;
}

export interface Proposal {
  id: string;
  userId: string;
  role: ConsultationRole;
  criterionId?: string;
  change?: CriterionChange;
  added?: NewCriterionProposal;
  reason: string;
}

export function proposalsOf(responses: ConsultationResponse[]): Proposal[] {
  const out: Proposal[] = [];
  for (const r of responses) {
    for (const [criterionId, resp] of Object.entries(r.perCriterion)) {
      if (resp.kind === 'change')
        out.push({ id: proposalId(r.userId, criterionId), userId: r.userId, role: r.role, criterionId, change: resp.change, reason: resp.reason });
    }
    r.newCriteria.forEach((added, i) => out.push({ id: proposalId(r.userId, { newIndex: i }), userId: r.userId, role: r.role, added, reason: added.reason }));
  }
  return out;
}

export interface CriterionTally {
  criterionId: string;
  endorsements: Record<ConsultationRole, number>;
  proposals: Proposal[];
}

/** Per criterion the endorsements by role and the proposals to change it. */
export function tally(draft: CriteriaSet, responses: ConsultationResponse[]): CriterionTally[] {
  const proposals = proposalsOf(responses);
  return draft.items.map((c) => ({
    criterionId: c.id,
    endorsements: Object.fromEntries(
      CONSULTATION_ROLES.map((role) => [role, responses.filter((r) => r.role === role && r.perCriterion[c.id]?.kind === 'endorse').length]),
    ) as Record<ConsultationRole, number>,
    proposals: proposals.filter((p) => p.criterionId === c.id),
  }));
}

const slug = (title: string) =>
  title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40) || 'uitgangspunt';

/**
 * The final set: the draft with the accepted changes (in the order they were decided) and the
 * accepted new criteria, as the next version. Rejected and undecided proposals change nothing.
 */
export function finalSet(
  draft: CriteriaSet,
  proposals: Proposal[],
  decisions: Record<string, ProposalDecision>,
): { set: CriteriaSet; changes: { proposalId: string; criterionId: string; kind: 'changed' | 'added' }[] } {
  const accepted = proposals.filter((p) => decisions[p.id]?.accepted).sort((a, b) => decisions[a.id]!.decidedAt.localeCompare(decisions[b.id]!.decidedAt));
  const items: Criterion[] = draft.items.map((c) => ({ ...c }));
  const changes: { proposalId: string; criterionId: string; kind: 'changed' | 'added' }[] = [];
  for (const p of accepted) {
    if (p.criterionId && p.change) {
      const c = items.find((x) => x.id === p.criterionId);
      if (!c) continue;
      if (p.change.title) c.title = p.change.title;
      if (p.change.description) c.description = p.change.description;
      if (p.change.weight !== undefined) c.weight = p.change.weight;
      changes.push({ proposalId: p.id, criterionId: c.id, kind: 'changed' });
    } else if (p.added) {
      let id = slug(p.added.title);
      for (let n = 2; items.some((x) => x.id === id); n++) id = `${slug(p.added.title)}-${n}`;
      const template = items[0] ?? { scaleMin: 1, scaleMax: 5 };
      items.push({
        id,
        title: p.added.title,
        description: p.added.description,
        weight: p.added.weight,
        scaleMin: template.scaleMin,
        scaleMax: template.scaleMax,
      });
      changes.push({ proposalId: p.id, criterionId: id, kind: 'added' });
    }
  }
  return { set: { version: draft.version + 1, items }, changes };
}

export interface Participation {
  invited: Record<ConsultationRole, number>;
  responded: Record<ConsultationRole, number>;
  proposals: number;
  accepted: number;
  rejected: number;
}

/** Who was invited and who took part, by role — what the council report says about the consultation. */
export function participation(
  invited: { role: ConsultationRole }[],
  responses: ConsultationResponse[],
  proposals: Proposal[],
  decisions: Record<string, ProposalDecision>,
): Participation {
  const count = (xs: { role: ConsultationRole }[]) =>
    Object.fromEntries(CONSULTATION_ROLES.map((r) => [r, xs.filter((x) => x.role === r).length])) as Record<ConsultationRole, number>;
  return {
    invited: count(invited),
    responded: count(responses),
    proposals: proposals.length,
    accepted: proposals.filter((p) => decisions[p.id]?.accepted === true).length,
    rejected: proposals.filter((p) => decisions[p.id]?.accepted === false).length,
  };
}

/** A round's criteria consultation (the motion: criteria drafted with partners and ervaringsdeskundigen). */
export interface Consultation {
  roundId: string;
  draft: CriteriaSet;
  closesAt: string;
  status: 'open' | 'published';
  /** People invited in their chat, with their role from the store when invited (no names: panel members' names are on the panel). */
  invited: { userId: string; name?: string; role: ConsultationRole }[];
  /** The channel invited as a whole, if any. Anyone may respond (the welcome card shows the way); the role always comes from the store. */
  channel?: { channelId: string; threadId?: string };
  /** Whom the accounthouder chose to invite in person (absent on consultations started before the choice existed). */
  audience?: ConsultationAudience;
  /** People who would have been invited in person but could not be, by reason. */
  notReached?: Partial<Record<NotReachedReason, number>>;
  /** The names (from the panel and the team roster) of the first of them without a chat or roster address, for the accounthouder's card. */
  unreachableNames?: string[];
  /** When every invitation was stored in the outbox; until then storing them again is safe (fixed ids) and needed after a crash. */
  invitationsQueuedAt?: string;
  startedBy: string;
  startedAt: string;
  publishedAt?: string;
  publishedVersion?: number;
  changes?: { proposalId: string; criterionId: string; kind: 'changed' | 'added' }[];
  participation?: Participation;
}

export interface ConsultationState {
  consultation: Versioned<Consultation>;
  responses: Versioned<ConsultationResponse>[];
  decisions: Record<string, ProposalDecision>;
}
