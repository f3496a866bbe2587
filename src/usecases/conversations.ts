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
