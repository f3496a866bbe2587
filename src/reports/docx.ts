import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  HeadingLevel,
  ImageRun,
  Packer,
  PageBreak,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { AllocationReportData, ResultsReportData } from '../domain/council-report';
import { formatDate, formatEuro } from '../i18n';
import { chartLayout, chartPng, wijkChartInput } from './chart';
import { CONSULTATION_TODO, fairnessSentences, RESULTS_TODO, WHY_ALLOCATION, WHY_RESULTS } from './markdown';

/**
 * The two council reports as Word documents (.docx), built from the report data (not from the
 * Markdown): a title page with the letter's data, the sections of the Markdown report, real
 * tables, the per-wijk chart as an image, and every place the accounthouder must complete
 * highlighted in yellow ("Aanvullen"). Dutch typography: "€ 12.500", dates in words, language nl-NL.
 */

const euro = (n: number) => formatEuro('nl', n);
const date = (iso: string) => formatDate('nl', iso);
const signed = (n: number) => (n > 0 ? `+${euro(n)}` : n < 0 ? `−${euro(-n)}` : euro(0));
const pct = (share: number) => `${Math.round(share * 100)}%`;
const score = (s: number | undefined) => (s === undefined ? '–' : `${Math.round(s * 100)}%`);
/** Typed text in one line (table cells); empty becomes a dash. */
const line = (text: string) => text.replace(/\s*[\r\n]+\s*/g, ' ').trim() || '–';
const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const lowerRoundName = (name: string) => (name.toLowerCase().startsWith('wijkgericht') ? name.charAt(0).toLowerCase() + name.slice(1) : name);

/** The marker the accounthouder searches for: yellow, bold label. */
const TODO_HIGHLIGHT = 'yellow' as const;
const FONT = 'Arial';
const BORDER = { style: BorderStyle.SINGLE, size: 4, color: '999999' };
const BORDERS = { top: BORDER, bottom: BORDER, left: BORDER, right: BORDER };
const TABLE_BORDERS = { ...BORDERS, insideHorizontal: BORDER, insideVertical: BORDER };

type Block = Paragraph | Table;

const h1 = (text: string) => new Paragraph({ text, heading: HeadingLevel.HEADING_1 });
const h2 = (text: string) => new Paragraph({ text, heading: HeadingLevel.HEADING_2 });
const h3 = (text: string) => new Paragraph({ text, heading: HeadingLevel.HEADING_3 });
const p = (text: string) => new Paragraph({ children: [new TextRun(text)], spacing: { after: 120 } });
const bullets = (items: string[]) => items.map((text) => new Paragraph({ children: [new TextRun(text)], bullet: { level: 0 } }));

/** A place the accounthouder completes: highlighted so it cannot be missed (and found with Ctrl+F "Aanvullen"). */
function todo(text: string): Paragraph {
  const rest = text.replace(/^Aanvullen:\s*/, '');
  return new Paragraph({
    spacing: { before: 120, after: 120 },
    children: [new TextRun({ text: 'Aanvullen: ', bold: true, highlight: TODO_HIGHLIGHT }), new TextRun({ text: rest, highlight: TODO_HIGHLIGHT })],
  });
}

type Align = 'l' | 'r';

/**
 * A table with a repeated header row, thin borders, numbers right-aligned. Borders and cell margins
 * are set once on the table, not per cell: an award table of thousands of rows stays small and
 * quick to write.
 */
function table(header: string[], rows: string[][], align: Align[] = [], totalRow = false): Table {
  const paragraph = (text: string, i: number, bold: boolean) => {
    const right = align[i] === 'r';
    if (!bold) return new Paragraph(right ? { text, alignment: AlignmentType.RIGHT } : { text });
    return new Paragraph({ ...(right ? { alignment: AlignmentType.RIGHT } : {}), children: [new TextRun({ text, bold: true })] });
  };
  const headerCell = (text: string, i: number) =>
    new TableCell({ shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'DCE6F0' }, children: [paragraph(text, i, true)] });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: TABLE_BORDERS,
    margins: { top: 40, bottom: 40, left: 80, right: 80 },
    rows: [
      new TableRow({ tableHeader: true, children: header.map(headerCell) }),
      ...rows.map((r, ri) => {
        const bold = totalRow && ri === rows.length - 1;
        return new TableRow({ children: r.map((c, i) => new TableCell({ children: [paragraph(c, i, bold)] })) });
      }),
    ],
  });
}

