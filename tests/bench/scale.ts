import type { TableClient, TransactionAction } from '@azure/data-tables';
import { worstReviewViews } from '../cards/card-fixtures';
import { ALLOCATION_PAGE_LINES, allocationCard, decisionSummaryCard, proposalPanelCard } from '../../src/cards/allocation-cards';
import { cardBytes, Card } from '../../src/cards/render';
import { allocationReportCard, resultsReportCard } from '../../src/cards/report-cards';
import { overviewCard } from '../../src/cards/results-cards';
import { allocationReportData, resultsReportData } from '../../src/domain/council-report';
import type { Repos } from '../../src/ports';
import type { RoundSnapshot } from '../../src/domain/snapshot';
import { chartPng, chartSvg, wijkChartInput } from '../../src/reports/chart';
import { awardsCsv, resultsCsv, wooCsv } from '../../src/reports/csv';
import { filesOf } from '../../src/reports/file-names';
import { renderReportFile } from '../../src/reports/files';
import { reportLinker } from '../../src/reports/links';
import { allocationMarkdown, resultsMarkdown } from '../../src/reports/markdown';
import { applicationToEntity, jsonEntity, prefixFilter, ROW } from '../../src/store/entities';
import { ensureTables, tableClients } from '../../src/store/tables';
import { tableRepos } from '../../src/store/table-repos';
import mammoth from 'mammoth';
import ExcelJS from 'exceljs';
import { applicationsCard } from '../../src/cards/applications-cards';
import { allocationDocx, resultsDocx } from '../../src/reports/docx';
import { overviewWorkbook } from '../../src/reports/xlsx';
import { listApplications } from '../../src/usecases/list-applications';
import { currentProposal, CurrentProposal } from '../../src/usecases/allocation-proposal';
import type { Deps } from '../../src/usecases/deps';
import { roundOverview } from '../../src/usecases/round-overview';
import { decidedSnapshot, scaleRound, scaleSnapshot, writeScaleRound } from './scale-data';

/** Timings (ms) of one measured step, repeated. */
export interface Timed {
  runs: number[];
  best: number;
  median: number;
}

async function timed<T>(runs: number, work: () => T | Promise<T>): Promise<{ t: Timed; value: T }> {
  const ms: number[] = [];
  let value!: T;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    value = await work();
    ms.push(performance.now() - started);
  }
  const sorted = [...ms].sort((a, b) => a - b);
  return { t: { runs: ms, best: sorted[0]!, median: sorted[Math.floor((sorted.length - 1) / 2)]! }, value };
}

export interface ScaleResult {
  n: number;
  rows: number;
  write: { ms: number; transactions: number; rows: number };
  /** currentProposal with the round read from Azurite: read + ranking + proposal. */
  proposalFromStorage: Timed;
  snapshotRead: Timed;
  /** The application rows' key-range read alone: keys only (storage's scan and paging), and every column unparsed (plus the payload). */
  floor: { keys: Timed; rows: Timed };
  /** Azurite's CPU for the keys-only read. */
  floorKeysCpuMs?: number;
  /** currentProposal on the same round held in memory (the pure part: candidates, ranking, proposal, fingerprint). */
  proposalInMemory: Timed;
  candidates: number;
  proposalLines: number;
  decided: { decisions: number; awards: number; declined: number; reported: number; budget: number };
  /** The allocation report's files (data + Markdown + CSV + Woo CSV + PNG + SVG chart) and the results report (data + Markdown + CSV), pure. */
  reportsInMemory: Record<string, Timed>;
  /** The same, reading the decided round from Azurite once for all files (as one report card + downloads would, sharing one read). */
  reportsFromStorage: Timed;
  /** Each allocation download as the route renders it (read + render per file), from Azurite. */
  downloadsFromStorage: Record<string, Timed>;
  cards: { name: string; bytes: number; note: string }[];
  /** The Word and Excel files at this scale: size, and whether they read back whole (mammoth without messages; every application a row). */
  documents: { file: string; bytes: number; valid: boolean; note: string }[];
  storageCpuMs?: number;
}

/** Writes the decided state (decision records, the ledger, every decided application) the way approve() stores it, in 100-row transactions. */
async function writeDecided(table: TableClient, snap: RoundSnapshot): Promise<number> {
  const id = snap.round.value.id;
  const apps: TransactionAction[] = [
    ['upsert', { partitionKey: id, rowKey: ROW.ledger, kind: 'ledger', spent: snap.ledger?.value.spent ?? 0 }, 'Replace'],
    ...snap.applications.filter((a) => a.value.decision).map((a): TransactionAction => ['upsert', applicationToEntity(a.value), 'Replace']),
  ];
  // A decision record of 90 lines is ~25 KB: ten per transaction keeps each request well under the 4 MB limit.
  const decisions = snap.decisions.map((d): TransactionAction => ['upsert', jsonEntity(id, ROW.decision(d.value.id), 'decision', d.value), 'Replace']);
  for (let i = 0; i < apps.length; i += 100) await table.submitTransaction(apps.slice(i, i + 100));
  for (let i = 0; i < decisions.length; i += 10) await table.submitTransaction(decisions.slice(i, i + 10));
  const rows = [...apps, ...decisions];
  return rows.length;
}

