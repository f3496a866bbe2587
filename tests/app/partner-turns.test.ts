import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { until } from '../support/until';
import { startHarness } from '../support/harness';
import { ANOUK, PETER, botInstalled, cardAction, channelMessage, personalMessage, readCard, User } from '../support/teams';
import { VALID_INPUT } from '../fixtures';
import { STEPS } from '../../src/domain/application';
import { tableClients } from '../../src/store/tables';
import { tableRepos } from '../../src/store/table-repos';

let h: Awaited<ReturnType<typeof startHarness>>;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.stop());
beforeEach(() => h.connector.clear());

const ANOUK_TWO: User = { id: '29:anouk-two', aadObjectId: '00000000-0000-4000-8000-00000000a202', name: 'Anouk Twee' };
const repos = () => tableRepos(tableClients(h.config.storage.connectionString, h.config.storage.tablePrefix));

/** Presses a button on a card as `user`, with the inputs the user typed. */
async function press(card: unknown, title: string, inputs: Record<string, string> = {}, user: User = ANOUK, locale = 'nl-NL') {
  const action = readCard(card).action(title);
  return h.invoke(cardAction(h.connector.url, user, action.verb, { ...(action.data ?? {}), ...inputs }, locale));
}

async function newApplication(user: User = ANOUK) {
  const welcome = await h.invoke(cardAction(h.connector.url, user, 'app.home', {}));
  const eligibility = await press(welcome, 'Nieuwe aanvraag', {}, user);
  return press(eligibility, 'Verder', { partnerInSocialeBasis: 'yes', activeInMunicipality: 'yes', collectiveAnswer: 'yes' }, user);
}

async function fillAll(first: unknown, user: User = ANOUK) {
  let card = first;
  for (const step of STEPS) card = await press(card, 'Volgende', VALID_INPUT[step] as Record<string, string>, user);
  return card;
}