/** Space after a table (Word glues the next paragraph to it otherwise). */
const gap = () => new Paragraph({ text: '' });

/** The title page: what a raadsinformatiebrief starts with; the fields staff fill in are highlighted. */
function titlePage(kind: string, subject: string, roundId: string, generatedAt: string, due: string): Block[] {
  const field = (label: string, value: string | undefined) =>
    new TableRow({
      children: [
        new TableCell({
          borders: BORDERS,
          width: { size: 30, type: WidthType.PERCENTAGE },
          children: [new Paragraph({ children: [new TextRun({ text: label, bold: true })] })],
        }),
        new TableCell({
          borders: BORDERS,
          children: [
            new Paragraph({
              children: value === undefined ? [new TextRun({ text: 'Aanvullen', bold: true, highlight: TODO_HIGHLIGHT })] : [new TextRun(value)],
            }),
          ],
        }),
      ],
    });
  return [
    new Paragraph({ children: [new TextRun({ text: 'Gemeente Zwolle', bold: true, size: 28 })], spacing: { after: 480 } }),
    new Paragraph({ children: [new TextRun({ text: 'Raadsinformatiebrief', size: 48, bold: true })], spacing: { after: 240 } }),
    new Paragraph({ children: [new TextRun({ text: kind, size: 32 })], spacing: { after: 480 } }),
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: [
        field('Onderwerp', subject),
        field('Ronde', roundId),
        field('Datum concept', date(generatedAt)),
        field('Raad geïnformeerd uiterlijk', date(due)),
        field('Portefeuillehouder', undefined),
        field('Zaaknummer', undefined),
        field('Contactpersoon', undefined),
      ],
    }),
    new Paragraph({
      spacing: { before: 480 },
      children: [
        new TextRun({
          text: 'Concept, gemaakt door de bot uit de gegevens van de ronde. Controleer het en vul aan waar "Aanvullen" staat, voordat het naar de raad gaat.',
          italics: true,
        }),
      ],
    }),
    new Paragraph({ children: [new PageBreak()] }),
  ];
}

function document(title: string, description: string, children: Block[]): Document {
  return new Document({
    creator: 'Leerbudget (gemeente Zwolle)',
    title,
    description,
    styles: {
      default: {
        document: { run: { font: FONT, size: 22, language: { value: 'nl-NL' } } },
        heading1: { run: { font: FONT, size: 36, bold: true, color: '1F5F8B' }, paragraph: { spacing: { before: 240, after: 160 } } },
        heading2: { run: { font: FONT, size: 28, bold: true, color: '1F5F8B' }, paragraph: { spacing: { before: 240, after: 120 } } },
        heading3: { run: { font: FONT, size: 24, bold: true }, paragraph: { spacing: { before: 160, after: 80 } } },
      },
    },
    sections: [
      {
        properties: { page: { margin: { top: 1134, bottom: 1134, left: 1134, right: 1134 } } },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.RIGHT,
                children: [new TextRun({ children: ['Pagina ', PageNumber.CURRENT, ' van ', PageNumber.TOTAL_PAGES], size: 18, color: '606060' })],
              }),
            ],
          }),
        },
        children,
      },
    ],
  });
}

/** The chart at the width of the text (17 cm at 96 dpi is about 640 px), with its words as alt text. */
function chartImage(data: AllocationReportData): Paragraph {
  const input = wijkChartInput(data);
  const layout = chartLayout(input);
  const width = 640;
  return new Paragraph({
    children: [
      new ImageRun({
        type: 'png',
        data: chartPng(input),
        transformation: { width, height: Math.round((layout.height / layout.width) * width) },
        altText: { name: 'Verdeling per wijk', title: input.title, description: input.description },
      }),
    ],
  });
}

