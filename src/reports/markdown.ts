import type { AllocationReportData, ResultsReportData } from '../domain/council-report';
import { formatEuro } from '../i18n';
import {
  allocationSummary,
  awardsTable,
  checkText,
  consultationText,
  count,
  CRITERIA_TEXT,
  criteriaHeading,
  criteriaTable,
  date,
  datesTable,
  decisionsTable,
  declineReasonsText,
  NOTHING_AWARDED,
  numbersTable,
  openToAllText,
  organisationsTable,
  panelText,
  resultsSummary,
  resultsTable,
  roundNameInTitle,
  SCORE_TEXT,
  Style,
  TableSpec,
  wijkTable,
  wooText,
} from './content';
import { reportFileName } from './file-names';

/**
 * The two council reports as Markdown documents, in Dutch (plain B1): the bot's draft, which the
 * accounthouder checks and completes where it says "Aanvullen" before it goes to the council.
 */

const euro = (n: number) => formatEuro('nl', n).replace(/[\u00a0\u202f]/g, ' ');

/** Text typed by people, made safe inside a table cell or a paragraph: no markup, no HTML, one line in cells. */
function esc(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/([`*_[\]#|~])/g, '\\$1')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}
const cell = (text: string) =>
  esc(text)
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .trim() || '–';
const para = (text: string) =>
  esc(text)
    .replace(/\r\n?/g, '\n')
    .replace(/\n{2,}/g, '\n\n')
    .trim();

function table(spec: TableSpec): string {
  const sep = spec.header.map((_, i) => (spec.align[i] === 'r' ? '---:' : '---'));
  const last = spec.rows.length - 1;
  const rows = spec.rows.map((r, i) => (spec.total && i === last ? r.map((c, k) => (spec.total!.bold.includes(k) && c ? `**${c}**` : c)) : r));
  return [spec.header, sep, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

/** How the Markdown writes typed text and euros. */
const MD: Style = { text: (typed) => cell(typed), euro };
/** Why the council gets each report (the motion), the same in every format. */
export const WHY_ALLOCATION =
  'De gemeenteraad nam op 6 mei 2025 de motie "Wendbaar leerbudget op wijkniveau van zorg naar welzijn" aan. De raad vroeg het college om het wijkgericht leerbudget niet bij één vooraf gekozen partner te beleggen, om aanvragen te beoordelen op inhoudelijke uitgangspunten, en om de raad vóór de zomer te vertellen hoe het budget is verdeeld. Dit stuk geeft die informatie.';
export const WHY_RESULTS =
  'In de motie van 6 mei 2025 vroeg de raad om aan het eind van het jaar te horen wat het inhoudelijke effect en de resultaten zijn van het leerbudget in de sociale basis. Dit stuk geeft per project wat de partner heeft gemeld.';
/** What the accounthouder still has to write, in the results report. */
export const RESULTS_TODO = 'Aanvullen: wat de projecten samen betekenen voor vragen die nu naar specialistische jeugdhulp gaan.';
export const CONSULTATION_TODO = 'Aanvullen: hoe de uitgangspunten zijn opgesteld met partners en ervaringsdeskundigen (wie is uitgenodigd, hoe, wanneer).';

/**
 * The fairness of the review in sentences, each one computed from the kept review facts and the
 * decisions: what the bot enforced, and plainly where a rule was overridden. `quote` makes typed
 * text safe for the document it goes into (the Markdown escapes it, the Word document does not need to).
 */
export function fairnessSentences(d: AllocationReportData, quote: (text: string) => string = (x) => x.replace(/\s*[\r\n]+\s*/g, ' ').trim()): string[] {
  const f = d.fairness;
  const out: string[] = [];
  out.push(
    `Onafhankelijk: ${count(f.sheets, 'beoordeling telde', 'beoordelingen telden')} mee. Een panellid zag de scores van anderen pas na een eigen score (alleen n.v.t. telt niet). ${
      f.revisedAfterSeen === 0
        ? 'Niemand veranderde daarna nog een score.'
        : `${count(f.revisedAfterSeen, 'beoordeling is', 'beoordelingen zijn')} daarna nog veranderd; dat stond zichtbaar op de kaart.`
    }`,
  );
  const recused = f.recused.organisation + f.recused.declared;
  out.push(
    recused === 0
      ? 'Belangen: geen panellid hoefde zich terug te trekken.'
      : `Belangen: ${recused} keer deed een panellid niet mee: ${f.recused.organisation} automatisch (werkt voor de aanvrager of een mede-aanvrager), ${f.recused.declared} op eigen melding. Hun scores telden niet mee${f.excludedSheets ? ` (${count(f.excludedSheets, 'eerder gegeven beoordeling is', 'eerder gegeven beoordelingen zijn')} daarom weggelaten)` : ''}.`,
  );
  if (f.quorumReduced)
    out.push(
      `Bij ${count(f.quorumReduced, 'aanvraag', 'aanvragen')} mochten minder panelleden oordelen dan het vereiste aantal; daar telde de uitslag met allen die mochten oordelen.`,
    );
  out.push(
    f.settled.length === 0
      ? 'Elke beoordeling is vanzelf afgerond; geen enkele is door de accounthouder afgesloten.'
      : `Niet volgens de gewone regel: de accounthouder sloot ${count(f.settled.length, 'beoordeling', 'beoordelingen')} af zonder genoeg beoordelingen. ${f.settled.map((s) => `${s.reference}: "${quote(s.reason)}"`).join('; ')}.`,
  );
  const decided = f.lines.asProposed + f.lines.adjusted;
  if (decided > 0) {
    out.push(
      f.lines.adjusted === 0
        ? `Verdeling: alle ${decided} besluiten volgen het voorstel dat op de scores is gerangschikt.`
        : `Verdeling: ${f.lines.asProposed} van de ${decided} besluiten volgen het voorstel dat op de scores is gerangschikt; bij ${f.lines.adjusted} heeft de accounthouder het bedrag aangepast.`,
    );
  }
  if (f.withoutFacts) out.push(`Van ${count(f.withoutFacts, 'beoordeling', 'beoordelingen')} van vóór deze telling zijn deze gegevens niet bewaard.`);
  if (d.totals.inReview) out.push(`${count(d.totals.inReview, 'aanvraag wordt', 'aanvragen worden')} nog beoordeeld; die tellen hier nog niet mee.`);
  return out;
}

export function allocationMarkdown(d: AllocationReportData): string {
  const p = d.process;
  const out: string[] = [];
  const list = (items: string[]) => items.map((x) => `- ${x}`).join('\n');
  out.push(`# Raadsinformatie: verdeling ${roundNameInTitle(p.roundName, MD)}`);
  out.push(
    `*Concept van ${date(d.generatedAt)}, gemaakt uit de gegevens van de ronde ${p.roundId}. Controleer het en vul aan waar "Aanvullen" staat, voordat het naar de raad gaat.*`,
  );
  out.push('## In het kort');
  out.push(list(allocationSummary(d, MD)));
  out.push('## Waarom deze informatie');
  out.push(WHY_ALLOCATION);
  out.push('## Hoe de verdeling ging');
  out.push('### Open voor alle partners');
  out.push(openToAllText(d, MD));
  out.push('### Data');
  out.push(table(datesTable(d)));
  out.push(`### ${criteriaHeading(d)}`);
  out.push(CRITERIA_TEXT);
  out.push(table(criteriaTable(d, MD)));
  const consultation = consultationText(d, MD);
  if (consultation) {
    out.push('### Hoe de uitgangspunten zijn opgesteld');
    out.push(consultation.text);
    if (consultation.changes.length) out.push(list(consultation.changes));
  } else {
    out.push(`> ${CONSULTATION_TODO}`);
  }
  out.push('### Beoordeling');
  out.push(panelText(d));
  out.push(list(fairnessSentences(d, cell)));
  out.push('## Aanvragen in getallen');
  out.push(table(numbersTable(d)));
  const reasons = declineReasonsText(d);
  if (reasons) out.push(reasons);
  out.push('## Toekenningen');
  const awards = awardsTable(d, MD);
  out.push(awards ? table(awards) : NOTHING_AWARDED);
  out.push(SCORE_TEXT);
  out.push('## Verdeling per organisatie');
  out.push(table(organisationsTable(d, MD)));
  out.push('## Verdeling per wijk');
  out.push(table(wijkTable(d, MD)));
  out.push(`![Staafdiagram: toegekend bedrag per wijk](${reportFileName('wijk.png', p.roundId)})`);
  const decisions = decisionsTable(d, MD);
  if (decisions) {
    out.push('## Besluiten');
    out.push(table(decisions));
  }
  out.push('## Openbaar maken (Woo)');
  out.push(wooText(reportFileName('woo.csv', p.roundId)));
  out.push('## Controle');
  out.push(checkText(d, MD));
  return out.join('\n\n') + '\n';
}

export function resultsMarkdown(d: ResultsReportData): string {
  const t = d.totals;
  const out: string[] = [];
  out.push(`# Raadsinformatie: effect en resultaten ${roundNameInTitle(d.roundName, MD)}`);
  out.push(
    `*Concept van ${date(d.generatedAt)}, gemaakt uit de verslagen van de partners in de ronde ${d.roundId}. Controleer het en vul aan waar "Aanvullen" staat, voordat het naar de raad gaat.*`,
  );
  out.push('## In het kort');
  out.push(
    resultsSummary(d, MD)
      .map((x) => `- ${x}`)
      .join('\n'),
  );
  out.push('## Waarom deze informatie');
  out.push(WHY_RESULTS);
  out.push(`> ${RESULTS_TODO}`);
  out.push('## Overzicht');
  const overview = resultsTable(d, MD);
  out.push(overview ? table(overview) : NOTHING_AWARDED);
  const reported = d.rows.filter((r) => r.state === 'submitted');
  if (reported.length) {
    out.push('## Per project');
    for (const r of reported) {
      out.push(`### ${r.reference}: ${cell(r.title)}`);
      out.push(
        `${cell(r.organisation)}, ${cell(r.wijk)}. Toegekend ${euro(r.awarded)}, uitgegeven ${r.spent === undefined ? 'onbekend' : euro(r.spent)}${r.submittedAt ? `. Verslag van ${date(r.submittedAt)}` : ''}.`,
      );
      for (const [label, text] of [
        ['Wat is er gedaan', r.done],
        ['Wie is er bereikt', r.reached],
        ['Wat is er geleerd', r.learned],
        ['Indicatoren', r.indicators],
      ] as const) {
        if (text) out.push(`**${label}**\n\n${para(text)}`);
      }
    }
  }
  if (d.missing.length) {
    out.push('## Nog geen verslag');
    out.push(
      d.missing
        .map((m) => `- ${m.reference}, ${cell(m.organisation)}: ${cell(m.title)} (${euro(m.awarded)})${m.hasDraft ? ', concept opgeslagen' : ''}`)
        .join('\n'),
    );
    out.push('De bot herinnert deze partners aan hun verslag.');
  }
  out.push('## Controle');
  out.push(
    d.checks.length
      ? `Let op: de toegekende bedragen kloppen niet met de besluiten (${d.checks.join(', ')}).`
      : `De toegekende bedragen tellen op tot de besluiten van de accounthouder (samen ${euro(t.totalAwarded)}).`,
  );
  return out.join('\n\n') + '\n';
}
