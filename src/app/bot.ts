import { Application, TeamsAdapter, TurnState } from '@microsoft/teams-ai';
import { botFrameworkAuthConfig, Config } from '../config';
import { messages, langFor } from '../i18n';
import type { Logger } from '../log';
import type { Deps } from '../usecases/deps';
import { registerFallbacks } from './fallback-routes';
import { registerPartnerRoutes } from './partner-routes';
import { errorFacts } from './turn';

export interface Bot {
  adapter: TeamsAdapter;
  app: Application<TurnState>;
}

/**
 * The Teams side: a CloudAdapter (TeamsAdapter) authenticated with
 * ConfigurationBotFrameworkAuthentication, and the teams-ai Application with one routes file
 * per area. Our own store holds all state, so teams-ai gets no turn-state storage.
 */
export function createBot(config: Config, deps: Deps, log: Logger): Bot {
  const adapter = new TeamsAdapter(botFrameworkAuthConfig(config));
  const uiLocale = config.uiLocale;
  if (uiLocale) {
    adapter.use(async (context, next) => {
      context.activity.locale = uiLocale;
      await next();
    });
  }
  const app = new Application<TurnState>({
    adapter,
    botAppId: config.bot.appId,
    removeRecipientMention: true,
    startTypingTimer: false,
    longRunningMessages: false,
  });
  registerPartnerRoutes(app, deps, log.child({ area: 'partner' }));
  registerFallbacks(app, log);

  app.error(async (context, error) => {
    log.error({ err: errorFacts(error), activityType: context.activity.type }, 'turn failed');
    if (context.activity.type === 'message') {
      await context.sendActivity(messages(langFor(context.activity.locale)).notices.storage).catch(() => undefined);
    }
  });
  return { adapter, app };
}
