import type { Application, TurnState } from '@microsoft/teams-ai';
import { ActivityTypes, INVOKE_RESPONSE_KEY, MiddlewareHandler, TurnContext } from 'botbuilder';
import { noticeCard } from '../../cards/notice';
import { messages } from '../../i18n';
import type { Logger } from '../../log';
import { errorFacts, turnOf } from './turn';

/**
 * What the bot answers to an invoke it has no feature for (Teams may send these from a manifest
 * change, another client or a tampered request): a valid response of the kind Teams expects for
 * that name, saying the bot does not do this, and nothing written. teams-ai would answer 501.
 */
/** The invoke response that shows `card` in place of the pressed one. */
export const cardInvokeResponse = (card: object) => ({ status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card } });

/** The answer to an invoke named `name` that the bot will not carry out: the card for Action.Execute, else the response of that kind. */
export function refusalResponse(name: string, text: string, card: object): { status: number; body?: unknown } {
  return name === 'adaptiveCard/action' ? cardInvokeResponse(card) : otherInvokeResponse(name, text, card);
}

export function otherInvokeResponse(name: string, text: string, card: object): { status: number; body?: unknown } {
  if (name === 'task/fetch' || name === 'task/submit' || name === 'composeExtension/fetchTask')
    return { status: 200, body: { task: { type: 'message', value: text } } };
  if (name.startsWith('composeExtension/')) return { status: 200, body: { composeExtension: { type: 'message', text } } };
  if (name === 'config/fetch' || name === 'config/submit') return { status: 200, body: { responseType: 'config', config: { type: 'message', value: text } } };
  if (name === 'tab/fetch' || name === 'tab/submit') return { status: 200, body: { tab: { type: 'continue', value: { cards: [{ card }] } } } };
  if (name === 'application/search')
    return { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.search.searchResponse', value: { results: [] } } };
  // No sign-in is configured: Teams falls back to its own prompt and nothing is exchanged.
  if (name === 'signin/tokenExchange') return { status: 412, body: { failureDetail: 'The bot does not use single sign-on.' } };
  // signin/verifyState, fileConsent/invoke, actionableMessage/executeAction, message/submitAction, healthCheck, handoff/action and anything else.
  return { status: 200 };
}

/** An Action.Execute as teams-ai routes it (a verb in value.action); anything else under that name is malformed. */
function isActionExecute(context: TurnContext): boolean {
  const action = (context.activity.value as { action?: { type?: unknown; verb?: unknown } } | undefined)?.action;
  return context.activity.name === 'adaptiveCard/action' && action?.type === 'Action.Execute' && typeof action.verb === 'string';
}

/** Answers an invoke the bot will not carry out, with the response of its kind; nothing is written. */
async function answerWithoutFeature(context: TurnContext, log: Logger, why: string): Promise<void> {
  const turn = turnOf(context);
  const t = messages(turn.lang).notices;
  const name = String(context.activity.name ?? '').slice(0, 60);
  const card = noticeCard(turn.lang, t.badCardTitle, name === 'adaptiveCard/action' ? t.badCard : t.unsupported);
  const response = refusalResponse(name, t.unsupported, card);
  log.info({ invoke: name, status: response.status }, why);
  await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: response });
}

/** Registered last, for every invoke except Action.Execute (which has its own fallback for unknown verbs). */
export function registerOtherInvokes(app: Application<TurnState>, log: Logger): void {
  app.addRoute(
    async (context: TurnContext) => context.activity.type === ActivityTypes.Invoke && !isActionExecute(context),
    (context: TurnContext) => answerWithoutFeature(context, log, 'invoke without a feature answered'),
    true,
  );
}

/**
 * Adapter middleware, around everything else: an invoke that no route answered still gets a valid
 * answer of its kind instead of botbuilder's empty 501 — also one in an envelope Teams would not
 * send (no channel id, conversation or sender id), which teams-ai refuses by throwing before any
 * route runs; that is logged as a refused activity, not as an error of the bot.
 */
export function answerUnansweredInvokes(log: Logger): MiddlewareHandler {
  return async (context, next) => {
    const invoke = context.activity.type === ActivityTypes.Invoke;
    const answered = () => Boolean(context.turnState.get(INVOKE_RESPONSE_KEY));
    try {
      await next();
    } catch (e) {
      if (!invoke || answered()) throw e;
      log.warn({ ...errorFacts(e), code: 'MALFORMED_ACTIVITY' }, 'invoke refused before routing');
    }
    if (invoke && !answered()) await answerWithoutFeature(context, log, 'invoke no route answered');
  };
}
