import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toRawSettings } from '../../src/domain/round-settings';
import { memoryRepos } from '../../src/store/memory-repos';
import { currentProposal } from '../../src/usecases/allocation-proposal';
import { approveAllocation } from '../../src/usecases/approve-allocation';
import { updateRoundSettings } from '../../src/usecases/update-round-settings';
import { ACCOUNTHOUDER, reviewedRound } from '../support/rounds';

/** The rules applicants applied under stay as they were; the budget never drops below what was awarded. */
describe('round settings after the first submission', () => {
  async function decided() {
    const ctx = await reviewedRound(memoryRepos(), [
      { requested: 20_000, score: 5 },
      { requested: 20_000, score: 4 },
    ]);
    const p = (await currentProposal(ctx.deps, ctx.round.id))!;
    expect((await approveAllocation(ctx.deps, { actorId: ACCOUNTHOUDER, roundId: ctx.round.id, fingerprint: p.fingerprint, adjustments: {} })).ok).toBe(true);
    return ctx;
  }
  const save = async (ctx: Awaited<ReturnType<typeof decided>>, change: Record<string, string>) => {
    const current = (await ctx.deps.repos.rounds.get(ctx.round.id))!;
    return updateRoundSettings(ctx.deps, {
      actorId: ACCOUNTHOUDER,
      roundId: ctx.round.id,
      etag: current.etag,
      raw: { ...toRawSettings(current.value), ...change },
    });
  };

  it('refuses a change of the maximum, the wijken or the quorum, and stores nothing', async () => {
    const ctx = await decided();
    const before = (await ctx.deps.repos.rounds.get(ctx.round.id))!;
    for (const change of [{ maxPerApplication: '30000' }, { wijken: 'Holtenbroek' }, { quorum: '3' }] as Record<string, string>[]) {
      const res = await save(ctx, change);
      expect(res).toMatchObject({ ok: false, error: { code: 'INVALID', errors: { [Object.keys(change)[0]!]: 'frozen' } } });
    }
    expect((await ctx.deps.repos.rounds.get(ctx.round.id))!.etag).toBe(before.etag);
  });

  it('still takes a new name or a later deadline', async () => {
    const ctx = await decided();
    const res = await save(ctx, { name: 'Leerbudget 2026 (verlengd)' });
    expect(res).toMatchObject({ ok: true, value: { changed: true } });
  });

  it('refuses a budget below what was awarded, with the amount; at or above it is fine', async () => {
    const ctx = await decided();
    const spent = (await ctx.deps.repos.allocation.snapshot(ctx.round.id))!.ledger!.value.spent;
    expect(spent).toBe(40_000);
    expect(await save(ctx, { budget: String(spent - 1) })).toMatchObject({ ok: false, error: { code: 'INVALID', errors: { budget: 'belowAwarded' }, spent } });
    expect(await save(ctx, { budget: String(spent) })).toMatchObject({ ok: true });
  });

  it('for any order of budget edits and approvals, awarded never exceeds the budget', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.record({ kind: fc.constant('budget' as const), budget: fc.integer({ min: 20_000, max: 60_000 }) }),
            fc.record({ kind: fc.constant('approve' as const), cut: fc.integer({ min: 0, max: 15_000 }) }),
          ),
          { minLength: 1, maxLength: 8 },
        ),
        async (events) => {
          const ctx = await reviewedRound(
            memoryRepos(),
            Array.from({ length: 5 }, (_, i) => ({ requested: 15_000, score: 5 - (i % 4) })),
          );
          for (const e of events) {
            if (e.kind === 'budget')
              await save(ctx as never, { budget: String(e.budget), maxPerApplication: String(Math.min(e.budget, ctx.round.maxPerApplication)) });
            else {
              const p = await currentProposal(ctx.deps, ctx.round.id);
              const first = p?.proposal.lines[0];
              if (!p || !first) continue;
              await approveAllocation(ctx.deps, {
                actorId: ACCOUNTHOUDER,
                roundId: ctx.round.id,
                fingerprint: p.fingerprint,
                adjustments: { [first.applicationId]: { amount: Math.max(0, first.proposed - e.cut) } },
              });
            }
          }
          const snap = (await ctx.deps.repos.allocation.snapshot(ctx.round.id))!;
          const awarded = snap.applications.reduce((s, a) => s + (a.value.decision?.awarded ?? 0), 0);
          expect(awarded).toBe(snap.ledger?.value.spent ?? 0);
          expect(awarded).toBeLessThanOrEqual(snap.round.value.budget);
        },
      ),
      { numRuns: 40 },
    );
  });
});
