import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { STEPS } from '../../src/domain/application';
import { tableRepos } from '../../src/store/table-repos';
import { tableClients } from '../../src/store/tables';
import { VALID_INPUT } from '../fixtures';
import { startHarness } from '../support/harness';
import { ANOUK, cardAction, channelMessage, INGRID, PETER, personalMessage, readCard, SANNE, TENANT, User } from '../support/teams';

/** More rounds a year, through the real bot: the accounthouder starts a second round, a partner chooses it and applies. */
const ENV = { ACCOUNTHOUDER_IDS: INGRID.aadObjectId };

let h: Awaited<ReturnType<typeof startHarness>>;
beforeAll(async () => {
  h = await startHarness({ env: ENV });
});
afterAll(() => h?.stop());
beforeEach(() => h.connector.clear());

const repos = () => tableRepos(tableClients(h.config.storage.connectionString, h.config.storage.tablePrefix));
const YEAR = new Date().getUTCFullYear();
const LB = `LB-${YEAR}`;
const LBN = `LBN-${YEAR}`;
const NAME = 'Leerbudget najaar';

async function say(text: string, user: User = INGRID, locale = 'nl-NL') {
  h.connector.clear();
  const res = await h.send(personalMessage(h.connector.url, user, text, locale));
  expect(res.status).toBe(200);
  const card = h.connector.posted.at(-1)?.activity.attachments?.[0]?.content;
  if (!card) throw new Error(`no card; posted: ${JSON.stringify(h.connector.posted.map((p) => p.activity.text))}`);
  return card;
}

/** The team's members as Teams lists them for the review channel (the connector forgets them on clear). */
const SANNE_ROSTER = [{ id: SANNE.id, aadObjectId: SANNE.aadObjectId, name: SANNE.name }];

async function sayInChannel(text: string, user: User = INGRID) {
  h.connector.clear();
  h.connector.setRoster('19:team@thread.tacv2', SANNE_ROSTER);
  h.connector.setRoster('19:beoordeling@thread.tacv2;messageid=1', SANNE_ROSTER);
  expect((await h.send(channelMessage(h.connector.url, user, text))).status).toBe(200);
  return h.connector.posted.at(-1)?.activity;
}

async function press(card: unknown, title: string, inputs: Record<string, string> = {}, user: User = INGRID) {
  const action = readCard(card).action(title);
  return h.invoke(cardAction(h.connector.url, user, action.verb, { ...(action.data ?? {}), ...inputs }));
}

const createdAudits = async (roundId: string) => (await repos().audit.list(roundId)).filter((e) => e.action === 'round.created');

