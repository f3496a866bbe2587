import { describe, expect, it } from 'vitest';
import { likelyRound } from '../../src/usecases/admin-round';

import { memoryRepos } from '../../src/store/memory-repos';
import { seedDemoRound } from '../../src/usecases/seed-demo-round';
import { fixedClock, NOW, round } from '../fixtures';

/** A command without a round named (`verslag verdeling`, `overzicht`, …) takes the round the person most likely means. */
describe('the round a command means', () => {
  const DAY = 86_400_000;
  const at = (days: number) => new Date(NOW.getTime() + days * DAY).toISOString();
  const ended = (id: string, year: number) =>
    round({ id, year, submissionDeadline: at(-400), reviewDeadline: at(-380), councilAllocationReportDue: at(-300), councilResultsReportDue: at(-10) });

  it('the one with the nearest deadline still to come, not the newest by year', () => {
    const current = round({ id: 'LB-2026', year: 2026, councilAllocationReportDue: at(1) });
    const next = round({
      id: 'LB-2027',
      year: 2027,
      submissionDeadline: at(200),
      reviewDeadline: at(220),
      councilAllocationReportDue: at(240),
      councilResultsReportDue: at(400),
    });
    expect(likelyRound([next, current], NOW, new Map())?.id).toBe('LB-2026');
    // A draft (next year being prepared) only when no other round has a coming deadline.
    const draft = { ...next, status: 'draft' as const, submissionDeadline: at(0.5) };
    expect(likelyRound([draft, current], NOW, new Map())?.id).toBe('LB-2026');
    expect(likelyRound([draft, ended('LB-2025', 2025)], NOW, new Map())?.id).toBe('LB-2027');
  });

  it('when every deadline has passed: the round decided last, else the newest', () => {
    const a = ended('LB-2024', 2024);
    const b = ended('LB-2025', 2025);
    expect(likelyRound([a, b], NOW, new Map([['LB-2024', at(-5)]]))?.id).toBe('LB-2024');
    expect(likelyRound([a, b], NOW, new Map())?.id).toBe('LB-2025');
  });

  it('the demo round is seeded once: a start with the clock moved into another year adds no empty round', async () => {
    const repos = memoryRepos();
    const clock = fixedClock(NOW);
    const first = await seedDemoRound({ repos, clock } as never);
    expect(first.created).toBe(true);
    clock.set(new Date('2027-06-29T07:05:00Z'));
    const again = await seedDemoRound({ repos, clock } as never);
    expect(again).toEqual({ created: false, roundId: first.roundId });
    expect(await repos.rounds.list()).toHaveLength(1);
  });
});
