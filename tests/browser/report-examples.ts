/**
 * Writes an example of each council report and the per-wijk chart from the test fixture (a round
 * taken through the real use cases) for the README: `npx tsx tests/browser/report-examples.ts`.
 * With LibreOffice (`soffice`, Writer and Calc) and poppler's `pdftoppm` it also renders a page of
 * the Word report and the overview workbook to PNG.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { allocationDocx } from '../../src/reports/docx';
import { overviewWorkbook } from '../../src/reports/xlsx';
import { allocationReportData, resultsReportData } from '../../src/domain/council-report';
import { chartPng, chartSvg, wijkChartInput } from '../../src/reports/chart';
import { wooCsv } from '../../src/reports/csv';
import { allocationMarkdown, resultsMarkdown } from '../../src/reports/markdown';
import { NOW } from '../fixtures';
import { reportRound } from '../support/report-round';

async function main() {
  const dir = resolve(__dirname, '../e2e/screenshots');
  mkdirSync(dir, { recursive: true });
  const snapshot = await (await reportRound()).snapshot();
  const allocation = allocationReportData(snapshot, NOW);
  const files: [string, string | Buffer][] = [
    ['report-verdeling-voorbeeld.md', allocationMarkdown(allocation)],
    ['report-resultaten-voorbeeld.md', resultsMarkdown(resultsReportData(snapshot, NOW))],
    ['report-chart-voorbeeld.png', chartPng(wijkChartInput(allocation))],
    ['report-chart-voorbeeld.svg', chartSvg(wijkChartInput(allocation))],
    ['report-woo-voorbeeld.csv', wooCsv(allocation)],
  ];
  for (const [name, body] of files) {
    writeFileSync(resolve(dir, name), body);
    process.stdout.write(`wrote tests/e2e/screenshots/${name}\n`);
  }
  const fixture = await reportRound();
  const withReviews = (await fixture.repos.allocation.snapshotWithReviews(fixture.roundId))!;
  // The workbook as it is, printed to one page wide for the picture (it prints across pages otherwise).
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await overviewWorkbook(withReviews, NOW)) as unknown as ArrayBuffer);
  Object.assign(wb.getWorksheet('Aanvragen')!.pageSetup, { fitToPage: true, fitToWidth: 1, fitToHeight: 0 });
  const oneWide = Buffer.from(await wb.xlsx.writeBuffer());
  // Name, file, page, and for the workbook the top left of its first page (pdftoppm -W/-H at 300 dpi).
  const office: [string, Buffer, number, string[]][] = [
    ['report-verdeling-voorbeeld', await allocationDocx(allocation), 2, []],
    ['report-overzicht-voorbeeld', oneWide, 1, ['-x', '120', '-y', '180', '-W', '1900', '-H', '260']],
  ];
  const has = (cmd: string, arg: string) => spawnSync(cmd, [arg], { encoding: 'utf8' }).status === 0;
  if (!has('soffice', '--version') || !has('pdftoppm', '-v')) {
    process.stdout.write('no soffice or pdftoppm: the PNG pages of the .docx and .xlsx are not made\n');
    return;
  }
  const work = mkdtempSync(join(tmpdir(), 'examples-'));
  try {
    for (const [name, body, page, crop] of office) {
      const ext = name.includes('overzicht') ? 'xlsx' : 'docx';
      writeFileSync(join(work, `${name}.${ext}`), body);
      execFileSync(
        'soffice',
        [`-env:UserInstallation=file://${work}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', work, join(work, `${name}.${ext}`)],
        { stdio: 'pipe' },
      );
      execFileSync('pdftoppm', [
        '-png',
        '-r',
        crop.length ? '300' : '80',
        ...crop,
        '-f',
        String(page),
        '-l',
        String(page),
        join(work, `${name}.pdf`),
        join(work, name),
      ]);
      const png = readdirSync(work).find((f) => f.startsWith(`${name}-`) && f.endsWith('.png'))!;
      renameSync(join(work, png), resolve(dir, `${name}.png`));
      process.stdout.write(`wrote tests/e2e/screenshots/${name}.png\n`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
