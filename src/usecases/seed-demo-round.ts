import { auditEvent } from '../domain/audit';
import { demoRound, roundIdFor } from '../domain/round';
import type { Deps } from './deps';

/** Creates the demo round for the current year when it does not exist yet; idempotent. */
export async function seedDemoRound({ repos, clock }: Deps): Promise<{ created: boolean; roundId: string }> {
  const now = clock.now();
  const roundId = roundIdFor('LB', now.getUTCFullYear());
  if (await repos.rounds.get(roundId)) return { created: false, roundId };
  const round = demoRound(now);
  const res = await repos.rounds.create(round, auditEvent(round.id, 'system', 'round.created', round.id, now, { seeded: true }));
  return { created: res.ok, roundId };
}
