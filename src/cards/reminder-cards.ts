import reminderTemplate from '../../cards/reminder.json';
import type { Recipient, Reminder, ReminderItem } from '../domain/reminders';
import type { Round } from '../domain/round';
import { amsterdamDay } from '../domain/round-settings';
import { fill, formatDateTime, Lang, plural } from '../i18n';
import { reminderMessages, ReminderMessages } from '../i18n/reminders';
import { Card, render, truncate } from './render';

/** Items shown as lines; a panel member with more gets "and n more" (the card stays small). */
const MAX_LINES = 20;
/** Teams shows at most six actions in a set; two are kept for the council buttons. */
const MAX_ITEM_BUTTONS = 4;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole Amsterdam calendar days from `now` to `deadline`. */
function daysUntil(now: Date, deadline: string): number {
  const utc = (day: string) => Date.parse(`${day}T00:00:00Z`);
  return Math.round((utc(amsterdamDay(deadline)) - utc(amsterdamDay(now.toISOString()))) / DAY_MS);
}

function when(lang: Lang, t: ReminderMessages, now: Date, deadline: string): string {
  const days = daysUntil(now, deadline);
  if (days <= 0) return t.today;
  if (days === 1) return t.tomorrow;
  return plural(lang, days, t.inDays);
}

const label = (t: ReminderMessages, i: ReminderItem) => i.title || t.untitled;
const line = (t: ReminderMessages, i: ReminderItem) => (i.reference ? `${i.reference}: ${label(t, i)}` : label(t, i));
/** Button titles stay short. */
const short = (s: string) => (s.length > 40 ? truncate(s, 39) : s);

export interface ReminderCardInput {
  reminder: Reminder;
  round: Round;
  recipient: Recipient;
  /** When the card is made: "today / tomorrow / in n days" counts from here. */
  now: Date;
}

/**
 * One template for every reminder: what is due and when, what is still open, and the button that
 * does the next step — the accounthouder's report, a partner's draft or results. The channel gets
 * the same reminder without buttons (anyone can read it; only the accounthouder reports).
 */
export function reminderCard(lang: Lang, input: ReminderCardInput): Card {
  const t = reminderMessages(lang);
  const { reminder, round } = input;
  const k = t.kinds[reminder.kind];
  const personal = input.recipient.type === 'user';
  const values = { deadline: formatDateTime(lang, reminder.deadline), when: when(lang, t, input.now, reminder.deadline), round: round.name };
  const items = reminder.items;
  const lines = items.slice(0, MAX_LINES).map((i) => ({ text: `• ${line(t, i)}` }));
  if (items.length > MAX_LINES) lines.push({ text: fill(t.more, { count: items.length - MAX_LINES }) });
  const buttons = (text: string) =>
    personal
      ? items
          .slice(0, MAX_ITEM_BUTTONS)
          .map((i) => ({ title: short(fill(text, { title: label(t, i) })), applicationId: i.applicationId, roundId: reminder.roundId }))
      : [];
  return render(reminderTemplate, {
    title: k.title,
    text: fill(personal ? k.text : k.channelText || k.text, values),
    facts: [
      { title: t.facts.round, value: round.name },
      { title: t.facts.deadline, value: values.deadline },
      ...(items.length && reminder.kind !== 'council.allocation' ? [{ title: t.facts.open, value: String(items.length) }] : []),
    ],
    listTitle: items.length ? k.listTitle : '',
    items: lines,
    closing: t.closing,
    roundId: reminder.roundId,
    buttons: t.buttons,
    showAllocation: personal && reminder.kind === 'council.allocation',
    showResults: personal && reminder.kind === 'council.results',
    resume: reminder.kind === 'draft.unsubmitted' ? buttons(t.buttons.resume) : [],
    openResults: reminder.kind === 'results.missing' ? buttons(t.buttons.openResults) : [],
  });
}
