import { auditEvent } from '../domain/audit';
import { defaultCriteria } from '../domain/criteria';
import { err, ok, Result } from '../domain/result';
import type { Round } from '../domain/round';
import { newRoundFor, NewRoundErrors, validateNewRound, YEAR_RANGE } from '../domain/round-settings';
import type { Versioned } from '../domain/versioned';
import type { Deps } from './deps';
import { sortNewestFirst } from './list-rounds';
import { isAccounthouder } from './roles';

export type CreateRoundError =
  | { code: 'FORBIDDEN' }
  | { code: 'INVALID_YEAR' }
  /** There is already a round with that id (also: the same button pressed twice). */
  | { code: 'ALREADY_EXISTS'; round: Versioned<Round> };

/**
 * Starts the next round of a series: the prefix of the round the card was drawn from (`from`), else
 * of the latest round (`LB-2027` after `LB-2026`), in draft, with the default criteria; budget,
 * dates (moved to the new year), wijken, quorum and review channels are copied from that round. The year is fixed from here on: it is in the round id and in
 * every reference. A round with that id already there is shown, not made again.
 */
export async function createRound(deps: Deps, input: { actorId: string; year: number; from?: string }): Promise<Result<Versioned<Round>, CreateRoundError>> {
  if (!(await isAccounthouder(deps, input.actorId))) return err({ code: 'FORBIDDEN' });
  if (!Number.isInteger(input.year) || input.year < YEAR_RANGE.min || input.year > YEAR_RANGE.max) return err({ code: 'INVALID_YEAR' });
  const rounds = await deps.repos.rounds.list();
  // The series of the card's round (LBN-2026 → LBN-2027); an unknown one (old or tampered card) is the latest.
  const latest = rounds.find((r) => r.id === input.from) ?? newest(rounds);
  const round = newRoundFor(input.year, latest, defaultCriteria());
  const existing = await deps.repos.rounds.get(round.id);
  if (existing) return err({ code: 'ALREADY_EXISTS', round: existing });
  const now = deps.clock.now();
  const created = await deps.repos.rounds.create(
    round,
    auditEvent(round.id, input.actorId, 'round.created', round.id, now, latest ? { copiedFrom: latest.id } : undefined),
  );
  if (created.ok) return created;
  const winner = await deps.repos.rounds.get(round.id);
  if (!winner) throw new Error('round reported as existing but not found');
  return err({ code: 'ALREADY_EXISTS', round: winner });
}

/** The newest round: the latest year, the latest opening within it. */
const newest = (rounds: Round[]): Round | undefined => sortNewestFirst(rounds)[0];

export type StartRoundError =
  | { code: 'FORBIDDEN' }
  /** The typed name, prefix or year cannot be used (a prefix taken that year included); nothing was stored. */
  | { code: 'INVALID'; errors: NewRoundErrors }
  /** The round to copy from is not there (a tampered or old card). */
  | { code: 'SOURCE_NOT_FOUND' };

/**
 * Starts another round (a second regeling, a spring and an autumn call): its own name and
 * reference prefix (unique among that year's rounds, so `LBN-2026` next to `LB-2026`, references
 * `LBN-2026-007`), in draft, with the default criteria; budget, dates (moved to its year), wijken,
 * quorum and review channels are copied from the round chosen on the card, else the latest. Its
 * budget ledger, panel, decisions, reminders and consultation live in its own partition. The card's
 * one-time token is stored on the round: the same card pressed again returns that round
 * (`created: false`) and stores nothing; another card with a taken prefix is refused.
 */
export async function startRound(
  deps: Deps,
  input: { actorId: string; token: string; raw: { name?: string; prefix?: string; year?: string }; copyFrom?: string },
): Promise<Result<{ round: Versioned<Round>; created: boolean }, StartRoundError>> {
  if (!(await isAccounthouder(deps, input.actorId))) return err({ code: 'FORBIDDEN' });
  const rounds = await deps.repos.rounds.list();
  const again = rounds.find((r) => r.createdWith === input.token);
  if (again) {
    const round = await deps.repos.rounds.get(again.id);
    if (round) return ok({ round, created: false });
  }
  const source = input.copyFrom ? rounds.find((r) => r.id === input.copyFrom) : newest(rounds);
  if (input.copyFrom && !source) return err({ code: 'SOURCE_NOT_FOUND' });
  const checked = validateNewRound(input.raw, new Set(rounds.map((r) => r.id)));
  if (!checked.ok) return err({ code: 'INVALID', errors: checked.error });
  const { name, prefix, year } = checked.value;
  const round: Round = { ...newRoundFor(year, source, defaultCriteria(), { name, prefix }), createdWith: input.token };
  const now = deps.clock.now();
  const created = await deps.repos.rounds.create(
    round,
    auditEvent(round.id, input.actorId, 'round.created', round.id, now, { ...(source ? { copiedFrom: source.id } : {}), prefix }),
  );
  if (created.ok) return ok({ round: created.value, created: true });
  // Someone (or this card, delivered twice) created that id meanwhile.
  const winner = await deps.repos.rounds.get(round.id);
  if (!winner) throw new Error('round reported as existing but not found');
  if (winner.value.createdWith === input.token) return ok({ round: winner, created: false });
  return err({ code: 'INVALID', errors: { prefix: 'prefixTaken' } });
}
