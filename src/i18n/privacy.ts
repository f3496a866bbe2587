import type { ApplicationFields } from '../domain/application';
import type { RetentionInput } from '../domain/round-settings';
import type { KeptItem, KeptReason } from '../domain/retention';
import type { ResultsReport } from '../domain/results';
import type { Lang, Plural } from './index';

/** Texts of retention and anonymisation (settings fields, the anonymise cards). Dutch in plain B1; `en` has the same shape. */
const nl = {
  settings: {
    fields: {
      retentionNotAwardedMonths: 'Bewaartermijn niet toegekende en ingetrokken aanvragen, in maanden na het besluit (1 tot 120)',
      retentionDraftMonths: 'Bewaartermijn concepten die nooit zijn ingediend, in maanden na de indiendeadline (1 tot 120)',
      retentionAwardedYears: 'Bewaartermijn toegekende aanvragen, in jaren na de eindejaarsrapportage (1 tot 30)',
    } satisfies Record<RetentionInput, string>,
    termError: 'Vul een heel getal in binnen de grenzen die erbij staan.',
  },
  forbiddenTitle: 'Alleen voor de accounthouder',
  forbidden: 'Alleen de Wmo-accounthouder kan gegevens anonimiseren.',
  notFoundTitle: 'Niet gevonden',
  notFound: 'Er is geen aanvraag met dat kenmerk. Typ bijvoorbeeld: anonimiseer LB-2026-007.',
  confirmTitle: { application: 'Anonimiseren: {reference}', person: 'Alles over de aanvrager van {reference} anonimiseren' },
  confirmIntro: {
    application: 'Dit haalt de persoonsgegevens uit deze aanvraag. Dit kan niet ongedaan worden gemaakt.',
    person: {
      one: 'Dit haalt de persoonsgegevens uit de aanvraag van deze aanvrager en zet een schuilnaam in het logboek in plaats van de naam. Dit kan niet ongedaan worden gemaakt.',
      other:
        'Dit haalt de persoonsgegevens uit alle {n} aanvragen van deze aanvrager en zet een schuilnaam in het logboek in plaats van de naam. Dit kan niet ongedaan worden gemaakt.',
    } satisfies Plural,
  },
  stale: 'De aanvraag is veranderd sinds deze kaart. Kijk nog eens wat er wordt verwijderd.',
  removedHeading: 'Wordt verwijderd',
  removedDone: 'Verwijderd',
  keptHeading: 'Blijft bewaard',
  nothing: 'Er staan geen persoonsgegevens meer in.',
  confirm: { application: 'Anonimiseren: {reference}', person: 'Aanvrager anonimiseren: {reference}' },
  doneTitle: 'Geanonimiseerd: {reference}',
  done: 'Klaar. Dit is vastgelegd in het logboek.',
  already: 'Dit was al geanonimiseerd. Er is niets opnieuw gedaan.',
  audit: { one: 'In {n} regel van het logboek staat nu een schuilnaam.', other: 'In {n} regels van het logboek staat nu een schuilnaam.' } satisfies Plural,
  fields: {
    contactName: 'naam contactpersoon',
    contactEmail: 'e-mailadres',
    contactPhone: 'telefoonnummer',
    title: 'titel',
    question: 'de vraag',
    approach: 'de aanpak',
    livedExperience: 'ervaringskennis',
    budgetLines: 'de omschrijvingen van de begrotingsregels',
    budgetBreakdown: 'de toelichting op de begroting',
    expectedResults: 'verwachte resultaten',
    evidence: 'onderbouwing',
  } as Partial<Record<keyof ApplicationFields, string>>,
  results: { done: 'wat er is gedaan', reached: 'wie is bereikt', learned: 'wat is geleerd', indicators: 'de cijfers in tekst' } as Partial<
    Record<keyof ResultsReport, string>
  >,
  fromApplication: 'Uit de aanvraag: {list}.',
  fromResults: 'Uit het verslag van de resultaten: {list}.',
  comments: { one: '{n} toelichting van het panel', other: '{n} toelichtingen van het panel' } satisfies Plural,
  overall: { one: '{n} eindoordeel van het panel', other: '{n} eindoordelen van het panel' } satisfies Plural,
  recusalNotes: { one: '{n} reden van belangenverstrengeling', other: '{n} redenen van belangenverstrengeling' } satisfies Plural,
  questions: { one: '{n} vraag aan de aanvrager', other: '{n} vragen aan de aanvrager' } satisfies Plural,
  answers: { one: '{n} antwoord', other: '{n} antwoorden' } satisfies Plural,
  files: { one: '{n} bijlage (het bestand zelf)', other: '{n} bijlagen (de bestanden zelf)' } satisfies Plural,
  markRemarks: { one: '{n} opmerking bij eens of oneens', other: '{n} opmerkingen bij eens of oneens' } satisfies Plural,
  consultationTexts: { one: '{n} tekst uit een reactie op de criteria', other: '{n} teksten uit reacties op de criteria' } satisfies Plural,
  namesReplaced: {
    one: 'Op {n} plek staat een schuilnaam in plaats van de naam.',
    other: 'Op {n} plekken staat een schuilnaam in plaats van de naam.',
  } satisfies Plural,
  addresses: { one: '{n} adres waarop de bot iemand bereikt', other: '{n} adressen waarop de bot iemand bereikt' } satisfies Plural,
  addressesLater: 'Het adres van de chat gaat weg zodra het laatste bericht aan deze persoon is verstuurd.',
  applicant: 'Wie de aanvraag deed: daar staat een schuilnaam.',
  kept: {
    reference: 'het kenmerk',
    organisation: 'de organisatie',
    wijk: 'de wijk',
    amounts: 'de bedragen',
    title: 'de titel',
    scores: 'de scores',
    dates: 'de datums',
    status: 'de status',
  } satisfies Record<KeptItem['what'], string>,
  why: {
    woo: 'staat in de Woo-lijst',
    councilReport: 'staat in de rapportage aan de raad',
    subsidyFile: 'hoort bij het subsidiedossier',
    notPersonal: 'is geen persoonsgegeven',
  } satisfies Record<KeptReason, string>,
  keptLine: '{what}: {why}',
  back: 'Naar alle aanvragen',
};

