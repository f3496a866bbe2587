import { newDraft } from '../../src/domain/application';
import { auditEvent } from '../../src/domain/audit';
import { allocationReportData, resultsReportData } from '../../src/domain/council-report';
import { overviewLedger, overviewRows } from '../../src/domain/application-overview';
import type { Repos } from '../../src/ports';
import { awardsCsv, wooCsv } from '../../src/reports/csv';
import { NOW, VALID_INPUT } from '../fixtures';
import { CONTACTS, PANEL_IDS, reportRound } from './report-round';
import { ACCOUNTHOUDER, REVIEWER } from './rounds';

/** Free texts the fixture types in review rows: none may be left after anonymisation. */
export const REVIEW_TEXTS = {
  comment: 'Mooi plan van Fatima, maar de jeugdhulp-cliënt K. wordt genoemd',
  overall: 'Eindoordeel: sterk, ken de familie Yilmaz',
  question: 'Hoe bereikt u de zoon van mevrouw De Boer?',
  answer: 'Via zijn mentor op school, meneer Bakker.',
  recusal: 'Mijn zus werkt bij deze stichting',
};
export const DRAFTER = '00000000-0000-4000-a000-00000000d0d0';
export const DRAFT_ID = 'd'.repeat(20);

/**
 * The report round (7 applications, a decision, results) plus what people type around it: a
 * comment on every criterion and an overall remark on every sheet, a question with its answer, a
 * declared conflict with its reason, and a never-submitted draft with contact details.
 */
export async function retentionRound(repos?: Repos) {
  const built = await reportRound(repos);
  const r = built.repos;
  const roundId = built.roundId;
  const round = (await r.rounds.get(roundId))!.value;
  for (const [i, id] of built.ids.entries()) {
    const bundle = await r.reviews.bundle(roundId, id);
    for (const s of bundle.sheets) {
      const comments = Object.fromEntries(round.criteria.items.map((c) => [c.id, REVIEW_TEXTS.comment]));
      const saved = await r.reviews.saveSheet(
        roundId,
        id,
        { ...s.value, comments, overall: REVIEW_TEXTS.overall },
        s.etag,
        auditEvent(roundId, REVIEWER, 'review.scored', id, NOW),
        bundle.review!,
      );
      if (!saved.ok) throw new Error('sheet');
    }
    if (i < 3) {
      const q = { id: `q${i}`, applicationId: id, askedBy: REVIEWER, text: REVIEW_TEXTS.question, askedAt: NOW.toISOString() };
      await r.reviews.addQuestion(roundId, q, auditEvent(roundId, REVIEWER, 'review.question-asked', id, NOW));
      const stored = (await r.reviews.bundle(roundId, id)).questions[0]!;
      await r.reviews.answerQuestion(
        roundId,
        stored,
        { ...q, answer: REVIEW_TEXTS.answer, answeredAt: NOW.toISOString() },
        auditEvent(roundId, 'x', 'review.question-answered', id, NOW),
      );
    }
  }
  const first = await r.reviews.bundle(roundId, built.ids[0]!);
  const rec = await r.reviews.addRecusal(
    roundId,
    built.ids[0]!,
    { memberId: PANEL_IDS[0]!, reason: 'declared', note: REVIEW_TEXTS.recusal, at: NOW.toISOString() },
    auditEvent(roundId, PANEL_IDS[0]!, 'review.recused', built.ids[0]!, NOW),
    first.review!,
  );
  if (!rec.ok) throw new Error('recusal');
  const draft = {
    ...newDraft({ id: DRAFT_ID, roundId, applicantId: DRAFTER, now: NOW }),
    fields: { ...VALID_INPUT.organisation, coApplicants: [], title: 'Half plan', question: 'Over mijn buurman' } as never,
  };
  await r.applications.create(draft, auditEvent(roundId, DRAFTER, 'application.created', DRAFT_ID, NOW));
  return { ...built, round, accounthouder: ACCOUNTHOUDER };
}

/** Every value a report is made of that is a number (or a status/date), path by path: what must not change. */
function numbersOf(value: unknown, path = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (typeof value === 'number' || typeof value === 'boolean') out[path] = value;
  else if (Array.isArray(value)) value.forEach((v, i) => numbersOf(v, `${path}[${i}]`, out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) numbersOf(v, path ? `${path}.${k}` : k, out);
  return out;
}

/** The reports the council, the accounthouder and the Woo publication get, built now from storage. */
export async function reportsOf(repos: Repos, roundId: string) {
  const snapshot = (await repos.allocation.snapshotWithReviews(roundId))!;
  const allocation = allocationReportData(snapshot, NOW);
  const results = resultsReportData(snapshot, NOW);
  const rows = overviewRows(snapshot);
  return {
    allocation,
    results,
    woo: wooCsv(allocation),
    awards: awardsCsv(allocation),
    numbers: {
      allocation: numbersOf(allocation),
      results: numbersOf({
        ...results,
        rows: results.rows.map((x) => ({ ...x, done: undefined, reached: undefined, learned: undefined, indicators: undefined })),
      }),
      overview: numbersOf(rows.map((x) => ({ ...x, title: undefined }))),
      ledger: numbersOf(overviewLedger(snapshot)),
    },
    snapshot,
  };
}

/**
 * Every personal value the fixture typed (contacts, review texts). Not 'Jan Visser': the contact
 * of "Jan Visser Coaching", an eenmanszaak whose name the Woo list and the council report carry
 * (the organisation is kept; the accounthouder checks such names before publishing).
 */
export const TYPED_PERSONAL = [
  ...CONTACTS.flatMap((c) => [c.email, c.phone, ...(c.name === 'Jan Visser' ? [] : [c.name])]),
  ...Object.values(REVIEW_TEXTS),
  'Over mijn buurman',
];
