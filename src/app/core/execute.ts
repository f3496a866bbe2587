import type { Application, TurnState } from '@microsoft/teams-ai';
import { ActivityTypes, TurnContext } from 'botbuilder';
import { z } from 'zod';
import { noticeCard } from '../../cards/notice';
import type { Card } from '../../cards/render';
import { messages } from '../../i18n';
import type { Logger } from '../../log';
import { cardInvokeResponse } from './other-invokes';
import { errorFacts, Turn, turnOf, withDeadline } from './turn';

/**
 * Whether storage refused the write itself (400 PropertyValueTooLarge, EntityTooLarge, InvalidInput,
 * 413 RequestBodyTooLarge, or the store's own check before sending): trying again changes nothing,
 * so it must not be reported as an outage.
 */
export function refusedByStorage(e: unknown): boolean {
  const status = (e as { statusCode?: unknown })?.statusCode;
  return status === 400 || status === 413;
}

/** Storage's error code (`PropertyValueTooLarge`, …): on the error, or in the OData body of a single-entity refusal. */
function storageCode(e: unknown): string | undefined {
  const x = e as { code?: unknown; message?: unknown };
  if (typeof x?.code === 'string') return x.code;
  return /"code":"(\w+)"/.exec(String(x?.message ?? ''))?.[1];
}

/** Leaves a margin under Teams' 5 s invoke limit for the response to travel. */
export const INVOKE_BUDGET_MS = 4000;

export type Handler<S extends z.ZodTypeAny> = (turn: Turn, data: z.infer<S>) => Promise<Card>;

/**
 * Registers Action.Execute handlers the same way everywhere: the payload is parsed with zod (a
 * refused payload gets a clear card and changes nothing), the person comes from the activity,
 * the answer comes within the invoke budget, and a failure becomes a card, never an error in Teams.
 *
 * `userSpecific` answers with the card for this user only. teams-ai would otherwise replace the
 * card for everybody when it carries a `refresh` section — and show one member's view to all.
 */
export function executor(app: Application<TurnState>, log: Logger) {
  return <S extends z.ZodTypeAny>(verb: string, schema: S, handler: Handler<S>, options: { userSpecific?: boolean } = {}) =>
    app.adaptiveCards.actionExecute(verb, async (context: TurnContext, _state: TurnState, data: unknown) => {
      const turn = turnOf(context);
      const t = messages(turn.lang);
      const started = Date.now();
      let card: Card;
      const parsed = schema.safeParse(data);
      if (!turn.userId) {
        log.warn({ verb, code: 'NO_IDENTITY' }, 'invoke without an Entra object id refused');
        card = noticeCard(turn.lang, t.notices.noIdentityTitle, t.notices.noIdentity);
      } else if (!parsed.success) {
        log.warn({ verb, issues: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}:${i.code}`) }, 'card payload refused');
        card = noticeCard(turn.lang, t.notices.badCardTitle, t.notices.badCard);
      } else {
        try {
          card = await withDeadline(handler(turn, parsed.data), INVOKE_BUDGET_MS);
          log.info({ verb, ms: Date.now() - started }, 'invoke handled');
        } catch (e) {
          if (refusedByStorage(e)) {
            log.error(
              { verb, code: 'STORAGE_REFUSED', storageCode: storageCode(e), ms: Date.now() - started, err: errorFacts(e) },
              'storage refused the write',
            );
            card = noticeCard(turn.lang, t.notices.storageRefusedTitle, t.notices.storageRefused);
          } else {
            log.error({ verb, ms: Date.now() - started, err: errorFacts(e) }, 'invoke failed');
            card = noticeCard(turn.lang, t.notices.storageTitle, t.notices.storage);
          }
        }
      }
      if (options.userSpecific) {
        await context.sendActivity({
          type: ActivityTypes.InvokeResponse,
          value: cardInvokeResponse(card),
        });
      }
      return card;
    });
}