describe('the partner in a 1:1 chat', () => {
  it('is welcomed on install, and the conversation is remembered for later messages', async () => {
    const res = await h.send(botInstalled(h.connector.url, ANOUK));
    expect(res.status).toBe(200);
    const card = readCard(h.connector.posted[0]?.activity.attachments[0].content);
    expect(card.text).toContain('Wijkgericht leerbudget');
    expect(card.text).toMatch(/Aanvragen indienen tot: .*2026/);
    expect(card.actions.map((a) => a.title)).toEqual(['Nieuwe aanvraag', 'Mijn aanvragen']);
    expect(await repos().conversations.get(ANOUK.aadObjectId)).toMatchObject({ conversationId: `a:personal-${ANOUK.aadObjectId}` });
  });

  it('gets help, never silence, for text it does not understand', async () => {
    await h.send(personalMessage(h.connector.url, ANOUK, 'wat is het weer morgen?'));
    const card = readCard(h.connector.posted[0]?.activity.attachments[0].content);
    expect(card.text).toContain('Dat begreep ik niet');
    expect(card.actions.map((a) => a.title)).toContain('Nieuwe aanvraag');
  });

  it('speaks English to an English Teams client', async () => {
    await h.send(personalMessage(h.connector.url, ANOUK, 'hello', 'en-US'));
    const card = readCard(h.connector.posted[0]?.activity.attachments[0].content);
    expect(card.text).toContain('Neighbourhood learning budget');
    expect(card.actions.map((a) => a.title)).toEqual(['New application', 'My applications']);
  });

  it('points to the personal chat when addressed in a channel', async () => {
    await h.send(channelMessage(h.connector.url, ANOUK, 'nieuwe aanvraag'));
    expect(h.connector.posted[0]?.activity.text).toContain('privéchat');
  });

  it('explains why when someone is not eligible, and stores nothing', async () => {
    const welcome = await h.invoke(cardAction(h.connector.url, PETER, 'app.home', {}));
    const eligibility = await press(welcome, 'Nieuwe aanvraag', {}, PETER);
    const incomplete = readCard(await press(eligibility, 'Verder', { partnerInSocialeBasis: 'yes' }, PETER));
    expect(incomplete.text).toContain('Beantwoord alle drie de vragen');
    expect(incomplete.input('partnerInSocialeBasis')?.value).toBe('yes');
    const refused = readCard(await press(eligibility, 'Verder', { partnerInSocialeBasis: 'yes', activeInMunicipality: 'yes', collectiveAnswer: 'no' }, PETER));
    expect(refused.text).toContain('Een aanvraag past hier helaas niet');
    expect(refused.text).toContain('Sociaal Wijkteam');
    expect(await repos().applications.listByApplicant(PETER.aadObjectId)).toEqual([]);
  });

  it('completes, submits, lists and withdraws an application', async () => {
    const step1 = await newApplication();
    const s1 = readCard(step1);
    expect(s1.text).toContain('Stap 1 van 5');
    expect(s1.inputs.every((i) => typeof i.label === 'string' && i.label.length > 0)).toBe(true);
    expect(s1.input('organisation')?.label).toMatch(/\(verplicht\)$/);
    expect(s1.input('contactPhone')?.label).toMatch(/\(niet verplicht\)$/);

    // A wrong e-mail address: the same step again, the problem named, the typed values kept, nothing stored.
    const wrong = readCard(await press(step1, 'Volgende', { ...VALID_INPUT.organisation, contactEmail: 'anouk-at-buurtkracht' } as Record<string, string>));
    expect(wrong.text).toContain('Stap 1 van 5');
    expect(wrong.text).toContain('Dit is geen geldig e-mailadres.');
    expect(wrong.input('organisation')?.value).toBe('Stichting Buurtkracht Zwolle');
    expect(wrong.input('contactEmail')?.value).toBe('anouk-at-buurtkracht');
    const [draft] = await repos().applications.listByApplicant(ANOUK.aadObjectId);
    expect(draft?.value.fields).toEqual({});

    const summary = await fillAll(step1);
    const sum = readCard(summary);
    expect(sum.text).toContain('Overzicht van je aanvraag');
    expect(sum.text).toContain('Samen sterk in Holtenbroek');
    expect(sum.text).toMatch(/€\s12\.500/);
    expect(sum.actions.filter((a) => a.verb === 'apply.edit').map((a) => a.title)).toEqual([1, 2, 3, 4, 5].map((n) => `Wijzig stap ${n}`));

    // Change one section from the summary and come back to it.
    const editTitle = sum.action('Wijzig stap 2');
    const edit = await h.invoke(cardAction(h.connector.url, ANOUK, editTitle.verb, editTitle.data));
    expect(readCard(edit).input('title')?.value).toBe('Samen sterk in Holtenbroek');
    const back = await press(edit, 'Opslaan en naar overzicht', { ...VALID_INPUT.question, title: 'Samen sterker in Holtenbroek' } as Record<string, string>);
    expect(readCard(back).text).toContain('Samen sterker in Holtenbroek');

    // Submit, then press Indienen again on the same card: one reference, nothing twice.
    const done = readCard(await press(back, 'Indienen'));
    expect(done.text).toContain('Je aanvraag is ingediend');
    const reference = /LB-2026-\d{3}/.exec(done.text)?.[0];
    expect(reference).toBeDefined();
    const twice = readCard(await press(back, 'Indienen'));
    expect(twice.text).toContain(reference!);
    expect(twice.text).toContain('Er is niets dubbel gedaan');

    const list = readCard(await press(await press(back, 'Indienen'), 'Mijn aanvragen'));
    expect(list.text).toContain('Samen sterker in Holtenbroek');
    expect(list.text).toContain(`${reference} · Ingediend`);

    const confirm = await press(await h.invoke(cardAction(h.connector.url, ANOUK, 'apply.list', {})), `Intrekken: ${reference}`);
    expect(readCard(confirm).text).toContain('Weet je zeker');
    const withdrawn = readCard(await press(confirm, 'Ja, intrekken'));
    expect(withdrawn.text).toContain(`Je aanvraag ${reference} is ingetrokken.`);
    expect(withdrawn.text).toContain(`${reference} · Ingetrokken`);
    expect(withdrawn.actions.map((a) => a.title)).not.toContain(`Intrekken: ${reference}`);
    const again = readCard(await press(confirm, 'Ja, intrekken'));
    expect(again.text).toContain('Ingetrokken');

    const audit = (await repos().audit.list('LB-2026')).filter((e) => e.actorId === ANOUK.aadObjectId).map((e) => e.action);
    expect(audit.filter((a) => a === 'application.submitted')).toHaveLength(1);
    expect(audit.filter((a) => a === 'application.withdrawn')).toHaveLength(1);
  });

  it('a card from an old step saves nothing and shows the current step', async () => {
    const step1 = await newApplication();
    const step2 = await press(step1, 'Volgende', VALID_INPUT.organisation as Record<string, string>);
    expect(readCard(step2).text).toContain('Stap 2 van 5');
    const old = readCard(await press(step1, 'Volgende', { ...VALID_INPUT.organisation, organisation: 'Iets anders' } as Record<string, string>));
    expect(old.text).toContain('Je aanvraag was al verder');
    expect(old.text).toContain('Stap 2 van 5');
    const mine = await repos().applications.listByApplicant(ANOUK.aadObjectId);
    expect(mine.map((a) => a.value.fields.organisation)).not.toContain('Iets anders');
  });

  it('continue later keeps what was typed and resumes where it stopped', async () => {
    const step1 = await newApplication(PETER);
    const saved = readCard(await press(step1, 'Later verder', { organisation: 'Sportservice Zwolle' }, PETER));
    expect(saved.text).toContain('Je concept is bewaard');
    const resumed = readCard(
      await h.invoke(
        cardAction(h.connector.url, PETER, saved.action('Verder invullen: (nog zonder titel)').verb, saved.action('Verder invullen: (nog zonder titel)').data),
      ),
    );
    expect(resumed.text).toContain('Stap 1 van 5');
    expect(resumed.input('organisation')?.value).toBe('Sportservice Zwolle');
  });

  it("refuses tampered cards and someone else's application, changing nothing", async () => {
    const step1 = await newApplication();
    const next = readCard(step1).action('Volgende');
    const asPeter = readCard(await h.invoke(cardAction(h.connector.url, PETER, next.verb, { ...next.data, ...VALID_INPUT.organisation })));
    expect(asPeter.text).toContain('Aanvraag niet gevonden');
    const tampered = readCard(await h.invoke(cardAction(h.connector.url, ANOUK, next.verb, { ...next.data, rev: 'one', step: 'payout' })));
    expect(tampered.text).toContain('Deze kaart kon ik niet verwerken');
    const unknown = readCard(await h.invoke(cardAction(h.connector.url, ANOUK, 'apply.approveMyself', {})));
    expect(unknown.text).toContain('Deze kaart kon ik niet verwerken');
    const id = String(next.data.applicationId);
    const stored = (await repos().applications.listByApplicant(ANOUK.aadObjectId)).find((a) => a.value.id === id);
    expect(stored?.value.fields).toEqual({});
  });
});

