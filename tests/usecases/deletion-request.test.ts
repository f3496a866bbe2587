import { describe, expect, it } from 'vitest';
import { deletionMessages } from '../../src/app/privacy/routes';
import { requestCard } from '../../src/cards/privacy-cards';
import { auditEvent } from '../../src/domain/audit';
import type { Lang } from '../../src/i18n';
import { removedPhrase } from '../../src/i18n/privacy-requests';
import { memoryRepos } from '../../src/store/memory-repos';
import { decideDeletion, requestDeletion, requestIdOf, viewRequest } from '../../src/usecases/deletion-request';
import { NOW } from '../fixtures';
import { ACCOUNTHOUDER, reviewedRound } from '../support/rounds';
import { readCard } from '../support/teams';

const APPLICANT = '00000000-0000-4000-8000-0000000000c7';

/** APPLICANT's application, reviewed: a comment on each of the demo round's 7 criteria, an overall remark, a question with its answer. */
async function world(lang: Lang) {
  const repos = memoryRepos();
  const setup = await reviewedRound(repos, [{ requested: 10_000, score: 4, applicantId: APPLICANT, comment: 'Goed onderbouwd', remark: 'Sterk plan' }]);
  const roundId = setup.round.id;
  const [id] = setup.ids as [string];
  await repos.reviews.addQuestion(
    roundId,
    {
      id: 'q1',
      applicationId: id,
      askedBy: ACCOUNTHOUDER,
      text: 'Hoe bereikt u ouders?',
      askedAt: NOW.toISOString(),
      answer: 'Via school.',
      answeredAt: NOW.toISOString(),
    },
    auditEvent(roundId, ACCOUNTHOUDER, 'review.question-asked', id, NOW),
  );
  const deps = { ...setup.deps, repos };
  const asked = await requestDeletion(deps, { actorId: APPLICANT, lang, messages: deletionMessages });
  if (!asked.ok) throw new Error(asked.error.code);
  const decided = await decideDeletion(deps, {
    actorId: ACCOUNTHOUDER,
    requestId: requestIdOf(APPLICANT),
    rev: asked.value.request.rev,
    approve: true,
    messages: deletionMessages,
  });
  if (!decided.ok) throw new Error(decided.error.code);
  const answer = (await repos.outbox.list('global')).find((e) => e.kind === 'privacy.deletion-answer');
  return { deps, repos, view: decided.value.view, answer };
}

describe('an approved deletion request is worded from what was removed', () => {
  it('the answer to the person names each kind with its count, in Dutch, computed from the stored outcome', async () => {
    const { view, answer } = await world('nl');
    const o = view.request.outcome!;
    expect(o).toMatchObject({ applications: 1, removed: { comments: 7, overallRemarks: 1, questions: 1, answers: 1 } });
    expect(o.auditRecords).toBeGreaterThan(1);
    expect(answer?.target).toEqual({ type: 'user', userId: APPLICANT });
    expect(answer?.text).toContain(
      'Verwijderd: 1 aanvraag: contactgegevens en teksten, 7 toelichtingen van panelleden, 1 eindoordeel van een panellid, 1 vraag van het panel, ' +
        `1 antwoord op een vraag en uw Microsoft-id, ook in ${o.auditRecords} regels van het logboek (nu een schuilnaam).`,
    );
    expect(answer?.text).toMatch(/Bewaard voor het subsidiedossier: .*bedragen/);
    expect(answer?.text).not.toMatch(/\b(applications|comments|overallRemarks|questions|answers|auditRecords|applicationFields): \d/);
  });

  it('in English for a person who asked in English', async () => {
    const { view, answer } = await world('en');
    expect(answer?.text).toContain(
      'Removed: 1 application: contact details and texts, 7 comments by panel members, 1 overall remark by a panel member, 1 question from the panel, ' +
        `1 answer to a question and your Microsoft id, also in ${view.request.outcome!.auditRecords} lines of the record (now a pseudonym).`,
    );
  });

  it('the decided card tells the accounthouder the same, about "the person", not in raw counts', async () => {
    const { deps, view } = await world('nl');
    const again = await viewRequest(deps, { actorId: ACCOUNTHOUDER, requestId: view.requestId });
    if (!again.ok) throw new Error(again.error.code);
    const text = readCard(requestCard('nl', again.value, { who: 'Ingrid' })).text;
    expect(text).toContain('Wat verwijderd is');
    expect(text).toContain('1 aanvraag: contactgegevens en teksten, 7 toelichtingen van panelleden');
    expect(text).toContain('de Microsoft-id van de persoon, ook in');
    expect(text).not.toContain('uw Microsoft-id');
    expect(text).not.toMatch(/\b(applications|comments|overallRemarks|questions|answers|auditRecords|applicationFields): \d/);
    expect(readCard(requestCard('en', again.value, { who: 'Ingrid' })).text).toContain('What was removed');
  });
});

describe('removedPhrase', () => {
  const none = {
    applicationFields: [],
    resultsFields: [],
    comments: 0,
    overallRemarks: 0,
    recusalNotes: 0,
    questions: 0,
    answers: 0,
    applicantPseudonymised: false,
  };
  it('says one or many through plural(), contact details apart from texts, and nothing when nothing goes', () => {
    expect(removedPhrase('nl', none, 0)).toBe('');
    expect(removedPhrase('nl', { ...none, applicationFields: ['contactEmail'], applicantPseudonymised: true }, 2)).toBe(
      '2 aanvragen: contactgegevens en uw Microsoft-id (nu een schuilnaam)',
    );
    expect(removedPhrase('nl', { ...none, comments: 1, recusalNotes: 3, resultsFields: ['done'] }, 0, { voice: 'accounthouder', auditRecords: 1 })).toBe(
      'teksten van het resultatenverslag, 1 toelichting van een panellid, 3 toelichtingen bij een belang en de Microsoft-id van de persoon, ook in 1 regel van het logboek (nu een schuilnaam)',
    );
    expect(removedPhrase('en', { ...none, applicationFields: ['approach'], comments: 1 }, 1)).toBe(
      '1 application: texts, 1 comment by a panel member and your Microsoft id (now a pseudonym)',
    );
  });

  it('names what anonymising every role removes too: files, remarks with a mark, consultation texts, names, addresses', () => {
    expect(removedPhrase('nl', { ...none, files: 2, markRemarks: 1, consultationTexts: 3, namesReplaced: 4, addresses: 2 }, 0)).toBe(
      '2 bijlagen, 1 opmerking bij eens of oneens, 3 teksten uit raadplegingen, de naam op 4 plekken (nu een schuilnaam), 2 chatadressen en uw Microsoft-id (nu een schuilnaam)',
    );
    expect(removedPhrase('en', { ...none, files: 1, addressesLater: true }, 0)).toBe(
      '1 attached file, the chat address (once the last message has been sent) and your Microsoft id (now a pseudonym)',
    );
  });
});
