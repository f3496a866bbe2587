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
