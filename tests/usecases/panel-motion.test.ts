import { describe, expect, it } from 'vitest';
import { memoryRepos } from '../../src/store/memory-repos';
import { addPanelMember } from '../../src/usecases/manage-panel';
import { claimReviewPost } from '../../src/usecases/publish-review';
import { panelCard } from '../../src/cards/review-cards';
import { proposalPanelCard } from '../../src/cards/allocation-cards';
import { currentProposal } from '../../src/usecases/allocation-proposal';
import { markProposal } from '../../src/usecases/mark-proposal';
import { proposalMarks } from '../../src/usecases/allocation-view';
import { fixedClock, NOW } from '../fixtures';
import { readCard } from '../support/teams';
import { ACCOUNTHOUDER, linkedRound, REVIEWER, reviewedRound, submittedApplication } from '../support/rounds';

const person = (i: number) => ({ userId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, mri: `29:p${i}`, name: `Lid ${i}` });

async function submittedRound() {
  const repos = memoryRepos();
  const deps = { repos, clock: fixedClock(), accounthouders: [ACCOUNTHOUDER] };
  const round = await linkedRound(repos);
  return { deps, round, applicationId: await submittedApplication(repos, round, person(99).userId) };
}

describe('a panel as the motion asks: the municipality together with partners and ervaringsdeskundigen', () => {
  it('no review card while the panel is the municipality alone; posted once a partner or ervaringsdeskundige joins', async () => {
    const { deps, round, applicationId } = await submittedRound();
    for (const i of [1, 2]) await addPanelMember(deps, { actorId: ACCOUNTHOUDER, person: person(i), role: 'gemeente' });
    expect(await claimReviewPost(deps, round.id, applicationId)).toEqual({ ok: false, error: { code: 'PANEL_INCOMPLETE' } });
    expect((await deps.repos.reviews.listReviews(round.id)).length).toBe(0);
    await addPanelMember(deps, { actorId: ACCOUNTHOUDER, person: person(3), role: 'ervaringsdeskundige' });
    expect((await claimReviewPost(deps, round.id, applicationId)).ok).toBe(true);
  });

  it('the panel card says why cards wait, computed from the panel', () => {
    const members = [1, 2].map((i) => ({ ...person(i), role: 'gemeente' as const, addedBy: ACCOUNTHOUDER, addedAt: NOW.toISOString() }));
    const waiting = readCard(panelCard('nl', { roundName: 'R', members, accounthouders: new Set(), candidates: [] }));
    expect(waiting.text).toContain('nog geen partner of ervaringsdeskundige');
    const complete = readCard(
      panelCard('nl', {
        roundName: 'R',
        members: [...members, { ...person(3), role: 'partner', organisation: 'X', addedBy: ACCOUNTHOUDER, addedAt: NOW.toISOString() }],
        accounthouders: new Set(),
        candidates: [],
      }),
    );
    expect(complete.text).not.toContain('nog geen partner of ervaringsdeskundige');
  });

  it('the proposal shows the marks per role', async () => {
    const { deps, round } = await reviewedRound(memoryRepos(), [{ requested: 10_000, score: 4 }]);
    const p = (await currentProposal(deps, round.id))!;
    expect((await markProposal(deps, { actorId: REVIEWER, roundId: round.id, fingerprint: p.fingerprint, agree: false, remark: 'Te weinig bereik.' })).ok).toBe(
      true,
    );
    const card = readCard(proposalPanelCard('nl', p, await proposalMarks(deps, round.id, p.fingerprint)));
    expect(card.text).toContain('gemeente nog niet · partner nog niet · ervaringsdeskundige 0 eens, 1 oneens');
  });
});
