import type { BudgetLineErrorCode, BudgetLinePart } from '../domain/budget-lines';
import type { Lang, Plural } from './index';

/**
 * Texts about budget lines (the itemised budget of an application). Dutch in plain B1; `en` has
 * the same shape. Placeholders: {n} (a row's number), {total}, {own}, {co}, {project},
 * {requested}, {diff} (amounts in euros).
 */
const nl = {
  intro: 'Zet elke post op een eigen regel: waarvoor is het geld, en hoeveel vraag je daarvoor uit het leerbudget? Een lege regel wordt weggelaten.',
  row: 'Regel {n}',
  parts: {
    description: 'Regel {n}: waarvoor is het geld?',
    amount: 'Regel {n}: bedrag uit het leerbudget, in hele euro’s',
    own: 'Regel {n}: eigen bijdrage, in hele euro’s (optioneel)',
    coFunding: 'Regel {n}: bijdrage van anderen (cofinanciering), in hele euro’s (optioneel)',
  } satisfies Record<BudgetLinePart, string>,
  partNames: { description: 'Omschrijving', amount: 'Bedrag', own: 'Eigen bijdrage', coFunding: 'Cofinanciering' } satisfies Record<BudgetLinePart, string>,
  errors: {
    required: 'vul dit in',
    tooLong: 'dit is te lang (maximaal 120 tekens)',
    controlCharacters: 'hier staan tekens in die niet kunnen (onzichtbare stuurtekens)',
    wholeEuros: 'vul een bedrag in hele euro’s in, zonder centen',
    negative: 'een bedrag kan niet minder dan 0 zijn',
    tooLarge: 'dit bedrag is te groot',
    aboveRequested: 'dit is meer dan het hele gevraagde bedrag',
    nothing: 'vul een bedrag in dat meer is dan 0',
  } satisfies Record<BudgetLineErrorCode, string>,
  rowError: 'Regel {n}: {problems}. Er is niets opgeslagen.',
  addLine: 'Regel toevoegen',
  full: { one: 'Je kunt maximaal 1 regel invullen.', other: 'Je kunt maximaal {n} regels invullen.' } as Plural,
  tooMany: { one: 'Vul maximaal 1 regel in.', other: 'Vul maximaal {n} regels in.' } as Plural,
  required: 'Vul ten minste één regel in: waarvoor is het geld en hoeveel is het?',
  lineErrors: 'Er klopt iets niet in een regel. Kijk onder de regel.',
  totals: 'Totaal van de regels: {total}. Eigen bijdrage: {own}. Cofinanciering: {co}. Het hele project: {project}.',
  matches: 'De regels zijn samen precies het gevraagde bedrag ({requested}).',
  less: 'Let op: de regels zijn samen {diff} minder dan het gevraagde bedrag ({requested}). Leg het verschil uit in de toelichting.',
  more: 'Let op: de regels zijn samen {diff} meer dan het gevraagde bedrag ({requested}). Leg het verschil uit in de toelichting.',
  lessRead: 'De regels zijn samen {diff} minder dan het gevraagde bedrag ({requested}).',
  moreRead: 'De regels zijn samen {diff} meer dan het gevraagde bedrag ({requested}).',
  explanationLabel: 'Toelichting op de begroting',
  explanationWhen: '(nodig als de regels samen niet precies het gevraagde bedrag zijn)',
  title: 'Begroting',
  head: { description: 'Waarvoor', amount: 'Leerbudget', own: 'Eigen', coFunding: 'Anderen' },
  totalRow: 'Totaal',
  none: 'Geen begrotingsregels.',
  lineCount: { one: '1 begrotingsregel', other: '{n} begrotingsregels' } as Plural,
  onReadCard: 'De regels staan bij "Lees de hele aanvraag".',
  lineText: '{description}: {amount}',
  lineExtra: ' (eigen bijdrage {own}, cofinanciering {co})',
};

export type BudgetLineMessages = typeof nl;

const en: BudgetLineMessages = {
  intro: 'Put each item on its own line: what is the money for, and how much of it do you ask from the leerbudget? An empty line is left out.',
  row: 'Line {n}',
  parts: {
    description: 'Line {n}: what is the money for?',
    amount: 'Line {n}: amount from the leerbudget, in whole euros',
    own: 'Line {n}: own contribution, in whole euros (optional)',
    coFunding: 'Line {n}: contribution from others (co-funding), in whole euros (optional)',
  },
  partNames: { description: 'Description', amount: 'Amount', own: 'Own contribution', coFunding: 'Co-funding' },
  errors: {
    required: 'fill this in',
    tooLong: 'this is too long (at most 120 characters)',
    controlCharacters: 'this contains characters that are not allowed (invisible control characters)',
    wholeEuros: 'enter an amount in whole euros, without cents',
    negative: 'an amount cannot be less than 0',
    tooLarge: 'this amount is too large',
    aboveRequested: 'this is more than the whole requested amount',
    nothing: 'enter an amount above 0',
  },
  rowError: 'Line {n}: {problems}. Nothing was saved.',
  addLine: 'Add a line',
  full: { one: 'You can fill in at most 1 line.', other: 'You can fill in at most {n} lines.' },
  tooMany: { one: 'Fill in at most 1 line.', other: 'Fill in at most {n} lines.' },
  required: 'Fill in at least one line: what is the money for and how much is it?',
  lineErrors: 'Something is not right in a line. Look below the line.',
  totals: 'Total of the lines: {total}. Own contribution: {own}. Co-funding: {co}. The whole project: {project}.',
  matches: 'Together the lines are exactly the requested amount ({requested}).',
  less: 'Note: together the lines are {diff} less than the requested amount ({requested}). Explain the difference in the explanation.',
  more: 'Note: together the lines are {diff} more than the requested amount ({requested}). Explain the difference in the explanation.',
  lessRead: 'Together the lines are {diff} less than the requested amount ({requested}).',
  moreRead: 'Together the lines are {diff} more than the requested amount ({requested}).',
  explanationLabel: 'Explanation of the budget',
  explanationWhen: '(needed when the lines together are not exactly the requested amount)',
  title: 'Budget',
  head: { description: 'What for', amount: 'Leerbudget', own: 'Own', coFunding: 'Others' },
  totalRow: 'Total',
  none: 'No budget lines.',
  lineCount: { one: '1 budget line', other: '{n} budget lines' },
  onReadCard: 'The lines are under "Read the whole application".',
  lineText: '{description}: {amount}',
  lineExtra: ' (own contribution {own}, co-funding {co})',
};

export function budgetLineMessages(lang: Lang): BudgetLineMessages {
  return lang === 'en' ? en : nl;
}
