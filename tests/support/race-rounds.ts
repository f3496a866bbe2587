import { ApplicationFields, newDraft, STEPS } from '../../src/domain/application';
import { auditEvent } from '../../src/domain/audit';
import type { Round } from '../../src/domain/round';
import { validateStep } from '../../src/domain/validation';
import type { Repos } from '../../src/ports';
import { NOW, round, VALID_INPUT } from '../fixtures';

/** Every step of the default form answered with the fixture's valid input, as the validator stores it. */
export const completeFields = (): ApplicationFields =>
  Object.assign(
    {},
    ...STEPS.map((s) => {
      const v = validateStep(s, VALID_INPUT[s], round(), 'complete');
      if (!v.ok) throw new Error(s);
      return v.value;
    }),
  );

/**
 * Store races need a fresh open round per trial: each call creates the round of the next year from
 * `firstYear` with one draft (ids ending in `fill`, so the tests of one file never meet) at its
 * summary, ready to submit.
 */
export function draftRounds(repos: () => Repos, firstYear: number, fill: string) {
  let n = 0;
  return async (fields: ApplicationFields = completeFields()): Promise<{ r: Round; appId: string }> => {
    const year = firstYear + ++n;
    const r = round({ id: `LB-${year}`, year });
    const created = await repos().rounds.create(r, auditEvent(r.id, 'system', 'round.created', r.id, NOW));
    if (!created.ok) throw new Error('round');
    const appId = `${String(n).padStart(4, '0')}`.padEnd(20, fill);
    const draft = { ...newDraft({ id: appId, roundId: r.id, applicantId: 'anouk', now: NOW }), fields, position: 'summary' as const };
    if (!(await repos().applications.create(draft, auditEvent(r.id, 'anouk', 'application.created', appId, NOW))).ok) throw new Error('draft');
    return { r, appId };
  };
}
