import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DecisionAnnouncer } from '../../src/app/proactive/decision-announcer';
import { auditEvent } from '../../src/domain/audit';
import { createLogger } from '../../src/log';
import { ensureTables, tableClients } from '../../src/store/tables';
import { tableRepos } from '../../src/store/table-repos';
import { NOW } from '../fixtures';
import { azuriteConnectionString, RunningAzurite, startAzurite } from '../support/azurite';
import { startCountingProxy } from '../support/counting-proxy';
import { ACCOUNTHOUDER, reviewedRound } from '../support/rounds';

let azurite: RunningAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(() => azurite?.stop());

describe('announcing decisions (the scheduler, every five minutes)', () => {
  it('reads only the decision records while nothing waits; the whole round only for a decision to announce', async () => {
    const proxy = await startCountingProxy(azurite.url);
    try {
      const clients = tableClients(azuriteConnectionString(proxy.url), 'Ann');
      await ensureTables(clients);
      const repos = tableRepos(clients);
      const { deps, round } = await reviewedRound(repos, [{ requested: 4_000, score: 4 }]);
      const announcer = new DecisionAnnouncer(deps, createLogger('silent'));

      const idle = await proxy.during(() => announcer.announcePending());
      expect(idle.value).toBe(0);
      // The rounds, then the round's decision records: nothing else.
      expect(idle.requests).toHaveLength(2);
      expect(idle.requests[1]!.url).toContain("RowKey ge 'decision_'");

      const approved = await repos.allocation.approve({
        roundId: round.id,
        round: (await repos.rounds.get(round.id))!,
        spentAfter: 0,
        applications: [],
        decision: {
          id: 'd1',
          roundId: round.id,
          approvedBy: ACCOUNTHOUDER,
          approvedAt: NOW.toISOString(),
          fingerprint: 'f',
          budget: round.budget,
          spentBefore: 0,
          total: 0,
          lines: [],
          marks: { agree: 0, disagree: 0 },
          announced: false,
        },
        audit: auditEvent(round.id, ACCOUNTHOUDER, 'allocation.approved', 'd1', NOW),
      });
      expect(approved.ok).toBe(true);
      const busy = await proxy.during(() => announcer.announcePending());
      expect(busy.value).toBe(1);
      expect(busy.requests.some((r) => r.url.includes("kind ne 'audit'"))).toBe(true); // the round with its review rows
      expect((await repos.outbox.list(round.id)).map((e) => e.kind)).toEqual(['decision.summary']);

      const after = await proxy.during(() => announcer.announcePending());
      expect(after.value).toBe(0);
      expect(after.requests).toHaveLength(2);
    } finally {
      await proxy.stop();
    }
  });
});
