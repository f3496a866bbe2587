import { describe, expect, it } from 'vitest';
import { cardBytes } from '../../src/cards/render';
import { reminderCard } from '../../src/cards/reminder-cards';
import { REMINDER_KINDS, reminderPlan } from '../../src/domain/reminders';
import { NOW, round as baseRound } from '../fixtures';
import { readCard } from '../support/teams';

const r = baseRound({
  routing: {
    byWijk: {},
    default: { teamId: 't', channelId: 'c', serviceUrl: 'http://x/', tenantId: 't', botId: 'b', linkedBy: 'a', linkedAt: NOW.toISOString() },
  },
});
const long = 'Een heel lange titel van een aanvraag die maar doorgaat '.repeat(4).slice(0, 200);
const items = Array.from({ length: 60 }, (_, i) => ({
  applicationId: `${String(i).padStart(20, '0')}`,
  reference: `LB-2026-${String(i).padStart(3, '0')}`,
  title: long,
}));
const plan = reminderPlan(r, {
  accounthouders: ['acc'],
  unscored: items.map((i) => ({ ...i, memberIds: ['m'] })),
  drafts: items.map((i) => ({ ...i, applicantId: 'p' })),
  awaitingResults: items.map((i) => ({ ...i, applicantId: 'q' })),
  consultation: { closesAt: r.submissionDeadline, unanswered: ['c'] },
});

describe('reminder cards', () => {
  const cases = (['nl', 'en'] as const).flatMap((lang) =>
    REMINDER_KINDS.flatMap((kind) => {
      const reminder = plan.find((p) => p.kind === kind)!;
      return reminder.recipients.map(
        (recipient) => [`${lang} ${kind} ${recipient.type}`, reminderCard(lang, { reminder, round: r, recipient, now: NOW })] as const,
      );
    }),
  );

  it.each(cases)('%s: small, bindings resolved, at most 6 actions, text wraps', (_name, card) => {
    expect(cardBytes(card)).toBeLessThan(28 * 1024);
    expect(JSON.stringify(card)).not.toMatch(/\$\{|\$data|\$when/);
    expect(card.version).toBe('1.5');
    expect((card.actions as unknown[]).length).toBeLessThanOrEqual(6);
    for (const t of JSON.stringify(card).match(/"type":"TextBlock"[^}]*}/g) ?? []) expect(t).toContain('"wrap":true');
  });

  it('buttons: the accounthouder can ask for the report, a partner resumes a draft or opens results; the channel gets none', () => {
    const verbs = (name: string) => JSON.stringify(cases.find(([n]) => n === name)![1]).match(/"verb":"[^"]+"/g) ?? [];
    expect(verbs('nl council.allocation user')).toEqual(['"verb":"report.allocation"']);
    expect(verbs('nl council.results user')).toEqual(['"verb":"report.results"']);
    expect(verbs('nl council.results channel')).toEqual([]);
    expect(verbs('nl draft.unsubmitted user')).toEqual(Array(4).fill('"verb":"apply.resume"'));
    expect(verbs('en results.missing user')).toEqual(Array(4).fill('"verb":"results.open"'));
    expect(verbs('nl panel.unscored user')).toEqual([]);
    const resume = readCard(cases.find(([n]) => n === 'nl draft.unsubmitted user')![1]).actions[0]!;
    expect(resume.data).toEqual({ applicationId: items[0]!.applicationId, roundId: r.id });
  });

  it('the panel reminder lists what to score by reference and title', () => {
    const text = JSON.stringify(cases.find(([n]) => n === 'nl panel.unscored user')![1]);
    expect(text).toContain(`• LB-2026-000: ${long}`);
    expect(text).toContain('en nog 40 andere');
  });
});
