import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { chartLayout, chartPng, chartSvg, ChartInput } from '../../src/reports/chart';
import { glyph } from '../../src/reports/font';

const input: ChartInput = {
  title: 'Toegekend per wijk: Wijkgericht leerbudget 2026',
  subtitle: 'Percentage van het totaal toegekend',
  footer: 'Totaal toegekend € 49.000 van € 50.000.',
  description: 'Staafdiagram.',
  bars: [
    { label: 'Holtenbroek', amount: 25_000, share: 0.51 },
    { label: 'Stadshagen', amount: 11_000, share: 0.22 },
    { label: 'Stadsbreed', amount: 9_000, share: 0.18 },
    { label: 'Assendorp', amount: 4_000, share: 0.08 },
    { label: 'Berkum <&>', amount: 0, share: 0 },
  ],
};

/** The run of bar-coloured pixels on the bar's middle line, decoded by an independent PNG reader. */
function barLength(png: PNG, x0: number, y: number): number {
  let n = 0;
  for (let x = x0; x < png.width; x++) {
    const i = (y * png.width + x) * 4;
    if (png.data[i] === 31 && png.data[i + 1] === 95 && png.data[i + 2] === 139) n++;
    else break;
  }
  return n;
}

describe('the per-wijk chart', () => {
  it('is a valid PNG of the laid-out size whose bars scale with the amounts', () => {
    const layout = chartLayout(input);
    const png = PNG.sync.read(chartPng(input));
    expect([png.width, png.height]).toEqual([layout.width, layout.height]);
    expect(layout.height).toBeGreaterThan(84 + 5 * 30);
    const lengths = layout.bars.map((b) => barLength(png, b.x, b.y + 10));
    expect(lengths[0]).toBe(layout.barMax);
    for (const [i, b] of input.bars.entries()) expect(Math.abs(lengths[i]! - (b.amount / 25_000) * layout.barMax)).toBeLessThanOrEqual(1);
    expect(lengths[4]).toBe(0);
  });

  it('draws labels (ink left of the bars) and is deterministic', () => {
    const a = chartPng(input);
    expect(chartPng(input).equals(a)).toBe(true);
    const png = PNG.sync.read(a);
    const layout = chartLayout(input);
    let ink = 0;
    for (let y = layout.bars[0]!.y; y < layout.bars[0]!.y + 20; y++)
      for (let x = 0; x < layout.labelRight; x++) if (png.data[(y * png.width + x) * 4]! < 128) ink++;
    expect(ink).toBeGreaterThan(50);
  });

  it('the SVG is accessible (title, desc, text) and escapes labels', () => {
    const svg = chartSvg(input);
    expect(svg).toMatch(/^<svg [^>]*role="img"[^>]*aria-labelledby="chart-title chart-desc"/);
    expect(svg).toContain('<title id="chart-title">Toegekend per wijk: Wijkgericht leerbudget 2026</title>');
    expect(svg).toContain('<desc id="chart-desc">Staafdiagram.</desc>');
    expect(svg).toContain('Berkum &lt;&amp;&gt;');
    expect(svg.match(/<rect /g)).toHaveLength(1 + input.bars.length);
    const widths = [...svg.matchAll(/<rect x="\d+" y="[\d.]+" width="(\d+)"/g)].map((m) => Number(m[1]));
    expect(widths[0]! / widths[1]!).toBeCloseTo(25_000 / 11_000, 1);
  });
});

describe('the bitmap font keeps Dutch accents', () => {
  const ink = (g: boolean[][], from: number, to: number) => g.slice(from, to).some((r) => r.some(Boolean));
  const same = (a: boolean[][], b: boolean[][]) => JSON.stringify(a) === JSON.stringify(b);

  it('each accented letter has its mark above (or under) the letter, and the marks differ', () => {
    for (const ch of [...'éèëêïíóöôüúàáäâñ']) {
      const base = ch.normalize('NFD')[0]!;
      expect(same(glyph(ch), glyph(base)), ch).toBe(false);
      expect(ink(glyph(ch), 0, 2), ch).toBe(true);
      // The letter itself is untouched below its mark.
      expect(JSON.stringify(glyph(ch).slice(2)), ch).toBe(JSON.stringify(glyph(base).slice(2)));
    }
    expect(new Set([...'éèëê'].map((c) => JSON.stringify(glyph(c)))).size).toBe(4);
    expect(ink(glyph('ç'), 7, 9)).toBe(true);
    for (const ch of [...'ÉËÖÜ']) expect(same(glyph(ch), glyph(ch.normalize('NFD')[0]!)), ch).toBe(false);
    expect(same(glyph('☃'), glyph('?'))).toBe(true);
  });
});
