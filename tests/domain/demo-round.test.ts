import { describe, expect, it } from 'vitest';
import { demoRound } from '../../src/domain/demo-round';
import { submissionWindow } from '../../src/domain/round';

/** The demo round follows the motion's calendar, whenever a newcomer runs the demo. */
describe('the demo round’s dates', () => {
  const zwolle = new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', hour: '2-digit', minute: '2-digit', month: 'numeric' });
  const wall = (iso: string) => Object.fromEntries(zwolle.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));

  it.each(['2026-12-03T11:00:00Z', '2026-03-28T09:00:00Z', '2026-04-20T09:00:00Z', '2026-07-15T09:00:00Z', '2026-10-20T09:00:00Z'])(
    'started %s: open now, in order, every deadline at 17:00 in Zwolle, allocation report before summer, results at year end',
    (at) => {
      const now = new Date(at);
      const r = demoRound(now);
      expect(submissionWindow(r, now)).toBe('open');
      const order = [r.opensAt, r.submissionDeadline, r.reviewDeadline, r.councilAllocationReportDue, r.councilResultsReportDue];
      expect([...order].sort()).toEqual(order);
      for (const d of order.slice(1)) expect(`${wall(d).hour}:${wall(d).minute}`).toBe('17:00');
      expect(Number(wall(r.councilAllocationReportDue).month)).toBeLessThanOrEqual(6);
      expect(Number(wall(r.councilResultsReportDue).month)).toBe(12);
      expect(Date.parse(r.councilAllocationReportDue) - Date.parse(r.reviewDeadline)).toBeGreaterThanOrEqual(14 * 86_400_000);
      expect(Date.parse(r.councilResultsReportDue) - Date.parse(r.councilAllocationReportDue)).toBeLessThan(366 * 86_400_000);
    },
  );
});
