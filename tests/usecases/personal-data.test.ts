import { describe, expect, it } from 'vitest';
import { auditEvent, GLOBAL } from '../../src/domain/audit';
import { SECTION_IDS } from '../../src/domain/personal-data';
import { STORED_DATA } from '../../src/http/stored-data';
import { personalDataJson, personalDataMarkdown } from '../../src/reports/personal-data';
import { memoryRepos } from '../../src/store/memory-repos';
import { collectPersonalData } from '../../src/usecases/personal-data';
import { ACCOUNTHOUDER, linkedRound, REVIEWER, reviewedRound, submittedApplication } from '../support/rounds';
import { CUSTOM_FORM } from '../support/forms';
import { STEPS } from '../../src/domain/application';
import { validateStep } from '../../src/domain/validation';
import { fixedClock, NOW, VALID_INPUT } from '../fixtures';
import { addPanelMember } from '../../src/usecases/manage-panel';
import { claimReviewPost, recordReviewPosted } from '../../src/usecases/publish-review';
import { requestChanges, resubmitApplication } from '../../src/usecases/request-changes';

const OTHER = '00000000-0000-4000-8000-0000000000f2';
const at = NOW.toISOString();

/**
 * REVIEWER is everything at once: applicant of application 0 (with contact details), the panel
 * member who scored both, author of a consultation response, of a registry entry and of a
 * proposal mark, addressee of a message, with a chat, a roster address and a deletion request.
 * Someone else (OTHER) scored application 1 with a remark and is named in a message to REVIEWER.
 */
