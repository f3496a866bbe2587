import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { cardBytes, Card } from '../../src/cards/render';
import { allocationReportCard, resultsReportCard } from '../../src/cards/report-cards';
import { allocationReportData, resultsReportData } from '../../src/domain/council-report';
import type { RoundSnapshot } from '../../src/domain/snapshot';
import { reportLinker } from '../../src/reports/links';
import { memoryRepos } from '../../src/store/memory-repos';
import { NOW } from '../fixtures';
import { reportRound } from '../support/report-round';
import { reviewedRound } from '../support/rounds';
import { VERBS } from '../../src/app/core/verbs';

const linker = reportLinker({ publicUrl: 'https://bot.example.nl', linkSecret: 's' });
let all: [string, Card][] = [];
let snapshot: RoundSnapshot;

beforeAll(async () => {
  snapshot = await (await reportRound()).snapshot();
  // The largest round a card has to carry: 90 awards (one approval's maximum), long names.
  const repos = memoryRepos();
  const many = Array.from({ length: 90 }, (_, i) => ({
    requested: 500,
    score: 4 as const,
    organisation: `Stichting met een heel lange naam nummer ${i} in de sociale basis van Zwolle`,
    wijk: i % 2 ? 'Binnenstad-Diezerpoort' : 'Stadsbreed',
  }));
  const big = await reviewedRound(repos, many);
  const { currentProposal } = await import('../../src/usecases/allocation-proposal');
  const { approveAllocation } = await import('../../src/usecases/approve-allocation');
  const cp = (await currentProposal(big.deps, big.round.id))!;
  const ok = await approveAllocation(big.deps, { actorId: big.deps.accounthouders[0]!, roundId: big.round.id, fingerprint: cp.fingerprint, adjustments: {} });
  if (!ok.ok) throw new Error(ok.error.code);
  const bigSnap = (await repos.allocation.snapshot(big.round.id))!;
  const empty = memoryRepos();
  const none = await reviewedRound(empty, []);
  const emptySnap = (await empty.allocation.snapshot(none.round.id))!;
  all = (['nl', 'en'] as const).flatMap((lang) => [
    [`${lang} allocation`, allocationReportCard(lang, allocationReportData(snapshot, NOW), linker.links('LB-2026', 'allocation', NOW))],
    [`${lang} results`, resultsReportCard(lang, resultsReportData(snapshot, NOW), linker.links('LB-2026', 'results', NOW))],
    [`${lang} allocation, 90 awards`, allocationReportCard(lang, allocationReportData(bigSnap, NOW), linker.links('LB-2026', 'allocation', NOW))],
    [`${lang} results, 90 missing`, resultsReportCard(lang, resultsReportData(bigSnap, NOW), linker.links('LB-2026', 'results', NOW))],
    [`${lang} allocation, empty round`, allocationReportCard(lang, allocationReportData(emptySnap, NOW), linker.links('LB-2026', 'allocation', NOW))],
    [`${lang} results, empty round`, resultsReportCard(lang, resultsReportData(emptySnap, NOW), linker.links('LB-2026', 'results', NOW))],
  ]);
});

describe('report cards', () => {
  it('every card: under 80 KB, every binding resolved, at most 6 actions, long texts wrap', () => {
    expect(all).toHaveLength(12);
    for (const [name, card] of all) {
      expect(cardBytes(card), name).toBeLessThan(80 * 1024);
      const json = JSON.stringify(card);
      expect(json, name).not.toMatch(/\$\{|\$data|\$when|undefined/);
      expect(card.version).toBe('1.5');
      expect((card.actions as unknown[]).length, name).toBeLessThanOrEqual(6);
      for (const t of json.match(/"type":"TextBlock"[^}]*}/g) ?? []) expect(t, name).toContain('"wrap":true');
    }
  });

  it('the allocation card: key figures, the chart inline with alt text, the top awards, the downloads', () => {
    const card = all.find(([n]) => n === 'nl allocation')![1];
    const json = JSON.stringify(card);
    expect(json).toContain('Raadsinformatie: verdeling');
    expect(json).toMatch(/"title":"Toegekend","value":"€\s49\.000"/);
    const image = (card.body as { type: string; url?: string; altText?: string }[]).find((b) => b.type === 'Image')!;
    expect(image.url).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
    expect(image.altText).toMatch(/^Staafdiagram .*Holtenbroek: €\s25\.000 \(51%\)/);
    // Downloads, one a row in the body (none cut off at 460 px), then the card's own buttons.
    const sets = (card.body as { type: string; actions?: unknown[] }[]).filter((b) => b.type === 'ActionSet');
    const actions = [...sets.flatMap((b) => b.actions ?? []), ...(card.actions as unknown[])] as {
      type: string;
      title: string;
      url?: string;
      verb?: string;
      data?: unknown;
    }[];
    expect(actions.map((a) => a.title)).toEqual([
      'Raadsinformatiebrief (Word)',
      'Verslag (Markdown)',
      'Tabel (CSV)',
      'Voor publicatie (Woo, CSV)',
      'Grafiek (PNG)',
      'Grafiek (SVG)',
      'Vernieuwen',
      'Verslag resultaten',
    ]);
    expect(actions.filter((a) => a.type === 'Action.OpenUrl').every((a) => a.url!.startsWith('https://bot.example.nl/api/reports/LB-2026/'))).toBe(true);
    expect(actions.filter((a) => a.type === 'Action.Execute').map((a) => [a.verb, a.data])).toEqual([
      [VERBS.reports.allocation, { roundId: 'LB-2026' }],
      [VERBS.reports.results, { roundId: 'LB-2026' }],
    ]);
    expect(json).toContain('LB-2026-001 · Stichting Buurtkracht Zwolle · Holtenbroek · €');
  });

  it('the results card: who reported, spent against awarded, who has not reported', () => {
    const json = JSON.stringify(all.find(([n]) => n === 'nl results')![1]);
    expect(json).toMatch(/"title":"Verslag ingediend","value":"2"/);
    expect(json).toMatch(/€\s24\.900 van €\s25\.000/);
    expect(json).toContain('LB-2026-002 · Taalhuis De Brug · Plan 1 (concept opgeslagen)');
    expect(JSON.stringify(all.find(([n]) => n === 'nl results, 90 missing')![1])).toContain('en nog 80');
  });

  it('the card template names exactly the report verbs', () => {
    const template = readFileSync('cards/report.json', 'utf8');
    expect([...template.matchAll(/"verb": "([^"]+)"/g)].map((m) => m[1]).sort()).toEqual(Object.values(VERBS.reports).sort());
  });
});
