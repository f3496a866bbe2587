import { createHash, randomBytes } from 'node:crypto';
import type { ApplicationFields, OrganisationLinks } from '../domain/application';
import { auditEvent, GLOBAL } from '../domain/audit';
import {
  addAlias,
  duplicateOf,
  findOrganisation,
  newOrganisation,
  newOrganisationId,
  normaliseOrganisation,
  Organisation,
  OrganisationErrorCode,
  OrganisationErrors,
  organisationIndex,
  OrganisationSource,
  RawOrganisationInput,
  validateOrganisationInput,
} from '../domain/organisation';
import { err, ok, Result } from '../domain/result';
import type { Versioned } from '../domain/versioned';
import type { Deps } from './deps';
import { isAccounthouder } from './roles';

/**
 * The organisation registry in the product: names people type (an applicant's organisation, a
 * co-applicant, a partner on the panel) become registry ids, and the accounthouder keeps the
 * registry itself (list, add, another name). Names can be personal data (an eenmanszaak): audit
 * details carry ids and the source, never a name.
 */

/** Where a typed organisation name leads: an entry (found, or registered just now), or why not. */
export type OrganisationResolution =
  | { kind: 'linked'; organisation: Organisation; registered: boolean }
  /** More than one entry fits: the person has to say which (the full name, the KvK number). */
  | { kind: 'ambiguous'; candidates: Organisation[] }
  /** The text cannot be an entry's name (only a legal form, control characters). */
  | { kind: 'invalid'; error: OrganisationErrorCode };

const registryOf = async (deps: Deps): Promise<Organisation[]> => (await deps.repos.organisations.list()).map((v) => v.value);
/** For linking typed names (submission, the summary's preview): a copy at most seconds old will do, since `create` refuses a taken key and names its entry. */
const recentRegistryOf = async (deps: Deps): Promise<Organisation[]> => (await deps.repos.organisations.listRecent()).map((v) => v.value);

/**
 * Resolves a typed organisation name with `findOrganisation`; when no entry fits, registers it
 * (`source`, created by `actorId`, audited in the global partition). The registry refuses a second
 * entry with the same name in the same transaction, so when someone registered it at the same
 * moment this links theirs. A retry after a failure later on finds the entry and registers nothing twice.
 */
export async function linkOrRegister(
  deps: Deps,
  input: { text: string; actorId: string; source: OrganisationSource; registry?: readonly Organisation[] },
): Promise<OrganisationResolution> {
  const registry = input.registry ?? (await registryOf(deps));
  const found = findOrganisation(registry, input.text);
  if (found.kind === 'found') return { kind: 'linked', organisation: found.organisation, registered: false };
  if (found.kind === 'ambiguous') return { kind: 'ambiguous', candidates: found.candidates };
  const valid = validateOrganisationInput({ name: input.text });
  if (!valid.ok) return { kind: 'invalid', error: valid.error.name ?? 'required' };

  const now = deps.clock.now();
  const org = newOrganisation(valid.value, { id: newOrganisationId(randomBytes), createdBy: input.actorId, now, source: input.source });
  const created = await deps.repos.organisations.create(
    org,
    auditEvent(GLOBAL, input.actorId, 'organisation.registered', org.id, now, { source: input.source }),
  );
  if (created.ok) return { kind: 'linked', organisation: created.value.value, registered: true };
  // Registered by someone else at the same moment: link that entry.
  const winner = created.error.existingId ? await deps.repos.organisations.get(created.error.existingId) : undefined;
  if (winner) return { kind: 'linked', organisation: winner.value, registered: false };
  const again = findOrganisation(await registryOf(deps), input.text);
  if (again.kind === 'found') return { kind: 'linked', organisation: again.organisation, registered: false };
  if (again.kind === 'ambiguous') return { kind: 'ambiguous', candidates: again.candidates };
  throw new Error('the registry refused an organisation without naming the entry that has it');
}

export type ApplicationLinkError = { code: 'ORGANISATION_AMBIGUOUS'; candidates: string[] } | { code: 'ORGANISATION_INVALID'; error: OrganisationErrorCode };