async function world() {
  const repos = memoryRepos();
  const setup = await reviewedRound(repos, [
    {
      requested: 10_000,
      score: 4,
      applicantId: REVIEWER,
      remark: 'Mijn eigen eindoordeel',
      fields: { contactName: 'Rita Reviewer', contactEmail: 'rita@example.nl', contactPhone: '0612345678' },
    },
    { requested: 12_000, score: 3, remark: 'Ander aanvraag' },
  ]);
  const roundId = setup.round.id;
  const [own, other] = setup.ids as [string, string];
  const review = (await repos.reviews.bundle(roundId, other)).review!;
  await repos.reviews.saveSheet(
    roundId,
    other,
    { memberId: OTHER, criteriaVersion: 1, scores: {}, comments: { x: 'OPMERKING-VAN-ANDER' }, overall: 'OORDEEL-VAN-ANDER', at },
    undefined,
    auditEvent(roundId, OTHER, 'review.scored', other, NOW),
    review,
  );
  await repos.reviews.addQuestion(
    roundId,
    { id: 'q1', applicationId: own, askedBy: OTHER, text: 'Hoe bereikt u ouders?', askedAt: at, answer: 'Via de school.', answeredAt: at },
    auditEvent(roundId, OTHER, 'review.question-asked', own, NOW),
  );
  await repos.reviews.addQuestion(
    roundId,
    { id: 'q2', applicationId: other, askedBy: REVIEWER, text: 'Mijn vraag aan een ander', askedAt: at },
    auditEvent(roundId, REVIEWER, 'review.question-asked', other, NOW),
  );
  await repos.conversations.save({ userId: REVIEWER, conversationId: 'a:rita', reference: {}, locale: 'nl-NL', updatedAt: at });
  await repos.conversations.saveRoster([
    { userId: REVIEWER, rosterId: '29:rita', tenantId: 't', serviceUrl: 's', botId: 'b', name: 'Rita Reviewer', updatedAt: at },
    { userId: OTHER, rosterId: '29:otto', tenantId: 't', serviceUrl: 's', botId: 'b', name: 'Otto Ander', updatedAt: at },
  ]);
  await repos.organisations.create(
    { id: 'org-0123456789ab', name: 'Rita Zorg (eenmanszaak)', aliases: [], createdBy: REVIEWER, createdAt: at, source: 'applicant' },
    auditEvent(GLOBAL, REVIEWER, 'organisation.registered', 'org-0123456789ab', NOW),
  );
  await repos.consultations.start(
    { roundId, draft: setup.round.criteria, closesAt: at, status: 'open', invited: [], startedBy: ACCOUNTHOUDER, startedAt: at },
    auditEvent(roundId, ACCOUNTHOUDER, 'consultation.started', roundId, NOW),
  );
  await repos.consultations.saveResponse(
    roundId,
    {
      userId: REVIEWER,
      role: 'partner',
      perCriterion: {},
      newCriteria: [{ title: 'Nieuw', description: 'Mijn voorstel', weight: 1, reason: 'Omdat' }],
      updatedAt: at,
    },
    undefined,
    auditEvent(roundId, REVIEWER, 'consultation.responded', roundId, NOW),
  );
  await repos.consultations.saveResponse(
    roundId,
    {
      userId: OTHER,
      role: 'partner',
      perCriterion: {},
      newCriteria: [{ title: 'Van Otto', description: 'REACTIE-VAN-ANDER', weight: 1, reason: 'x' }],
      updatedAt: at,
    },
    undefined,
    auditEvent(roundId, OTHER, 'consultation.responded', roundId, NOW),
  );
  await repos.allocation.putMark(
    roundId,
    { fingerprint: 'f1', memberId: REVIEWER, name: 'Rita Reviewer', role: 'partner', agree: true, remark: 'Eens, mooi', at },
    auditEvent(roundId, REVIEWER, 'allocation.marked', 'f1', NOW),
  );
  await repos.allocation.putMark(
    roundId,
    { fingerprint: 'f1', memberId: OTHER, name: 'Otto Ander', role: 'partner', agree: false, remark: 'MARK-VAN-ANDER', at },
    auditEvent(roundId, OTHER, 'allocation.marked', 'f1', NOW),
  );
  await repos.outbox.enqueue([
    {
      id: 'm1',
      roundId,
      kind: 'decision.applicant',
      target: { type: 'user', userId: REVIEWER },
      text: 'Otto Ander keurde uw aanvraag goed.',
      state: 'sent',
      attempts: 0,
      notBefore: at,
      createdAt: at,
    },
    {
      id: 'm2',
      roundId,
      kind: 'decision.applicant',
      target: { type: 'user', userId: OTHER },
      text: 'BERICHT-AAN-ANDER',
      state: 'sent',
      attempts: 0,
      notBefore: at,
      createdAt: at,
    },
  ]);
  const ownApp = (await repos.applications.get(roundId, own))!;
  await repos.attachments.add(
    ownApp,
    {
      id: 'f1',
      roundId,
      applicationId: own,
      sha256: 'b'.repeat(64),
      blobName: `${roundId}/${own}/f1`,
      name: 'begroting-rita.pdf',
      kind: 'pdf',
      size: 1234,
      addedBy: REVIEWER,
      addedAt: at,
      sourceId: 's1',
    },
    auditEvent(roundId, REVIEWER, 'application.attachment-added', own, NOW),
  );
  await repos.privacy.save(
    { userId: REVIEWER, rev: 1, state: 'open', requestedAt: at, lang: 'nl' },
    undefined,
    auditEvent(GLOBAL, REVIEWER, 'privacy.deletion-requested', REVIEWER, NOW),
    [],
  );
  return { repos, deps: { ...setup.deps, repos }, own, other, roundId };
}

