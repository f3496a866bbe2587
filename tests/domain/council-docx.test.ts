import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mammoth from 'mammoth';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocationReportData, resultsReportData, type AllocationReportData, type ResultsReportData } from '../../src/domain/council-report';
import type { RoundSnapshot } from '../../src/domain/snapshot';
import { formatEuro } from '../../src/i18n';
import { allocationDocx, resultsDocx } from '../../src/reports/docx';
import { fairnessSentences } from '../../src/reports/markdown';
import { NOW } from '../fixtures';
import { CONTACTS, PANEL_NAMES, PERSONAL_TITLE, reportRound } from '../support/report-round';
import { unzip } from '../support/zip';

let snapshot: RoundSnapshot;
let allocation: AllocationReportData;
let results: ResultsReportData;
let allocationFile: Buffer;
let resultsFile: Buffer;
beforeAll(async () => {
  snapshot = await (await reportRound()).snapshot();
  allocation = allocationReportData(snapshot, NOW);
  results = resultsReportData(snapshot, NOW);
  allocationFile = await allocationDocx(allocation);
  resultsFile = await resultsDocx(results);
});

const euro = (n: number) => formatEuro('nl', n);
/** The tables of mammoth's HTML as rows of cell texts. */
function tables(html: string): string[][][] {
  const text = (s: string) =>
    s
      .replace(/<[^>]+>/g, '')
      .replace(/&amp;/g, '&')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .trim();
  return [...html.matchAll(/<table>(.*?)<\/table>/gs)].map((t) =>
    [...t[1]!.matchAll(/<tr>(.*?)<\/tr>/gs)].map((r) => [...r[1]!.matchAll(/<t[dh][^>]*>(.*?)<\/t[dh]>/gs)].map((c) => text(c[1]!))),
  );
}
const tableWithHeader = (all: string[][][], first: string) => all.find((t) => t[0]?.[0] === first)!;
const documentXml = (file: Buffer) => unzip(file).get('word/document.xml')!.toString('utf8');

describe('the allocation report as .docx', () => {
  it('reads back without warnings: title page, every section, the fairness sentences of the data', async () => {
    const { value: html, messages } = await mammoth.convertToHtml({ buffer: allocationFile });
    expect(messages).toEqual([]);
    const { value: text } = await mammoth.extractRawText({ buffer: allocationFile });
    expect(text).toContain('Raadsinformatiebrief');
    expect(html).toContain('<h1>Raadsinformatie: verdeling wijkgericht leerbudget 2026</h1>');
    for (const h of [
      'In het kort',
      'Waarom deze informatie',
      'Hoe de verdeling ging',
      'Aanvragen in getallen',
      'Toekenningen',
      'Verdeling per organisatie',
      'Verdeling per wijk',
      'Besluiten',
      'Openbaar maken (Woo)',
      'Controle',
    ])
      expect(html, h).toContain(`<h2>${h}</h2>`);
    for (const s of fairnessSentences(allocation)) expect(text).toContain(s);
    // Dutch typography: the euro sign, a non-breaking space, a full stop for thousands; dates in words.
    expect(text).toContain(`Het budget is ${euro(50_000)}.`);
    expect(euro(50_000)).toBe('€\u00a050.000');
    expect(text).toMatch(/Datum concept\s+\d{1,2} (januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december) 20\d\d/);
  });

  it('the award table has the numbers of the report data and adds up to the decisions and the ledger', async () => {
    const { value: html } = await mammoth.convertToHtml({ buffer: allocationFile });
    const awards = tableWithHeader(tables(html), 'Kenmerk');
    expect(awards[0]).toEqual(['Kenmerk', 'Organisatie', 'Wijk', 'Titel', 'Gevraagd', 'Toegekend', 'Score']);
    const body = awards.slice(1, -1);
    expect(body.map((r) => r[0])).toEqual(allocation.awards.map((a) => a.reference));
    const amount = (s: string) => Number(s.replace(/[^\d]/g, ''));
    expect(body.map((r) => amount(r[5]!))).toEqual(allocation.awards.map((a) => a.awarded));
    expect(body.map((r) => amount(r[4]!))).toEqual(allocation.awards.map((a) => a.requested));
    const total = awards.at(-1)!;
    expect(total[0]).toBe('Totaal');
    expect(amount(total[5]!)).toBe(snapshot.ledger!.value.spent);
    expect(amount(total[5]!)).toBe(snapshot.decisions.reduce((s, d) => s + d.value.total, 0));
    const wijken = tableWithHeader(tables(html), 'Wijk');
    expect(wijken.slice(1).map((r) => [r[0], amount(r[2]!)])).toEqual(allocation.byWijk.map((w) => [w.name, w.amount]));
  });

  it('carries the per-wijk chart as a PNG with its description as alt text', async () => {
    const { value: html } = await mammoth.convertToHtml({ buffer: allocationFile });
    const img = /<img [^>]*>/.exec(html)?.[0] ?? '';
    const png = PNG.sync.read(Buffer.from(/src="data:image\/png;base64,([^"]+)"/.exec(img)![1]!, 'base64'));
    expect(png.width).toBe(880);
    expect(/alt="([^"]*)"/.exec(img)![1]).toMatch(/^Staafdiagram\. Holtenbroek: €\s25\.000 \(51%\)/);
  });

  it('highlights the places staff complete, and names no person', () => {
    const xml = documentXml(allocationFile);
    // The title page's Portefeuillehouder, Zaaknummer, Contactpersoon and the consultation paragraph.
    const highlighted = [...xml.matchAll(/<w:r>(?:(?!<\/w:r>).)*<w:highlight w:val="yellow"\/>(?:(?!<\/w:r>).)*<w:t[^>]*>([^<]*)<\/w:t>/gs)].map((m) => m[1]);
    expect(highlighted.filter((t) => t!.startsWith('Aanvullen')).length).toBeGreaterThanOrEqual(4);
    expect(unzip(allocationFile).get('word/styles.xml')!.toString('utf8')).toContain('<w:lang w:val="nl-NL"');
    for (const p of [...CONTACTS.flatMap((c) => [c.name, c.email, c.phone]), ...PANEL_NAMES]) expect(xml).not.toContain(p);
  });
});

