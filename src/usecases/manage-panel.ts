import { readText } from '../domain/text';
import { auditEvent } from '../domain/audit';
import { hasOrganisationConflict, MAX_PANEL_SIZE, PanelMember, PanelRole } from '../domain/panel';
import { err, ok, Result } from '../domain/result';
import { adminRound } from './admin-round';
import type { Deps } from './deps';
import { linkOrRegister } from './organisations';
import { isAccounthouder } from './roles';

/** The round whose panel changed (its open review cards need a new refresh list) and the panel now. */
export interface PanelChange {
  roundId: string;
  members: PanelMember[];
  /** A partner's registry entry: found, or registered just now. */
  organisation?: { name: string; registered: boolean };
}

export type PanelError =
  | { code: 'FORBIDDEN' }
  | { code: 'NO_ROUND' }
  | { code: 'ORGANISATION_REQUIRED' }
  | { code: 'PANEL_FULL' }
  /** The partner's organisation fits more than one registry entry: the names of the candidates. Nothing was changed. */
  | { code: 'ORGANISATION_AMBIGUOUS'; candidates: string[] }
  /** The partner's organisation cannot be a registry entry's name (only a legal form, control characters). */
  | { code: 'ORGANISATION_INVALID' };

/**
 * Adds (or updates) a panel member of the current round. The person comes from the team's
 * member list as Teams reports it, never from what a card claims about them. A partner is linked
 * to the organisation registry by id: the typed organisation is found there, or registered
 * (source 'accounthouder'); a name that fits more than one entry is refused with the candidates.
 */
export async function addPanelMember(
  deps: Deps,
  input: { actorId: string; person: { userId: string; mri: string; name: string }; role: PanelRole; organisation?: string; roundId?: string },
): Promise<Result<PanelChange, PanelError>> {
  if (!(await isAccounthouder(deps, input.actorId))) return err({ code: 'FORBIDDEN' });
  const round = await adminRound(deps, input.roundId);
  if (!round) return err({ code: 'NO_ROUND' });
  // Blank (zero-width only) or with control characters counts as not filled in.
  const typed = readText(input.organisation, Number.MAX_SAFE_INTEGER);
  const organisation = typed.error ? undefined : typed.value.slice(0, 120) || undefined;
  if (input.role === 'partner' && !organisation) return err({ code: 'ORGANISATION_REQUIRED' });
  const panel = await deps.repos.reviews.listPanel(round.value.id);
  const existing = panel.find((m) => m.userId === input.person.userId);
  if (!existing && panel.length >= MAX_PANEL_SIZE) return err({ code: 'PANEL_FULL' });
  let linked: { id: string; name: string; registered: boolean } | undefined;
  if (input.role === 'partner' && organisation) {
    const res = await linkOrRegister(deps, { text: organisation, actorId: input.actorId, source: 'accounthouder' });
    if (res.kind === 'ambiguous') return err({ code: 'ORGANISATION_AMBIGUOUS', candidates: res.candidates.map((o) => o.name) });
    if (res.kind === 'invalid') return err({ code: 'ORGANISATION_INVALID' });
    linked = { id: res.organisation.id, name: res.organisation.name, registered: res.registered };
  }
  const now = deps.clock.now();
  const member: PanelMember = {
    ...input.person,
    role: input.role,
    ...(organisation ? { organisation } : {}),
    ...(linked ? { organisationId: linked.id } : {}),
    addedBy: input.actorId,
    addedAt: existing?.addedAt ?? now.toISOString(),
  };
  await deps.repos.reviews.putPanelMember(
    round.value.id,
    member,
    auditEvent(round.value.id, input.actorId, 'panel.member-added', member.userId, now, {
      role: member.role,
      ...(linked ? { organisationId: linked.id } : {}),
    }),
  );
  await auditLateRecusals(deps, round.value.id, member, now);
  return ok({
    roundId: round.value.id,
    members: await deps.repos.reviews.listPanel(round.value.id),
    ...(linked ? { organisation: { name: linked.name, registered: linked.registered } } : {}),
  });
}

export async function removePanelMember(deps: Deps, input: { actorId: string; userId: string; roundId?: string }): Promise<Result<PanelChange, PanelError>> {
  if (!(await isAccounthouder(deps, input.actorId))) return err({ code: 'FORBIDDEN' });
  const round = await adminRound(deps, input.roundId);
  if (!round) return err({ code: 'NO_ROUND' });
  const now = deps.clock.now();
  await deps.repos.reviews.removePanelMember(
    round.value.id,
    input.userId,
    auditEvent(round.value.id, input.actorId, 'panel.member-removed', input.userId, now),
  );
  return ok({ roundId: round.value.id, members: await deps.repos.reviews.listPanel(round.value.id) });
}

/** What the panel card shows: the round (named, else the newest), its panel and who is accounthouder (config and store). */
export async function panelOverview(
  deps: Deps,
  roundId?: string,
): Promise<{ roundId: string; roundName: string; members: PanelMember[]; accounthouders: Set<string> } | undefined> {
  const round = await adminRound(deps, roundId);
  if (!round) return undefined;
  const [members, stored] = await Promise.all([deps.repos.reviews.listPanel(round.value.id), deps.repos.roles.listAccounthouders()]);
  return {
    roundId: round.value.id,
    roundName: round.value.name,
    members,
    accounthouders: new Set([...(deps.accounthouders ?? []), ...stored.map((a) => a.userId)]),
  };
}

/**
 * A member added while reviews are open is recused at once where they work for the applicant or a
 * co-applicant; each such recusal is audited, as those of members present when a card was posted.
 */
async function auditLateRecusals(deps: Deps, roundId: string, member: PanelMember, now: Date): Promise<void> {
  const open = (await deps.repos.reviews.listReviews(roundId)).filter((r) => r.value.state === 'posted');
  if (open.length === 0) return;
  // One read of the round's applications, not one per review.
  const apps = new Map((await deps.repos.applications.listByRound(roundId)).map((a) => [a.value.id, a]));
  for (const review of open) {
    const app = apps.get(review.value.applicationId);
    if (!app || !hasOrganisationConflict(member, app.value.fields)) continue;
    await deps.repos.audit.record(auditEvent(roundId, member.userId, 'review.recused', app.value.id, now, { reason: 'organisation', addedLater: true }));
  }
}