describe('collectPersonalData (inzage, AVG art. 15)', () => {
  it('has a section for every kind of data the privacy page lists, each filled for a person who is everything', async () => {
    const { deps } = await world();
    const data = await collectPersonalData(deps, REVIEWER, '[naam verwijderd]');
    // A kind added to stored-data.ts without a section in the export fails here.
    for (const kind of STORED_DATA) expect(SECTION_IDS, kind.id).toContain(kind.id);
    for (const id of SECTION_IDS) {
      const v = data.sections[id];
      const filled = Array.isArray(v) ? v.length > 0 : Object.values(v).some((x) => (Array.isArray(x) ? x.length > 0 : x !== undefined));
      expect(filled, id).toBe(true);
    }
    const s = data.sections;
    expect(s.contact).toEqual([
      expect.objectContaining({ reference: 'LB-2026-001', contactName: 'Rita Reviewer', contactEmail: 'rita@example.nl', contactPhone: '0612345678' }),
    ]);
    expect(s.application[0]).toMatchObject({ reference: 'LB-2026-001', fields: expect.objectContaining({ organisation: 'Organisatie 0', title: 'Plan 0' }) });
    expect(s.application[0]!.eligibility ?? s.application[0]!.fields).toBeDefined();
    expect(s.attachments).toEqual([
      { roundId: expect.any(String), reference: 'LB-2026-001', name: 'begroting-rita.pdf', kind: 'pdf', size: 1234, addedAt: expect.any(String) },
    ]);
    expect(s.application[0]!.questions).toEqual([expect.objectContaining({ text: 'Hoe bereikt u ouders?', answer: 'Via de school.' })]);
    expect(s.review.sheets.map((x) => x.reference).sort()).toEqual(['LB-2026-001', 'LB-2026-002']);
    expect(s.review.sheets.find((x) => x.reference === 'LB-2026-001')!.overall).toBe('Mijn eigen eindoordeel');
    expect(s.review.questions).toEqual([expect.objectContaining({ text: 'Mijn vraag aan een ander', answered: false })]);
    expect(s.review.marks).toEqual([expect.objectContaining({ agree: true, remark: 'Eens, mooi' })]);
    expect(s.consultation[0]!.newCriteria[0]!.description).toBe('Mijn voorstel');
    expect(s.people).toMatchObject({
      conversation: { conversationId: 'a:rita' },
      roster: { name: 'Rita Reviewer' },
      panel: [expect.objectContaining({ role: 'ervaringsdeskundige' })],
    });
    expect(s.organisations).toEqual([expect.objectContaining({ name: 'Rita Zorg (eenmanszaak)' })]);
    expect(s.requests).toEqual([expect.objectContaining({ kind: 'deletion', state: 'open' })]);
    // Their own actions, and others' actions on their application (as "other", never by id).
    expect(s.audit.some((a) => a.action === 'review.scored' && a.actor === 'self')).toBe(true);
    expect(s.audit.some((a) => a.action === 'review.question-asked' && a.actor === 'other' && a.reference === 'LB-2026-001')).toBe(true);
  });

  it('holds nothing of anyone else: not their remarks, marks, responses, messages, names or ids', async () => {
    const { deps } = await world();
    const data = await collectPersonalData(deps, REVIEWER, '[naam verwijderd]');
    const json = personalDataJson(data);
    for (const secret of [
      'OPMERKING-VAN-ANDER',
      'OORDEEL-VAN-ANDER',
      'MARK-VAN-ANDER',
      'REACTIE-VAN-ANDER',
      'BERICHT-AAN-ANDER',
      'Otto Ander',
      OTHER,
      ACCOUNTHOUDER,
    ]) {
      expect(json, secret).not.toContain(secret);
    }
    expect(data.sections.messages).toEqual([expect.objectContaining({ kind: 'decision.applicant', text: ['[naam verwijderd] keurde uw aanvraag goed.'] })]);
  });

  it('someone else asking gets only their own data (the person is who asks, never a parameter of the data)', async () => {
    const { deps } = await world();
    const data = await collectPersonalData(deps, OTHER, '[naam verwijderd]');
    const json = personalDataJson(data);
    expect(json).not.toContain('Rita Reviewer');
    expect(json).not.toContain('rita@example.nl');
    expect(data.sections.application).toEqual([]);
    expect(data.sections.review.sheets).toEqual([expect.objectContaining({ overall: 'OORDEEL-VAN-ANDER' })]);
  });

  it('the readable file has a heading per kind and what was typed, with markup in typed text escaped', async () => {
    const { deps } = await world();
    const md = personalDataMarkdown('nl', await collectPersonalData(deps, REVIEWER, '[naam verwijderd]'));
    for (const h of [
      '## Contactgegevens',
      '## Aanvragen en resultaten',
      '## Beoordelingen',
      '## Logboek van handelingen',
      '## Berichten aan u',
      '## Uw verzoeken',
    ])
      expect(md).toContain(h);
    expect(md).toContain('rita@example.nl');
    expect(md).toContain('Mijn eigen eindoordeel');
    expect(md).toContain('\\[naam verwijderd\\]');
    const en = personalDataMarkdown('en', await collectPersonalData(deps, REVIEWER, '[name removed]'));
    expect(en).toContain('## Contact details');
  });

  it('answers to the round’s own questions are listed with their labels, in the JSON and the readable file', async () => {
    const repos = memoryRepos();
    await reviewedRound(
      repos,
      [{ requested: 9_000, score: 4, applicantId: REVIEWER, fields: { answers: { q1: 'Jongeren van 12 tot 18', q2: 'groep', q3: 25 } } }],
      {
        form: CUSTOM_FORM,
      },
    );
    const data = await collectPersonalData({ repos, clock: fixedClock(), accounthouders: [ACCOUNTHOUDER] }, REVIEWER, '[naam verwijderd]');
    expect(data.sections.application[0]!.formAnswers).toEqual([
      { question: 'q1', label: { nl: 'Voor wie is het?', en: 'Who is it for?' }, answer: 'Jongeren van 12 tot 18' },
      { question: 'q2', label: { nl: 'Vorm', en: 'Format' }, answer: 'groep' },
      { question: 'q3', label: { nl: 'Aantal deelnemers', en: 'Number of participants' }, answer: 25 },
    ]);
    expect(personalDataMarkdown('nl', data)).toContain('Voor wie is het?');
  });
});

