import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock';
import { auditEvent } from '../../src/domain/audit';
import { tableClients } from '../../src/store/tables';
import { tableRepos } from '../../src/store/table-repos';
import { currentRound } from '../../src/usecases/current-round';
import { SAMPLES, teamsFileMessage } from '../support/files';
import { CUSTOM_FORM, CUSTOM_INPUT } from '../support/forms';
import { startHarness } from '../support/harness';
import { ANOUK, cardAction, INGRID, MOHAMED, personalMessage, readCard, SANNE } from '../support/teams';
import { until } from '../support/until';
import { linkReviewPanel } from '../support/review-panel';

/**
 * A round whose form is not today's (three steps in another order, its own short text, choice,
 * number and a required document), applied to through the real bot as Teams sends the turns.
 */
const CHANNEL = '19:beoordeling@thread.tacv2';
let h: Awaited<ReturnType<typeof startHarness>>;
let files: Server;
let filesUrl = '';
const repos = () => tableRepos(tableClients(h.config.storage.connectionString, h.config.storage.tablePrefix));
let ref: { roundId: string; applicationId: string };

const press = async (card: unknown, title: string, inputs: Record<string, string> = {}) => {
  const action = readCard(card).action(title);
  return h.invoke(cardAction(h.connector.url, ANOUK, action.verb, { ...(action.data ?? {}), ...inputs }));
};
const stored = async () => (await repos().applications.get(ref.roundId, ref.applicationId))!.value;

beforeAll(async () => {
  files = createServer((req, res) => {
    const body = req.url === '/begroting.pdf' ? SAMPLES.pdf : undefined;
    res.writeHead(body ? 200 : 404);
    res.end(body);
  });
  await new Promise<void>((r) => files.listen(0, '127.0.0.1', r));
  filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
  h = await startHarness({ env: { ACCOUNTHOUDER_IDS: INGRID.aadObjectId, LINK_SECRET: 'test-form-links' } });
  // The seeded round gets its own form (the editor's use case writes it the same way: a guarded round update).
  const deps = { repos: repos(), clock: systemClock, accounthouders: [] };
  const current = (await currentRound(deps))!;
  const round = (await repos().rounds.get(current.round.id))!;
  const updated = await repos().rounds.update(
    round,
    { ...round.value, form: CUSTOM_FORM },
    auditEvent(round.value.id, INGRID.aadObjectId, 'round.updated', round.value.id, new Date()),
  );
  expect(updated.ok).toBe(true);
});
afterAll(async () => {
  await h?.stop();
  await new Promise((r) => files?.close(r));
});

