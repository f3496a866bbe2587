import { auditEvent, GLOBAL } from '../domain/audit';
import type { Deps } from './deps';

/** Accounthouder by config (bootstrap) or by the store; never by anything a card says. */
export async function isAccounthouder(deps: Deps, userId: string): Promise<boolean> {
  if (!userId) return false;
  if (deps.accounthouders?.includes(userId)) return true;
  return deps.repos.roles.isAccounthouder(userId);
}

/** An accounthouder makes someone else accounthouder. */
export async function addAccounthouder(
  deps: Deps,
  input: { actorId: string; userId: string; name: string },
): Promise<{ ok: true } | { ok: false; code: 'FORBIDDEN' }> {
  if (!(await isAccounthouder(deps, input.actorId))) return { ok: false, code: 'FORBIDDEN' };
  if (await isAccounthouder(deps, input.userId)) return { ok: true };
  const now = deps.clock.now();
  await deps.repos.roles.addAccounthouder(
    { userId: input.userId, name: input.name, addedBy: input.actorId, addedAt: now.toISOString() },
    auditEvent(GLOBAL, input.actorId, 'role.accounthouder-added', input.userId, now),
  );
  return { ok: true };
}
