import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERBS } from '../../src/app/core/verbs';
import { auditEvent } from '../../src/domain/audit';
import { DEFAULT_FORM, formOf, questionsOf } from '../../src/domain/form';
import type { Repos } from '../../src/ports';
import { ensureTables, tableClients } from '../../src/store/tables';
import { tableRepos } from '../../src/store/table-repos';
import { ApplicationFields, newDraft, STEPS } from '../../src/domain/application';
import { validateStep } from '../../src/domain/validation';
import { submitApplication } from '../../src/usecases/submit-application';
import { fixedClock, NOW, round, VALID_INPUT } from '../fixtures';
import { startHarness } from '../support/harness';
import { ACCOUNTHOUDER } from '../support/rounds';
import { cardAction, personalMessage, readCard, User } from '../support/teams';

const BOSS: User = { id: '29:boss', aadObjectId: ACCOUNTHOUDER, name: 'Accounthouder' };
const OTHER: User = { id: '29:other', aadObjectId: '00000000-0000-4000-8000-0000000000ff', name: 'Iemand' };
const ROUND = 'LB-2026';

let h: Awaited<ReturnType<typeof startHarness>>;
let repos: Repos;

beforeAll(async () => {
  h = await startHarness({ clock: fixedClock(), env: { SEED_DEMO: 'false', ACCOUNTHOUDER_IDS: ACCOUNTHOUDER } });
  const clients = tableClients(h.azurite.connectionString, h.config.storage.tablePrefix);
  await ensureTables(clients);
  repos = tableRepos(clients);
  const r = round();
  const created = await repos.rounds.create(r, auditEvent(r.id, 'system', 'round.created', r.id, NOW));
  if (!created.ok) throw new Error('round');
  // A second round with a submitted application: its form is fixed.
  const r2 = round({ id: 'LB-2025', year: 2025, name: 'Leerbudget 2025' });
  if (!(await repos.rounds.create(r2, auditEvent(r2.id, 'system', 'round.created', r2.id, NOW))).ok) throw new Error('round 2');
  const fields: ApplicationFields = Object.assign(
    {},
    ...STEPS.map((s) => {
      const v = validateStep(s, VALID_INPUT[s], r2, 'complete');
      if (!v.ok) throw new Error(s);
      return v.value;
    }),
  );
  const draft = { ...newDraft({ id: 'f'.repeat(20), roundId: r2.id, applicantId: 'anouk', now: NOW }), fields, position: 'summary' as const };
  if (!(await repos.applications.create(draft, auditEvent(r2.id, 'anouk', 'application.created', draft.id, NOW))).ok) throw new Error('draft');
  const submitted = await submitApplication({ repos, clock: fixedClock() }, { applicantId: 'anouk', roundId: r2.id, applicationId: draft.id, rev: 1 });
  if (!submitted.ok) throw new Error('submit');
}, 60_000);
afterAll(() => h?.stop());

async function say(user: User, text: string, locale = 'nl-NL') {
  h.connector.clear();
  const res = await h.send(personalMessage(h.connector.url, user, text, locale));
  expect(res.status).toBeLessThan(300);
  return readCard(h.connector.posted[0]!.activity.attachments?.[0]?.content);
}
const press = async (user: User, verb: string, data: Record<string, unknown>, locale = 'nl-NL') =>
  readCard(await h.invoke(cardAction(h.connector.url, user, verb, data, locale)));
const stored = async () => formOf((await repos.rounds.get(ROUND))!.value);
const changes = async () => (await repos.audit.list(ROUND)).filter((e) => e.action === 'round.formChanged');
const ownIds = async () => questionsOf(await stored()).flatMap((x) => (/^q\d+$/.test(x.question.id) ? [x.question.id] : []));

