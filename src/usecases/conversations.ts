import type { Deps } from './deps';

/** Stores where to reach a person later (decisions, reminders): their 1:1 conversation with the bot. */
export async function rememberConversation(deps: Deps, input: { userId: string; conversationId: string; reference: unknown; locale?: string }): Promise<void> {
  if (!input.userId) return;
  await deps.repos.conversations.save({
    userId: input.userId,
    conversationId: input.conversationId,
    reference: input.reference,
    ...(input.locale ? { locale: input.locale } : {}),
    updatedAt: deps.clock.now().toISOString(),
  });
}

/** The Teams locale a person last used in their 1:1 chat (for messages sent to them later). */
export async function localeOf(deps: Deps, userId: string): Promise<string | undefined> {
  return (await deps.repos.conversations.get(userId))?.locale;
}

/** Team members as the roster lists them; only those with an Entra object id can be addressed. */
export interface RosterMember {
  id: string;
  aadObjectId?: string;
  name?: string;
}

/**
 * Stores where the bot can start a 1:1 chat with the members of a team it is installed in
 * (their roster id, tenant and serviceUrl, and the name an accounthouder is told if they still
 * cannot be reached). Members without an Entra object id (guests of other directories the roster
 * cannot name, bots) are left out.
 */
export async function rememberRoster(
  deps: Deps,
  input: { members: RosterMember[]; tenantId: string; serviceUrl: string; botId: string },
): Promise<{ stored: number }> {
  const now = deps.clock.now().toISOString();
  const addresses = input.members
    .filter((m) => typeof m.aadObjectId === 'string' && m.aadObjectId && typeof m.id === 'string' && m.id.startsWith('29:'))
    .map((m) => ({
      userId: m.aadObjectId!,
      rosterId: m.id,
      tenantId: input.tenantId,
      serviceUrl: input.serviceUrl,
      botId: input.botId,
      name: typeof m.name === 'string' ? m.name : '',
      updatedAt: now,
    }));
  if (addresses.length) await deps.repos.conversations.saveRoster(addresses);
  return { stored: addresses.length };
}
