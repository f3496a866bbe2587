import type { AllocationReportData, ResultsReportData } from '../domain/council-report';
import { formatDate, plural } from '../i18n';

/**
 * What both council reports say, written once: the sentences and tables that the Markdown
 * (`markdown.ts`) and the Word document (`docx.ts`) render, so the two can never say different
 * things. A document passes its `Style`: how it writes text people typed (the Markdown escapes
 * it, the Word document takes it as is, on one line) and euros.
 */
export interface Style {
  text: (typed: string) => string;
  euro: (n: number) => string;
}

export type Align = 'l' | 'r';
export interface TableSpec {
  header: string[];
  rows: string[][];
  align: Align[];
  /** The last row is a total; `bold` are its columns the Markdown marks (Word marks the whole row). */
  total?: { bold: number[] };
}

export const date = (iso: string) => formatDate('nl', iso);
export const count = (n: number, one: string, many: string) => plural('nl', n, { one: `{n} ${one}`, other: `{n} ${many}` });
const pct = (share: number) => `${Math.round(share * 100)}%`;
const score = (s: number | undefined) => (s === undefined ? '–' : `${Math.round(s * 100)}%`);
const signed = (s: Style, n: number) => (n > 0 ? `+${s.euro(n)}` : n < 0 ? `−${s.euro(-n)}` : s.euro(0));

/** "wijkgericht leerbudget 2026" inside a sentence; another name as it was typed. */
export const roundNameInTitle = (name: string, s: Style) =>
  name.toLowerCase().startsWith('wijkgericht') ? name.charAt(0).toLowerCase() + name.slice(1) : s.text(name);

export function allocationSummary(d: AllocationReportData, s: Style): string[] {
  const t = d.totals;
  return [
    `Het budget is ${s.euro(d.process.budget)}.`,
    `Er is ${s.euro(d.budget.awarded)} toegekend aan ${count(t.awarded, 'aanvraag', 'aanvragen')}${t.partial ? ` (${t.partial} gedeeltelijk)` : ''}.`,
    `Er is ${s.euro(d.budget.remaining)} over.`,
    `Er ${t.received === 1 ? 'kwam' : 'kwamen'} ${count(t.received, 'aanvraag', 'aanvragen')} binnen. ${t.withdrawn} ${t.withdrawn === 1 ? 'is' : 'zijn'} ingetrokken, ${t.declined} afgewezen${t.undecided ? `, over ${t.undecided} is nog geen besluit` : ''}.`,
    `Het geld ging naar ${count(d.byOrganisation.length, 'organisatie', 'organisaties')} en ${d.byWijk.filter((w) => w.amount > 0).length} van de ${d.byWijk.length} wijken (stadsbreed telt als één).`,
  ];
}

export function openToAllText(d: AllocationReportData, s: Style): string {
  const f = d.fairness;
  return `Elke partner uit de sociale basis kon in Teams een aanvraag doen; de bot vroeg alleen of de aanvrager partner is, in de gemeente werkt en een collectief antwoord zoekt. ${count(f.organisations, 'organisatie', 'organisaties')} ${f.organisations === 1 ? 'diende' : 'dienden'} samen ${count(d.totals.received, 'aanvraag', 'aanvragen')} in. Een aanvraag mocht om ten hoogste ${s.euro(d.process.maxPerApplication)} vragen. Aanvragen konden gaan over één wijk of over de hele stad (stadsbreed).`;
}