export function allocationDocxDocument(d: AllocationReportData): Document {
  const pr = d.process;
  const t = d.totals;
  const f = d.fairness;
  const title = `Raadsinformatie: verdeling ${lowerRoundName(pr.roundName)}`;
  const out: Block[] = [...titlePage('Verdeling van het leerbudget', pr.roundName, pr.roundId, d.generatedAt, pr.dates.councilAllocationReportDue)];
  out.push(h1(title));
  out.push(h2('In het kort'));
  out.push(
    ...bullets([
      `Het budget is ${euro(pr.budget)}.`,
      `Er is ${euro(d.budget.awarded)} toegekend aan ${t.awarded} ${t.awarded === 1 ? 'aanvraag' : 'aanvragen'}${t.partial ? ` (${t.partial} gedeeltelijk)` : ''}.`,
      `Er is ${euro(d.budget.remaining)} over.`,
      `Er kwamen ${t.received} aanvragen binnen. ${t.withdrawn} ${t.withdrawn === 1 ? 'is' : 'zijn'} ingetrokken, ${t.declined} afgewezen${t.undecided ? `, over ${t.undecided} is nog geen besluit` : ''}.`,
      `Het geld ging naar ${d.byOrganisation.length} ${d.byOrganisation.length === 1 ? 'organisatie' : 'organisaties'} en ${d.byWijk.filter((w) => w.amount > 0).length} van de ${d.byWijk.length} wijken (stadsbreed telt als één).`,
    ]),
  );
  out.push(h2('Waarom deze informatie'), p(WHY_ALLOCATION));
  out.push(h2('Hoe de verdeling ging'), h3('Open voor alle partners'));
  out.push(
    p(
      `Elke partner uit de sociale basis kon in Teams een aanvraag doen; de bot vroeg alleen of de aanvrager partner is, in de gemeente werkt en een collectief antwoord zoekt. ${count(f.organisations, 'organisatie', 'organisaties')} ${f.organisations === 1 ? 'diende' : 'dienden'} samen ${count(t.received, 'aanvraag', 'aanvragen')} in. Een aanvraag mocht om ten hoogste ${euro(pr.maxPerApplication)} vragen. Aanvragen konden gaan over één wijk of over de hele stad (stadsbreed).`,
    ),
  );
  out.push(h3('Data'));
  out.push(
    table(
      ['Wat', 'Datum'],
      [
        ['Open voor aanvragen', date(pr.dates.opensAt)],
        ['Aanvragen indienen tot', date(pr.dates.submissionDeadline)],
        ['Beoordeling klaar', date(pr.dates.reviewDeadline)],
        ...d.decisions.map((x, i) => [d.decisions.length > 1 ? `Besluit ${i + 1} van de accounthouder` : 'Besluit van de accounthouder', date(x.approvedAt)]),
        ['Raad geïnformeerd over de verdeling', `uiterlijk ${date(pr.dates.councilAllocationReportDue)}`],
        ['Raad geïnformeerd over effect en resultaten', `uiterlijk ${date(pr.dates.councilResultsReportDue)}`],
      ],
    ),
    gap(),
  );
  out.push(h3(`Uitgangspunten (versie ${pr.criteria.version}${pr.criteria.frozenAt ? `, vastgezet op ${date(pr.criteria.frozenAt)}` : ''})`));
  out.push(
    p(
      'Elke aanvraag is beoordeeld op dezelfde uitgangspunten. Ze stonden vast vanaf de eerste ingediende aanvraag. Een uitgangspunt met een minimum is een voorwaarde: scoort een aanvraag daar gemiddeld lager, dan valt die af.',
    ),
    table(
      ['Uitgangspunt', 'Weging', 'Schaal', 'Minimum'],
      pr.criteria.items.map((c) => [
        line(c.title),
        String(c.weight).replace('.', ','),
        `${c.scaleMin} tot ${c.scaleMax}`,
        c.minimum === undefined ? '–' : String(c.minimum),
      ]),
      ['l', 'r', 'l', 'r'],
    ),
    gap(),
  );
  const c = pr.consultation;
  if (c?.publishedAt && c.participation) {
    const roles = (x: Record<string, number>) =>
      `${count(x.partner ?? 0, 'partner', 'partners')}, ${count(x.ervaringsdeskundige ?? 0, 'ervaringsdeskundige', 'ervaringsdeskundigen')}, ${count(x.gemeente ?? 0, 'medewerker', 'medewerkers')} van de gemeente en ${count(x.onbekend ?? 0, 'persoon', 'personen')} van wie de rol niet bekend is`;
    const titleOf = (id: string) => pr.criteria.items.find((i) => i.id === id)?.title ?? id;
    out.push(h3('Hoe de uitgangspunten zijn opgesteld'));
    out.push(
      p(
        `De uitgangspunten zijn opgesteld met partners en ervaringsdeskundigen, zoals de raad vroeg. Van ${date(c.startedAt)} tot ${date(c.closesAt)} konden zij in Teams op een concept reageren: instemmen, een wijziging voorstellen of een nieuw uitgangspunt voorstellen. ` +
          `Persoonlijk uitgenodigd: ${roles(c.participation.invited)}${c.channelInvited ? ', en iedereen in het beoordelingskanaal' : ''}. ` +
          `Gereageerd: ${roles(c.participation.responded)}. ` +
          `Er kwamen ${c.participation.proposals} voorstellen; ${c.participation.accepted} zijn overgenomen en ${c.participation.rejected} niet. ` +
          `Op ${date(c.publishedAt)} zijn de uitgangspunten vastgesteld als versie ${c.publishedVersion ?? pr.criteria.version}.`,
      ),
    );
    out.push(...bullets(c.changes.map((ch) => `${ch.kind === 'added' ? 'Nieuw' : 'Gewijzigd'}: ${line(titleOf(ch.criterionId))}`)));
  } else {
    out.push(todo(CONSULTATION_TODO));
  }
  out.push(h3('Beoordeling'));
  const roleWords = {
    gemeente: ['medewerker van de gemeente', 'medewerkers van de gemeente'],
    partner: ['partner uit de sociale basis', 'partners uit de sociale basis'],
    ervaringsdeskundige: ['ervaringsdeskundige', 'ervaringsdeskundigen'],
  } as const;
  const roles = (Object.keys(roleWords) as (keyof typeof roleWords)[])
    .filter((r) => pr.panel.byRole[r] > 0)
    .map((r) => `${pr.panel.byRole[r]} ${roleWords[r][pr.panel.byRole[r] === 1 ? 0 : 1]}`);
  out.push(
    p(
      `De Wmo-accounthouder van de gemeente heeft de aanvragen beoordeeld samen met een panel van ${pr.panel.total} ${pr.panel.total === 1 ? 'lid' : 'leden'}${roles.length ? `: ${roles.join(', ')}` : ''}. Een uitslag telde pas met ten minste ${pr.quorum} ${pr.quorum === 1 ? 'beoordeling' : 'beoordelingen'}.`,
    ),
    ...bullets(fairnessSentences(d)),
  );
  out.push(h2('Aanvragen in getallen'));
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
    gap(),
  );
  const r = d.declineReasons;
  if (t.declined > 0) {
    const reasons = [
      r.knockout ? `${r.knockout} onder het minimum van een uitgangspunt` : '',
      r.unscored ? `${r.unscored} zonder uitslag van het panel` : '',
      r.budget ? `${r.budget} omdat het budget op was` : '',
      r.byAccounthouder ? `${r.byAccounthouder} door de accounthouder` : '',
    ].filter(Boolean);
    out.push(p(`Redenen van afwijzing: ${reasons.join(', ')}.`));
  }
  out.push(h2('Toekenningen'));
  out.push(
    d.awards.length
      ? table(
          ['Kenmerk', 'Organisatie', 'Wijk', 'Titel', 'Gevraagd', 'Toegekend', 'Score'],
          [
            ...d.awards.map((a) => [
              a.reference,
              line(a.organisation),
              line(a.wijk),
              line(a.title),
              euro(a.requested),
              euro(a.awarded) + (a.outcome === 'partial' ? ' (deels)' : ''),
              score(a.score),
            ]),
            ['Totaal', '', '', '', euro(t.requestedByAwarded), euro(d.budget.awarded), ''],
          ],
          ['l', 'l', 'l', 'l', 'r', 'r', 'r'],
          true,
        )
      : p('Er is (nog) niets toegekend.'),
  );
  out.push(p('De score is het gewogen gemiddelde van het panel over alle uitgangspunten, als percentage van de hoogste score.'));
  out.push(h2('Verdeling per organisatie'));
  out.push(
    table(
      ['Organisatie', 'Aantal', 'Bedrag', 'Deel van toegekend', 'Deel van budget'],
      d.byOrganisation.map((o) => [line(o.name), String(o.awards), euro(o.amount), pct(o.shareOfAwarded), pct(o.shareOfBudget)]),
      ['l', 'r', 'r', 'r', 'r'],
    ),
    gap(),
  );
  out.push(h2('Verdeling per wijk'));
  out.push(
    table(
      ['Wijk', 'Aantal', 'Bedrag', 'Deel van toegekend'],
      d.byWijk.map((w) => [line(w.name), String(w.awards), euro(w.amount), pct(w.shareOfAwarded)]),
      ['l', 'r', 'r', 'r'],
    ),
    gap(),
    chartImage(d),
  );
  if (d.decisions.length) {
    out.push(h2('Besluiten'));
    out.push(
      table(
        ['Datum', 'Toegekend', 'Afgewezen', 'Bedrag', 'Panel eens', 'Panel oneens'],
        d.decisions.map((x) => [date(x.approvedAt), String(x.awarded), String(x.declined), euro(x.total), String(x.panelAgree), String(x.panelDisagree)]),
        ['l', 'r', 'r', 'r', 'r', 'r'],
      ),
      gap(),
    );
  }
  out.push(h2('Openbaar maken (Woo)'));
  out.push(
    p(
      `Het bestand woo-toekenningen-${pr.roundId}.csv is bedoeld om te publiceren. Het bevat per toekenning: ronde, kenmerk, organisatie, wijk, toegekend en gevraagd bedrag, uitkomst, score en besluitdatum. Er staan geen namen van mensen, e-mailadressen, telefoonnummers of gebruikers-id's in. De titels van aanvragen staan er ook niet in: die typt de aanvrager zelf en ze kunnen een naam bevatten. Controleer vóór publicatie of een organisatienaam de naam van een persoon is (bijvoorbeeld een eenmanszaak).`,
    ),
  );
  out.push(h2('Controle'));
  out.push(
    p(
      d.checks.length
        ? `Let op: de gegevens kloppen niet op alle punten met elkaar (${d.checks.join(', ')}). Vraag de beheerder om dit na te kijken voordat dit stuk naar de raad gaat.`
        : `De bedragen in dit stuk tellen op tot de besluiten van de accounthouder (samen ${euro(d.budget.awarded)}) en tot wat het budgetregister als uitgegeven noteert.`,
    ),
  );
  return document(title, `Concept raadsinformatiebrief, ronde ${pr.roundId}`, out);
}