export interface ApplicationLinks {
  links: OrganisationLinks;
  organisation: Organisation;
  registered: boolean;
  /** Co-applicants kept as typed, without an entry (none or more than one fits): `coApplicantIds[i]` is ''. */
  unlinked: string[];
}

/**
 * The registry links of an application at submission: the applicant's organisation found or
 * registered (source 'applicant'); each co-applicant found (unique match) or left as typed with
 * an empty id, never registered on an applicant's word.
 */
export async function linkApplication(deps: Deps, fields: ApplicationFields, applicantId: string): Promise<Result<ApplicationLinks, ApplicationLinkError>> {
  const registry = await recentRegistryOf(deps);
  const own = await linkOrRegister(deps, { text: fields.organisation ?? '', actorId: applicantId, source: 'applicant', registry });
  if (own.kind === 'ambiguous') return err({ code: 'ORGANISATION_AMBIGUOUS', candidates: own.candidates.map((o) => o.name) });
  if (own.kind === 'invalid') return err({ code: 'ORGANISATION_INVALID', error: own.error });
  const index = organisationIndex(own.registered ? [...registry, own.organisation] : registry);
  const names = fields.coApplicants ?? [];
  const coApplicantIds = names.map((name) => {
    const found = index.find(name);
    return found.kind === 'found' ? found.organisation.id : '';
  });
  return ok({
    links: { organisationId: own.organisation.id, ...(names.length ? { coApplicantIds } : {}) },
    organisation: own.organisation,
    registered: own.registered,
    unlinked: names.filter((_, i) => !coApplicantIds[i]),
  });
}

/** What the summary card says about the registry before submission: which entry, a new one, or which ones fit. */
export type OrganisationPreview =
  { kind: 'found'; name: string } | { kind: 'new' } | { kind: 'ambiguous'; candidates: string[] } | { kind: 'invalid'; error: OrganisationErrorCode };

export async function organisationPreview(deps: Deps, organisation: string | undefined): Promise<OrganisationPreview | undefined> {
  if (!organisation) return undefined;
  const found = findOrganisation(await recentRegistryOf(deps), organisation);
  if (found.kind === 'found') return { kind: 'found', name: found.organisation.name };
  if (found.kind === 'ambiguous') return { kind: 'ambiguous', candidates: found.candidates.map((o) => o.name) };
  const valid = validateOrganisationInput({ name: organisation });
  return valid.ok ? { kind: 'new' } : { kind: 'invalid', error: valid.error.name ?? 'required' };
}

/** The name of a registry entry (for a card), when there is one. */
export async function organisationName(deps: Deps, id: string | undefined): Promise<string | undefined> {
  if (!id) return undefined;
  return (await deps.repos.organisations.get(id))?.value.name;
}

// ---------------------------------------------------------------------------------------------
// The accounthouder's registry card

/** The registry in the order people look for it: by normalised name ("Stichting …" not under S). */
export function sortedRegistry(entries: Versioned<Organisation>[]): Versioned<Organisation>[] {
  return [...entries].sort(
    (a, b) => normaliseOrganisation(a.value.name).localeCompare(normaliseOrganisation(b.value.name), 'nl') || a.value.id.localeCompare(b.value.id),
  );
}

export async function organisationRegistry(deps: Deps, actorId: string): Promise<Result<Versioned<Organisation>[], { code: 'FORBIDDEN' }>> {
  if (!(await isAccounthouder(deps, actorId))) return err({ code: 'FORBIDDEN' });
  return ok(sortedRegistry(await deps.repos.organisations.list()));
}

export type RegisterError =
  | { code: 'FORBIDDEN' }
  | { code: 'INVALID'; errors: OrganisationErrors }
  /** Another entry has this name, one of these aliases or this KvK number. */
  | { code: 'DUPLICATE'; existing: Organisation };

/** The id of an entry added from one card: the same press twice (or a re-delivery) is the same entry. */
const cardEntryId = (actorId: string, token: string) =>
  newOrganisationId((n) => createHash('sha256').update(`organisation\n${actorId}\n${token}`).digest().subarray(0, n));