describe("inzage: a change request on the person's application", () => {
  it('lists the note, the dates and what changed (so far, then as sent back), never who asked or proposed it', async () => {
    const repos = memoryRepos();
    const clock = fixedClock();
    const deps = { repos, clock, accounthouders: [ACCOUNTHOUDER] };
    const round = await linkedRound(repos, { quorum: 1 });
    for (const [userId, role] of [
      [REVIEWER, 'ervaringsdeskundige'],
      [OTHER, 'partner'],
    ] as const)
      await addPanelMember(deps, {
        actorId: ACCOUNTHOUDER,
        person: { userId, mri: `29:${userId}`, name: 'Lid' },
        role,
        ...(role === 'partner' ? { organisation: 'Panelpartner' } : {}),
      });
    const fields = Object.assign(
      {},
      ...STEPS.map((s) => {
        const v = validateStep(s, VALID_INPUT[s], round, 'complete');
        if (!v.ok) throw new Error(s);
        return v.value;
      }),
    );
    const APPLICANT = '00000000-0000-4000-a000-0000000000c1';
    const applicationId = await submittedApplication(repos, round, APPLICANT, fields);
    const claimed = await claimReviewPost(deps, round.id, applicationId);
    if (!claimed.ok) throw new Error(claimed.error.code);
    await recordReviewPosted(deps, claimed.value, { threadId: '19:c@thread.tacv2;messageid=1', activityId: 'card-1' });
    const note = 'Voeg een begrotingsregel toe voor de huur.';
    const compose = { applicant: () => ({}), proposal: () => ({}) };
    const get = async () => (await repos.applications.get(round.id, applicationId))!;
    const asked = await requestChanges(deps, {
      actorId: ACCOUNTHOUDER,
      roundId: round.id,
      applicationId,
      rev: (await get()).value.rev,
      note,
      dueDate: '',
      compose,
      proposedBy: OTHER,
    });
    expect(asked.ok).toBe(true);
    const request = asked.ok ? asked.value.request : undefined;
    const entryOf = async () =>
      (await collectPersonalData(deps, APPLICANT, '[naam verwijderd]')).sections.application.find((a) => a.applicationId === applicationId)!;

    // While it is away: the note, when asked, when due; a field changed so far is named.
    const away = await get();
    await repos.applications.update(
      away,
      { ...away.value, fields: { ...away.value.fields, approach: 'Wij huren een zaal.' } },
      auditEvent(round.id, APPLICANT, 'application.step-saved', applicationId, clock.now()),
    );
    const waiting = await entryOf();
    expect(waiting.status).toBe('changes_requested');
    expect(waiting.changeRequest).toEqual({
      note,
      requestedAt: request!.requestedAt,
      dueBy: request!.dueBy,
      proposedByPanel: true,
      changed: ['approach'],
      fieldsWhenAsked: fields,
    });

    // Sent back: the date it came back and the fields that changed, as stored.
    clock.set(new Date(clock.now().getTime() + 3600_000));
    const current = await get();
    expect((await resubmitApplication(deps, current, current.value, APPLICANT)).ok).toBe(true);
    const back = await entryOf();
    expect(back.changeRequest).toMatchObject({ note, changed: ['approach'], resubmittedAt: clock.now().toISOString() });

    const data = await collectPersonalData(deps, APPLICANT, '[naam verwijderd]');
    const json = personalDataJson(data);
    // Who asked and who proposed it are not the applicant's data.
    expect(json).not.toContain(ACCOUNTHOUDER);
    expect(json).not.toContain(OTHER);
    const md = personalDataMarkdown('nl', data);
    expect(md).toContain('**changeRequest**');
    expect(md).toContain(note);
  });
});
