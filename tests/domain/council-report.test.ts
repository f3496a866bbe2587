import { beforeAll, describe, expect, it } from 'vitest';
import { allocationReportData, resultsReportData } from '../../src/domain/council-report';
import type { RoundSnapshot } from '../../src/domain/snapshot';
import { allocationMarkdown, resultsMarkdown } from '../../src/reports/markdown';
import { awardsCsv } from '../../src/reports/csv';
import { NOW } from '../fixtures';
import { PERSONAL_TITLE, reportRound } from '../support/report-round';

let snapshot: RoundSnapshot;
beforeAll(async () => {
  snapshot = await (await reportRound()).snapshot();
});

const sum = (ns: number[]) => ns.reduce((a, b) => a + b, 0);

describe('allocation report data', () => {
  it('totals add up to the decisions, the ledger and the applications', () => {
    const d = allocationReportData(snapshot, NOW);
    const decided = sum(snapshot.decisions.map((x) => x.value.total));
    expect(decided).toBe(49_000);
    expect(d.totals.totalAwarded).toBe(decided);
    expect(d.budget).toEqual({ budget: 50_000, awarded: 49_000, remaining: 1_000 });
    expect(sum(d.awards.map((a) => a.awarded))).toBe(decided);
    expect(snapshot.ledger?.value.spent).toBe(decided);
    expect(sum(snapshot.applications.map((a) => a.value.decision?.awarded ?? 0))).toBe(decided);
    expect(d.checks).toEqual([]);
  });

  it('lists every award with reference, organisation, wijk, title, amount and score', () => {
    const d = allocationReportData(snapshot, NOW);
    expect(d.awards.map((a) => [a.reference, a.organisation, a.wijk, a.awarded, a.outcome])).toEqual([
      ['LB-2026-001', 'Stichting Buurtkracht Zwolle', 'Holtenbroek', 15_000, 'awarded'],
      ['LB-2026-002', 'Taalhuis De Brug', 'Stadshagen', 11_000, 'partial'],
      ['LB-2026-003', 'Buurtkracht Zwolle', 'Holtenbroek', 10_000, 'awarded'],
      ['LB-2026-004', 'Sportbedrijf Zwolle', 'Stadsbreed', 9_000, 'awarded'],
      ['LB-2026-005', 'Speeltuin De Vlinder', 'Assendorp', 4_000, 'partial'],
    ]);
    expect(d.awards[0]!.score).toBe(1);
    expect(d.awards[4]!.title).toBe(PERSONAL_TITLE);
    for (const a of d.awards) expect(a.decidedAt).toBe(snapshot.decisions[0]!.value.approvedAt);
  });

  it('counts received, withdrawn, declined, awarded; the counts add up', () => {
    const t = allocationReportData(snapshot, NOW).totals;
    expect(t).toMatchObject({ started: 7, drafts: 0, received: 7, withdrawn: 1, assessed: 6, awarded: 5, partial: 2, declined: 1, undecided: 0 });
    expect(t.received).toBe(t.withdrawn + t.awarded + t.declined + t.undecided);
    expect(allocationReportData(snapshot, NOW).declineReasons).toEqual({ knockout: 1, unscored: 0, budget: 0, byAccounthouder: 0 });
  });

  it('distribution per organisation and per wijk sums to the total; one organisation written two ways is one', () => {
    const d = allocationReportData(snapshot, NOW);
    for (const shares of [d.byOrganisation, d.byWijk]) {
      expect(sum(shares.map((s) => s.amount))).toBe(d.totals.totalAwarded);
      expect(sum(shares.map((s) => s.shareOfAwarded))).toBeCloseTo(1, 10);
      expect(sum(shares.map((s) => s.awards))).toBe(d.awards.length);
    }
    expect(d.byOrganisation[0]).toMatchObject({ name: 'Stichting Buurtkracht Zwolle', amount: 25_000, awards: 2, shareOfBudget: 0.5 });
    expect(d.byOrganisation).toHaveLength(4);
    expect(d.byWijk.find((w) => w.name === 'Holtenbroek')).toMatchObject({ amount: 25_000, awards: 2 });
    // Every wijk of the round is there, also without an award: the council sees where nothing went.
    expect(d.byWijk.map((w) => w.name).sort()).toEqual([...snapshot.round.value.wijken].sort());
    expect(d.byWijk.find((w) => w.name === 'Berkum')).toMatchObject({ amount: 0, awards: 0 });
  });

  it('describes the process: open to all, criteria with weights and version, panel by role without names, the dates', () => {
    const p = allocationReportData(snapshot, NOW).process;
    expect(p.criteria.version).toBe(1);
    expect(p.criteria.items[0]).toEqual({ id: 'integraal', title: 'Integraal, duurzaam en collectief', weight: 2, scaleMin: 1, scaleMax: 5, minimum: 3 });
    expect(p.panel).toEqual({ total: 3, byRole: { gemeente: 1, partner: 1, ervaringsdeskundige: 1 } });
    expect(JSON.stringify(p)).not.toMatch(/Sanne|Ingrid|Reviewer/);
    expect(p.dates.submissionDeadline).toBe(snapshot.round.value.submissionDeadline);
  });

  it('a round without applications gives zeros, not errors', async () => {
    const { memoryRepos } = await import('../../src/store/memory-repos');
    const { reviewedRound } = await import('../support/rounds');
    const repos = memoryRepos();
    const { round } = await reviewedRound(repos, []);
    const d = allocationReportData((await repos.allocation.snapshot(round.id))!, NOW);
    expect(d.totals).toMatchObject({ received: 0, awarded: 0, totalAwarded: 0 });
    expect(d.budget.remaining).toBe(50_000);
    expect(d.byWijk.every((w) => w.amount === 0 && w.shareOfAwarded === 0)).toBe(true);
    expect(allocationMarkdown(d)).toContain('Er is (nog) niets toegekend.');
  });
});