const en: typeof nl = {
  settings: {
    fields: {
      retentionNotAwardedMonths: 'Retention of applications not awarded and withdrawn ones, in months after the decision (1 to 120)',
      retentionDraftMonths: 'Retention of drafts never submitted, in months after the submission deadline (1 to 120)',
      retentionAwardedYears: 'Retention of awarded applications, in years after the year-end report (1 to 30)',
    },
    termError: 'Enter a whole number within the limits shown.',
  },
  forbiddenTitle: 'For the account holder only',
  forbidden: 'Only the Wmo account holder can anonymise data.',
  notFoundTitle: 'Not found',
  notFound: 'There is no application with that reference. Type for example: anonymise LB-2026-007.',
  confirmTitle: { application: 'Anonymise: {reference}', person: 'Anonymise everything about the applicant of {reference}' },
  confirmIntro: {
    application: 'This takes the personal data out of this application. It cannot be undone.',
    person: {
      one: 'This takes the personal data out of this applicant’s application and puts a pseudonym in the record instead of their id. It cannot be undone.',
      other:
        'This takes the personal data out of all {n} of this applicant’s applications and puts a pseudonym in the record instead of their id. It cannot be undone.',
    },
  },
  stale: 'The application changed since this card. Check again what will be removed.',
  removedHeading: 'Will be removed',
  removedDone: 'Removed',
  keptHeading: 'Is kept',
  nothing: 'There is no personal data left in it.',
  confirm: { application: 'Anonymise: {reference}', person: 'Anonymise applicant: {reference}' },
  doneTitle: 'Anonymised: {reference}',
  done: 'Done. This is recorded in the audit trail.',
  already: 'This was anonymised already. Nothing was done again.',
  audit: { one: '{n} line of the audit trail now shows a pseudonym.', other: '{n} lines of the audit trail now show a pseudonym.' },
  fields: {
    contactName: 'contact name',
    contactEmail: 'e-mail address',
    contactPhone: 'phone number',
    title: 'title',
    question: 'the question',
    approach: 'the approach',
    livedExperience: 'lived experience',
    budgetLines: 'the descriptions of the budget lines',
    budgetBreakdown: 'the explanation of the budget',
    expectedResults: 'expected results',
    evidence: 'evidence',
  },
  results: { done: 'what was done', reached: 'whom it reached', learned: 'what was learned', indicators: 'the figures in text' },
  fromApplication: 'From the application: {list}.',
  fromResults: 'From the results report: {list}.',
  comments: { one: '{n} panel comment', other: '{n} panel comments' },
  overall: { one: '{n} overall remark of the panel', other: '{n} overall remarks of the panel' },
  recusalNotes: { one: '{n} reason for a conflict of interest', other: '{n} reasons for a conflict of interest' },
  questions: { one: '{n} question to the applicant', other: '{n} questions to the applicant' },
  answers: { one: '{n} answer', other: '{n} answers' },
  files: { one: '{n} attachment (the file itself)', other: '{n} attachments (the files themselves)' },
  markRemarks: { one: '{n} remark with agree or disagree', other: '{n} remarks with agree or disagree' },
  consultationTexts: { one: '{n} text from a response on the criteria', other: '{n} texts from responses on the criteria' },
  namesReplaced: { one: 'In {n} place a pseudonym stands instead of the name.', other: 'In {n} places a pseudonym stands instead of the name.' },
  addresses: { one: '{n} address where the bot reaches someone', other: '{n} addresses where the bot reaches someone' },
  addressesLater: 'The chat address goes as soon as the last message to this person has been sent.',
  applicant: 'Who made the application: a pseudonym stands there now.',
  kept: {
    reference: 'the reference',
    organisation: 'the organisation',
    wijk: 'the wijk',
    amounts: 'the amounts',
    title: 'the title',
    scores: 'the scores',
    dates: 'the dates',
    status: 'the status',
  },
  why: {
    woo: 'is in the Woo list',
    councilReport: 'is in the council report',
    subsidyFile: 'belongs to the subsidy file',
    notPersonal: 'is not personal data',
  },
  keptLine: '{what}: {why}',
  back: 'To all applications',
};

export function privacyMessages(lang: Lang): typeof nl {
  return lang === 'en' ? en : nl;
}
