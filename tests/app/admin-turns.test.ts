import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { STEPS } from '../../src/domain/application';
import { adminCardFor } from '../../src/app/round/routes';
import type { Turn } from '../../src/app/core/turn';
import { systemClock } from '../../src/clock';
import { memoryRepos } from '../../src/store/memory-repos';
import { tableRepos } from '../../src/store/table-repos';
import { tableClients } from '../../src/store/tables';
import { saveStep } from '../../src/usecases/save-step';
import { startApplication } from '../../src/usecases/start-application';
import { submitApplication } from '../../src/usecases/submit-application';
import { VALID_INPUT } from '../fixtures';
import { startHarness } from '../support/harness';
import { ANOUK, cardAction, INGRID, personalMessage, readCard, User } from '../support/teams';

const ENV = { ACCOUNTHOUDER_IDS: INGRID.aadObjectId };

let h: Awaited<ReturnType<typeof startHarness>>;
beforeAll(async () => {
  h = await startHarness({ env: ENV });
});
afterAll(() => h?.stop());
beforeEach(() => h.connector.clear());

const repos = () => tableRepos(tableClients(h.config.storage.connectionString, h.config.storage.tablePrefix));
const YEAR = new Date().getUTCFullYear();
const ROUND = `LB-${YEAR}`;

async function say(text: string, user: User = INGRID, locale = 'nl-NL') {
  h.connector.clear();
  const res = await h.send(personalMessage(h.connector.url, user, text, locale));
  expect(res.status).toBe(200);
  const card = h.connector.posted.at(-1)?.activity.attachments?.[0]?.content;
  if (!card) throw new Error(`no card; posted: ${JSON.stringify(h.connector.posted.map((p) => p.activity.text))}`);
  return card;
}

async function press(card: unknown, title: string, inputs: Record<string, string> = {}, user: User = INGRID) {
  const action = readCard(card).action(title);
  return h.invoke(cardAction(h.connector.url, user, action.verb, { ...(action.data ?? {}), ...inputs }));
}

/** What the person sees in the inputs, as Teams would send it back unchanged. */
const inputsOf = (card: unknown) => Object.fromEntries(readCard(card).inputs.map((i) => [i.id, String(i.value ?? '')]));