describe('the form editor in the 1:1 chat (formulier)', () => {
  it('formulier shows the steps and their questions; add, change, move and remove (with confirmation) a question', async () => {
    const editor = await say(BOSS, 'formulier');
    expect(editor.text).toContain('Aanvraagformulier: ');
    expect(editor.text).toContain('Versie 1 · 5 stappen · 18 vragen');
    expect(editor.text).toContain('Stap 1: Organisatie en contact');
    expect(editor.text).toContain('1. Naam van je organisatie');
    expect(editor.text).toContain('organisatie · verplicht · vast');
    // The first step is open: its buttons; the others have "Bewerk stap n".
    expect(editor.action('Wijzig vraag 1').data).toEqual({ roundId: ROUND, version: 1, questionId: 'organisation' });
    const results = await press(BOSS, VERBS.form.open, editor.action('Bewerk stap 5').data);
    expect(results.text).toContain('Stap 5: Resultaat');

    // Add: the type from the ChoiceSet opens the new question's card; saving adds it.
    const addData = results.action('Vraag toevoegen aan stap 5').data;
    const newCard = await press(BOSS, VERBS.form.new, { ...addData, type: 'choice' });
    expect(newCard.text).toContain('Nieuwe vraag in stap 5');
    expect(newCard.text).toContain('Soort antwoord: één keuze');
    expect(newCard.input('labelNl')).toMatchObject({ isRequired: true, errorMessage: expect.any(String) });
    const save = newCard.action('Vraag opslaan').data;
    // Refused: nothing stored, the card comes back with what was typed.
    const refused = await press(BOSS, VERBS.form.save, { ...save, labelNl: 'Hoe vaak?', labelEn: '', choices: 'Elke week | Every week' });
    expect(refused.text).toContain('Niet opgeslagen:');
    expect(refused.text).toContain('Vul dit in beide talen in, of laat beide leeg.');
    expect(refused.text).toContain('Geef 2 tot 12 keuzes, één per regel.');
    expect(refused.input('labelNl')!.value).toBe('Hoe vaak?');
    expect(refused.input('choices')!.value).toBe('Elke week | Every week');
    expect(await changes()).toHaveLength(0);
    const added = await press(BOSS, VERBS.form.save, {
      ...save,
      labelNl: 'Hoe vaak kom je samen?',
      labelEn: 'How often do you meet?',
      required: 'true',
      choices: 'Elke week | Every week\nElke maand | Every month',
    });
    expect(added.text).toContain('Opgeslagen. Het formulier is nu versie 2.');
    expect(added.text).toContain('19. Hoe vaak kom je samen?');
    expect(added.text).toContain('één keuze · verplicht');
    const q = questionsOf(await stored()).find((x) => x.question.id === 'q2')!;
    expect(q.step.id).toBe('results');
    expect(q.question.choices).toEqual([
      { id: 'elke-week', label: { nl: 'Elke week', en: 'Every week' } },
      { id: 'elke-maand', label: { nl: 'Elke maand', en: 'Every month' } },
    ]);

    // Second press of the same save: the form is at version 2 now, so nothing is added twice.
    const twice = await press(BOSS, VERBS.form.save, {
      ...save,
      labelNl: 'Hoe vaak kom je samen?',
      labelEn: 'How often do you meet?',
      choices: 'Ja | Yes\nNee | No',
    });
    expect(twice.text).toContain('Het formulier is intussen veranderd. Er is niets opgeslagen.');
    expect(await ownIds()).toEqual(['q2']);
    expect(await changes()).toHaveLength(1);

    // The preview: the step as the applicant sees it, the new question with its choices, no way to submit.
    const preview = await press(BOSS, VERBS.form.preview, added.action('Voorbeeld van stap 5').data);
    expect(preview.text).toContain('Voorbeeld: Resultaat');
    expect(preview.text).toContain('Zo ziet de aanvrager deze stap.');
    const choice = preview.input('q2')!;
    expect(String(choice.label)).toContain('Hoe vaak kom je samen?');
    expect((choice.choices as { title: string }[]).map((c) => c.title)).toEqual(['Elke week', 'Elke maand']);
    expect(preview.actions.map((a) => a.verb)).not.toContain(VERBS.application.step);
    expect(preview.actions.map((a) => a.title)).toEqual(['Voorbeeld van stap 4', 'Terug naar het formulier']);

    // Change it: its card shows what is stored.
    const qCard = await press(BOSS, VERBS.form.question, added.action('Wijzig vraag 19').data);
    expect(qCard.input('labelEn')!.value).toBe('How often do you meet?');
    expect(qCard.input('choices')!.value).toBe('elke-week: Elke week | Every week\nelke-maand: Elke maand | Every month');
    const changed = await press(BOSS, VERBS.form.save, {
      ...qCard.action('Vraag opslaan').data,
      labelNl: 'Hoe vaak?',
      labelEn: 'How often?',
      helpNl: 'Ongeveer',
      helpEn: 'Roughly',
      required: 'false',
      choices: String(qCard.input('choices')!.value),
    });
    expect(changed.text).toContain('versie 3');
    expect(changed.text).toContain('19. Hoe vaak?');
    expect(changed.text).toContain('één keuze · niet verplicht');

    // Move it up (into place 18), then up across the step border is allowed as well.
    const moved = await press(BOSS, VERBS.form.move, changed.action('Vraag 19 omhoog').data);
    expect(moved.text).toContain('18. Hoe vaak?');
    expect((await stored()).steps[4]!.questions.map((x) => x.id)).toEqual(['expectedResults', 'q2', 'evidence']);
    // A second press of the same move: stale, moved once.
    const again = await press(BOSS, VERBS.form.move, changed.action('Vraag 19 omhoog').data);
    expect(again.text).toContain('Het formulier is intussen veranderd.');
    expect((await stored()).steps[4]!.questions.map((x) => x.id)).toEqual(['expectedResults', 'q2', 'evidence']);

    // Remove it: first a confirmation naming the question, then removed once.
    const confirm = await press(BOSS, VERBS.form.remove, moved.action('Verwijder vraag 18').data);
    expect(confirm.text).toContain('Vraag 18 verwijderen?');
    expect(confirm.text).toContain('De vraag "Hoe vaak?" gaat uit het formulier.');
    expect(await ownIds()).toEqual(['q2']);
    const removed = await press(BOSS, VERBS.form.remove, confirm.action('Ja, verwijder vraag 18').data);
    expect(removed.text).toContain('Vraag verwijderd. Het formulier is nu versie 5.');
    expect(await ownIds()).toEqual([]);
    const removedTwice = await press(BOSS, VERBS.form.remove, confirm.action('Ja, verwijder vraag 18').data);
    expect(removedTwice.text).toContain('Het formulier is intussen veranderd.');
    expect((await stored()).version).toBe(5);
    expect((await changes()).map((e) => e.details?.op).sort()).toEqual(['addQuestion', 'changeQuestion', 'moveQuestion', 'removeQuestion']);
  });

  it('core questions cannot be removed; a card naming a question or round that does not exist changes nothing', async () => {
    const editor = await say(BOSS, 'form', 'en-US');
    expect(editor.text).toContain('Application form: ');
    expect(editor.actions.some((a) => a.title === 'Remove question 1')).toBe(false);
    const version = (await stored()).version;
    const before = await changes();
    const core = await press(BOSS, VERBS.form.remove, { roundId: ROUND, version, questionId: 'organisation', confirmed: 'true' }, 'en-US');
    expect(core.text).toContain('This question is needed for the allocation and the council report.');
    const ghost = await press(BOSS, VERBS.form.question, { roundId: ROUND, version, questionId: 'q999' }, 'en-US');
    expect(ghost.text).toContain('That question or step is not (or no longer) in the form.');
    const ghostMove = await press(BOSS, VERBS.form.move, { roundId: ROUND, version, questionId: 'q999', direction: 'up' }, 'en-US');
    expect(ghostMove.text).toContain('Nothing was saved.');
    const otherRound = await press(BOSS, VERBS.form.move, { roundId: 'LB-2099', version, questionId: 'title', direction: 'up' }, 'en-US');
    expect(otherRound.text).toContain('There is no round (yet).');
    const bad = await press(BOSS, VERBS.form.move, { roundId: ROUND, version, questionId: 'title; drop', direction: 'sideways' }, 'en-US');
    expect(bad.actions.length).toBeGreaterThan(0);
    expect(await changes()).toEqual(before);
    expect((await stored()).version).toBe(version);
  });

  it('a card drawn from an older version gets the current editor; an add step makes a step with its first question', async () => {
    const version = (await stored()).version;
    const old = await press(BOSS, VERBS.form.new, { roundId: ROUND, version: version - 1, stepId: '_new', stepType: 'date' });
    expect(old.text).toContain('Het formulier is intussen veranderd.');
    expect(old.text).toContain(`Versie ${version}`);
    const editor = await say(BOSS, 'formulier');
    const stepCard = await press(BOSS, VERBS.form.new, { ...editor.action('Nieuwe stap toevoegen').data, stepType: 'date' });
    expect(stepCard.text).toContain('Nieuwe stap 6');
    const saved = await press(BOSS, VERBS.form.save, {
      ...stepCard.action('Stap en vraag opslaan').data,
      titleNl: 'Planning',
      titleEn: 'Planning',
      labelNl: 'Eerste bijeenkomst',
      labelEn: 'First meeting',
    });
    expect(saved.text).toContain('Stap 6: Planning');
    expect(saved.text).toContain('19. Eerste bijeenkomst');
    const form = await stored();
    expect(form.steps.at(-1)).toMatchObject({ id: 'stap-6', questions: [{ id: 'q6', type: 'date' }] });
    // A name in one language only is refused; what was typed stays on the card.
    const half = await press(BOSS, VERBS.form.rename, { ...saved.action('Naam van stap 6 opslaan').data, titleNl: 'Planning en data', titleEn: '' });
    expect(half.text).toContain('Vul dit in beide talen in, of laat beide leeg.');
    expect(half.input('titleNl')!.value).toBe('Planning en data');
    expect((await stored()).steps.at(-1)!.title).toEqual({ nl: 'Planning', en: 'Planning' });
    // Remove the step again, after its confirmation.
    const confirm = await press(BOSS, VERBS.form.remove, saved.action('Verwijder stap 6').data);
    expect(confirm.text).toContain('Stap "Planning" en de vraag erin gaan uit het formulier.');
    const removed = await press(BOSS, VERBS.form.remove, confirm.action('Ja, verwijder stap 6').data);
    expect(removed.text).toContain('Stap verwijderd.');
    expect((await stored()).steps.map((s) => s.id)).toEqual(DEFAULT_FORM.steps.map((s) => s.id));
  });

  it('from the first submission the form is shown, not edited; an edit pressed on an older card stores nothing', async () => {
    const card = await say(BOSS, 'formulier 2025');
    expect(card.text).toContain('Aanvraagformulier: Leerbudget 2025');
    expect(card.text).toContain('Het formulier ligt vast sinds de eerste aanvraag.');
    expect(card.actions.map((a) => a.verb)).not.toContain(VERBS.form.save);
    expect(card.actions.filter((a) => [VERBS.form.move, VERBS.form.remove, VERBS.form.question, VERBS.form.new].includes(a.verb))).toEqual([]);
    expect(card.action('Voorbeeld van stap 1').verb).toBe(VERBS.form.preview);
    const late = await press(BOSS, VERBS.form.save, {
      roundId: 'LB-2025',
      version: 1,
      stepId: 'results',
      questionId: '_new',
      type: 'shortText',
      labelNl: 'Te laat',
      labelEn: 'Too late',
    });
    expect(late.text).toContain('Er is net een aanvraag ingediend. Het formulier ligt vast sinds de eerste aanvraag. Er is niets opgeslagen.');
    expect((await repos.rounds.get('LB-2025'))!.value.form).toBeUndefined();
    expect((await repos.audit.list('LB-2025')).filter((e) => e.action === 'round.formChanged')).toEqual([]);
  });

  it('someone who is not an accounthouder gets a polite refusal, whatever the card says', async () => {
    const before = await changes();
    const card = await say(OTHER, 'formulier');
    expect(card.text).toContain('Alleen de accounthouder van de gemeente kan het aanvraagformulier bekijken en aanpassen.');
    const version = (await stored()).version;
    const refused = await press(OTHER, VERBS.form.remove, {
      roundId: ROUND,
      version,
      questionId: 'contactPhone',
      confirmed: 'true',
      actorId: ACCOUNTHOUDER,
      userId: ACCOUNTHOUDER,
    });
    expect(refused.text).toContain('Alleen de accounthouder');
    expect(questionsOf(await stored()).some((x) => x.question.id === 'contactPhone')).toBe(true);
    expect(await changes()).toEqual(before);
  });
});
