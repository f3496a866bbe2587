/**
 * Writes an example of each council report and the per-wijk chart from the test fixture (a round
 * taken through the real use cases) for the README: `npx tsx tests/browser/report-examples.ts`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
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
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
