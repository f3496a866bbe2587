import type { AuditAction } from '../domain/audit';
import { fill, type Lang, type Plural } from './index';
import type { LogbookRow } from '../domain/logbook';

/** Texts of the accounthouder's logboek: one sentence per audit action, {who} did it, {subject} is what it was about. */
const actionsNl: Record<AuditAction, string> = {
  'round.created': '{who} maakte de ronde aan',
  'application.created': '{who} begon een aanvraag{subject}',
  'application.not-eligible': '{who} beantwoordde de toetsvragen met nee (geen aanvraag)',
  'application.step-saved': '{who} bewaarde een stap van de aanvraag{subject}',
  'application.submitted': '{who} diende de aanvraag in{subject}',
  'application.withdrawn': '{who} trok de aanvraag in{subject}',
  'application.changes-requested': '{who} vroeg een aanvulling op de aanvraag{subject}',
  'application.changes-proposed': '{who} stelde een aanvulling voor op de aanvraag{subject}',
  'application.resubmitted': '{who} stuurde de aangevulde aanvraag terug{subject}',
  'application.changes-expired': '{who} zette de aanvraag terug in de beoordeling zonder aanvulling{subject}',
  'role.accounthouder-added': '{who} maakte{subject} accounthouder',
  'round.updated': '{who} wijzigde de instellingen van de ronde',
  'round.status-changed': '{who} wijzigde de status van de ronde',
  'round.criteria-changed': '{who} wijzigde de uitgangspunten',
  'round.formChanged': '{who} wijzigde het aanvraagformulier',
  'round.channel-linked': '{who} koppelde een beoordelingskanaal',
  'panel.member-added': '{who} voegde{subject} toe aan het panel',
  'panel.member-removed': '{who} haalde{subject} uit het panel',
  'review.posted': '{who} plaatste de beoordeling{subject} in het kanaal',
  'review.reposted': '{who} plaatste de beoordeling{subject} opnieuw',
  'review.scored': '{who} gaf scores{subject}',
  'review.recused': '{who} deed niet mee aan de beoordeling{subject} (belang)',
  'review.closed': '{who} sloot de beoordeling{subject}',
  'review.stuck': '{who} meldde dat de beoordeling{subject} vastloopt',
  'review.extended': '{who} gaf de beoordeling{subject} meer tijd',
  'review.settled': '{who} sloot de beoordeling{subject} af zonder quorum',
  'review.question-asked': '{who} stelde een vraag{subject}',
  'review.question-answered': '{who} beantwoordde een vraag{subject}',
  'allocation.shared': '{who} legde het verdeelvoorstel voor aan het panel',
  'allocation.marked': '{who} gaf eens of oneens op het verdeelvoorstel',
  'allocation.approved': '{who} keurde de verdeling goed',
  'consultation.started': '{who} startte de raadpleging over de uitgangspunten',
  'consultation.invited': '{who} nodigde uit voor de raadpleging',
  'consultation.responded': '{who} reageerde op de uitgangspunten',
  'consultation.decided': '{who} besliste over een voorstel in de raadpleging',
  'consultation.published': '{who} publiceerde de nieuwe uitgangspunten',
  'results.saved': '{who} bewaarde het verslag van de resultaten{subject}',
  'results.submitted': '{who} diende het verslag van de resultaten in{subject}',
  'reminder.sent': '{who} stuurde een herinnering',
  'reminder.skipped': '{who} sloeg een herinnering over',
  'organisation.registered': '{who} zette een organisatie in het register',
  'organisation.updated': '{who} wijzigde een organisatie in het register',
  'outbox.delivered': '{who} bezorgde een bericht{subject}',
  'outbox.failed': '{who} kon een bericht niet bezorgen{subject}',
  'privacy.export-requested': '{who} vroeg de eigen gegevens op',
  'privacy.deletion-requested': '{who} vroeg om verwijdering van de eigen gegevens',
  'privacy.deletion-decided': '{who} besliste over een verzoek om verwijdering{subject}',
  'logbook.exported': '{who} downloadde het logboek',
  'application.anonymised': '{who} anonimiseerde de aanvraag{subject}',
  'person.anonymised': '{who} verwijderde de gegevens van een persoon{subject}',
  'round.people-pseudonymised': '{who} verving namen in het logboek van de ronde door een schuilnaam',
  'round.retention-changed': '{who} wijzigde de bewaartermijnen van de ronde',
  'application.attachment-added': '{who} voegde een bijlage toe aan de aanvraag{subject}',
  'application.attachment-removed': '{who} verwijderde een bijlage van de aanvraag{subject}',
  'application.attachments-deleted': '{who} verwijderde alle bijlagen van de aanvraag{subject}',
  'consultation.texts-removed': '{who} verwijderde de teksten van de raadpleging (bewaartermijn)',
};

