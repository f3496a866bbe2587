import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { overviewRows } from '../../src/domain/application-overview';
import { resultsReportData } from '../../src/domain/council-report';
import type { SnapshotWithReviews } from '../../src/domain/snapshot';
import { overviewWorkbook } from '../../src/reports/xlsx';
import { NOW } from '../fixtures';
import { CONTACTS, PANEL_IDS, PANEL_NAMES, reportRound } from '../support/report-round';

let snapshot: SnapshotWithReviews;
beforeAll(async () => {
  const fixture = await reportRound();
  snapshot = (await fixture.repos.allocation.snapshotWithReviews(fixture.roundId))!;
  // A member who declared a conflict on the first application (after it closed: the count stays the kept one, the name is there).
  const first = snapshot.applications.find((a) => a.value.reference === 'LB-2026-001')!.value.id;
  snapshot.bundles.get(first)!.recusals.push({ memberId: PANEL_IDS[0]!, reason: 'declared', note: 'Mijn zus werkt daar', at: NOW.toISOString() });
});

async function read(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  return wb;
}
/** A sheet's rows under its header as objects by header text. */
function table(ws: ExcelJS.Worksheet, headerRow = 1): Record<string, ExcelJS.CellValue>[] {
  const header = (ws.getRow(headerRow).values as ExcelJS.CellValue[]).slice(1).map(String);
  const out: Record<string, ExcelJS.CellValue>[] = [];
  for (let r = headerRow + 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    out.push(Object.fromEntries(header.map((h, i) => [h, row.getCell(i + 1).value])));
  }
  return out;
}
const sum = (ns: number[]) => ns.reduce((a, b) => a + b, 0);

describe('the overview workbook', () => {
  it('has every application with status, amounts as euro numbers, review progress, scores and decisions', async () => {
    const wb = await read(await overviewWorkbook(snapshot, NOW));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Aanvragen', 'Budget', 'Resultaten']);
    const ws = wb.getWorksheet('Aanvragen')!;
    const rows = table(ws);
    expect(rows).toHaveLength(snapshot.applications.length);
    expect(rows.map((r) => r.Kenmerk)).toEqual(overviewRows(snapshot).map((r) => r.reference ?? '(concept)'));
    const byRef = new Map(snapshot.applications.map((a) => [a.value.reference, a.value]));
    for (const r of rows) {
      const app = byRef.get(String(r.Kenmerk))!;
      expect(r.Gevraagd).toBe(app.fields.amount);
      expect(r.Toegekend ?? null).toBe(app.decision?.awarded ?? null);
      if (app.reviewResult) {
        expect(r.Beoordelingen).toBe(app.reviewResult.sheets);
        expect(r.Nodig).toBe(app.reviewResult.quorum);
        expect(r.Score).toBe(app.reviewResult.overall);
        expect(r['Knock-out']).toBe(app.reviewResult.knockedOut ? 'ja' : 'nee');
      }
    }
    expect(rows.find((r) => r.Kenmerk === 'LB-2026-006')!['Knock-out']).toBe('ja');
    expect(rows.find((r) => r.Kenmerk === 'LB-2026-007')!.Status).toBe('Ingetrokken');
    // The awarded column adds up to the ledger.
    expect(sum(rows.map((r) => Number(r.Toegekend ?? 0)))).toBe(snapshot.ledger!.value.spent);
    // Formatted as euros, dates are dates, filters on, header frozen.
    const awardedCol = (ws.getRow(1).values as string[]).indexOf('Toegekend');
    expect(ws.getRow(2).getCell(awardedCol).numFmt).toContain('€');
    const dateCol = (ws.getRow(1).values as string[]).indexOf('Besluitdatum');
    expect(ws.getRow(2).getCell(dateCol).value).toBeInstanceOf(Date);
    expect(ws.autoFilter).toBeTruthy();
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    // One column per criterion with the panel's mean.
    for (const c of snapshot.round.value.criteria.items) expect(ws.getRow(1).values as string[]).toContainEqual(expect.stringContaining(c.title));
  });

  it('the budget sheet is the ledger: every decision with the running total, and what the register holds', async () => {
    const wb = await read(await overviewWorkbook(snapshot, NOW));
    const ws = wb.getWorksheet('Budget')!;
    expect(ws.getCell(1, 5).value).toBe(snapshot.round.value.budget);
    expect(ws.getCell(2, 5).value).toBe(snapshot.ledger!.value.spent);
    expect(ws.getCell(3, 5).value).toBe(snapshot.round.value.budget - snapshot.ledger!.value.spent);
    const decisions = table(ws, 5);
    expect(decisions.map((d) => d.Bedrag)).toEqual(snapshot.decisions.map((d) => d.value.total));
    expect(decisions.at(-1)!['Uitgegeven tot dan']).toBe(snapshot.ledger!.value.spent);
  });

  it('the results sheet has the results report rows', async () => {
    const wb = await read(await overviewWorkbook(snapshot, NOW));
    const rows = table(wb.getWorksheet('Resultaten')!);
    const data = resultsReportData(snapshot, NOW);
    expect(rows.map((r) => [r.Kenmerk, r.Toegekend, r.Uitgegeven ?? undefined])).toEqual(data.rows.map((r) => [r.reference, r.awarded, r.spent]));
  });

  it('counts recusals without names; the named version adds who, and only then', async () => {
    const counted = await overviewWorkbook(snapshot, NOW);
    const named = await overviewWorkbook(snapshot, NOW, { named: true });
    const text = async (b: Buffer) => {
      const wb = await read(b);
      return wb.worksheets.flatMap((ws) => ws.getSheetValues().flat().map(String)).join('\n');
    };
    const plain = await text(counted);
    // (Contact names are left out of this check: one organisation is named after its owner.)
    for (const p of [...PANEL_NAMES, ...CONTACTS.flatMap((c) => [c.email, c.phone]), ...PANEL_IDS]) expect(plain).not.toContain(p);
    const withNames = await text(named);
    expect(withNames).toContain(PANEL_NAMES[0]);
    const rows = table((await read(named)).getWorksheet('Aanvragen')!);
    expect(rows.find((r) => r.Kenmerk === 'LB-2026-001')!['Niet mee: panelleden']).toBe(PANEL_NAMES[0]);
    expect(table((await read(counted)).getWorksheet('Aanvragen')!)[0]).not.toHaveProperty('Niet mee: panelleden');
  });
});

describe('review progress of an open review', () => {
  it('comes from the review rows: counted sheets of members who may judge, of the quorum', () => {
    const app = snapshot.applications.find((a) => a.value.reference === 'LB-2026-002')!;
    const open: SnapshotWithReviews = {
      ...snapshot,
      applications: snapshot.applications.map((a) =>
        a === app ? { ...a, value: { ...a.value, status: 'in_review' as const, reviewResult: undefined, decision: undefined } } : a,
      ),
    };
    const bundle = snapshot.bundles.get(app.value.id)!;
    const row = overviewRows(open).find((r) => r.reference === 'LB-2026-002')!;
    expect(['open', 'waiting']).toContain(row.review.state);
    expect(row.review.scored).toBeGreaterThan(0);
    expect(row.review.scored).toBe(bundle.sheets.filter((s) => Object.values(s.value.scores).some((v) => typeof v === 'number')).length);
    expect(row.review.needed).toBe(Math.min(snapshot.round.value.quorum, row.review.eligible));
    expect(row.overall).toBeUndefined();
  });
});
