import { randomUUID } from 'node:crypto';
import { errorFacts } from '../app/core/turn';
import { reminderCard } from '../cards/reminder-cards';
import type { ReminderOptions } from '../domain/reminders';
import type { Logger } from '../log';
import type { Deps } from '../usecases/deps';
import { ComposeReminder, sendDueReminders, SendDueRemindersResult } from '../usecases/send-due-reminders';

export const composeReminder: ComposeReminder = ({ reminder, round, recipient, lang, now }) => ({
  card: reminderCard(lang, { reminder, round, recipient, now }),
});

/**
 * The reminder run of one bot process, started by the croner job, the HTTP trigger and once at
 * start (reminders missed while the bot was down). Runs in this process queue behind each other;
 * across processes the lease and the reminder records keep each reminder to one send.
 */
export class ReminderJob {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deps: Deps,
    private readonly log: Logger,
    /** Wakes the outbox dispatcher, so the stored messages go out now rather than on its timer. */
    private readonly kick: () => void = () => undefined,
    private readonly options: { owner?: string; reminders?: ReminderOptions; useLease?: boolean } = {},
    readonly owner: string = options.owner ?? randomUUID(),
  ) {}

  run(): Promise<SendDueRemindersResult> {
    const next = this.chain.then(() => this.runOnce());
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async runOnce(): Promise<SendDueRemindersResult> {
    const started = Date.now();
    const result = await sendDueReminders(this.deps, {
      owner: this.owner,
      compose: composeReminder,
      ...(this.options.reminders ? { options: this.options.reminders } : {}),
      ...(this.options.useLease === undefined ? {} : { useLease: this.options.useLease }),
      onError: (roundId, e) => this.log.warn({ roundId, err: errorFacts(e) }, 'reminders for a round stopped; the next run carries on'),
    });
    if (result.messages) this.kick();
    if (result.sent || result.skipped || result.failedRounds) this.log.info({ ...result, ms: Date.now() - started }, 'reminders');
    return result;
  }
}
