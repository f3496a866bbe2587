import type { ApplicationFields, OrganisationLinks } from './application';
import { normaliseOrganisation, OrganisationIndex, organisationIndex, OrganisationRegistry } from './organisation';

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
  /** The registry entry of `organisation`: recusal by id when the application has ids too. */
  organisationId?: string;
  addedBy: string;
  addedAt: string;
}

/** A declared conflict's note, in the member's own words. */
export const CONFLICT_NOTE_LIMIT = 500;

export type RecusalReason = 'organisation' | 'declared';

export interface Recusal {
  memberId: string;
  reason: RecusalReason;
  /** The member's own words for a declared conflict. */
  note?: string;
  at: string;
}

/** One side of a comparison: a registry id when known, and the name as it was typed. */
interface Party {
  id?: string | undefined;
  name?: string | undefined;
}

/** The ids a party may be: its own, or what the registry makes of its name (every candidate when ambiguous). */
function idsOf(party: Party, index: OrganisationIndex | undefined): string[] {
  if (party.id) return [party.id];
  if (!index || !party.name) return [];
  const found = index.find(party.name);
  return found.kind === 'found' ? [found.organisation.id] : found.kind === 'ambiguous' ? found.candidates.map((o) => o.id) : [];
}

function sameOrganisation(a: Party, b: Party, index: OrganisationIndex | undefined): boolean {
  // Both linked to the registry: the ids decide.
  if (a.id && b.id) return a.id === b.id;
  const ids = new Set(idsOf(a, index));
  if (idsOf(b, index).some((id) => ids.has(id))) return true;
  // And always as before the registry: by normalised name.
  const own = a.name ? normaliseOrganisation(a.name) : '';
  return own !== '' && b.name !== undefined && normaliseOrganisation(b.name) === own;
}

/** The applicant and each co-applicant; `coApplicantIds[i]` is the registry entry of `coApplicants[i]`. */
function partiesOf(fields: ApplicationFields & OrganisationLinks): Party[] {
  const names = fields.coApplicants ?? [];
  const ids = fields.coApplicantIds ?? [];
  return [
    { id: fields.organisationId, name: fields.organisation },
    ...Array.from({ length: Math.max(names.length, ids.length) }, (_, i) => ({ id: ids[i], name: names[i] })),
  ];
}

/**
 * A member who works for the applicant or a co-applicant may not judge the application. Compared
 * per party (the applicant, each co-applicant) with the member's organisation:
 *
 * - both sides have a registry id: the ids decide;
 * - otherwise, a conflict when the registry (if given) resolves either side's name to the other's id
 *   or to a shared entry (an ambiguous name counts for each of its candidates), or when the
 *   normalised names are the same (the rule from before the registry, so old data is never judged
 *   less strictly than it was).
 */
export function hasOrganisationConflict(member: PanelMember, fields: ApplicationFields & OrganisationLinks, registry?: OrganisationRegistry): boolean {
  if (!member.organisation && !member.organisationId) return false;
  const index = registry && organisationIndex(registry);
  const own: Party = { id: member.organisationId, name: member.organisation };
  return partiesOf(fields).some((party) => sameOrganisation(own, party, index));
}

/** The recusal that applies to a member: a declared conflict, or one by organisation. */
export function recusalOf(
  member: PanelMember,
  fields: ApplicationFields & OrganisationLinks,
  declared: Recusal[],
  registry?: OrganisationRegistry,
): Recusal | undefined {
  const own = declared.find((r) => r.memberId === member.userId);
  if (own) return own;
  return hasOrganisationConflict(member, fields, registry) ? { memberId: member.userId, reason: 'organisation', at: '' } : undefined;
}