describe('the answer to a submission', () => {
  it('leaves before the review card is worked on: the publisher reads storage only after the answer, and still runs', async () => {
    const first = await newApplication(ANOUK_TWO);
    const summary = await fillAll(first, ANOUK_TWO);
    const storagePort = new URL(h.azurite.url).port;
    const events: string[] = [];
    const onRequest = (m: unknown) => {
      const req = (m as { request: ClientRequest }).request;
      if (String(req.getHeader('host') ?? '').endsWith(`:${storagePort}`)) events.push(`storage ${decodeURIComponent(req.path)}`);
    };
    const onAnswer = (m: unknown) => {
      if ((m as { request: IncomingMessage }).request.url === '/api/messages') events.push('answer');
    };
    subscribe('http.client.request.start', onRequest);
    subscribe('http.server.response.finish', onAnswer);
    try {
      const done = readCard(await press(summary, 'Indienen', {}, ANOUK_TWO));
      expect(done.text).toContain('Je aanvraag is ingediend');
      // The review publisher's read of the round with its panel (the review card's scene) comes after the answer.
      const sceneRead = (e: string) => e.startsWith('storage') && e.includes("RowKey ge 'round'");
      await until(() => events.some(sceneRead) || undefined, { what: "the review publisher's read" });
      expect(events.indexOf('answer')).toBeGreaterThanOrEqual(0);
      expect(events.findIndex(sceneRead)).toBeGreaterThan(events.indexOf('answer'));
    } finally {
      unsubscribe('http.client.request.start', onRequest);
      unsubscribe('http.server.response.finish', onAnswer);
    }
  });
});