describe('the results report as .docx', () => {
  it('reads back: the overview table matches the data, reported texts as paragraphs, the missing reports', async () => {
    const { value: html, messages } = await mammoth.convertToHtml({ buffer: resultsFile });
    expect(messages).toEqual([]);
    const overview = tableWithHeader(tables(html), 'Kenmerk');
    const amount = (s: string) => Number(s.replace(/[^\d]/g, ''));
    expect(overview.slice(1, -1).map((r) => [r[0], amount(r[3]!)])).toEqual(results.rows.map((r) => [r.reference, r.awarded]));
    expect(amount(overview.at(-1)![4]!)).toBe(results.totals.spentReported);
    expect(overview.at(-1)![6]).toBe(`${results.totals.reported} van ${results.totals.awards}`);
    expect(html).toContain('<h2>Per project</h2>');
    expect(html).toContain('<h2>Nog geen verslag</h2>');
    const { value: text } = await mammoth.extractRawText({ buffer: resultsFile });
    expect(text).toContain(PERSONAL_TITLE);
    const xml = documentXml(resultsFile);
    expect(xml).toMatch(/<w:highlight w:val="yellow"\/>(?:(?!<\/w:r>).)*<w:t[^>]*>Aanvullen: <\/w:t>/s);
  });
});

const soffice = spawnSync('soffice', ['--version'], { encoding: 'utf8' }).status === 0;
const pdftotext = spawnSync('pdftotext', ['-v'], { encoding: 'utf8' }).status === 0;
if (!soffice)
  console.warn('council-docx: LibreOffice (soffice) is not installed, so the .docx → PDF check is skipped (apt-get install libreoffice-writer-nogui).');

describe.skipIf(!soffice)('LibreOffice opens both documents (skipped without soffice)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'docx-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('converts each .docx to a PDF with the report in it', () => {
    writeFileSync(join(dir, 'verdeling.docx'), allocationFile);
    writeFileSync(join(dir, 'resultaten.docx'), resultsFile);
    // Its own profile directory, so a LibreOffice someone has open does not take the job.
    execFileSync(
      'soffice',
      [
        `-env:UserInstallation=file://${dir}/profile`,
        '--headless',
        '--convert-to',
        'pdf',
        '--outdir',
        dir,
        join(dir, 'verdeling.docx'),
        join(dir, 'resultaten.docx'),
      ],
      {
        stdio: 'pipe',
        timeout: 120_000,
      },
    );
    for (const name of ['verdeling', 'resultaten']) {
      const pdf = readFileSync(join(dir, `${name}.pdf`));
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      if (pdftotext) {
        const text = execFileSync('pdftotext', ['-layout', join(dir, `${name}.pdf`), '-'], { encoding: 'utf8' });
        expect(text).toContain('Raadsinformatiebrief');
        expect(text).toContain('geïnformeerd');
      }
    }
  });
});
