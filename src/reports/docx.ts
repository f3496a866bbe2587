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
import { formatEuro } from '../i18n';
import {
  allocationSummary,
  awardsTable,
  checkText,
  consultationText,
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
import { chartLayout, chartPng, wijkChartInput } from './chart';
import { CONSULTATION_TODO, fairnessSentences, RESULTS_TODO, WHY_ALLOCATION, WHY_RESULTS } from './markdown';

/**
 * The two council reports as Word documents (.docx), built from the report data (not from the
 * Markdown): a title page with the letter's data, the sections of the Markdown report, real
 * tables, the per-wijk chart as an image, and every place the accounthouder must complete
 * highlighted in yellow ("Aanvullen"). Dutch typography: "€ 12.500", dates in words, language nl-NL.
 */

const euro = (n: number) => formatEuro('nl', n);
/** Typed text in one line (table cells); empty becomes a dash. */
const line = (text: string) => text.replace(/\s*[\r\n]+\s*/g, ' ').trim() || '–';
/** How the Word document writes typed text (as it is, on one line) and euros. */
const WORD: Style = { text: line, euro };

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

/**
 * A table with a repeated header row, thin borders, numbers right-aligned. Borders and cell margins
 * are set once on the table, not per cell: an award table of thousands of rows stays small and
 * quick to write.
 */
function table({ header, rows, align, total }: TableSpec): Table {
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
        const bold = Boolean(total) && ri === rows.length - 1;
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
  const title = `Raadsinformatie: verdeling ${roundNameInTitle(pr.roundName, WORD)}`;
  const out: Block[] = [...titlePage('Verdeling van het leerbudget', pr.roundName, pr.roundId, d.generatedAt, pr.dates.councilAllocationReportDue)];
  out.push(h1(title));
  out.push(h2('In het kort'), ...bullets(allocationSummary(d, WORD)));
  out.push(h2('Waarom deze informatie'), p(WHY_ALLOCATION));
  out.push(h2('Hoe de verdeling ging'), h3('Open voor alle partners'), p(openToAllText(d, WORD)));
  out.push(h3('Data'), table(datesTable(d)), gap());
  out.push(h3(criteriaHeading(d)), p(CRITERIA_TEXT), table(criteriaTable(d, WORD)), gap());
  const consultation = consultationText(d, WORD);
  if (consultation) out.push(h3('Hoe de uitgangspunten zijn opgesteld'), p(consultation.text), ...bullets(consultation.changes));
  else out.push(todo(CONSULTATION_TODO));
  out.push(h3('Beoordeling'), p(panelText(d)), ...bullets(fairnessSentences(d)));
  out.push(h2('Aanvragen in getallen'), table(numbersTable(d)), gap());
  const reasons = declineReasonsText(d);
  if (reasons) out.push(p(reasons));
  const awards = awardsTable(d, WORD);
  out.push(h2('Toekenningen'), awards ? table(awards) : p(NOTHING_AWARDED), p(SCORE_TEXT));
  out.push(h2('Verdeling per organisatie'), table(organisationsTable(d, WORD)), gap());
  out.push(h2('Verdeling per wijk'), table(wijkTable(d, WORD)), gap(), chartImage(d));
  const decisions = decisionsTable(d, WORD);
  if (decisions) out.push(h2('Besluiten'), table(decisions), gap());
  out.push(h2('Openbaar maken (Woo)'), p(wooText(reportFileName('woo.csv', pr.roundId))));
  out.push(h2('Controle'), p(checkText(d, WORD)));
  return document(title, `Concept raadsinformatiebrief, ronde ${pr.roundId}`, out);
}

export function resultsDocxDocument(d: ResultsReportData): Document {
  const t = d.totals;
  const title = `Raadsinformatie: effect en resultaten ${roundNameInTitle(d.roundName, WORD)}`;
  const out: Block[] = [...titlePage('Effect en resultaten van het leerbudget', d.roundName, d.roundId, d.generatedAt, d.due)];
  out.push(h1(title));
  out.push(h2('In het kort'), ...bullets(resultsSummary(d, WORD)));
  out.push(h2('Waarom deze informatie'), p(WHY_RESULTS), todo(RESULTS_TODO));
  const overview = resultsTable(d, WORD);
  out.push(h2('Overzicht'), overview ? table(overview) : p(NOTHING_AWARDED));
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
