import { createHash } from 'node:crypto';
import type { UnreachableReason } from '../domain/conversation';
import type { OutboxEntry } from '../domain/outbox';
import { fill, langFor, Lang, messages } from '../i18n';
import type { Deps } from './deps';

/** What a message that did not arrive was about, as the accounthouder is told. */
export type UnreachableSubject = 'decision' | 'reminder' | 'consultation' | 'other';

/** The accounthouder's sentence, in their language: who, about what, why, and what they can do. */
export function unreachableText(input: { lang: Lang; name?: string; subject: UnreachableSubject; reason: UnreachableReason }): string {
  const t = messages(input.lang).unreachable;
  return fill(t.message, { who: input.name || t.someone, subject: t.subjects[input.subject], reason: t.reasons[input.reason] });
}

/** The outbox kind of the notice itself: a notice that cannot be delivered is not reported again. */
export const UNREACHABLE_KIND = 'notice.unreachable';

export function subjectOf(kind: string): UnreachableSubject {
  if (kind.startsWith('decision.')) return 'decision';
  if (kind.startsWith('reminder.')) return 'reminder';
  if (kind.startsWith('consultation.')) return 'consultation';
  return 'other';
}

const hash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 24);

/**
 * Tells every accounthouder (but the person themselves) that a person could not be reached in
 * their 1:1 chat, about what and why — once per person and subject: the notices' ids are derived
 * from the round, the person and the subject (a decision or
 * an invitation by its message; all of a round's reminders together), so a second failure, a retried delivery or a second instance stores
 * nothing twice. The name comes from the store (the team roster, else the round's panel); without
 * one the notice says "someone". Each notice is stored on its own, so one already stored does not
 * keep back the others.
 */
export async function reportUnreachable(
  deps: Deps,
  input: { roundId: string; userId: string; kind: string; messageId: string; reason: UnreachableReason },
): Promise<{ queued: number }> {
  if (input.kind === UNREACHABLE_KIND || !input.userId) return { queued: 0 };
  const subject = subjectOf(input.kind);
  const about = subject === 'reminder' ? 'reminders' : input.messageId;
  const [fromConfig, stored, address, panel] = await Promise.all([
    Promise.resolve(deps.accounthouders ?? []),
    deps.repos.roles.listAccounthouders(),
    deps.repos.conversations.getRoster(input.userId),
    deps.repos.reviews.listPanel(input.roundId),
  ]);
  const accounthouders = [...new Set([...fromConfig, ...stored.map((a) => a.userId)])].filter((id) => id !== input.userId);
  const name = address?.name || panel.find((m) => m.userId === input.userId)?.name || undefined;
  const base = hash(`${input.roundId}|${input.userId}|${about}`);
  const now = deps.clock.now().toISOString();
  let queued = 0;
  for (const to of accounthouders) {
    const lang = langFor((await deps.repos.conversations.get(to))?.locale);
    const entry: OutboxEntry = {
      id: `unreachable-${base}-${hash(to).slice(0, 12)}`,
      roundId: input.roundId,
      kind: UNREACHABLE_KIND,
      target: { type: 'user', userId: to },
      text: unreachableText({ lang, ...(name ? { name } : {}), subject, reason: input.reason }),
      state: 'pending',
      attempts: 0,
      notBefore: now,
      createdAt: now,
    };
    await deps.repos.outbox.enqueue([entry]);
    queued++;
  }
  return { queued };
}