describe('the accounthouder sets up the round in the 1:1 chat', () => {
  it('"ronde" gives the settings card to the accounthouder and a polite refusal to anyone else', async () => {
    const card = readCard(await say('ronde'));
    expect(card.text).toContain('Ronde instellen');
    expect(card.text).toContain(`${YEAR} (het jaar ligt vast)`);
    expect(card.input('name')?.value).toBe(`Wijkgericht leerbudget ${YEAR}`);
    expect(card.actions.map((a) => a.title)).toEqual(['Opslaan', 'Pauzeren', 'Sluiten', 'Uitgangspunten', `Nieuwe ronde ${YEAR + 1}`, 'Nieuwe ronde starten']);

    for (const text of ['ronde', 'uitgangspunten', 'Instellingen', 'criteria']) {
      const refused = readCard(await say(text, ANOUK));
      expect(refused.text, text).toContain('Alleen voor de accounthouder');
      expect(refused.inputs).toEqual([]);
    }
    expect(readCard(await say('round', INGRID, 'en-US')).text).toContain('Set up the round');
  });

  it('invalid input: the same card with the problem under the field, typed values kept, nothing stored', async () => {
    const before = await repos().rounds.get(ROUND);
    const card = await say('ronde');
    const typed = { ...inputsOf(card), name: 'Leerbudget met nieuwe naam', maxPerApplication: '60000' };
    const again = readCard(await press(card, 'Opslaan', typed));
    expect(again.text).toContain('Dit is meer dan het budget van de ronde.');
    expect(again.input('maxPerApplication')?.value).toBe(60000);
    expect(again.input('name')?.value).toBe('Leerbudget met nieuwe naam');
    expect(await repos().rounds.get(ROUND)).toEqual(before);
  });

  it('saves valid settings; the old card afterwards is stale and shows the fresh round', async () => {
    const card = await say('ronde');
    const saved = readCard(await press(card, 'Opslaan', { ...inputsOf(card), budget: '60000', submissionDeadline: `${YEAR}-12-18` }));
    expect(saved.text).toContain('De ronde is opgeslagen.');
    const stored = (await repos().rounds.get(ROUND))!.value;
    expect(stored.budget).toBe(60_000);
    expect(stored.submissionDeadline).toBe(`${YEAR}-12-18T16:00:00.000Z`); // 17:00 in Zwolle (winter)

    const stale = readCard(await press(card, 'Opslaan', { ...inputsOf(card), budget: '70000' }));
    expect(stale.text).toContain('Iemand heeft de ronde net gewijzigd');
    expect(stale.input('budget')?.value).toBe(60000);
    expect((await repos().rounds.get(ROUND))!.value.budget).toBe(60_000);
    const audit = (await repos().audit.list(ROUND)).filter((e) => e.action === 'round.updated');
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actorId).toBe(INGRID.aadObjectId);
  });

  it('a forged press by someone else is refused from the store, whatever the card data says', async () => {
    const card = await say('ronde');
    const before = await repos().rounds.get(ROUND);
    const forged = readCard(await press(card, 'Opslaan', { ...inputsOf(card), name: 'Gekaapt' }, ANOUK));
    expect(forged.text).toContain('Alleen voor de accounthouder');
    const status = readCard(await press(card, 'Sluiten', {}, ANOUK));
    expect(status.text).toContain('Alleen voor de accounthouder');
    expect(await repos().rounds.get(ROUND)).toEqual(before);
  });

  it('a tampered payload gets a clear card and changes nothing', async () => {
    const before = await repos().rounds.get(ROUND);
    const res = readCard(await h.invoke(cardAction(h.connector.url, INGRID, 'round.save', { roundId: "LB-2026' or 1", etag: 'x', name: 'x' })));
    expect(res.text).toContain('Deze kaart kon ik niet verwerken');
    expect(await repos().rounds.get(ROUND)).toEqual(before);
  });

  it('edits the criteria: a changed weight and a new criterion become version 2; errors keep what was typed', async () => {
    const card = await say('uitgangspunten');
    const c = readCard(card);
    expect(c.text).toContain('Versie 1');
    expect(c.text).toContain('Nieuw uitgangspunt');

    const invalid = readCard(await press(card, 'Opslaan', { ...inputsOf(card), 'regie.scaleMin': '6', '_new.title': 'Samen met scholen' }));
    expect(invalid.text).toContain('De hoogste score moet hoger zijn dan de laagste score.');
    expect(invalid.input('regie.scaleMin')?.value).toBe(6);
    expect(invalid.input('_new.title')?.value).toBe('Samen met scholen');
    expect((await repos().rounds.get(ROUND))!.value.criteria.version).toBe(1);

    const saved = readCard(
      await press(card, 'Opslaan', {
        ...inputsOf(card),
        'regie.weight': '1,5',
        'ambities.remove': 'true',
        '_new.title': 'Samen met scholen',
        '_new.weight': '2',
      }),
    );
    expect(saved.text).toContain('De uitgangspunten zijn opgeslagen als versie 2.');
    expect(saved.text).toContain('Versie 2');
    const criteria = (await repos().rounds.get(ROUND))!.value.criteria;
    expect(criteria.version).toBe(2);
    expect(criteria.items.find((i) => i.id === 'regie')?.weight).toBe(1.5);
    expect(criteria.items.map((i) => i.id)).not.toContain('ambities');
    expect(criteria.items.at(-1)).toMatchObject({ id: 'samen-met-scholen', title: 'Samen met scholen', weight: 2 });

    const stale = readCard(await press(card, 'Opslaan', inputsOf(card)));
    expect(stale.text).toContain('De uitgangspunten zijn net door iemand anders gewijzigd');
    expect((await repos().rounds.get(ROUND))!.value.criteria.version).toBe(2);
  });

  it('after the first submission the criteria are read-only, with the reason; an open edit card is refused', async () => {
    const open = await say('uitgangspunten');
    await submitAs('partner-frozen');
    const frozen = readCard(await say('uitgangspunten'));
    expect(frozen.inputs).toEqual([]);
    expect(frozen.text).toContain('Er is al een aanvraag ingediend; iedereen wordt met dezelfde uitgangspunten beoordeeld.');
    expect(frozen.actions.map((a) => a.title)).toEqual(['Ronde instellen']);

    const version = (await repos().rounds.get(ROUND))!.value.criteria.version;
    const refused = readCard(await press(open, 'Opslaan', { ...inputsOf(open), 'regie.title': 'Te laat' }));
    expect(refused.text).toContain('Je wijziging is niet opgeslagen');
    expect(refused.inputs).toEqual([]);
    expect((await repos().rounds.get(ROUND))!.value.criteria.version).toBe(version);
  });

  it("starts next year's round as a draft, once", async () => {
    const card = await say('ronde');
    const created = readCard(await press(card, `Nieuwe ronde ${YEAR + 1}`));
    expect(created.text).toContain(`Ronde ${YEAR + 1} is gemaakt als concept`);
    expect(created.text).toContain(`LB-${YEAR + 1}`);
    expect(created.actions.map((a) => a.title)).toEqual(['Opslaan', 'Openen', 'Uitgangspunten', `Nieuwe ronde ${YEAR + 2}`, 'Nieuwe ronde starten']);
    const twice = readCard(await press(card, `Nieuwe ronde ${YEAR + 1}`));
    expect(twice.text).toContain(`Er is al een ronde voor ${YEAR + 1}`);
    expect((await repos().audit.list(`LB-${YEAR + 1}`)).filter((e) => e.action === 'round.created')).toHaveLength(1);
    // "ronde" now shows the newest round; "ronde <jaar>" the one asked for.
    expect(readCard(await say('ronde')).text).toContain(`LB-${YEAR + 1}`);
    expect(readCard(await say(`ronde ${YEAR}`)).text).toContain(ROUND);
  });

  it('pauses, reopens and closes the round (closing after a confirmation); closed is final', async () => {
    const card = await say(`ronde ${YEAR}`);
    const paused = readCard(await press(card, 'Pauzeren'));
    expect(paused.text).toContain('Status: Gepauzeerd');
    expect(paused.actions.map((a) => a.title)).toEqual(['Opslaan', 'Openen', 'Sluiten', 'Uitgangspunten', 'Nieuwe ronde starten']);
    const oldButton = readCard(await press(card, 'Sluiten'));
    expect(oldButton.text).toContain('Iemand heeft de ronde net gewijzigd');

    const reopened = await press(await press(card, 'Pauzeren'), 'Openen');
    expect(readCard(reopened).text).toContain('Status: Open');
    const confirm = await press(reopened, 'Sluiten');
    expect(readCard(confirm).text).toContain('Ronde sluiten?');
    expect((await repos().rounds.get(ROUND))!.value.status).toBe('open');
    const closed = readCard(await press(confirm, 'Ja, sluiten'));
    expect(closed.text).toContain('Status: Gesloten');
    expect(closed.actions.map((a) => a.title)).toEqual(['Opslaan', 'Uitgangspunten', 'Nieuwe ronde starten']);
    expect((await repos().rounds.get(ROUND))!.value.status).toBe('closed');
    const changes = (await repos().audit.list(ROUND)).filter((e) => e.action === 'round.status-changed').map((e) => e.details?.to);
    expect(changes).toEqual(['paused', 'open', 'closed']);
  });
});