describe('more rounds a year, in Teams', () => {
  it('one open round: the partner sees the welcome card as always', async () => {
    const welcome = readCard(await h.invoke(cardAction(h.connector.url, ANOUK, 'app.home', {})));
    expect(welcome.actions.map((a) => a.title)).toEqual(['Nieuwe aanvraag', 'Mijn aanvragen']);
    expect(readCard(await say('ronde')).text).toContain(`Ronde: ${LB}`);
  });

  it('the accounthouder starts a second round with its own prefix; a second press does nothing twice; a taken prefix is refused', async () => {
    const form = await say('nieuwe ronde');
    const f = readCard(form);
    expect(f.text).toContain('Nieuwe ronde starten');
    expect(f.input('copyFrom')?.value).toBe(LB);
    const typed = { name: NAME, prefix: 'lbn', year: String(YEAR), copyFrom: LB };
    const created = readCard(await press(form, 'Ronde starten', typed));
    expect(created.text).toContain(`Ronde ${LBN} (${NAME}) is gemaakt als concept`);
    expect(created.text).toContain(`Ronde: ${LBN}`);
    const again = readCard(await press(form, 'Ronde starten', typed));
    expect(again.text).toContain('Er is niets dubbel gemaakt');
    expect(await createdAudits(LBN)).toHaveLength(1);
    const stored = (await repos().rounds.get(LBN))!.value;
    const source = (await repos().rounds.get(LB))!.value;
    expect(stored).toMatchObject({ referencePrefix: 'LBN', name: NAME, status: 'draft', budget: source.budget, submissionDeadline: source.submissionDeadline });

    // A new card, the same prefix that year: refused with the reason, nothing stored.
    const taken = readCard(await press(await say('nieuwe ronde'), 'Ronde starten', { ...typed, name: 'Nog een' }));
    expect(taken.text).toContain('Er is niets gemaakt');
    expect(taken.inputs.find((i) => i.id === 'prefix')?.label).toContain('Dit voorvoegsel heeft al een ronde in dat jaar');
    expect(await createdAudits(LBN)).toHaveLength(1);
    expect((await repos().rounds.get(LBN))!.value.name).toBe(NAME);

    // Someone else cannot start a round, whatever the card says.
    const refused = readCard(await press(form, 'Ronde starten', { ...typed, prefix: 'LBX' }, PETER));
    expect(refused.text).not.toContain('is gemaakt');
    expect(await repos().rounds.get(`LBX-${YEAR}`)).toBeUndefined();

    // Set LBN's own budget and open it.
    const settings = await say(`ronde ${LBN}`);
    const inputs = Object.fromEntries(readCard(settings).inputs.map((i) => [i.id, String(i.value ?? '')]));
    const saved = await press(settings, 'Opslaan', { ...inputs, budget: '20000' });
    expect(readCard(saved).text).toContain('opgeslagen');
    const opened = readCard(await press(saved, 'Openen'));
    expect(opened.text).toContain('Status: Open');
    expect((await repos().rounds.get(LBN))!.value.budget).toBe(20_000);
  });

  it('"ronde" with two live rounds asks which; the choice and "ronde LBN-…" give that round; a round that is not there is not found', async () => {
    const chooser = readCard(await say('ronde'));
    expect(chooser.text).toContain('Welke ronde?');
    expect(chooser.actions.map((a) => a.title)).toEqual([`Kies ${LB}`, `Kies ${LBN}`]);
    const chosen = readCard(await press(await say('ronde'), `Kies ${LBN}`));
    expect(chosen.text).toContain(`Ronde: ${LBN}`);
    expect(readCard(await say(`ronde ${LBN}`)).text).toContain(`Ronde: ${LBN}`);
    expect(readCard(await say(`uitgangspunten ${LBN.toLowerCase()}`)).text).toContain(NAME);
    expect(readCard(await say(`ronde XYZ-${YEAR}`)).text).toContain('Ronde niet gevonden');
    // The form editor too: both forms can still change, so it asks; named, that round's form.
    expect(readCard(await say('formulier')).text).toContain('Welke ronde?');
    const lbnForm = readCard(await say(`formulier ${LBN}`));
    expect(lbnForm.text).toContain(`Aanvraagformulier: ${NAME}`);
    expect(lbnForm.actions.every((a) => !a.data?.roundId || a.data.roundId === LBN)).toBe(true);
    expect(readCard(await press(await say('formulier'), `Kies ${LBN}`)).text).toContain(`Aanvraagformulier: ${NAME}`);
    // The same for the reports: a choice, then the round named.
    expect(readCard(await say('verslag verdeling')).text).toContain('Welke ronde?');
    expect(readCard(await say(`verslag verdeling ${LBN}`)).text).toContain(NAME);
    // The chooser's payload names a round and a command only: a partner pressing it gets no round card.
    const forged = readCard(await h.invoke(cardAction(h.connector.url, ANOUK, 'round.choose', { roundId: LBN, command: 'ronde' })));
    expect(forged.text).not.toContain(`Ronde: ${LBN}`);
  });

  it('a partner with two open rounds chooses one, applies to it, and the reference is of that round', async () => {
    const welcome = await h.invoke(cardAction(h.connector.url, ANOUK, 'app.home', {}));
    const w = readCard(welcome);
    expect(w.text).toContain('Je kunt nu aanvragen doen voor 2 rondes');
    expect(w.text).toContain(NAME);
    expect(w.text).toMatch(/Budget: €\s20\.000/);
    expect(w.actions.map((a) => a.title)).not.toContain('Nieuwe aanvraag');
    const applyLbn = w.action(`Aanvragen: ${NAME}`);
    expect(applyLbn.data).toEqual({ roundId: LBN });
    // "nieuwe aanvraag" typed: the same choice, not a guess.
    expect(readCard(await say('nieuwe aanvraag', ANOUK)).text).toContain('Je kunt nu aanvragen doen voor 2 rondes');

    const eligibility = await press(welcome, `Aanvragen: ${NAME}`, {}, ANOUK);
    let card = await press(eligibility, 'Verder', { partnerInSocialeBasis: 'yes', activeInMunicipality: 'yes', collectiveAnswer: 'yes' }, ANOUK);
    for (const step of STEPS) card = await press(card, 'Volgende', VALID_INPUT[step] as Record<string, string>, ANOUK);
    const done = readCard(await press(card, 'Indienen', {}, ANOUK));
    expect(done.text).toContain('Je aanvraag is ingediend');
    expect(done.text).toContain(`LBN-${YEAR}-001`);
    const [app] = await repos().applications.listByApplicant(ANOUK.aadObjectId);
    expect(app?.value).toMatchObject({ roundId: LBN, reference: `LBN-${YEAR}-001`, status: 'submitted' });

    const list = readCard(await say('mijn aanvragen', ANOUK));
    expect(list.text).toContain(`Ronde: ${NAME} · LBN-${YEAR}-001`);
  });

  it('a tampered round id on the partner cards is not found and opens nothing', async () => {
    const before = (await repos().applications.listByApplicant(PETER.aadObjectId)).length;
    const start = readCard(await h.invoke(cardAction(h.connector.url, PETER, 'apply.start', { roundId: `XYZ-${YEAR}` })));
    expect(start.text).toContain('Ronde niet gevonden');
    const elig = readCard(
      await h.invoke(
        cardAction(h.connector.url, PETER, 'apply.eligibility', {
          token: 'tampered-token-1',
          roundId: `XYZ-${YEAR}`,
          partnerInSocialeBasis: 'yes',
          activeInMunicipality: 'yes',
          collectiveAnswer: 'yes',
        }),
      ),
    );
    expect(elig.text).toContain('Ronde niet gevonden');
    const bad = readCard(await h.invoke(cardAction(h.connector.url, PETER, 'apply.start', { roundId: 'not a round' })));
    expect(bad.text).not.toContain('Stap 1');
    expect((await repos().applications.listByApplicant(PETER.aadObjectId)).length).toBe(before);
  });

  it('a channel is linked to the round named; without a name and two live rounds the bot asks which', async () => {
    const ask = await sayInChannel('koppel beoordeling');
    expect(ask?.text).toContain(`Er lopen 2 rondes: ${LB}, ${LBN}`);
    expect((await repos().rounds.get(LBN))!.value.routing.default).toBeUndefined();
    const linked = await sayInChannel(`koppel beoordeling ${LBN}`);
    expect(linked?.text).toContain(NAME);
    expect((await repos().rounds.get(LBN))!.value.routing.default?.channelId).toBe('19:beoordeling@thread.tacv2');
    const missing = await sayInChannel(`koppel beoordeling XYZ-${YEAR}`);
    expect(missing?.text).toContain(`Ronde XYZ-${YEAR} is er niet`);
  });

  it("the channel's panel is the panel of the round it reviews for; the panel card's buttons carry that round", async () => {
    const said = await sayInChannel('panel');
    const panel = said?.attachments?.[0]?.content;
    expect(readCard(panel).text).toContain(NAME);
    const add = readCard(panel).action('Toevoegen');
    expect(add.data).toEqual({ roundId: LBN });
    const inChannel = (activity: ReturnType<typeof cardAction>) => ({
      ...activity,
      conversation: { conversationType: 'channel', isGroup: true, tenantId: TENANT, id: '19:beoordeling@thread.tacv2;messageid=1' },
      channelData: { tenant: { id: TENANT }, team: { id: '19:team@thread.tacv2' }, channel: { id: '19:beoordeling@thread.tacv2' } },
    });
    const added = readCard(
      await h.invoke(inChannel(cardAction(h.connector.url, INGRID, add.verb, { ...add.data, person: SANNE.aadObjectId, role: 'ervaringsdeskundige' }))),
    );
    expect(added.text).toContain(SANNE.name);
    expect((await repos().reviews.listPanel(LBN)).map((m) => m.userId)).toEqual([SANNE.aadObjectId]);
    expect((await repos().reviews.listPanel(LB)).map((m) => m.userId)).not.toContain(SANNE.aadObjectId);
    // The other round's panel, by name.
    const other = (await sayInChannel(`panel ${LB}`))?.attachments?.[0]?.content;
    expect(readCard(other).text).toContain(`Wijkgericht leerbudget ${YEAR}`);
    expect(readCard(other).action('Toevoegen').data).toEqual({ roundId: LB });
  });

  it('"toekenning" with two live rounds asks which; the choice gives that round\'s allocation', async () => {
    const chooser = await say('toekenning');
    expect(readCard(chooser).text).toContain('Welke ronde?');
    const chosen = readCard(await press(chooser, `Kies ${LBN}`));
    expect(chosen.text).toContain(NAME);
    expect(chosen.actions.every((a) => !a.data?.roundId || a.data.roundId === LBN)).toBe(true);
  });
});
