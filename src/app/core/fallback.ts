import type { Application, TurnState } from '@microsoft/teams-ai';
import { noticeCard } from '../../cards/notice';
import { messages } from '../../i18n';
import type { Logger } from '../../log';
import { turnOf } from './turn';

/**
 * Registered last: an Action.Execute with a verb no area knows (an old card, a tampered one)
 * still gets a valid invoke response with a way back, instead of an error in Teams.
 */
export function registerFallbacks(app: Application<TurnState>, log: Logger): void {
  app.adaptiveCards.actionExecute(/.*/, async (context) => {
    const turn = turnOf(context);
    const t = messages(turn.lang);
    log.warn({ verb: String(context.activity.value?.action?.verb ?? '').slice(0, 60) }, 'unknown verb refused');
    return noticeCard(turn.lang, t.notices.badCardTitle, t.notices.badCard);
  });
}