async function submitAs(applicantId: string) {
  const deps = { repos: repos(), clock: systemClock };
  const started = await startApplication(deps, {
    applicantId,
    cardToken: 'token-frozen',
    answers: { partnerInSocialeBasis: true, activeInMunicipality: true, collectiveAnswer: true },
  });
  if (!started.ok) throw new Error(`start: ${JSON.stringify(started.error)}`);
  let app = started.value.value;
  for (const step of STEPS) {
    const saved = await saveStep(deps, {
      applicantId,
      roundId: app.roundId,
      applicationId: app.id,
      step,
      rev: app.rev,
      raw: VALID_INPUT[step],
      direction: 'next',
    });
    if (!saved.ok) throw new Error(step);
    app = saved.value.value;
  }
  const submitted = await submitApplication(deps, { applicantId, roundId: app.roundId, applicationId: app.id, rev: app.rev });
  if (!submitted.ok) throw new Error('submit');
}

describe('adminCardFor', () => {
  const turn = (user: User, personal = true): Turn => ({ context: undefined as never, userId: user.aadObjectId, lang: 'nl', personal });
  const deps = { repos: memoryRepos(), clock: systemClock, accounthouders: [INGRID.aadObjectId] };

  it('is undefined for any other text, and for anything said in a channel', async () => {
    for (const text of ['hallo', 'nieuwe aanvraag', 'mijn aanvragen', 'ronde van zwolle', 'wat is de ronde?', '']) {
      expect(await adminCardFor(turn(INGRID), deps, text), text).toBeUndefined();
    }
    expect(await adminCardFor(turn(INGRID, false), deps, 'ronde')).toBeUndefined();
  });

  it('offers to create the first round when there is none', async () => {
    const card = readCard(await adminCardFor(turn(INGRID), deps, 'Ronde'));
    expect(card.text).toContain('Er is nog geen ronde');
    expect(card.actions.map((a) => a.title)).toEqual([`Ronde ${YEAR} maken`]);
    const byYear = readCard(await adminCardFor(turn(INGRID), deps, 'uitgangspunten 2030'));
    expect(byYear.actions.map((a) => a.title)).toEqual(['Ronde 2030 maken']);
  });
});
