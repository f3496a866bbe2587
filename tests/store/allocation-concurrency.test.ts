import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTables, tableClients } from '../../src/store/tables';
import { tableRepos } from '../../src/store/table-repos';
import { approveAllocation } from '../../src/usecases/approve-allocation';
import { updateRoundSettings } from '../../src/usecases/update-round-settings';
import { toRawSettings } from '../../src/domain/round-settings';
import { currentProposal } from '../../src/usecases/allocation-proposal';
import { startAzurite, RunningAzurite } from '../support/azurite';
import { ACCOUNTHOUDER, applicantId, reviewedRound } from '../support/rounds';

let azurite: RunningAzurite;
let n = 0;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(() => azurite?.stop());

async function repos() {
  const clients = tableClients(azurite.connectionString, `A${++n}`);
  await ensureTables(clients);
  return tableRepos(clients);
}

describe('approving against Azurite', () => {
  it('lowering the budget while approvals run: whatever commits, awarded never exceeds the budget', async () => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const { deps, round } = await reviewedRound(
        await repos(),
        Array.from({ length: 4 }, () => ({ requested: 12_000, score: 5 })),
      );
      const p = (await currentProposal(deps, round.id))!;
      const current = (await deps.repos.rounds.get(round.id))!;
      const lower = updateRoundSettings(deps, {
        actorId: ACCOUNTHOUDER,
        roundId: round.id,
        etag: current.etag,
        raw: { ...toRawSettings(current.value), budget: '30000' },
      });
      const approvals = Array.from({ length: 4 }, () =>
        approveAllocation(deps, { actorId: ACCOUNTHOUDER, roundId: round.id, fingerprint: p.fingerprint, adjustments: {} }),
      );
      await Promise.all([lower, ...approvals]);
      const snap = (await deps.repos.allocation.snapshot(round.id))!;
      const awarded = snap.applications.reduce((s, a) => s + (a.value.decision?.awarded ?? 0), 0);
      expect(awarded).toBe(snap.ledger?.value.spent ?? 0);
      expect(awarded).toBeLessThanOrEqual(snap.round.value.budget);
    }
  });

  it('twenty approvals of the same card at once: one decision, budget respected, each application decided once', async () => {
    const { deps, round } = await reviewedRound(await repos(), [
      { requested: 15_000, score: 5 },
      { requested: 15_000, score: 4 },
      { requested: 15_000, score: 4 },
      { requested: 15_000, score: 3 },
      { requested: 5_000, score: 'knockout' },
    ]);
    const p = (await currentProposal(deps, round.id))!;
    const results = await Promise.all(
      Array.from({ length: 20 }, () => approveAllocation(deps, { actorId: ACCOUNTHOUDER, roundId: round.id, fingerprint: p.fingerprint, adjustments: {} })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    for (const r of results.filter((x) => !x.ok)) expect(r).toMatchObject({ ok: false, error: { code: 'STALE', decidedMeanwhile: true } });
    const snap = (await deps.repos.allocation.snapshot(round.id))!;
    expect(snap.ledger?.value.spent).toBe(50_000);
    expect(snap.decisions).toHaveLength(1);
    const awarded = snap.applications.reduce((s, a) => s + (a.value.decision?.awarded ?? 0), 0);
    expect(awarded).toBe(50_000);
    expect(snap.applications.map((a) => a.value.status).sort()).toEqual(['awarded', 'awarded', 'awarded', 'awarded', 'declined']);
    expect((await deps.repos.audit.list(round.id)).filter((e) => e.action === 'allocation.approved')).toHaveLength(1);
  });

  it('approvals with different amounts racing each other never exceed the budget', async () => {
    const { deps, round } = await reviewedRound(
      await repos(),
      Array.from({ length: 8 }, (_, i) => ({ requested: 10_000, score: 5 - (i % 3) })),
    );
    const p = (await currentProposal(deps, round.id))!;
    const attempts = p.proposal.lines.map((l, i) =>
      approveAllocation(deps, {
        actorId: ACCOUNTHOUDER,
        roundId: round.id,
        fingerprint: p.fingerprint,
        adjustments: { [l.applicationId]: { amount: Math.min(l.requested, 1_000 * (i + 1)) } },
      }),
    );
    const results = await Promise.all(attempts);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const snap = (await deps.repos.allocation.snapshot(round.id))!;
    const awarded = snap.applications.reduce((s, a) => s + (a.value.decision?.awarded ?? 0), 0);
    expect(awarded).toBe(snap.ledger?.value.spent);
    expect(awarded).toBeLessThanOrEqual(round.budget);
  });

  it('rolling decisions: a later proposal only spends what is left', async () => {
    const { deps, round } = await reviewedRound(await repos(), [{ requested: 30_000, score: 5 }]);
    const first = (await currentProposal(deps, round.id))!;
    expect((await approveAllocation(deps, { actorId: ACCOUNTHOUDER, roundId: round.id, fingerprint: first.fingerprint, adjustments: {} })).ok).toBe(true);
    const empty = (await currentProposal(deps, round.id))!;
    expect(empty.proposal.lines).toEqual([]);
    expect(empty.proposal.remaining).toBe(20_000);
    expect(await approveAllocation(deps, { actorId: ACCOUNTHOUDER, roundId: round.id, fingerprint: empty.fingerprint, adjustments: {} })).toMatchObject({
      ok: false,
      error: { code: 'NOTHING_TO_DECIDE' },
    });
  });

  it('someone who is not an accounthouder cannot approve, whatever the card says', async () => {
    const { deps, round } = await reviewedRound(await repos(), [{ requested: 1_000, score: 5 }]);
    const p = (await currentProposal(deps, round.id))!;
    expect(await approveAllocation(deps, { actorId: 'someone-else', roundId: round.id, fingerprint: p.fingerprint, adjustments: {} })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect((await deps.repos.allocation.snapshot(round.id))!.decisions).toEqual([]);
  });
});

describe('a stale card', () => {
  it('is not approved when the proposal changed (a withdrawal) and gets the current proposal instead', async () => {
    const { withdrawApplication } = await import('../../src/usecases/withdraw-application');
    const { deps, round, ids } = await reviewedRound(await repos(), [
      { requested: 10_000, score: 5 },
      { requested: 10_000, score: 4 },
    ]);
    const before = (await currentProposal(deps, round.id))!;
    expect((await withdrawApplication(deps, { applicantId: applicantId(0), roundId: round.id, applicationId: ids[0]! })).ok).toBe(true);
    const res = await approveAllocation(deps, { actorId: ACCOUNTHOUDER, roundId: round.id, fingerprint: before.fingerprint, adjustments: {} });
    expect(res).toMatchObject({ ok: false, error: { code: 'STALE', decidedMeanwhile: false } });
    expect(!res.ok && res.error.code === 'STALE' && res.error.current.proposal.lines.map((l) => l.applicationId)).toEqual([ids[1]]);
    expect((await deps.repos.allocation.snapshot(round.id))!.decisions).toEqual([]);
  });
});
