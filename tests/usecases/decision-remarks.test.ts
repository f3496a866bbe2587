import { describe, expect, it } from 'vitest';
import { DecisionAnnouncer } from '../../src/app/proactive/decision-announcer';
import { createLogger } from '../../src/log';
import { memoryRepos } from '../../src/store/memory-repos';
import { currentProposal } from '../../src/usecases/allocation-proposal';
import { approveAllocation } from '../../src/usecases/approve-allocation';
import { readCard } from '../support/teams';
import { ACCOUNTHOUDER, reviewedRound } from '../support/rounds';

describe('the decision an applicant receives', () => {
  it('a declined application carries the panel remarks that counted, without names; an award carries none', async () => {
    const { deps, round, ids } = await reviewedRound(memoryRepos(), [
      { requested: 10_000, score: 5, remark: 'Sterk plan.' },
      { requested: 10_000, score: 'knockout', remark: 'Jongeren praten nog niet mee.' },
    ]);
    const p = (await currentProposal(deps, round.id))!;
    expect((await approveAllocation(deps, { actorId: ACCOUNTHOUDER, roundId: round.id, fingerprint: p.fingerprint, adjustments: {} })).ok).toBe(true);
    await new DecisionAnnouncer(deps, createLogger('silent')).announcePending();
    const outbox = await deps.repos.outbox.list(round.id);
    const cardOf = (id: string) => readCard(outbox.find((e) => e.kind === 'decision.applicant' && e.id.includes(id))!.card);
    const declined = cardOf(ids[1]!);
    expect(declined.text).toContain('“Jongeren praten nog niet mee.”');
    expect(declined.text).not.toContain('Reviewer');
    expect(cardOf(ids[0]!).text).not.toContain('Sterk plan.');
  });
});