describe('applying with a round’s own form', () => {
  let planCard: unknown;

  it('the first step is the form’s first step, with its own questions, help text and choices', async () => {
    planCard = await h.invoke(
      cardAction(h.connector.url, ANOUK, 'apply.eligibility', {
        token: 'form-turns-1',
        partnerInSocialeBasis: 'yes',
        activeInMunicipality: 'yes',
        collectiveAnswer: 'yes',
      }),
    );
    const card = readCard(planCard);
    expect(card.text).toContain('Stap 1 van 3');
    expect(card.text).toContain('Je plan');
    expect(card.input('q1')).toMatchObject({ type: 'Input.Text', label: 'Voor wie is het? (verplicht)', maxLength: 80 });
    expect(card.text).toContain('Bijvoorbeeld: jongeren van 12 tot 18.');
    expect(card.input('q2')).toMatchObject({
      type: 'Input.ChoiceSet',
      choices: [
        { title: 'In een groep', value: 'groep' },
        { title: 'Eén op één', value: 'individueel' },
      ],
    });
    expect(card.input('title')?.label).toBe('Titel van je plan (verplicht)');
    expect(card.input('approach')).toBeUndefined();
    const submit = card.action('Volgende');
    ref = { roundId: String(submit.data.roundId), applicationId: String(submit.data.applicationId) };
  });

  it('bad input gets a clear message per question and stores nothing; keys the form does not have are dropped', async () => {
    const before = await stored();
    const card = readCard(await press(planCard, 'Volgende', { ...CUSTOM_INPUT.plan, q1: '', q2: 'alles', evil: 'x', applicantId: 'someone-else' }));
    expect(card.input('q1')?.label).toBe('Voor wie is het? (verplicht): Vul dit in.');
    expect(card.input('q2')?.label).toBe('Vorm (verplicht): Kies uit de lijst.');
    // What was typed comes back.
    expect(card.input('title')?.value).toBe(CUSTOM_INPUT.plan!.title);
    const after = await stored();
    expect(after.rev).toBe(before.rev);
    expect(after.fields).toEqual(before.fields);
  });

  it('valid steps are stored (own answers under their ids) and lead through the form’s order to the summary', async () => {
    const geld = readCard(await press(planCard, 'Volgende', CUSTOM_INPUT.plan));
    expect(geld.text).toContain('Stap 2 van 3');
    expect(geld.text).toContain('Stuur dit document als bestand in deze chat. Zet "begroting" in de bestandsnaam.');
    expect(geld.input('q3')).toMatchObject({ type: 'Input.Number', min: 1, max: 500 });
    const tooFew = readCard(await press(geld, 'Volgende', { ...CUSTOM_INPUT.geld, q3: '0' }));
    expect(tooFew.input('q3')?.label).toBe('Aantal deelnemers (verplicht): Dit is minder dan 1.');
    const contact = await press(tooFew, 'Volgende', CUSTOM_INPUT.geld);
    expect(readCard(contact).text).toContain('Stap 3 van 3');
    // The old plan card pressed again: the current card, nothing saved twice.
    const rev = (await stored()).rev;
    const stale = readCard(await press(planCard, 'Volgende', CUSTOM_INPUT.plan));
    expect(stale.text).toContain('Er is niets dubbel opgeslagen');
    expect((await stored()).rev).toBe(rev);

    const summary = readCard(await press(contact, 'Volgende', CUSTOM_INPUT.contact));
    expect(summary.text).toContain('Overzicht van je aanvraag');
    expect(summary.text).toMatch(/Voor wie is het\?\nJongeren van 12 tot 18/);
    expect(summary.text).toMatch(/Vorm\nIn een groep/);
    expect(summary.text).toMatch(/Aantal deelnemers\n25/);
    expect(summary.text).toMatch(/Begroting\nNog niet bijgevoegd/);
    expect(summary.actions.map((a) => a.title)).toEqual(expect.arrayContaining(['Wijzig stap 1', 'Wijzig stap 2', 'Wijzig stap 3', 'Indienen']));
    const app = await stored();
    expect(app.position).toBe('summary');
    expect(app.fields).toMatchObject({
      title: 'Buurtsport voor iedereen',
      wijk: 'Holtenbroek',
      amount: 9000,
      answers: { q1: 'Jongeren van 12 tot 18', q2: 'groep', q3: 25 },
    });
  });

  it('"Wijzig stap 2" opens the form’s second step with what is stored', async () => {
    const summary = await h.invoke(cardAction(h.connector.url, ANOUK, 'apply.resume', ref));
    const edit = readCard(await press(summary, 'Wijzig stap 2'));
    expect(edit.text).toContain('Geld en deelnemers');
    expect(edit.input('q3')?.value).toBe(25);
    expect(edit.input('amount')?.value).toBe(9000);
  });

  it('submission is refused while the required document is missing, naming it, and accepted once it is attached', async () => {
    const summary = await h.invoke(cardAction(h.connector.url, ANOUK, 'apply.resume', ref));
    const refused = readCard(await press(summary, 'Indienen'));
    expect(refused.text).toContain('Dit document ontbreekt nog: "Begroting"');
    expect((await stored()).status).toBe('draft');

    h.connector.clear();
    const message = teamsFileMessage(personalMessage(h.connector.url, ANOUK, ''), { name: 'Begroting 2027.pdf', path: 'begroting.pdf', filesUrl });
    expect((await h.send(message)).status).toBe(200);
    const reply = readCard(h.connector.posted.at(-1)?.activity.attachments[0].content);
    expect(reply.text).toContain('Ontvangen: Begroting 2027.pdf');
    expect(reply.text).toMatch(/Begroting · PDF/);
    expect((await repos().attachments.list(ref.roundId, ref.applicationId)).map((a) => a.value.document)).toEqual(['q4']);

    // A review channel and panel, so that the submitted application is posted for review.
    await linkReviewPanel(h, repos(), [
      [INGRID, 'gemeente', undefined],
      [SANNE, 'partner', 'Taalhuis De Brug'],
      [MOHAMED, 'ervaringsdeskundige', undefined],
    ]);
    const ready = readCard(await h.invoke(cardAction(h.connector.url, ANOUK, 'apply.resume', ref)));
    expect(ready.text).toMatch(/Begroting\nBijgevoegd: Begroting 2027\.pdf/);
    h.connector.clear();
    const done = readCard(await press(await h.invoke(cardAction(h.connector.url, ANOUK, 'apply.resume', ref)), 'Indienen'));
    expect(done.text).toMatch(/LB-\d{4}-001/);
    const app = await stored();
    expect(app).toMatchObject({ status: 'submitted', formVersion: 2 });

    // The panel reads the round's own questions on the review card.
    const post = await until(() => h.connector.posted.find((p) => p.conversationId === CHANNEL && p.method === 'POST'));
    const review = readCard(post.activity.attachments[0].content).text;
    expect(review).toContain('Voor wie is het?');
    expect(review).toContain('Jongeren van 12 tot 18');
    expect(review).toContain('Aantal deelnemers');
    expect(review).toMatch(/Begroting 2027\.pdf.*· Begroting · PDF/);
  });

  it('once submitted, the form is frozen: changing it is refused', async () => {
    const round = (await repos().rounds.get(ref.roundId))!;
    const changed = await repos().rounds.update(
      round,
      { ...round.value, form: { ...CUSTOM_FORM, version: 3 } },
      auditEvent(ref.roundId, INGRID.aadObjectId, 'round.updated', ref.roundId, new Date()),
    );
    expect(!changed.ok && changed.error.code).toBe('FROZEN');
    expect((await repos().rounds.get(ref.roundId))!.value.form).toEqual(CUSTOM_FORM);
  });
});
