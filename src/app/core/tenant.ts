import { ActivityTypes, type Middleware, TurnContext } from 'botbuilder';
import { noticeCard } from '../../cards/notice';
import { langFor, messages } from '../../i18n';
import type { Logger } from '../../log';
import { refusalResponse } from './other-invokes';

/** The tenants an activity says it comes from (the conversation's and the channel data's); both must be served. */
export function tenantsOf(context: TurnContext): string[] {
  const a = context.activity;
  const ids = [a.conversation?.tenantId, (a.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id];
  return ids.filter((t): t is string => typeof t === 'string' && t !== '').map((t) => t.toLowerCase());
}

/**
 * Only the municipality's own tenant is served. An activity of any other tenant (or none) stops
 * here, before any route or write: a log line without personal data, a valid answer to an invoke,
 * a short refusal to a message, nothing for other activity types.
 */
export function tenantDoor(allowed: readonly string[], log: Logger): Middleware {
  return {
    async onTurn(context: TurnContext, next: () => Promise<void>) {
      if (allowed.length === 0) return next();
      const tenants = tenantsOf(context);
      if (tenants.length > 0 && tenants.every((t) => allowed.includes(t))) return next();
      const a = context.activity;
      log.warn(
        { activityType: a.type, invoke: a.type === ActivityTypes.Invoke ? String(a.name ?? '').slice(0, 60) : undefined, code: 'OTHER_TENANT' },
        'activity of another tenant refused',
      );
      const t = messages(langFor(a.locale)).notices;
      if (a.type === ActivityTypes.Invoke) {
        const card = noticeCard(langFor(a.locale), t.badCardTitle, t.otherTenant);
        const value = refusalResponse(String(a.name ?? ''), t.otherTenant, card);
        await context.sendActivity({ type: ActivityTypes.InvokeResponse, value });
      } else if (a.type === ActivityTypes.Message) {
        await context.sendActivity(t.otherTenant).catch(() => undefined);
      }
    },
  };
}