/** The round's dates in the order they fall: a decision taken as soon as the reviews it covers were done comes before the deadlines still ahead. */
export function datesTable(d: AllocationReportData): TableSpec {
  const p = d.process;
  const rows: [string, string, string][] = [
    ['Open voor aanvragen', p.dates.opensAt, ''],
    ['Aanvragen indienen tot', p.dates.submissionDeadline, ''],
    ['Beoordeling klaar', p.dates.reviewDeadline, 'uiterlijk '],
    ...d.decisions.map((x, i): [string, string, string] => [
      d.decisions.length > 1 ? `Besluit ${i + 1} van de accounthouder` : 'Besluit van de accounthouder',
      x.approvedAt,
      '',
    ]),
    ['Raad geïnformeerd over de verdeling', p.dates.councilAllocationReportDue, 'uiterlijk '],
    ['Raad geïnformeerd over effect en resultaten', p.dates.councilResultsReportDue, 'uiterlijk '],
  ];
  return {
    header: ['Wat', 'Datum'],
    rows: rows
      .map((row, i) => ({ row, i }))
      .sort((a, b) => a.row[1].localeCompare(b.row[1]) || a.i - b.i)
      .map(({ row: [what, at, prefix] }) => [what, `${prefix}${date(at)}`]),
    align: ['l', 'l'],
  };
}

export const criteriaHeading = (d: AllocationReportData) =>
  `Uitgangspunten (versie ${d.process.criteria.version}${d.process.criteria.frozenAt ? `, vastgezet op ${date(d.process.criteria.frozenAt)}` : ''})`;

export const CRITERIA_TEXT =
  'Elke aanvraag is beoordeeld op dezelfde uitgangspunten. Ze stonden vast vanaf de eerste ingediende aanvraag. Een uitgangspunt met een minimum is een voorwaarde: scoort een aanvraag daar gemiddeld lager, dan valt die af.';

export function criteriaTable(d: AllocationReportData, s: Style): TableSpec {
  return {
    header: ['Uitgangspunt', 'Weging', 'Schaal', 'Minimum'],
    rows: d.process.criteria.items.map((c) => [
      s.text(c.title),
      String(c.weight).replace('.', ','),
      `${c.scaleMin} tot ${c.scaleMax}`,
      c.minimum === undefined ? '–' : String(c.minimum),
    ]),
    align: ['l', 'r', 'l', 'r'],
  };
}

/** How the criteria were drawn up, when a consultation was published; undefined otherwise (the report asks staff to complete it). */
export function consultationText(d: AllocationReportData, s: Style): { text: string; changes: string[] } | undefined {
  const p = d.process;
  const c = p.consultation;
  if (!c?.publishedAt || !c.participation) return undefined;
  // Counted by the role the store knows them in; people the bot could not place are counted apart, never dropped.
  const roles = (x: Record<string, number>) =>
    `${count(x.partner ?? 0, 'partner', 'partners')}, ${count(x.ervaringsdeskundige ?? 0, 'ervaringsdeskundige', 'ervaringsdeskundigen')}, ${count(x.gemeente ?? 0, 'medewerker', 'medewerkers')} van de gemeente en ${count(x.onbekend ?? 0, 'persoon', 'personen')} van wie de rol niet bekend is`;
  const title = (id: string) => p.criteria.items.find((i) => i.id === id)?.title ?? id;
  return {
    text:
      `De uitgangspunten zijn opgesteld met partners en ervaringsdeskundigen, zoals de raad vroeg. Van ${date(c.startedAt)} tot ${date(c.closesAt)} konden zij in Teams op een concept reageren: instemmen, een wijziging voorstellen of een nieuw uitgangspunt voorstellen. ` +
      `Persoonlijk uitgenodigd: ${roles(c.participation.invited)}${c.channelInvited ? ', en iedereen in het beoordelingskanaal' : ''}. ` +
      `Gereageerd: ${roles(c.participation.responded)}. ` +
      `Er ${c.participation.proposals === 1 ? 'kwam' : 'kwamen'} ${count(c.participation.proposals, 'voorstel', 'voorstellen')}; ${c.participation.accepted} ${c.participation.accepted === 1 ? 'is' : 'zijn'} overgenomen en ${c.participation.rejected} niet. ` +
      `Op ${date(c.publishedAt)} zijn de uitgangspunten vastgesteld als versie ${c.publishedVersion ?? p.criteria.version}.`,
    changes: c.changes.map((ch) => `${ch.kind === 'added' ? 'Nieuw' : 'Gewijzigd'}: ${s.text(title(ch.criterionId))}`),
  };
}

