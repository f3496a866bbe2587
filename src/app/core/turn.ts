import { CardFactory, MessageFactory, TurnContext } from 'botbuilder';
import type { Card } from '../../cards/render';
import { Lang, langFor } from '../../i18n';

/** Who is acting and in which language: from the activity, never from card data. */
export interface Turn {
  context: TurnContext;
  userId: string;
  lang: Lang;
  personal: boolean;
}

const ENTRA_OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An Entra object id as the activity carries it, normalised to lower case; undefined when it is not one. */
export function entraObjectId(value: unknown): string | undefined {
  return typeof value === 'string' && ENTRA_OBJECT_ID.test(value) ? value.toLowerCase() : undefined;
}

export function turnOf(context: TurnContext): Turn {
  const a = context.activity;
  // The Entra object id is the identity. Without a usable one (missing, empty, not an object id)
  // the person cannot be told apart from anyone else: userId stays '' and the turn is refused.
  const userId = entraObjectId(a.from?.aadObjectId) ?? '';
  const personal = (a.conversation?.conversationType ?? 'personal') === 'personal';
  return { context, userId, lang: langFor(a.locale), personal };
}

export async function sendCard(context: TurnContext, card: Card): Promise<void> {
  await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
}

export class DeadlineExceeded extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'DeadlineExceeded';
  }
}

/** Teams drops an invoke after 5 s; whatever is still running finishes on its own (writes are idempotent). */
export function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded(ms)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** What may be logged about an error: its kind and status, not its message (which can echo data). */
export function errorFacts(e: unknown): Record<string, unknown> {
  const x = e as { name?: unknown; code?: unknown; statusCode?: unknown };
  return { name: x?.name, code: x?.code, statusCode: x?.statusCode };
}

/** Text as a command: lower case, without markup, punctuation or extra spaces ("Nieuwe aanvraag!" → "nieuwe aanvraag"). */
export function normaliseCommand(text: string): string {
  return text
    .toLowerCase()
    .replace(/<[^>]+>/g, ' ')
    .replace(/[^\p{L}\p{N} ]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