function withSnapshot(deps: Deps, snapshot: RoundSnapshot): Deps {
  const repos: Repos = { ...deps.repos, allocation: { ...deps.repos.allocation, snapshot: async () => snapshot } };
  return { ...deps, repos };
}

/**
 * The scale run: a round of `n` reviewed applications written to Azurite as the repositories store
 * it; the allocation proposal from storage and from memory; then the round decided (approvals of
 * at most 90 lines, a budget that awards about half) and the council reports from memory and from
 * storage; and the size of every card whose content grows with the round.
 */
export async function runScale(
  connectionString: string,
  n: number,
  options: { auditPerApp: number; say: (s: string) => void; storageCpu?: () => Promise<number> },
): Promise<ScaleResult> {
  const now = new Date();
  const clients = tableClients(connectionString, 'Scale');
  await ensureTables(clients);
  const repos = tableRepos(clients);
  const deps: Deps = { repos, clock: { now: () => now }, accounthouders: [] };
  const data = scaleRound(n, now);
  const roundId = data.round.id;
  options.say(`scale: writing ${n} applications (+ reviews, ${data.panel.length} sheets each, ${options.auditPerApp} audit rows each) to Azurite`);
  const write = await writeScaleRound(clients.rounds, data, { auditPerApp: options.auditPerApp, parallel: 4 });
  options.say(`scale: ${write.rows} rows in ${write.transactions} transactions, ${(write.ms / 1000).toFixed(1)} s`);

  const cpu0 = options.storageCpu ? await options.storageCpu() : 0;
  const snapshotRead = await timed(2, () => repos.allocation.snapshot(roundId));
  const storageCpuMs = options.storageCpu ? ((await options.storageCpu()) - cpu0) / 2 : undefined;
  // The storage floor of reading a round's applications: the same key-range read of the application
  // rows, keys only (Azurite's scan and paging, no payload), and with every column but without
  // turning rows into applications (the payload, parsed by the SDK).
  const listRaw = async (select?: string[]) => {
    let rows = 0;
    const filter = prefixFilter(roundId, ROW.appPrefix, "kind eq 'app'");
    for await (const _ of clients.rounds.listEntities({ queryOptions: { filter, ...(select ? { select } : {}) } })) rows++;
    return rows;
  };
  const cpu1 = options.storageCpu ? await options.storageCpu() : 0;
  const floorKeys = await timed(2, () => listRaw(['RowKey']));
  const floorKeysCpuMs = options.storageCpu ? ((await options.storageCpu()) - cpu1) / 2 : undefined;
  const floorRows = await timed(2, () => listRaw());
  const stored = snapshotRead.value!;
  const proposalFromStorage = await timed(2, () => currentProposal(deps, roundId));
  const inMemory = scaleSnapshot(data);
  const memDeps = withSnapshot(deps, inMemory);
  const proposalInMemory = await timed(5, () => currentProposal(memDeps, roundId));
  const cp = proposalInMemory.value as CurrentProposal;
  options.say(
    `scale: proposal from storage ${proposalFromStorage.t.median.toFixed(0)} ms (read ${snapshotRead.t.median.toFixed(0)} ms), in memory ${proposalInMemory.t.median.toFixed(0)} ms`,
  );

  // Decided: the budget awards about half the round; approvals of at most 90 lines each.
  const budget = Math.round(data.apps.reduce((s, a) => s + (a.fields.amount ?? 0), 0) / 2);
  const decided = decidedSnapshot(stored, budget, now);
  const awards = decided.applications.filter((a) => (a.value.decision?.awarded ?? 0) > 0).length;
  const reportsInMemory: Record<string, Timed> = {};
  const alloc = await timed(2, () => allocationReportData(decided, now));
  reportsInMemory['allocationReportData'] = alloc.t;
  reportsInMemory['allocation Markdown'] = (await timed(2, () => allocationMarkdown(alloc.value))).t;
  reportsInMemory['awards CSV'] = (await timed(2, () => awardsCsv(alloc.value))).t;
  reportsInMemory['Woo CSV'] = (await timed(2, () => wooCsv(alloc.value))).t;
  reportsInMemory['chart PNG'] = (await timed(2, () => chartPng(wijkChartInput(alloc.value)))).t;
  reportsInMemory['chart SVG'] = (await timed(2, () => chartSvg(wijkChartInput(alloc.value)))).t;
  const res = await timed(2, () => resultsReportData(decided, now));
  reportsInMemory['resultsReportData'] = res.t;
  reportsInMemory['results Markdown'] = (await timed(2, () => resultsMarkdown(res.value))).t;
  reportsInMemory['results CSV'] = (await timed(2, () => resultsCsv(res.value))).t;
  const allocationWord = await timed(2, () => allocationDocx(alloc.value));
  reportsInMemory['allocation Word (.docx)'] = allocationWord.t;
  const resultsWord = await timed(2, () => resultsDocx(res.value));
  reportsInMemory['results Word (.docx)'] = resultsWord.t;
  const workbook = await timed(2, () => overviewWorkbook(decided, now));
  reportsInMemory['overview workbook (.xlsx)'] = workbook.t;
  const documents: ScaleResult['documents'] = [];
  for (const [file, buffer] of [
    ['verdeling.docx', allocationWord.value],
    ['resultaten.docx', resultsWord.value],
  ] as const) {
    const read = await mammoth.convertToHtml({ buffer });
    documents.push({ file, bytes: buffer.length, valid: read.messages.length === 0, note: `${(read.value.match(/<tr>/g) ?? []).length} table rows read back` });
  }
  {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(workbook.value as unknown as ArrayBuffer);
    const rows = wb.getWorksheet('Aanvragen')!.rowCount - 1;
    documents.push({
      file: 'overzicht.xlsx',
      bytes: workbook.value.length,
      valid: rows === decided.applications.length,
      note: `${rows} application rows read back`,
    });
  }
  const links = reportLinker({ publicUrl: 'https://leerbudget.example', linkSecret: 'bench' });
  reportsInMemory['all of the above, once'] = (
    await timed(2, () => {
      const a = allocationReportData(decided, now);
      const r = resultsReportData(decided, now);
      return [allocationMarkdown(a), awardsCsv(a), wooCsv(a), chartPng(wijkChartInput(a)), chartSvg(wijkChartInput(a)), resultsMarkdown(r), resultsCsv(r)];
    })
  ).t;

  options.say(`scale: writing the decided round (${decided.decisions.length} decisions, ${awards} awards) to Azurite`);
  await writeDecided(clients.rounds, decided);
  const reportsFromStorage = await timed(2, async () => {
    const snap = (await repos.allocation.snapshot(roundId))!;
    const a = allocationReportData(snap, now);
    const r = resultsReportData(snap, now);
    return [
      allocationMarkdown(a),
      awardsCsv(a),
      wooCsv(a),
      chartPng(wijkChartInput(a)),
      chartSvg(wijkChartInput(a)),
      resultsMarkdown(r),
      resultsCsv(r),
      allocationReportCard('nl', a, links.links(roundId, 'allocation', now)),
    ];
  });
  const downloadsFromStorage: Record<string, Timed> = {};
  // Two of the five allocation downloads (each is one read of the round plus one file); the others cost the same read.
  for (const file of filesOf('allocation').filter((f) => f === 'verdeling.md' || f === 'woo.csv' || f === 'verdeling.docx')) {
    downloadsFromStorage[file] = (await timed(1, async () => renderReportFile(file, (await repos.allocation.snapshot(roundId))!, now))).t;
  }
  // The workbook reads the review rows too (progress of open reviews).
  downloadsFromStorage['overzicht.xlsx'] = (
    await timed(1, async () => renderReportFile('overzicht.xlsx', (await repos.allocation.snapshotWithReviews(roundId))!, now))
  ).t;

  // Cards whose content grows with the round.
  const cards: { name: string; bytes: number; note: string }[] = [];
  const add = (name: string, card: Card, note: string) => cards.push({ name, bytes: cardBytes(card), note });
  add(
    'allocation card (toekenning)',
    allocationCard('nl', cp, []),
    `${n} candidates, ${cp.proposal.lines.length} lines (cap 90, ${ALLOCATION_PAGE_LINES} a page), ${cp.proposal.byOrganisation.length} organisations in the shares`,
  );
  const pages = Math.max(1, Math.ceil(cp.proposal.lines.length / ALLOCATION_PAGE_LINES));
  const largestPage = (make: (page: number) => Card) =>
    Array.from({ length: pages }, (_, page) => make(page)).reduce((a, b) => (cardBytes(b) > cardBytes(a) ? b : a));
  add(
    'allocation card, its largest page',
    largestPage((page) => allocationCard('nl', cp, [], { page })),
    `${pages} pages`,
  );
  add('proposal card for the panel', proposalPanelCard('nl', cp, []), `${cp.proposal.lines.length} lines`);
  add(
    'proposal card for the panel, its largest page',
    largestPage((page) => proposalPanelCard('nl', cp, [], { page })),
    `${pages} pages`,
  );
  // The review card does not grow with the round but with the panel and the criteria: its largest view at 60 members × 12 criteria, hostile text at every maximum.
  const reviewViews = worstReviewViews('nl').map(([name, make]) => ({ name, card: make() }));
  const largestReview = reviewViews.reduce((a, b) => (cardBytes(b.card) > cardBytes(a.card) ? b : a));
  add('review card, 60 members × 12 criteria', largestReview.card, `largest of ${reviewViews.length} views: ${largestReview.name}`);
  // Rolling decisions: half the round decided, the rest still to allocate; every earlier award counts in the shares.
  const half = decidedSnapshot(stored, budget, now, 0);
  const undecidedIds = new Set(half.decisions.slice(Math.ceil(half.decisions.length / 2)).flatMap((d) => d.value.lines.map((l) => l.applicationId)));
  const partly: RoundSnapshot = {
    ...half,
    decisions: half.decisions.slice(0, Math.ceil(half.decisions.length / 2)),
    applications: half.applications.map((a) => (undecidedIds.has(a.value.id) ? stored.applications.find((s) => s.value.id === a.value.id)! : a)),
  };
  partly.ledger = { value: { spent: partly.decisions.reduce((s, d) => s + d.value.total, 0) }, etag: 'x' };
  const cpPartly = (await currentProposal(withSnapshot(deps, partly), roundId))!;
  add(
    'allocation card, half decided',
    allocationCard('nl', cpPartly, []),
    `${cpPartly.proposal.lines.length} lines, ${cpPartly.proposal.byOrganisation.length} organisations and ${cpPartly.proposal.byWijk.length} wijken in the shares`,
  );
  const biggest = [...decided.decisions].sort(
    (a, b) => b.value.lines.filter((l) => l.awarded > 0).length - a.value.lines.filter((l) => l.awarded > 0).length,
  )[0]!;
  add(
    'decision summary (channel)',
    decisionSummaryCard('nl', biggest.value),
    `${biggest.value.lines.filter((l) => l.awarded > 0).length} awarded lines in one approval`,
  );
  const storedDecided = (await repos.allocation.snapshot(roundId))!;
  add(
    'allocation report card',
    allocationReportCard('nl', allocationReportData(storedDecided, now), links.links(roundId, 'allocation', now)),
    `${awards} awards, chart inline when ≤ 40 KB`,
  );
  add('results report card', resultsReportCard('nl', resultsReportData(storedDecided, now), links.links(roundId, 'results', now)), 'missing list capped at 10');
  const overview = await roundOverview(deps, roundId);
  if (overview) add('overview card (overzicht)', overviewCard('nl', overview), `${overview.results.length} awarded applications listed`);
  const listed = await timed(1, () => listApplications({ ...deps, accounthouders: ['bench'] }, { actorId: 'bench', roundId, filter: {}, page: 2 }));
  if (listed.value.ok) {
    const card = applicationsCard('nl', listed.value.value);
    add(
      'applications card (aanvragen), page 2',
      card,
      `${listed.value.value.total} applications, 20 a page; ${JSON.stringify(card).length * 2} bytes in UTF-16 (limit 81,920)`,
    );
    downloadsFromStorage['aanvragen card (application rows + review rows of one page)'] = listed.t;
  }

  return {
    n,
    rows: write.rows,
    write: { ms: write.ms, transactions: write.transactions, rows: write.rows },
    proposalFromStorage: proposalFromStorage.t,
    snapshotRead: snapshotRead.t,
    floor: { keys: floorKeys.t, rows: floorRows.t },
    ...(floorKeysCpuMs === undefined ? {} : { floorKeysCpuMs }),
    proposalInMemory: proposalInMemory.t,
    candidates: cp.proposal.lines.length === 0 ? 0 : stored.applications.filter((a) => a.value.status === 'reviewed').length,
    proposalLines: cp.proposal.lines.length,
    decided: {
      decisions: decided.decisions.length,
      awards,
      declined: decided.applications.filter((a) => a.value.status === 'declined').length,
      reported: decided.applications.filter((a) => a.value.results?.state === 'submitted').length,
      budget,
    },
    reportsInMemory,
    reportsFromStorage: reportsFromStorage.t,
    downloadsFromStorage,
    cards,
    documents,
    ...(storageCpuMs === undefined ? {} : { storageCpuMs }),
  };
}