describe('results report data', () => {
  it('shows per award what was reported, spent against awarded, and who has not reported', () => {
    const r = resultsReportData(snapshot, NOW);
    expect(r.rows.map((x) => [x.reference, x.state, x.spent, x.difference])).toEqual([
      ['LB-2026-001', 'submitted', 14_500, -500],
      ['LB-2026-002', 'draft', undefined, undefined],
      ['LB-2026-003', 'submitted', 10_400, 400],
      ['LB-2026-004', 'missing', undefined, undefined],
      ['LB-2026-005', 'missing', undefined, undefined],
    ]);
    expect(r.rows[0]).toMatchObject({ reached: '38 jongeren uit Holtenbroek, 12 ouders.', indicators: 'deelnemers: 38; verwijzingen jeugd-GGZ: -30%' });
    // A draft's text is not reported to the council until it is submitted.
    expect(r.rows[1]!.done).toBeUndefined();
    expect(r.totals).toEqual({ awards: 5, reported: 2, drafts: 1, missing: 3, totalAwarded: 49_000, awardedReported: 25_000, spentReported: 24_900 });
    expect(r.missing.map((m) => [m.reference, m.hasDraft])).toEqual([
      ['LB-2026-002', true],
      ['LB-2026-004', false],
      ['LB-2026-005', false],
    ]);
    expect(r.totals.totalAwarded).toBe(sum(snapshot.decisions.map((x) => x.value.total)));
    expect(r.checks).toEqual([]);
  });
});

describe('the documents', () => {
  it('the allocation report in Dutch: title, headings, the awards table with its total', () => {
    const md = allocationMarkdown(allocationReportData(snapshot, NOW));
    expect(md.startsWith('# Raadsinformatie: verdeling wijkgericht leerbudget 2026\n')).toBe(true);
    for (const h of [
      '## In het kort',
      '## Hoe de verdeling ging',
      '## Toekenningen',
      '## Verdeling per organisatie',
      '## Verdeling per wijk',
      '## Openbaar maken (Woo)',
      '## Controle',
    ])
      expect(md).toContain(h);
    expect(md).toMatch(/\| \*\*Totaal\*\* \|.*\*\*€ 49\.000\*\*/);
    expect(md).toContain('panel van 3 leden: 1 medewerker van de gemeente, 1 partner uit de sociale basis, 1 ervaringsdeskundige.');
    expect(md).not.toMatch(/Fatima|Sanne|Ingrid|@|Reviewer/);
  });

  it('the results report escapes what partners typed (a | does not break the table)', () => {
    const md = resultsMarkdown(resultsReportData(snapshot, NOW));
    expect(md.startsWith('# Raadsinformatie: effect en resultaten wijkgericht leerbudget 2026\n')).toBe(true);
    expect(md).toContain('maken het verschil \\| vooral');
    expect(md).toContain('## Nog geen verslag');
    expect(md).toContain('LB-2026-002, Taalhuis De Brug');
  });

  it('the awards CSV has one line per award plus the header, with titles', () => {
    const csv = awardsCsv(allocationReportData(snapshot, NOW));
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(6);
    expect(csv).toContain(PERSONAL_TITLE);
  });
});