const ROLE_WORDS = {
  gemeente: ['medewerker van de gemeente', 'medewerkers van de gemeente'],
  partner: ['partner uit de sociale basis', 'partners uit de sociale basis'],
  ervaringsdeskundige: ['ervaringsdeskundige', 'ervaringsdeskundigen'],
} as const;

export function panelText(d: AllocationReportData): string {
  const p = d.process;
  const roles = (Object.keys(ROLE_WORDS) as (keyof typeof ROLE_WORDS)[])
    .filter((r) => p.panel.byRole[r] > 0)
    .map((r) => `${p.panel.byRole[r]} ${ROLE_WORDS[r][p.panel.byRole[r] === 1 ? 0 : 1]}`);
  return `De Wmo-accounthouder van de gemeente heeft de aanvragen beoordeeld samen met een panel van ${count(p.panel.total, 'lid', 'leden')}${roles.length ? `: ${roles.join(', ')}` : ''}. Een uitslag telde pas met ten minste ${count(p.quorum, 'beoordeling', 'beoordelingen')}.`;
}

export function numbersTable(d: AllocationReportData): TableSpec {
  const t = d.totals;
  return {
    header: ['', 'Aantal'],
    rows: [
      ['Ingediend', String(t.received)],
      ['Ingetrokken door de aanvrager', String(t.withdrawn)],
      ['Te beoordelen', String(t.assessed)],
      ['Beoordeeld', String(t.reviewed)],
      ...(t.inReview ? [['Nog in beoordeling', String(t.inReview)]] : []),
      ['Toegekend', String(t.awarded)],
      ['waarvan gedeeltelijk', String(t.partial)],
      ['Afgewezen', String(t.declined)],
      ...(t.undecided ? [['Nog geen besluit', String(t.undecided)]] : []),
    ],
    align: ['l', 'r'],
  };
}

export function declineReasonsText(d: AllocationReportData): string | undefined {
  if (d.totals.declined === 0) return undefined;
  const r = d.declineReasons;
  const reasons = [
    r.knockout ? `${r.knockout} onder het minimum van een uitgangspunt` : '',
    r.unscored ? `${r.unscored} zonder uitslag van het panel` : '',
    r.budget ? `${r.budget} omdat het budget op was` : '',
    r.byAccounthouder ? `${r.byAccounthouder} door de accounthouder` : '',
  ].filter(Boolean);
  return `Redenen van afwijzing: ${reasons.join(', ')}.`;
}

export const NOTHING_AWARDED = 'Er is (nog) niets toegekend.';
export const SCORE_TEXT = 'De score is het gewogen gemiddelde van het panel over alle uitgangspunten, als percentage van de hoogste score.';

export function awardsTable(d: AllocationReportData, s: Style): TableSpec | undefined {
  if (!d.awards.length) return undefined;
  return {
    header: ['Kenmerk', 'Organisatie', 'Wijk', 'Titel', 'Gevraagd', 'Toegekend', 'Score'],
    rows: [
      ...d.awards.map((a) => [
        a.reference,
        s.text(a.organisation),
        s.text(a.wijk),
        s.text(a.title),
        s.euro(a.requested),
        s.euro(a.awarded) + (a.outcome === 'partial' ? ' (deels)' : ''),
        score(a.score),
      ]),
      ['Totaal', '', '', '', s.euro(d.totals.requestedByAwarded), s.euro(d.budget.awarded), ''],
    ],
    align: ['l', 'l', 'l', 'l', 'r', 'r', 'r'],
    total: { bold: [0, 5] },
  };
}

export function organisationsTable(d: AllocationReportData, s: Style): TableSpec {
  return {
    header: ['Organisatie', 'Aantal', 'Bedrag', 'Deel van toegekend', 'Deel van budget'],
    rows: d.byOrganisation.map((o) => [s.text(o.name), String(o.awards), s.euro(o.amount), pct(o.shareOfAwarded), pct(o.shareOfBudget)]),
    align: ['l', 'r', 'r', 'r', 'r'],
  };
}