const actionsEn: Record<AuditAction, string> = {
  'round.created': '{who} created the round',
  'application.created': '{who} started an application{subject}',
  'application.not-eligible': '{who} answered no to the eligibility questions (no application)',
  'application.step-saved': '{who} saved a step of the application{subject}',
  'application.submitted': '{who} submitted the application{subject}',
  'application.withdrawn': '{who} withdrew the application{subject}',
  'application.changes-requested': '{who} requested changes to the application{subject}',
  'application.changes-proposed': '{who} proposed requesting changes to the application{subject}',
  'application.resubmitted': '{who} sent back the changed application{subject}',
  'application.changes-expired': '{who} put the application back in review without changes{subject}',
  'role.accounthouder-added': '{who} made{subject} an account holder',
  'round.updated': '{who} changed the round’s settings',
  'round.status-changed': '{who} changed the round’s status',
  'round.criteria-changed': '{who} changed the criteria',
  'round.formChanged': '{who} changed the application form',
  'round.channel-linked': '{who} linked a review channel',
  'panel.member-added': '{who} added{subject} to the panel',
  'panel.member-removed': '{who} removed{subject} from the panel',
  'review.posted': '{who} posted the review{subject} in the channel',
  'review.reposted': '{who} posted the review{subject} again',
  'review.scored': '{who} scored{subject}',
  'review.recused': '{who} stood aside from the review{subject} (interest)',
  'review.closed': '{who} closed the review{subject}',
  'review.stuck': '{who} reported that the review{subject} is stuck',
  'review.extended': '{who} gave the review{subject} more time',
  'review.settled': '{who} closed the review{subject} without a quorum',
  'review.question-asked': '{who} asked a question{subject}',
  'review.question-answered': '{who} answered a question{subject}',
  'allocation.shared': '{who} put the allocation proposal before the panel',
  'allocation.marked': '{who} agreed or disagreed with the allocation proposal',
  'allocation.approved': '{who} approved the allocation',
  'consultation.started': '{who} started the consultation on the criteria',
  'consultation.invited': '{who} invited people to the consultation',
  'consultation.responded': '{who} responded on the criteria',
  'consultation.decided': '{who} decided on a proposal in the consultation',
  'consultation.published': '{who} published the new criteria',
  'results.saved': '{who} saved the results report{subject}',
  'results.submitted': '{who} submitted the results report{subject}',
  'reminder.sent': '{who} sent a reminder',
  'reminder.skipped': '{who} skipped a reminder',
  'organisation.registered': '{who} put an organisation in the registry',
  'organisation.updated': '{who} changed an organisation in the registry',
  'outbox.delivered': '{who} delivered a message{subject}',
  'outbox.failed': '{who} could not deliver a message{subject}',
  'privacy.export-requested': '{who} asked for their own data',
  'privacy.deletion-requested': '{who} asked for their own data to be deleted',
  'privacy.deletion-decided': '{who} decided on a request for deletion{subject}',
  'logbook.exported': '{who} downloaded the logbook',
  'application.anonymised': '{who} anonymised the application{subject}',
  'person.anonymised': '{who} removed the data of a person{subject}',
  'round.people-pseudonymised': '{who} replaced people in the round’s record by a pseudonym',
  'round.retention-changed': '{who} changed the round’s retention terms',
  'application.attachment-added': '{who} attached a file to the application{subject}',
  'application.attachment-removed': '{who} removed a file from the application{subject}',
  'application.attachments-deleted': '{who} deleted every file of the application{subject}',
  'consultation.texts-removed': '{who} removed the consultation’s texts (retention term)',
};

