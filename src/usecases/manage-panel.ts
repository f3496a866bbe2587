import { auditEvent } from '../domain/audit';
import { MAX_PANEL_SIZE, PanelMember, PanelRole } from '../domain/panel';
import { err, ok, Result } from '../domain/result';
import { adminRound } from './admin-round';
import type { Deps } from './deps';
import { isAccounthouder } from './roles';

/** The round whose panel changed (its open review cards need a new refresh list) and the panel now. */
export interface PanelChange {
  roundId: string;
  members: PanelMember[];
}

export type PanelError = { code: 'FORBIDDEN' } | { code: 'NO_ROUND' } | { code: 'ORGANISATION_REQUIRED' } | { code: 'PANEL_FULL' };

/**
 * Adds (or updates) a panel member of the current round. The person comes from the team's
 * member list as Teams reports it, never from what a card claims about them.
 */
export async function addPanelMember(
  deps: Deps,
  input: { actorId: string; person: { userId: string; mri: string; name: string }; role: PanelRole; organisation?: string },
): Promise<Result<PanelChange, PanelError>> {
  if (!(await isAccounthouder(deps, input.actorId))) return err({ code: 'FORBIDDEN' });
  const round = await adminRound(deps);
  if (!round) return err({ code: 'NO_ROUND' });
  const organisation = input.organisation?.trim().slice(0, 120);
  if (input.role === 'partner' && !organisation) return err({ code: 'ORGANISATION_REQUIRED' });
  const panel = await deps.repos.reviews.listPanel(round.value.id);
  const existing = panel.find((m) => m.userId === input.person.userId);
  if (!existing && panel.length >= MAX_PANEL_SIZE) return err({ code: 'PANEL_FULL' });
  const now = deps.clock.now();
  const member: PanelMember = {
    ...input.person,
    role: input.role,
    ...(organisation ? { organisation } : {}),
    addedBy: input.actorId,
    addedAt: existing?.addedAt ?? now.toISOString(),
  };
  await deps.repos.reviews.putPanelMember(round.value.id, member, auditEvent(round.value.id, input.actorId, 'panel.member-added', member.userId, now, { role: member.role }));
  return ok({ roundId: round.value.id, members: await deps.repos.reviews.listPanel(round.value.id) });
}

export async function removePanelMember(deps: Deps, input: { actorId: string; userId: string }): Promise<Result<PanelChange, PanelError>> {
  if (!(await isAccounthouder(deps, input.actorId))) return err({ code: 'FORBIDDEN' });
  const round = await adminRound(deps);
  if (!round) return err({ code: 'NO_ROUND' });
  const now = deps.clock.now();
  await deps.repos.reviews.removePanelMember(round.value.id, input.userId, auditEvent(round.value.id, input.actorId, 'panel.member-removed', input.userId, now));
  return ok({ roundId: round.value.id, members: await deps.repos.reviews.listPanel(round.value.id) });
}

/** What the panel card shows: the current round, its panel and who is accounthouder (config and store). */
export async function panelOverview(deps: Deps): Promise<{ roundName: string; members: PanelMember[]; accounthouders: Set<string> } | undefined> {
  const round = await adminRound(deps);
  if (!round) return undefined;
  const [members, stored] = await Promise.all([deps.repos.reviews.listPanel(round.value.id), deps.repos.roles.listAccounthouders()]);
  return { roundName: round.value.name, members, accounthouders: new Set([...(deps.accounthouders ?? []), ...stored.map((a) => a.userId)]) };
}