/** The accounthouder adds an entry (source 'accounthouder'). Idempotent per card: the id comes from the card's one-time token. */
export async function registerOrganisation(
  deps: Deps,
  input: { actorId: string; token: string; raw: RawOrganisationInput },
): Promise<Result<{ organisation: Organisation; already: boolean }, RegisterError>> {
  if (!(await isAccounthouder(deps, input.actorId))) return err({ code: 'FORBIDDEN' });
  const id = cardEntryId(input.actorId, input.token);
  const mine = await deps.repos.organisations.get(id);
  if (mine) return ok({ organisation: mine.value, already: true });
  const valid = validateOrganisationInput(input.raw);
  if (!valid.ok) return err({ code: 'INVALID', errors: valid.error });
  const registry = await registryOf(deps);
  const existing = duplicateOf(registry, valid.value);
  if (existing) return err({ code: 'DUPLICATE', existing });
  const now = deps.clock.now();
  const org = newOrganisation(valid.value, { id, createdBy: input.actorId, now, source: 'accounthouder' });
  const created = await deps.repos.organisations.create(
    org,
    auditEvent(GLOBAL, input.actorId, 'organisation.registered', id, now, { source: 'accounthouder', aliases: org.aliases.length, kvk: Boolean(org.kvk) }),
  );
  if (created.ok) return ok({ organisation: created.value.value, already: false });
  const holder = created.error.existingId ? await deps.repos.organisations.get(created.error.existingId) : undefined;
  if (holder?.value.id === id) return ok({ organisation: holder.value, already: true });
  if (holder) return err({ code: 'DUPLICATE', existing: holder.value });
  throw new Error('the registry refused an organisation without naming the entry that has it');
}

export type AliasUseCaseError =
  | { code: 'FORBIDDEN' }
  | { code: 'NOT_FOUND' }
  | { code: 'INVALID'; error: OrganisationErrorCode; organisation: Versioned<Organisation> }
  | { code: 'DUPLICATE'; existing: Organisation; organisation: Versioned<Organisation> }
  /** The entry changed since the card was drawn: the card comes back with it as it is now. */
  | { code: 'STALE'; organisation: Versioned<Organisation> };

/**
 * Another name for an entry ("Buurtkracht" for "Stichting Buurtkracht Zwolle"). Refused when it is
 * another entry's name, alias or KvK number (naming that entry). A name the entry already has
 * changes nothing, whatever the card's ETag: a second press is not an error.
 */
export async function addOrganisationAlias(
  deps: Deps,
  input: { actorId: string; organisationId: string; etag: string; alias: string },
): Promise<Result<{ organisation: Versioned<Organisation>; changed: boolean }, AliasUseCaseError>> {
  if (!(await isAccounthouder(deps, input.actorId))) return err({ code: 'FORBIDDEN' });
  const [current, entries] = await Promise.all([deps.repos.organisations.get(input.organisationId), deps.repos.organisations.list()]);
  if (!current) return err({ code: 'NOT_FOUND' });
  const next = addAlias(
    current.value,
    input.alias,
    entries.map((e) => e.value),
  );
  if (!next.ok) {
    const e = next.error;
    return e.code === 'DUPLICATE'
      ? err({ code: 'DUPLICATE', existing: e.existing, organisation: current })
      : err({ code: 'INVALID', error: e.error, organisation: current });
  }
  if (next.value === current.value) return ok({ organisation: current, changed: false });
  if (current.etag !== input.etag) return err({ code: 'STALE', organisation: current });
  const now = deps.clock.now();
  const saved = await deps.repos.organisations.update(
    current,
    next.value,
    auditEvent(GLOBAL, input.actorId, 'organisation.updated', current.value.id, now, { aliases: next.value.aliases.length }),
  );
  if (saved.ok) return ok({ organisation: saved.value, changed: true });
  const latest = (await deps.repos.organisations.get(input.organisationId)) ?? current;
  if (saved.error.code === 'ALREADY_EXISTS') {
    const holder = saved.error.existingId ? await deps.repos.organisations.get(saved.error.existingId) : undefined;
    if (holder) return err({ code: 'DUPLICATE', existing: holder.value, organisation: latest });
  }
  return err({ code: 'STALE', organisation: latest });
}
