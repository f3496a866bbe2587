import { Activity, ActivityTypes, CardFactory, Middleware, TurnContext } from 'botbuilder';
import { noticeCard } from '../../cards/notice';
import { activityBytes, MESSAGE_LIMIT_BYTES } from '../../cards/render';
import { langFor, messages } from '../../i18n';
import type { Logger } from '../../log';
import { ALL_VERBS } from './verbs';
import { cardInvokeResponse } from './other-invokes';

const KNOWN_VERBS = new Set<string>(ALL_VERBS);

/**
 * Teams refuses a message over its size limit (413 MessageSizeTooBig) and shows nothing. Every
 * activity the bot sends — a reply, a proactive message (continueConversationAsync runs the
 * adapter's middleware too), a card update, and the invoke response that carries the card for
 * Action.Execute — is measured here, as Teams counts it (UTF-16). One over the limit is logged and
 * replaced by a short notice in the person's language; the oversized one is never sent.
 */
export function sizeGuard(log: Logger): Middleware {
  return {
    async onTurn(context: TurnContext, next: () => Promise<void>) {
      context.onSendActivities(async (ctx, activities, nextSend) => {
        for (let i = 0; i < activities.length; i++) activities[i] = withinLimit(ctx, activities[i]!, log, 'send');
        return nextSend();
      });
      context.onUpdateActivity(async (ctx, activity, nextUpdate) => {
        const kept = withinLimit(ctx, activity, log, 'update');
        if (kept !== activity) {
          for (const key of Object.keys(activity) as (keyof Activity)[]) if (!(key in kept)) delete activity[key];
          Object.assign(activity, kept);
        }
        return nextUpdate();
      });
      await next();
    },
  };
}

/** The activity itself when it fits Teams' limit; otherwise the same activity with a notice card instead of its content. */
export function withinLimit(context: TurnContext, activity: Partial<Activity>, log: Logger, how: 'send' | 'update'): Partial<Activity> {
  const bytes = outgoingBytes(activity);
  if (bytes <= MESSAGE_LIMIT_BYTES) return activity;
  const lang = langFor(context.activity.locale);
  const t = messages(lang).notices;
  const notice = noticeCard(lang, t.tooLargeTitle, t.tooLarge);
  const verb = String(context.activity.value?.action?.verb ?? '');
  const kind =
    activity.type === ActivityTypes.InvokeResponse
      ? 'invokeResponse'
      : `${context.activity.name === 'ContinueConversation' ? 'proactive' : 'reply'} ${how === 'update' ? 'update' : 'message'}`;
  log.error(
    { code: 'MESSAGE_TOO_BIG', kind, activityType: activity.type, ...(KNOWN_VERBS.has(verb) ? { verb } : {}), bytes, limit: MESSAGE_LIMIT_BYTES },
    'outgoing activity over the Teams size limit: replaced by a notice',
  );
  if (activity.type === ActivityTypes.InvokeResponse) {
    const status = (activity.value as { status?: number } | undefined)?.status ?? 200;
    return { ...activity, value: status === 200 ? cardInvokeResponse(notice) : { status } };
  }
  const { text: _text, speak: _speak, attachments: _attachments, entities: _entities, suggestedActions: _suggested, channelData, ...rest } = activity;
  // Keep what tells Teams where the message goes (a thread, a notification), not what it said.
  const kept =
    channelData && typeof channelData === 'object' ? pick(channelData as Record<string, unknown>, ['notification', 'tenant', 'channel', 'team']) : undefined;
  return { ...rest, ...(kept ? { channelData: kept } : {}), type: activity.type ?? ActivityTypes.Message, attachments: [CardFactory.adaptiveCard(notice)] };
}

/**
 * What Teams receives, in UTF-16 bytes: the activity as posted to the connector, or for an invoke
 * response the HTTP answer's body (the card Teams shows for Action.Execute).
 */
export function outgoingBytes(activity: Partial<Activity>): number {
  if (activity.type === ActivityTypes.InvokeResponse) return activityBytes((activity.value as { body?: unknown } | undefined)?.body ?? null);
  return activityBytes(activity);
}

function pick(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => k in o).map((k) => [k, o[k]]));
}
