import { auditEvent } from '../domain/audit';
import { roundIdFor } from '../domain/round';
import { demoRound } from '../domain/demo-round';
import type { Deps } from './deps';

/**
 * Creates the demo round when there is no round at all yet; idempotent. A store that has a round
 * (also one started with the clock moved, `CLOCK_START`, into another year) gets no second one:
 * the demo's reminders and reports are about the round that was played.
 */
export async function seedDemoRound({ repos, clock }: Deps): Promise<{ created: boolean; roundId: string }> {
  const now = clock.now();
  const roundId = roundIdFor('LB', now.getUTCFullYear());
  const existing = await repos.rounds.list();
  if (existing.length) return { created: false, roundId: existing.some((r) => r.id === roundId) ? roundId : existing[0]!.id };
  const round = demoRound(now);
  const res = await repos.rounds.create(round, auditEvent(round.id, 'system', 'round.created', round.id, now, { seeded: true }));
  return { created: res.ok, roundId };
}
