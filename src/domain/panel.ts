import type { ApplicationFields } from './application';
import { normaliseOrganisation } from './organisation';

/** Who sits on a round's review panel: the municipality, partners and ervaringsdeskundigen. */
export const PANEL_ROLES = ['gemeente', 'partner', 'ervaringsdeskundige'] as const;
export type PanelRole = (typeof PANEL_ROLES)[number];

/** Teams refreshes user-specific card views for at most 60 listed users. */
export const MAX_PANEL_SIZE = 60;

export interface PanelMember {
  /** Entra object id. */
  userId: string;
  /** Teams user id (MRI, "29:…"), needed for the card's refresh list. */
  mri: string;
  name: string;
  role: PanelRole;
  /** For partners: the organisation they work for (recusal when it applies). */
  organisation?: string;
  addedBy: string;
  addedAt: string;
}

export type RecusalReason = 'organisation' | 'declared';

export interface Recusal {
  memberId: string;
  reason: RecusalReason;
  /** The member's own words for a declared conflict. */
  note?: string;
  at: string;
}

/** A member who works for the applicant or a co-applicant may not judge the application. */
export function hasOrganisationConflict(member: PanelMember, fields: ApplicationFields): boolean {
  if (!member.organisation) return false;
  const own = normaliseOrganisation(member.organisation);
  if (!own) return false;
  return [fields.organisation, ...(fields.coApplicants ?? [])].some((o) => o !== undefined && normaliseOrganisation(o) === own);
}

/** The recusal that applies to a member: a declared conflict, or one by organisation. */
export function recusalOf(member: PanelMember, fields: ApplicationFields, declared: Recusal[]): Recusal | undefined {
  const own = declared.find((r) => r.memberId === member.userId);
  if (own) return own;
  return hasOrganisationConflict(member, fields) ? { memberId: member.userId, reason: 'organisation', at: '' } : undefined;
}
