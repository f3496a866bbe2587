import type { AllocationReportData } from '../domain/council-report';
import { formatEuro } from '../i18n';
import { advance, GLYPH_HEIGHT, textWidth } from './font';
import { Raster, Rgb } from './png';

/** A horizontal bar chart: one bar per label, lengths proportional to the amounts. */
export interface ChartInput {
  title: string;
  subtitle: string;
  bars: { label: string; amount: number; share: number }[];
  footer: string;
  /** Said in words for screen readers (SVG <desc>, card altText). */
  description: string;
}

const SCALE = 2;
const WIDTH = 880;
const PAD = 16;
const ROW = 30;
const BAR = 20;
const TOP = 84;
const MAX_LABEL = 24;
const INK: Rgb = [34, 34, 34];
const SUBTLE: Rgb = [96, 96, 96];
const BAR_COLOUR: Rgb = [31, 95, 139];
const AXIS: Rgb = [150, 150, 150];
const hex = (c: Rgb) => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
const plainSpaces = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
const clip = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 2)}..`);
const percent = (share: number) => `${Math.round(share * 100)}%`;

export interface BarLayout {
  label: string;
  value: string;
  amount: number;
  /** Top of the bar, its left edge and its length in pixels. */
  y: number;
  x: number;
  length: number;
}

export interface ChartLayout {
  width: number;
  height: number;
  title: string;
  subtitle: string;
  footer: string;
  description: string;
  labelRight: number;
  barLeft: number;
  barMax: number;
  bars: BarLayout[];
  footerY: number;
}

/** Where everything goes, shared by the PNG and the SVG so both show the same chart. */
export function chartLayout(input: ChartInput): ChartLayout {
  const maxChars = Math.floor((WIDTH - 2 * PAD + SCALE) / advance(SCALE));
  const labels = input.bars.map((b) => clip(b.label, MAX_LABEL));
  const labelRight = PAD + Math.max(0, ...labels.map((l) => textWidth(l, SCALE)));
  const barLeft = labelRight + 12;
  const values = input.bars.map((b) => plainSpaces(`${formatEuro('nl', b.amount)} (${percent(b.share)})`));
  const valueRoom = Math.max(0, ...values.map((v) => textWidth(v, SCALE))) + 10;
  const barMax = Math.max(40, WIDTH - PAD - valueRoom - barLeft);
  const max = Math.max(0, ...input.bars.map((b) => b.amount));
  const bars = input.bars.map((b, i) => ({
    label: labels[i]!,
    value: values[i]!,
    amount: b.amount,
    y: TOP + i * ROW + (ROW - BAR) / 2,
    x: barLeft,
    length: max > 0 ? Math.round((b.amount / max) * barMax) : 0,
  }));
  const footerY = TOP + input.bars.length * ROW + 16;
  return {
    width: WIDTH,
    height: footerY + GLYPH_HEIGHT * SCALE + PAD,
    title: clip(input.title, maxChars),
    subtitle: clip(plainSpaces(input.subtitle), maxChars),
    footer: clip(plainSpaces(input.footer), maxChars),
    description: input.description,
    labelRight,
    barLeft,
    barMax,
    bars,
    footerY,
  };
}

/** The chart as a PNG: bars, labels and amounts drawn with the built-in bitmap font. */
export function chartPng(input: ChartInput): Buffer {
  const l = chartLayout(input);
  const r = new Raster(l.width, l.height);
  // Bold by drawing twice, one pixel apart.
  r.text(PAD, PAD, l.title, INK, SCALE);
  r.text(PAD + 1, PAD, l.title, INK, SCALE);
  r.text(PAD, PAD + 28, l.subtitle, SUBTLE, SCALE);
  r.fillRect(l.barLeft - 1, TOP, 1, l.bars.length * ROW, AXIS);
  for (const b of l.bars) {
    const textY = b.y + (BAR - 7 * SCALE) / 2;
    r.text(l.labelRight - textWidth(b.label, SCALE), textY, b.label, INK, SCALE);
    if (b.length > 0) r.fillRect(b.x, b.y, b.length, BAR, BAR_COLOUR);
    r.text(b.x + b.length + 8, textY, b.value, INK, SCALE);
  }
  r.text(PAD, l.footerY, l.footer, SUBTLE, SCALE);
  return r.png();
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The same chart as SVG: real text, a <title> and a <desc> for screen readers. */
export function chartSvg(input: ChartInput): string {
  const l = chartLayout(input);
  const font = 'font-family="Segoe UI, Arial, sans-serif"';
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${l.width}" height="${l.height}" viewBox="0 0 ${l.width} ${l.height}" role="img" aria-labelledby="chart-title chart-desc">`,
    `<title id="chart-title">${xml(input.title)}</title>`,
    `<desc id="chart-desc">${xml(l.description)}</desc>`,
    `<rect width="${l.width}" height="${l.height}" fill="#ffffff"/>`,
    `<text x="${PAD}" y="${PAD + 16}" ${font} font-size="20" font-weight="bold" fill="${hex(INK)}">${xml(input.title)}</text>`,
    `<text x="${PAD}" y="${PAD + 44}" ${font} font-size="15" fill="${hex(SUBTLE)}">${xml(input.subtitle)}</text>`,
    `<line x1="${l.barLeft - 0.5}" y1="${TOP}" x2="${l.barLeft - 0.5}" y2="${TOP + l.bars.length * ROW}" stroke="${hex(AXIS)}"/>`,
    ...l.bars.map((b, i) =>
      [
        `<g>`,
        `<text x="${l.labelRight}" y="${b.y + 15}" ${font} font-size="15" text-anchor="end" fill="${hex(INK)}">${xml(input.bars[i]!.label)}</text>`,
        `<rect x="${b.x}" y="${b.y}" width="${b.length}" height="${BAR}" fill="${hex(BAR_COLOUR)}"/>`,
        `<text x="${b.x + b.length + 8}" y="${b.y + 15}" ${font} font-size="15" fill="${hex(INK)}">${xml(b.value)}</text>`,
        `</g>`,
      ].join(''),
    ),
    `<text x="${PAD}" y="${l.footerY + 14}" ${font} font-size="14" fill="${hex(SUBTLE)}">${xml(input.footer)}</text>`,
    `</svg>`,
  ];
  return parts.join('\n') + '\n';
}

/** The council's chart: what each wijk got of the awarded budget (wijken without an award included). */
export function wijkChartInput(data: AllocationReportData): ChartInput {
  const total = formatEuro('nl', data.budget.awarded);
  const budget = formatEuro('nl', data.budget.budget);
  return {
    title: `Toegekend per wijk: ${data.process.roundName}`,
    subtitle: `Percentage van het totaal toegekend (${plainSpaces(total)})`,
    bars: data.byWijk.map((w) => ({ label: w.name, amount: w.amount, share: w.shareOfAwarded })),
    footer: `Totaal toegekend ${total} van ${budget}. Over: ${formatEuro('nl', data.budget.remaining)}.`,
    description: `Staafdiagram. ${data.byWijk.map((w) => `${w.name}: ${plainSpaces(formatEuro('nl', w.amount))} (${percent(w.shareOfAwarded)})`).join('; ')}.`,
  };
}
