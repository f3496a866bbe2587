import { describe, expect, it } from 'vitest';
import { reminderPlan, ReminderFacts } from '../../src/domain/reminders';
import { amsterdamInstant } from '../../src/domain/round-settings';
import { memoryRepos } from '../../src/store/memory-repos';
import { respondToConsultation, startConsultation } from '../../src/usecases/consultation';
import { reminderFacts } from '../../src/usecases/send-due-reminders';
import { seedDemoRound } from '../../src/usecases/seed-demo-round';
import { fixedClock, NOW, round } from '../fixtures';

const NONE: ReminderFacts = { accounthouders: [], unscored: [], drafts: [], awaitingResults: [] };

describe('consultation reminders', () => {
  it('go to invited people who have not responded, 3 days and 1 day before closing, also in a draft round', () => {
    const closesAt = amsterdamInstant('2026-12-10', '17:00');
    const plan = reminderPlan(round({ status: 'draft' }), { ...NONE, consultation: { closesAt, unanswered: ['p2', 'p1'] } });
    expect(plan.map((r) => [r.kind, r.audienceKey, r.offsetDays, r.at])).toEqual([
      ['consultation.unanswered', 'p1', 3, amsterdamInstant('2026-12-07', '09:00')],
      ['consultation.unanswered', 'p2', 3, amsterdamInstant('2026-12-07', '09:00')],
      ['consultation.unanswered', 'p1', 1, amsterdamInstant('2026-12-09', '09:00')],
      ['consultation.unanswered', 'p2', 1, amsterdamInstant('2026-12-09', '09:00')],
    ]);
  });

  it('facts: only an open consultation, only those who have not responded', async () => {
    const deps = { repos: memoryRepos(), clock: fixedClock(), accounthouders: ['boss'] };
    const { roundId } = await seedDemoRound(deps);
    await startConsultation(deps, {
      actorId: 'boss',
      closesAt: new Date(NOW.getTime() + 10 * 86_400_000).toISOString(),
      invited: [
        { userId: 'p1', name: 'P1', role: 'partner' },
        { userId: 'e1', name: 'E1', role: 'ervaringsdeskundige' },
      ],
    });
    await respondToConsultation(deps, { actorId: 'p1', roundId, perCriterion: { integraal: { kind: 'endorse' } } });
    const snapshot = (await deps.repos.allocation.snapshotWithReviews(roundId))!;
    const facts = reminderFacts(snapshot, ['boss'], await deps.repos.consultations.state(roundId));
    expect(facts.consultation?.unanswered).toEqual(['e1']);
    expect(reminderFacts(snapshot, ['boss']).consultation).toBeUndefined();
  });
});

describe('no reminder before its reason', () => {
  it('a draft started after a reminder moment gets only the later reminders', () => {
    const r = round();
    const all = reminderPlan(r, { ...NONE, drafts: [{ applicationId: 'a', applicantId: 'p' }] }).filter((x) => x.kind === 'draft.unsubmitted');
    const since = all[1]!.at; // started exactly at the second moment
    const later = reminderPlan(r, { ...NONE, drafts: [{ applicationId: 'a', applicantId: 'p', since }] }).filter((x) => x.kind === 'draft.unsubmitted');
    expect(later.map((x) => x.offsetDays)).toEqual(all.slice(2).map((x) => x.offsetDays));
  });
});
