import type { Lang } from './index';

/** Texts of the accounthouder's list of all applications (`aanvragen`) and the workbook export (`export`). Same shape in both languages. */
const nl = {
  forbiddenTitle: 'Alleen voor de accounthouder',
  forbidden: 'Het overzicht van alle aanvragen is alleen voor de Wmo-accounthouder van de gemeente.',
  noRoundTitle: 'Nog geen ronde',
  noRound: 'Er is nog geen ronde. Maak eerst een ronde met "ronde".',
  list: {
    title: 'Alle aanvragen',
    count: '{matched} van de {total} aanvragen · pagina {page} van {pages}',
    none: 'Geen aanvragen die passen bij dit filter.',
    status: 'Status',
    wijk: 'Wijk',
    organisation: 'Organisatie (een deel van de naam)',
    all: 'Alle',
    filter: 'Filteren',
    previous: 'Vorige',
    next: 'Volgende',
    export: 'Downloaden (Excel)',
    line: '{reference} · {organisation} · {wijk}',
    draft: 'Concept (nog geen kenmerk)',
    facts: '{status} · gevraagd {requested}{awarded}',
    awarded: ' · toegekend {amount}',
    progress: 'Beoordeling: {scored} van {needed}',
    progressClosed: 'Beoordeling afgerond ({scored} van {needed})',
    score: ' · score {score}',
    knockout: ' · onder het minimum',
    recused: ' · {n} niet mee (belang)',
    thread: 'Beoordeling {reference}',
    requestChanges: 'Aanvulling vragen: {reference}',
  },
  export: {
    title: 'Overzicht in Excel',
    intro:
      'Alle aanvragen van de ronde met status, bedragen, voortgang van de beoordeling, scores, knock-outs en besluiten; een blad met het budgetregister en een blad met de resultaten.',
    counts: 'In dit bestand staat per aanvraag hoeveel panelleden niet meededen, niet wie. Wie dat wil weten, kiest "Met namen".',
    named: 'In dit bestand staan ook de namen van panelleden die niet meededen. Deel het niet verder dan nodig.',
    download: 'Downloaden (Excel)',
    withNames: 'Met namen van panelleden',
    linkValid: 'De link werkt tot {date}.',
  },
};

export type ApplicationsMessages = typeof nl;

const en: ApplicationsMessages = {
  forbiddenTitle: 'For the account holder only',
  forbidden: 'The overview of all applications is only for the municipality’s Wmo account holder.',
  noRoundTitle: 'No round yet',
  noRound: 'There is no round yet. Create one first with "round".',
  list: {
    title: 'All applications',
    count: '{matched} of {total} applications · page {page} of {pages}',
    none: 'No applications match this filter.',
    status: 'Status',
    wijk: 'District',
    organisation: 'Organisation (part of the name)',
    all: 'All',
    filter: 'Filter',
    previous: 'Previous',
    next: 'Next',
    export: 'Download (Excel)',
    line: '{reference} · {organisation} · {wijk}',
    draft: 'Draft (no reference yet)',
    facts: '{status} · requested {requested}{awarded}',
    awarded: ' · awarded {amount}',
    progress: 'Review: {scored} of {needed}',
    progressClosed: 'Review closed ({scored} of {needed})',
    score: ' · score {score}',
    knockout: ' · below a minimum',
    recused: ' · {n} stood aside (interest)',
    thread: 'Review {reference}',
    requestChanges: 'Request changes: {reference}',
  },
  export: {
    title: 'Overview in Excel',
    intro:
      'Every application of the round with status, amounts, review progress, scores, knock-outs and decisions; a sheet with the budget ledger and one with the results. The workbook is in Dutch.',
    counts: 'This file says per application how many panel members stood aside, not who. To see who, choose "With names".',
    named: 'This file also names the panel members who stood aside. Do not share it further than needed.',
    download: 'Download (Excel)',
    withNames: 'With names of panel members',
    linkValid: 'The link works until {date}.',
  },
};

export function applicationsMessages(lang: Lang): ApplicationsMessages {
  return lang === 'en' ? en : nl;
}