const nl = {
  title: 'Logboek',
  intro: 'Alles wat er in de bot gebeurde, het nieuwste eerst. Kies een aanvraag, een persoon of een periode.',
  count: { one: '{n} regel · pagina {page} van {pages}', other: '{n} regels · pagina {page} van {pages}' } as Plural,
  none: 'Geen regels die passen bij dit filter.',
  reference: 'Aanvraag (kenmerk, bijvoorbeeld LB-2026-007)',
  person: 'Persoon',
  everyone: 'Iedereen',
  from: 'Vanaf (datum)',
  to: 'Tot en met (datum)',
  filter: 'Filteren',
  previous: 'Vorige',
  next: 'Volgende',
  csv: 'Downloaden (CSV)',
  linkValid: 'De downloadlink werkt tot {date}.',
  line: '{date} · {sentence}',
  system: 'De bot',
  unknown: 'Onbekend',
  pseudonym: 'Persoon (geanonimiseerd) {tag}',
  accounthouder: 'Accounthouder',
  subjectApp: ' {reference}',
  subjectPerson: ' {name}',
  applicant: 'Aanvrager van {reference}',
  unknownReference: 'Er is geen aanvraag met kenmerk {reference}. Het filter op aanvraag staat uit.',
  forbiddenTitle: 'Alleen voor de accounthouder',
  forbidden: 'Het logboek is alleen voor de Wmo-accounthouder van de gemeente.',
  peopleCut: {
    one: 'Er staat {n} persoon niet in de keuzelijst (te veel). Kies een aanvraag om die te vinden.',
    other: 'Er staan {n} personen niet in de keuzelijst (te veel). Kies een aanvraag om hen te vinden.',
  } as Plural,
  actions: actionsNl,
  csvHeader: ['tijd', 'wie', 'handeling', 'zin', 'ronde', 'kenmerk', 'details'],
};

export type LogbookMessages = typeof nl;

const en: LogbookMessages = {
  title: 'Logbook',
  intro: 'Everything that happened in the bot, newest first. Choose an application, a person or a period.',
  count: { one: '{n} line · page {page} of {pages}', other: '{n} lines · page {page} of {pages}' },
  none: 'No lines match this filter.',
  reference: 'Application (reference, for example LB-2026-007)',
  person: 'Person',
  everyone: 'Everyone',
  from: 'From (date)',
  to: 'Up to and including (date)',
  filter: 'Filter',
  previous: 'Previous',
  next: 'Next',
  csv: 'Download (CSV)',
  linkValid: 'The download link works until {date}.',
  line: '{date} · {sentence}',
  system: 'The bot',
  unknown: 'Unknown',
  pseudonym: 'Person (anonymised) {tag}',
  accounthouder: 'Account holder',
  subjectApp: ' {reference}',
  subjectPerson: ' {name}',
  applicant: 'Applicant of {reference}',
  unknownReference: 'There is no application with reference {reference}. The filter on application is off.',
  forbiddenTitle: 'For the account holder only',
  forbidden: 'The logbook is only for the municipality’s Wmo account holder.',
  peopleCut: {
    one: '{n} person is not in the list (too many). Choose an application to find them.',
    other: '{n} people are not in the list (too many). Choose an application to find them.',
  },
  actions: actionsEn,
  csvHeader: ['time', 'who', 'action', 'sentence', 'round', 'reference', 'details'],
};

export function logbookMessages(lang: Lang): LogbookMessages {
  return lang === 'en' ? en : nl;
}

/** A logboek line's sentence: who did what, about which application or person. */
export function logbookSentence(lang: Lang, row: LogbookRow): string {
  const t = logbookMessages(lang);
  const who = logbookWho(lang, row);
  const subject = !row.subject
    ? ''
    : row.subject.kind === 'application'
      ? fill(t.subjectApp, { reference: row.subject.reference })
      : fill(t.subjectPerson, { name: row.subject.kind === 'person' ? row.subject.name : fill(t.pseudonym, { tag: row.subject.tag }) });
  return fill(t.actions[row.action] ?? `{who}: ${row.action}{subject}`, { who, subject });
}

/** Who, as a word for the CSV. */
export function logbookWho(lang: Lang, row: LogbookRow): string {
  const t = logbookMessages(lang);
  return row.who.kind === 'system' ? t.system : row.who.kind === 'pseudonym' ? fill(t.pseudonym, { tag: row.who.tag }) : (row.who.name ?? t.unknown);
}

/** The words the logboek use case gives people the store knows by role only. */
export function logbookLabels(lang: Lang): { applicant(reference: string): string; accounthouder: string } {
  const t = logbookMessages(lang);
  return { applicant: (reference) => fill(t.applicant, { reference }), accounthouder: t.accounthouder };
}