export function wijkTable(d: AllocationReportData, s: Style): TableSpec {
  return {
    header: ['Wijk', 'Aantal', 'Bedrag', 'Deel van toegekend'],
    rows: d.byWijk.map((w) => [s.text(w.name), String(w.awards), s.euro(w.amount), pct(w.shareOfAwarded)]),
    align: ['l', 'r', 'r', 'r'],
  };
}

export function decisionsTable(d: AllocationReportData, s: Style): TableSpec | undefined {
  if (!d.decisions.length) return undefined;
  return {
    header: ['Datum', 'Toegekend', 'Afgewezen', 'Bedrag', 'Panel eens', 'Panel oneens'],
    rows: d.decisions.map((x) => [date(x.approvedAt), String(x.awarded), String(x.declined), s.euro(x.total), String(x.panelAgree), String(x.panelDisagree)]),
    align: ['l', 'r', 'r', 'r', 'r', 'r'],
  };
}

export const wooText = (fileName: string) =>
  `Het bestand ${fileName} is bedoeld om te publiceren. Het bevat per toekenning: ronde, kenmerk, organisatie, wijk, toegekend en gevraagd bedrag, uitkomst, score en besluitdatum. Er staan geen namen van mensen, e-mailadressen, telefoonnummers of gebruikers-id's in. De titels van aanvragen staan er ook niet in: die typt de aanvrager zelf en ze kunnen een naam bevatten. Controleer vóór publicatie of een organisatienaam de naam van een persoon is (bijvoorbeeld een eenmanszaak).`;

export const checkText = (d: AllocationReportData, s: Style) =>
  d.checks.length
    ? `Let op: de gegevens kloppen niet op alle punten met elkaar (${d.checks.join(', ')}). Vraag de beheerder om dit na te kijken voordat dit stuk naar de raad gaat.`
    : `De bedragen in dit stuk tellen op tot de besluiten van de accounthouder (samen ${s.euro(d.budget.awarded)}) en tot wat het budgetregister als uitgegeven noteert.`;

export function resultsSummary(d: ResultsReportData, s: Style): string[] {
  const t = d.totals;
  return [
    `${t.awards} ${t.awards === 1 ? 'project kreeg' : 'projecten kregen'} samen ${s.euro(t.totalAwarded)}.`,
    `${t.reported} van de ${count(t.awards, 'partner', 'partners')} ${t.reported === 1 ? 'heeft' : 'hebben'} een verslag ingediend. ${t.missing ? `${t.missing} nog niet.` : 'Alle verslagen zijn binnen.'}`,
    ...(t.reported ? [`Wie een verslag indiende, kreeg samen ${s.euro(t.awardedReported)} en gaf ${s.euro(t.spentReported)} uit.`] : []),
    `De raad wil dit uiterlijk ${date(d.due)} weten.`,
  ];
}

export const STATE_WORDS = { submitted: 'ingediend', draft: 'nog niet (concept opgeslagen)', missing: 'nog niet' } as const;

export function resultsTable(d: ResultsReportData, s: Style): TableSpec | undefined {
  if (!d.rows.length) return undefined;
  const t = d.totals;
  return {
    header: ['Kenmerk', 'Organisatie', 'Wijk', 'Toegekend', 'Uitgegeven', 'Verschil', 'Verslag'],
    rows: [
      ...d.rows.map((r) => [
        r.reference,
        s.text(r.organisation),
        s.text(r.wijk),
        s.euro(r.awarded),
        r.spent === undefined ? '–' : s.euro(r.spent),
        r.difference === undefined ? '–' : signed(s, r.difference),
        STATE_WORDS[r.state],
      ]),
      ['Totaal', '', '', s.euro(t.totalAwarded), s.euro(t.spentReported), '', `${t.reported} van ${t.awards}`],
    ],
    align: ['l', 'l', 'l', 'r', 'r', 'r', 'l'],
    total: { bold: [0] },
  };
}
