import type { ReminderKind } from '../domain/reminders';
import type { Lang } from './index';

/**
 * Texts of the reminder cards. Dutch in plain B1; `en` has the same shape. Placeholders:
 * {deadline} (date and time), {when} (today / tomorrow / in n days), {round} (the round's name).
 */
const nl = {
  kinds: {
    'council.allocation': {
      title: 'Herinnering: de raad informeren over de verdeling',
      text: 'De gemeenteraad wil vóór de zomer weten hoe het leerbudget is verdeeld. Dat vraagt de motie. Het verslag aan de raad moet klaar zijn op {deadline}. Dat is {when}.',
      channelText:
        'De gemeenteraad wil vóór de zomer weten hoe het leerbudget is verdeeld. De accounthouder maakt daarvoor een verslag. Dat moet klaar zijn op {deadline}. Dat is {when}.',
      listTitle: '',
    },
    'council.results': {
      title: 'Herinnering: de raad informeren over effect en resultaten',
      text: 'Aan het eind van het jaar wil de gemeenteraad weten wat het leerbudget heeft opgeleverd. Dat vraagt de motie. Het verslag over effect en resultaten moet klaar zijn op {deadline}. Dat is {when}.',
      channelText:
        'Aan het eind van het jaar wil de gemeenteraad weten wat het leerbudget heeft opgeleverd. De accounthouder maakt daarvoor een verslag. Dat moet klaar zijn op {deadline}. Dat is {when}.',
      listTitle: 'Deze partners hebben hun resultaten nog niet ingestuurd:',
    },
    'panel.unscored': {
      title: 'Herinnering: aanvragen beoordelen',
      text: 'Je hebt nog niet alle aanvragen beoordeeld. De beoordeling sluit op {deadline}. Dat is {when}. Geef je scores op de kaart van de aanvraag in het kanaal van de beoordeling.',
      channelText: '',
      listTitle: 'Deze aanvragen wachten nog op jouw scores:',
    },
    'draft.unsubmitted': {
      title: 'Herinnering: je aanvraag is nog niet ingediend',
      text: 'Je bent begonnen aan een aanvraag, maar je hebt hem nog niet ingediend. Indienen kan tot {deadline}. Dat is {when}. Daarna kan het niet meer.',
      channelText: '',
      listTitle: 'Nog niet ingediend:',
    },
    'consultation.unanswered': {
      title: 'Herinnering: denk mee over de uitgangspunten',
      text: 'Je bent uitgenodigd om mee te denken over de uitgangspunten van het leerbudget. Je hebt nog niet gereageerd. Reageren kan tot {deadline}. Dat is {when}. De uitnodiging staat eerder in deze chat.',
      channelText: '',
      listTitle: '',
    },
    'results.missing': {
      title: 'Herinnering: vertel wat je project heeft opgeleverd',
      text: 'Je hebt geld gekregen uit het leerbudget. De gemeenteraad wil weten wat het heeft opgeleverd. Vul je resultaten in vóór {deadline}. Dat is {when}.',
      channelText: '',
      listTitle: 'Hiervoor missen we je resultaten nog:',
    },
  } satisfies Record<ReminderKind, { title: string; text: string; channelText: string; listTitle: string }>,
  facts: {
    round: 'Ronde',
    deadline: 'Deadline',
    open: 'Nog open',
  },
  today: 'vandaag',
  tomorrow: 'morgen',
  inDays: { one: 'over 1 dag', other: 'over {n} dagen' },
  untitled: 'Aanvraag zonder titel',
  more: 'en nog {count} andere',
  buttons: {
    allocation: 'Verslag over de verdeling maken',
    results: 'Verslag over de resultaten maken',
    resume: 'Verder met {title}',
    openResults: 'Resultaten invullen: {title}',
  },
  closing: 'Je krijgt deze herinnering van de Leerbudget-bot.',
};

export type ReminderMessages = typeof nl;

const en: ReminderMessages = {
  kinds: {
    'council.allocation': {
      title: 'Reminder: inform the council about the allocation',
      text: 'Before the summer, the municipal council wants to know how the learning budget was allocated. The motion asks for this. The report to the council is due on {deadline}. That is {when}.',
      channelText:
        'Before the summer, the municipal council wants to know how the learning budget was allocated. The account holder prepares a report. It is due on {deadline}. That is {when}.',
      listTitle: '',
    },
    'council.results': {
      title: 'Reminder: inform the council about effect and results',
      text: 'At the end of the year, the municipal council wants to know what the learning budget achieved. The motion asks for this. The report on effect and results is due on {deadline}. That is {when}.',
      channelText:
        'At the end of the year, the municipal council wants to know what the learning budget achieved. The account holder prepares a report. It is due on {deadline}. That is {when}.',
      listTitle: 'These partners have not sent in their results yet:',
    },
    'panel.unscored': {
      title: 'Reminder: score the applications',
      text: 'You have not scored all applications yet. The review closes on {deadline}. That is {when}. Give your scores on the application’s card in the review channel.',
      channelText: '',
      listTitle: 'These applications are still waiting for your scores:',
    },
    'draft.unsubmitted': {
      title: 'Reminder: your application has not been submitted',
      text: 'You started an application but have not submitted it yet. You can submit until {deadline}. That is {when}. After that it is no longer possible.',
      channelText: '',
      listTitle: 'Not submitted yet:',
    },
    'consultation.unanswered': {
      title: 'Reminder: help shape the criteria',
      text: 'You were invited to help shape the criteria of the learning budget and have not responded yet. You can respond until {deadline}. That is {when}. The invitation is further up in this chat.',
      channelText: '',
      listTitle: '',
    },
    'results.missing': {
      title: 'Reminder: tell us what your project achieved',
      text: 'You received money from the learning budget. The municipal council wants to know what it achieved. Please fill in your results before {deadline}. That is {when}.',
      channelText: '',
      listTitle: 'We are still missing your results for:',
    },
  },
  facts: {
    round: 'Round',
    deadline: 'Deadline',
    open: 'Still open',
  },
  today: 'today',
  tomorrow: 'tomorrow',
  inDays: { one: 'in 1 day', other: 'in {n} days' },
  untitled: 'Untitled application',
  more: 'and {count} more',
  buttons: {
    allocation: 'Draft the allocation report',
    results: 'Draft the results report',
    resume: 'Continue with {title}',
    openResults: 'Fill in results: {title}',
  },
  closing: 'This reminder comes from the Leerbudget bot.',
};

export function reminderMessages(lang: Lang): ReminderMessages {
  return lang === 'en' ? en : nl;
}
