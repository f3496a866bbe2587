import type { AllocationReportData, ResultsReportData } from '../domain/council-report';
import { formatDate, formatEuro, plural } from '../i18n';
import { reportFileName } from './file-names';

/**
 * The two council reports as Markdown documents, in Dutch (plain B1): the bot's draft, which the
 * accounthouder checks and completes where it says "Aanvullen" before it goes to the council.
 */

const euro = (n: number) => formatEuro('nl', n).replace(/[\u00a0\u202f]/g, ' ');
const date = (iso: string) => formatDate('nl', iso);
const signed = (n: number) => (n > 0 ? `+${euro(n)}` : n < 0 ? `−${euro(-n)}` : euro(0));
const pct = (share: number) => `${Math.round(share * 100)}%`;
const score = (s: number | undefined) => (s === undefined ? '–' : `${Math.round(s * 100)}%`);

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

function table(header: string[], rows: string[][], align: ('l' | 'r')[] = []): string {
  const sep = header.map((_, i) => (align[i] === 'r' ? '---:' : '---'));
  return [header, sep, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

/** Why the council gets each report (the motion), the same in every format. */
export const WHY_ALLOCATION =
  'De gemeenteraad nam op 6 mei 2025 de motie "Wendbaar leerbudget op wijkniveau van zorg naar welzijn" aan. De raad vroeg het college om het wijkgericht leerbudget niet bij één vooraf gekozen partner te beleggen, om aanvragen te beoordelen op inhoudelijke uitgangspunten, en om de raad vóór de zomer te vertellen hoe het budget is verdeeld. Dit stuk geeft die informatie.';
export const WHY_RESULTS =
  'In de motie van 6 mei 2025 vroeg de raad om aan het eind van het jaar te horen wat het inhoudelijke effect en de resultaten zijn van het leerbudget in de sociale basis. Dit stuk geeft per project wat de partner heeft gemeld.';
/** What the accounthouder still has to write, in the results report. */
export const RESULTS_TODO = 'Aanvullen: wat de projecten samen betekenen voor vragen die nu naar specialistische jeugdhulp gaan.';
export const CONSULTATION_TODO = 'Aanvullen: hoe de uitgangspunten zijn opgesteld met partners en ervaringsdeskundigen (wie is uitgenodigd, hoe, wanneer).';

const ROLE_WORDS = {
  gemeente: ['medewerker van de gemeente', 'medewerkers van de gemeente'],
  partner: ['partner uit de sociale basis', 'partners uit de sociale basis'],
  ervaringsdeskundige: ['ervaringsdeskundige', 'ervaringsdeskundigen'],
} as const;

const count = (n: number, one: string, many: string) => plural('nl', n, { one: `{n} ${one}`, other: `{n} ${many}` });

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
  const t = d.totals;
  const out: string[] = [];
  out.push(
    `# Raadsinformatie: verdeling ${p.roundName.toLowerCase().startsWith('wijkgericht') ? p.roundName.charAt(0).toLowerCase() + p.roundName.slice(1) : esc(p.roundName)}`,
  );
  out.push(
    `*Concept van ${date(d.generatedAt)}, gemaakt uit de gegevens van de ronde ${p.roundId}. Controleer het en vul aan waar "Aanvullen" staat, voordat het naar de raad gaat.*`,
  );
  out.push('## In het kort');
  out.push(
    [
      `- Het budget is ${euro(p.budget)}.`,
      `- Er is ${euro(d.budget.awarded)} toegekend aan ${t.awarded} ${t.awarded === 1 ? 'aanvraag' : 'aanvragen'}${t.partial ? ` (${t.partial} gedeeltelijk)` : ''}.`,
      `- Er is ${euro(d.budget.remaining)} over.`,
      `- Er ${t.received === 1 ? 'kwam' : 'kwamen'} ${count(t.received, 'aanvraag', 'aanvragen')} binnen. ${t.withdrawn} ${t.withdrawn === 1 ? 'is' : 'zijn'} ingetrokken, ${t.declined} afgewezen${t.undecided ? `, over ${t.undecided} is nog geen besluit` : ''}.`,
      `- Het geld ging naar ${d.byOrganisation.length} ${d.byOrganisation.length === 1 ? 'organisatie' : 'organisaties'} en ${d.byWijk.filter((w) => w.amount > 0).length} van de ${d.byWijk.length} wijken (stadsbreed telt als één).`,
    ].join('\n'),
  );
  out.push('## Waarom deze informatie');
  out.push(WHY_ALLOCATION);
  out.push('## Hoe de verdeling ging');
  out.push('### Open voor alle partners');
  const f = d.fairness;
  out.push(
    `Elke partner uit de sociale basis kon in Teams een aanvraag doen; de bot vroeg alleen of de aanvrager partner is, in de gemeente werkt en een collectief antwoord zoekt. ${count(f.organisations, 'organisatie', 'organisaties')} ${f.organisations === 1 ? 'diende' : 'dienden'} samen ${count(t.received, 'aanvraag', 'aanvragen')} in. Een aanvraag mocht om ten hoogste ${euro(p.maxPerApplication)} vragen. Aanvragen konden gaan over één wijk of over de hele stad (stadsbreed).`,
  );
  out.push('### Data');
  out.push(
    table(
      ['Wat', 'Datum'],
      // In the order they fall: a decision taken as soon as the reviews it covers were done comes before the deadlines still ahead.
      (
        [
          ['Open voor aanvragen', p.dates.opensAt, ''],
          ['Aanvragen indienen tot', p.dates.submissionDeadline, ''],
          ['Beoordeling klaar', p.dates.reviewDeadline, 'uiterlijk '],
          ...d.decisions.map((x, i) => [d.decisions.length > 1 ? `Besluit ${i + 1} van de accounthouder` : 'Besluit van de accounthouder', x.approvedAt, '']),
          ['Raad geïnformeerd over de verdeling', p.dates.councilAllocationReportDue, 'uiterlijk '],
          ['Raad geïnformeerd over effect en resultaten', p.dates.councilResultsReportDue, 'uiterlijk '],
        ] as [string, string, string][]
      )
        .map((row, i) => ({ row, i }))
        .sort((a, b) => a.row[1].localeCompare(b.row[1]) || a.i - b.i)
        .map(({ row: [what, at, prefix] }) => [what, `${prefix}${date(at)}`]),
    ),
  );
  out.push(`### Uitgangspunten (versie ${p.criteria.version}${p.criteria.frozenAt ? `, vastgezet op ${date(p.criteria.frozenAt)}` : ''})`);
  out.push(
    'Elke aanvraag is beoordeeld op dezelfde uitgangspunten. Ze stonden vast vanaf de eerste ingediende aanvraag. Een uitgangspunt met een minimum is een voorwaarde: scoort een aanvraag daar gemiddeld lager, dan valt die af.',
  );
  out.push(
    table(
      ['Uitgangspunt', 'Weging', 'Schaal', 'Minimum'],
      p.criteria.items.map((c) => [
        cell(c.title),
        String(c.weight).replace('.', ','),
        `${c.scaleMin} tot ${c.scaleMax}`,
        c.minimum === undefined ? '–' : String(c.minimum),
      ]),
      ['l', 'r', 'l', 'r'],
    ),
  );
  const c = p.consultation;
  if (c?.publishedAt && c.participation) {
    // Counted by the role the store knows them in; people the bot could not place are counted apart, never dropped.
    const roles = (x: Record<string, number>) =>
      `${count(x.partner ?? 0, 'partner', 'partners')}, ${count(x.ervaringsdeskundige ?? 0, 'ervaringsdeskundige', 'ervaringsdeskundigen')}, ${count(x.gemeente ?? 0, 'medewerker', 'medewerkers')} van de gemeente en ${count(x.onbekend ?? 0, 'persoon', 'personen')} van wie de rol niet bekend is`;
    const title = (id: string) => p.criteria.items.find((i) => i.id === id)?.title ?? id;
    out.push('### Hoe de uitgangspunten zijn opgesteld');
    out.push(
      `De uitgangspunten zijn opgesteld met partners en ervaringsdeskundigen, zoals de raad vroeg. Van ${date(c.startedAt)} tot ${date(c.closesAt)} konden zij in Teams op een concept reageren: instemmen, een wijziging voorstellen of een nieuw uitgangspunt voorstellen. ` +
        `Persoonlijk uitgenodigd: ${roles(c.participation.invited)}${c.channelInvited ? ', en iedereen in het beoordelingskanaal' : ''}. ` +
        `Gereageerd: ${roles(c.participation.responded)}. ` +
        `Er ${c.participation.proposals === 1 ? 'kwam' : 'kwamen'} ${count(c.participation.proposals, 'voorstel', 'voorstellen')}; ${c.participation.accepted} ${c.participation.accepted === 1 ? 'is' : 'zijn'} overgenomen en ${c.participation.rejected} niet. ` +
        `Op ${date(c.publishedAt)} zijn de uitgangspunten vastgesteld als versie ${c.publishedVersion ?? p.criteria.version}.`,
    );
    if (c.changes.length) out.push(c.changes.map((ch) => `- ${ch.kind === 'added' ? 'Nieuw' : 'Gewijzigd'}: ${cell(title(ch.criterionId))}`).join('\n'));
  } else {
    out.push(`> ${CONSULTATION_TODO}`);
  }
  out.push('### Beoordeling');
  const roles = (Object.keys(ROLE_WORDS) as (keyof typeof ROLE_WORDS)[])
    .filter((r) => p.panel.byRole[r] > 0)
    .map((r) => `${p.panel.byRole[r]} ${ROLE_WORDS[r][p.panel.byRole[r] === 1 ? 0 : 1]}`);
  out.push(
    `De Wmo-accounthouder van de gemeente heeft de aanvragen beoordeeld samen met een panel van ${p.panel.total} ${p.panel.total === 1 ? 'lid' : 'leden'}${roles.length ? `: ${roles.join(', ')}` : ''}. Een uitslag telde pas met ten minste ${p.quorum} ${p.quorum === 1 ? 'beoordeling' : 'beoordelingen'}.`,
  );
  out.push(
    fairnessSentences(d, cell)
      .map((x) => `- ${x}`)
      .join('\n'),
  );
  out.push('## Aanvragen in getallen');
  out.push(
    table(
      ['', 'Aantal'],
      [
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
      ['l', 'r'],
    ),
  );
  const r = d.declineReasons;
  if (t.declined > 0) {
    const reasons = [
      r.knockout ? `${r.knockout} onder het minimum van een uitgangspunt` : '',
      r.unscored ? `${r.unscored} zonder uitslag van het panel` : '',
      r.budget ? `${r.budget} omdat het budget op was` : '',
      r.byAccounthouder ? `${r.byAccounthouder} door de accounthouder` : '',
    ].filter(Boolean);
    out.push(`Redenen van afwijzing: ${reasons.join(', ')}.`);
  }
  out.push('## Toekenningen');
  out.push(
    d.awards.length
      ? table(
          ['Kenmerk', 'Organisatie', 'Wijk', 'Titel', 'Gevraagd', 'Toegekend', 'Score'],
          [
            ...d.awards.map((a) => [
              a.reference,
              cell(a.organisation),
              cell(a.wijk),
              cell(a.title),
              euro(a.requested),
              euro(a.awarded) + (a.outcome === 'partial' ? ' (deels)' : ''),
              score(a.score),
            ]),
            ['**Totaal**', '', '', '', euro(t.requestedByAwarded), `**${euro(d.budget.awarded)}**`, ''],
          ],
          ['l', 'l', 'l', 'l', 'r', 'r', 'r'],
        )
      : 'Er is (nog) niets toegekend.',
  );
  out.push('De score is het gewogen gemiddelde van het panel over alle uitgangspunten, als percentage van de hoogste score.');
  out.push('## Verdeling per organisatie');
  out.push(
    table(
      ['Organisatie', 'Aantal', 'Bedrag', 'Deel van toegekend', 'Deel van budget'],
      d.byOrganisation.map((o) => [cell(o.name), String(o.awards), euro(o.amount), pct(o.shareOfAwarded), pct(o.shareOfBudget)]),
      ['l', 'r', 'r', 'r', 'r'],
    ),
  );
  out.push('## Verdeling per wijk');
  out.push(
    table(
      ['Wijk', 'Aantal', 'Bedrag', 'Deel van toegekend'],
      d.byWijk.map((w) => [cell(w.name), String(w.awards), euro(w.amount), pct(w.shareOfAwarded)]),
      ['l', 'r', 'r', 'r'],
    ),
  );
  out.push(`![Staafdiagram: toegekend bedrag per wijk](${reportFileName('wijk.png', p.roundId)})`);
  if (d.decisions.length) {
    out.push('## Besluiten');
    out.push(
      table(
        ['Datum', 'Toegekend', 'Afgewezen', 'Bedrag', 'Panel eens', 'Panel oneens'],
        d.decisions.map((x) => [date(x.approvedAt), String(x.awarded), String(x.declined), euro(x.total), String(x.panelAgree), String(x.panelDisagree)]),
        ['l', 'r', 'r', 'r', 'r', 'r'],
      ),
    );
  }
  out.push('## Openbaar maken (Woo)');
  out.push(
    `Het bestand ${reportFileName('woo.csv', p.roundId)} is bedoeld om te publiceren. Het bevat per toekenning: ronde, kenmerk, organisatie, wijk, toegekend en gevraagd bedrag, uitkomst, score en besluitdatum. Er staan geen namen van mensen, e-mailadressen, telefoonnummers of gebruikers-id's in. De titels van aanvragen staan er ook niet in: die typt de aanvrager zelf en ze kunnen een naam bevatten. Controleer vóór publicatie of een organisatienaam de naam van een persoon is (bijvoorbeeld een eenmanszaak).`,
  );
  out.push('## Controle');
  out.push(
    d.checks.length
      ? `Let op: de gegevens kloppen niet op alle punten met elkaar (${d.checks.join(', ')}). Vraag de beheerder om dit na te kijken voordat dit stuk naar de raad gaat.`
      : `De bedragen in dit stuk tellen op tot de besluiten van de accounthouder (samen ${euro(d.budget.awarded)}) en tot wat het budgetregister als uitgegeven noteert.`,
  );
  return out.join('\n\n') + '\n';
}

const STATE_WORDS = { submitted: 'ingediend', draft: 'nog niet (concept opgeslagen)', missing: 'nog niet' } as const;

export function resultsMarkdown(d: ResultsReportData): string {
  const t = d.totals;
  const out: string[] = [];
  const name = d.roundName.toLowerCase().startsWith('wijkgericht') ? d.roundName.charAt(0).toLowerCase() + d.roundName.slice(1) : esc(d.roundName);
  out.push(`# Raadsinformatie: effect en resultaten ${name}`);
  out.push(
    `*Concept van ${date(d.generatedAt)}, gemaakt uit de verslagen van de partners in de ronde ${d.roundId}. Controleer het en vul aan waar "Aanvullen" staat, voordat het naar de raad gaat.*`,
  );
  out.push('## In het kort');
  out.push(
    [
      `- ${t.awards} ${t.awards === 1 ? 'project kreeg' : 'projecten kregen'} samen ${euro(t.totalAwarded)}.`,
      `- ${t.reported} van de ${count(t.awards, 'partner', 'partners')} ${t.reported === 1 ? 'heeft' : 'hebben'} een verslag ingediend. ${t.missing ? `${t.missing} nog niet.` : 'Alle verslagen zijn binnen.'}`,
      ...(t.reported ? [`- Wie een verslag indiende, kreeg samen ${euro(t.awardedReported)} en gaf ${euro(t.spentReported)} uit.`] : []),
      `- De raad wil dit uiterlijk ${date(d.due)} weten.`,
    ].join('\n'),
  );
  out.push('## Waarom deze informatie');
  out.push(WHY_RESULTS);
  out.push(`> ${RESULTS_TODO}`);
  out.push('## Overzicht');
  out.push(
    d.rows.length
      ? table(
          ['Kenmerk', 'Organisatie', 'Wijk', 'Toegekend', 'Uitgegeven', 'Verschil', 'Verslag'],
          [
            ...d.rows.map((r) => [
              r.reference,
              cell(r.organisation),
              cell(r.wijk),
              euro(r.awarded),
              r.spent === undefined ? '–' : euro(r.spent),
              r.difference === undefined ? '–' : signed(r.difference),
              STATE_WORDS[r.state],
            ]),
            ['**Totaal**', '', '', euro(t.totalAwarded), euro(t.spentReported), '', `${t.reported} van ${t.awards}`],
          ],
          ['l', 'l', 'l', 'r', 'r', 'r', 'l'],
        )
      : 'Er is (nog) niets toegekend.',
  );
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