const STATE_WORDS = { submitted: 'ingediend', draft: 'nog niet (concept opgeslagen)', missing: 'nog niet' } as const;

export function resultsDocxDocument(d: ResultsReportData): Document {
  const t = d.totals;
  const title = `Raadsinformatie: effect en resultaten ${lowerRoundName(d.roundName)}`;
  const out: Block[] = [...titlePage('Effect en resultaten van het leerbudget', d.roundName, d.roundId, d.generatedAt, d.due)];
  out.push(h1(title));
  out.push(h2('In het kort'));
  out.push(
    ...bullets([
      `${t.awards} ${t.awards === 1 ? 'project kreeg' : 'projecten kregen'} samen ${euro(t.totalAwarded)}.`,
      `${t.reported} van de ${t.awards} partners ${t.reported === 1 ? 'heeft' : 'hebben'} een verslag ingediend. ${t.missing ? `${t.missing} nog niet.` : 'Alle verslagen zijn binnen.'}`,
      ...(t.reported ? [`Wie een verslag indiende, kreeg samen ${euro(t.awardedReported)} en gaf ${euro(t.spentReported)} uit.`] : []),
      `De raad wil dit uiterlijk ${date(d.due)} weten.`,
    ]),
  );
  out.push(h2('Waarom deze informatie'), p(WHY_RESULTS), todo(RESULTS_TODO));
  out.push(h2('Overzicht'));
  out.push(
    d.rows.length
      ? table(
          ['Kenmerk', 'Organisatie', 'Wijk', 'Toegekend', 'Uitgegeven', 'Verschil', 'Verslag'],
          [
            ...d.rows.map((r) => [
              r.reference,
              line(r.organisation),
              line(r.wijk),
              euro(r.awarded),
              r.spent === undefined ? '–' : euro(r.spent),
              r.difference === undefined ? '–' : signed(r.difference),
              STATE_WORDS[r.state],
            ]),
            ['Totaal', '', '', euro(t.totalAwarded), euro(t.spentReported), '', `${t.reported} van ${t.awards}`],
          ],
          ['l', 'l', 'l', 'r', 'r', 'r', 'l'],
          true,
        )
      : p('Er is (nog) niets toegekend.'),
  );
  const reported = d.rows.filter((r) => r.state === 'submitted');
  if (reported.length) {
    out.push(h2('Per project'));
    for (const r of reported) {
      out.push(h3(`${r.reference}: ${line(r.title)}`));
      out.push(
        p(
          `${line(r.organisation)}, ${line(r.wijk)}. Toegekend ${euro(r.awarded)}, uitgegeven ${r.spent === undefined ? 'onbekend' : euro(r.spent)}${r.submittedAt ? `. Verslag van ${date(r.submittedAt)}` : ''}.`,
        ),
      );
      for (const [label, text] of [
        ['Wat is er gedaan', r.done],
        ['Wie is er bereikt', r.reached],
        ['Wat is er geleerd', r.learned],
        ['Indicatoren', r.indicators],
      ] as const) {
        if (!text) continue;
        out.push(new Paragraph({ children: [new TextRun({ text: label, bold: true })], spacing: { before: 120 } }));
        // The partner's paragraphs stay paragraphs.
        for (const para of text.replace(/\r\n?/g, '\n').split(/\n{2,}/)) {
          if (para.trim())
            out.push(
              new Paragraph({
                children: para
                  .trim()
                  .split('\n')
                  .flatMap((l, i) => [new TextRun({ text: l, break: i > 0 ? 1 : 0 })]),
                spacing: { after: 120 },
              }),
            );
        }
      }
    }
  }
  if (d.missing.length) {
    out.push(h2('Nog geen verslag'));
    out.push(
      ...bullets(
        d.missing.map((m) => `${m.reference}, ${line(m.organisation)}: ${line(m.title)} (${euro(m.awarded)})${m.hasDraft ? ', concept opgeslagen' : ''}`),
      ),
    );
    out.push(p('De bot herinnert deze partners aan hun verslag.'));
  }
  out.push(h2('Controle'));
  out.push(
    p(
      d.checks.length
        ? `Let op: de toegekende bedragen kloppen niet met de besluiten (${d.checks.join(', ')}).`
        : `De toegekende bedragen tellen op tot de besluiten van de accounthouder (samen ${euro(t.totalAwarded)}).`,
    ),
  );
  return document(title, `Concept raadsinformatiebrief, ronde ${d.roundId}`, out);
}

export const allocationDocx = (d: AllocationReportData): Promise<Buffer> => Packer.toBuffer(allocationDocxDocument(d));
export const resultsDocx = (d: ResultsReportData): Promise<Buffer> => Packer.toBuffer(resultsDocxDocument(d));
