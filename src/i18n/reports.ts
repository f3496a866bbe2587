import type { Lang } from './index';

/** Texts of the council report cards. Dutch in plain B1; `en` has the same shape (the compiler checks). */
const nl = {
  forbiddenTitle: 'Alleen voor de accounthouder',
  forbidden:
    'De verslagen voor de raad kan alleen de Wmo-accounthouder van de gemeente maken. Heb je een vraag over de verdeling? Neem dan contact op met de accounthouder.',
  noRoundTitle: 'Nog geen ronde',
  noRound: 'Er is nog geen ronde. Maak eerst een ronde met "ronde".',
  allocation: {
    title: 'Raadsinformatie: verdeling',
    intro: 'Dit is het concept voor de raad over hoe het budget is verdeeld. Download het verslag, controleer het en vul aan waar "Aanvullen" staat.',
    budget: 'Budget',
    awarded: 'Toegekend',
    remaining: 'Over',
    received: 'Aanvragen ingediend',
    awards: 'Toegekend (aanvragen)',
    declined: 'Afgewezen',
    withdrawn: 'Ingetrokken',
    undecided: 'Nog geen besluit',
    organisations: 'Organisaties met geld',
    due: 'Naar de raad uiterlijk',
    topTitle: 'Grootste toekenningen',
    topLine: '{reference} · {organisation} · {wijk} · {amount}',
    none: 'Er is nog niets toegekend. Het verslag laat de ronde en de aanvragen tot nu toe zien.',
    chartAlt: 'Staafdiagram van het toegekende bedrag per wijk. {values}',
    refresh: 'Vernieuwen',
  },
  results: {
    title: 'Raadsinformatie: effect en resultaten',
    intro:
      'Dit is het concept voor de raad over wat de projecten hebben bereikt, uit de verslagen van de partners. Download het verslag, controleer het en vul aan waar "Aanvullen" staat.',
    awards: 'Projecten met geld',
    reported: 'Verslag ingediend',
    missing: 'Nog geen verslag',
    awarded: 'Toegekend',
    spent: 'Uitgegeven (volgens de verslagen)',
    spentValue: '{spent} van {awarded}',
    due: 'Naar de raad uiterlijk',
    missingTitle: 'Nog geen verslag van',
    missingLine: '{reference} · {organisation} · {title}{draft}',
    draft: ' (concept opgeslagen)',
    more: 'en nog {count}',
    none: 'Er is nog niets toegekend, dus er zijn nog geen resultaten.',
    refresh: 'Vernieuwen',
  },
  toResults: 'Verslag resultaten',
  toAllocation: 'Verslag verdeling',
  downloads: {
    word: 'Raadsinformatiebrief (Word)',
    markdown: 'Verslag (Markdown)',
    csv: 'Tabel (CSV)',
    woo: 'Voor publicatie (Woo, CSV)',
    chart: 'Grafiek (PNG)',
    chartSvg: 'Grafiek (SVG)',
  },
  linksValid: 'De downloadlinks werken tot {date}. Druk daarna op Vernieuwen voor nieuwe links.',
  checks: 'Let op: de bedragen kloppen niet helemaal met de besluiten. Vraag de beheerder om dit na te kijken voordat het verslag naar de raad gaat.',
};

export type ReportMessages = typeof nl;

const en: ReportMessages = {
  forbiddenTitle: 'For the account holder only',
  forbidden:
    'Only the municipality’s Wmo account holder can produce the reports for the council. Do you have a question about the allocation? Please contact the account holder.',
  noRoundTitle: 'No round yet',
  noRound: 'There is no round yet. Create one first with "round".',
  allocation: {
    title: 'Council report: allocation',
    intro:
      'This is the draft for the council on how the budget was allocated. Download the report, check it and complete it where it says "Aanvullen". The report itself is in Dutch.',
    budget: 'Budget',
    awarded: 'Awarded',
    remaining: 'Remaining',
    received: 'Applications submitted',
    awards: 'Awarded (applications)',
    declined: 'Declined',
    withdrawn: 'Withdrawn',
    undecided: 'Not decided yet',
    organisations: 'Organisations funded',
    due: 'To the council by',
    topTitle: 'Largest awards',
    topLine: '{reference} · {organisation} · {wijk} · {amount}',
    none: 'Nothing has been awarded yet. The report shows the round and the applications so far.',
    chartAlt: 'Bar chart of the amount awarded per neighbourhood. {values}',
    refresh: 'Refresh',
  },
  results: {
    title: 'Council report: effect and results',
    intro:
      'This is the draft for the council on what the projects achieved, from the partners’ reports. Download the report, check it and complete it where it says "Aanvullen". The report itself is in Dutch.',
    awards: 'Funded projects',
    reported: 'Report submitted',
    missing: 'No report yet',
    awarded: 'Awarded',
    spent: 'Spent (as reported)',
    spentValue: '{spent} of {awarded}',
    due: 'To the council by',
    missingTitle: 'No report yet from',
    missingLine: '{reference} · {organisation} · {title}{draft}',
    draft: ' (draft saved)',
    more: 'and {count} more',
    none: 'Nothing has been awarded yet, so there are no results.',
    refresh: 'Refresh',
  },
  toResults: 'Results report',
  toAllocation: 'Allocation report',
  downloads: {
    word: 'Council letter (Word)',
    markdown: 'Report (Markdown)',
    csv: 'Table (CSV)',
    woo: 'For publication (Woo, CSV)',
    chart: 'Chart (PNG)',
    chartSvg: 'Chart (SVG)',
  },
  linksValid: 'The download links work until {date}. After that, press Refresh.',
  checks: 'Note: the amounts do not fully match the decisions. Ask the administrator to check this before the report goes to the council.',
};

export function reportMessages(lang: Lang): ReportMessages {
  return lang === 'en' ? en : nl;
}
