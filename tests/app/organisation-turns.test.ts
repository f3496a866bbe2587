import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { STEPS } from '../../src/domain/application';
import { VALID_INPUT } from '../fixtures';
import { tableRepos } from '../../src/store/table-repos';
import { tableClients } from '../../src/store/tables';
import { activityBytes, MESSAGE_LIMIT_BYTES } from '../../src/cards/render';
import { startHarness } from '../support/harness';
import { ANOUK, cardAction, INGRID, personalMessage, readCard, User } from '../support/teams';

/** The accounthouder's organisation registry in the 1:1 chat, as Teams sends the turns. */
const ENV = { ACCOUNTHOUDER_IDS: INGRID.aadObjectId };

let h: Awaited<ReturnType<typeof startHarness>>;
beforeAll(async () => {
  h = await startHarness({ env: ENV });
});
afterAll(() => h?.stop());
beforeEach(() => h.connector.clear());

const repos = () => tableRepos(tableClients(h.config.storage.connectionString, h.config.storage.tablePrefix));
const registry = async () => (await repos().organisations.list()).map((v) => v.value).sort((a, b) => a.name.localeCompare(b.name));

async function say(text: string, user: User = INGRID, locale = 'nl-NL') {
  h.connector.clear();
  const res = await h.send(personalMessage(h.connector.url, user, text, locale));
  expect(res.status).toBe(200);
  const card = h.connector.posted.at(-1)?.activity.attachments?.[0]?.content;
  if (!card) throw new Error(`no card; posted: ${JSON.stringify(h.connector.posted.map((p) => p.activity.text))}`);
  return card;
}

/** Presses the `index`-th button with this title, with the inputs as Teams would send them. */
async function press(card: unknown, title: string, inputs: Record<string, unknown> = {}, user: User = INGRID, index = 0) {
  const action = readCard(card).actions.filter((a) => a.title === title)[index];
  if (!action) throw new Error(`no button "${title}" #${index}`);
  return h.invoke(cardAction(h.connector.url, user, action.verb, { ...(action.data ?? {}), ...inputs }));
}

/** Presses the "Naam toevoegen: <name>" button of the entry called `name`. */
async function openAlias(card: unknown, name: string) {
  const id = (await registry()).find((o) => o.name === name)?.id;
  const action = readCard(card).actions.find((a) => a.verb === 'org.show' && a.data?.organisationId === id);
  if (!id || !action) throw new Error(`no entry ${name}`);
  return h.invoke(cardAction(h.connector.url, INGRID, action.verb, action.data));
}

describe('"organisaties": the registry card for the accounthouder', () => {
  it("is the accounthouder's: anyone else gets a polite refusal and no inputs", async () => {
    const card = readCard(await say('organisaties'));
    expect(card.text).toContain('Partnerorganisaties');
    expect(card.text).toContain('Er staan nog geen organisaties in het register.');
    expect(card.input('name')).toMatchObject({
      label: 'Naam van de organisatie (verplicht)',
      isRequired: true,
      errorMessage: 'Vul de naam van de organisatie in.',
    });
    expect(card.input('kvk')?.label).toBe('KvK-nummer (niet verplicht)');
    expect(card.input('aliases')?.isMultiline).toBe(true);
    expect(readCard(await say('Organisations', INGRID, 'en-US')).text).toContain('Partner organisations');

    for (const text of ['organisaties', 'register', 'organisations']) {
      const refused = readCard(await say(text, ANOUK));
      expect(refused.text, text).toContain('Alleen voor de accounthouder');
      expect(refused.inputs).toEqual([]);
    }
  });

  it('adds an entry (KvK with spaces, aliases one per line, a repeat of the name dropped); a second press adds nothing twice', async () => {
    const card = await say('organisaties');
    const added = readCard(
      await press(card, 'Toevoegen', { name: ' Stichting Buurtkracht Zwolle ', kvk: '4123 4567', aliases: 'Buurtkracht\r\nBuurtkracht Zwolle\n\n' }),
    );
    expect(added.text).toContain('Stichting Buurtkracht Zwolle staat nu in het register.');
    expect(added.text).toContain('KvK 41234567 · ook: Buurtkracht');
    expect(added.input('name')?.value ?? '').toBe('');
    const [entry] = await registry();
    expect(entry).toMatchObject({
      name: 'Stichting Buurtkracht Zwolle',
      kvk: '41234567',
      aliases: ['Buurtkracht'],
      source: 'accounthouder',
      createdBy: INGRID.aadObjectId,
    });

    const again = readCard(await press(card, 'Toevoegen', { name: 'Stichting Buurtkracht Zwolle', kvk: '41234567', aliases: 'Buurtkracht' }));
    expect(again.text).toContain('Stichting Buurtkracht Zwolle was al toegevoegd. Er is niets dubbel gedaan.');
    expect(await registry()).toHaveLength(1);
    const audit = (await repos().audit.list('global')).filter((e) => e.action === 'organisation.registered');
    expect(audit).toEqual([
      expect.objectContaining({ actorId: INGRID.aadObjectId, subjectId: entry!.id, details: { source: 'accounthouder', aliases: 1, kvk: true } }),
    ]);
  });

  it('refuses a duplicate (by name, alias or KvK), naming the entry it would duplicate; the typed values stay', async () => {
    for (const typed of [
      { name: 'Buurtkracht' },
      { name: 'Buurtkracht Holtenbroek', aliases: 'buurtkracht zwolle' },
      { name: 'Iets anders', kvk: '41.23.45.67' },
    ]) {
      const card = await say('organisaties');
      const refused = readCard(await press(card, 'Toevoegen', typed));
      expect(refused.text, typed.name).toContain('Deze organisatie staat al in het register: Stichting Buurtkracht Zwolle. Er is niets toegevoegd.');
      expect(refused.input('name')?.value).toBe(typed.name);
    }
    expect(await registry()).toHaveLength(1);
  });

  it('invalid input: the problem under each field, what was typed kept, nothing stored', async () => {
    const card = await say('organisaties');
    const invalid = readCard(
      await press(card, 'Toevoegen', { name: 'Stichting', kvk: '123', aliases: Array.from({ length: 11 }, (_, i) => `Naam ${i}`).join('\n') }),
    );
    expect(invalid.text).toContain('Er klopt nog iets niet. Kijk bij de velden hieronder. Er is niets opgeslagen.');
    expect(invalid.text).toContain('Vul een naam in, niet alleen de rechtsvorm');
    expect(invalid.text).toContain('Een KvK-nummer heeft 8 cijfers.');
    expect(invalid.text).toContain('Noem maximaal 10 andere namen.');
    expect(invalid.input('kvk')?.value).toBe('123');
    expect(await registry()).toHaveLength(1);
  });

  it('adds an alias to an entry; refuses one that belongs to another entry, naming it; a second press changes nothing', async () => {
    await press(await say('organisaties'), 'Toevoegen', { name: 'Wijkpartners Zwolle' });
    const list = await say('organisaties');
    const form = await openAlias(list, 'Wijkpartners Zwolle');
    const f = readCard(form);
    expect(f.input('alias')).toMatchObject({ label: 'Andere naam voor Wijkpartners Zwolle (verplicht)', isRequired: true, errorMessage: 'Vul een naam in.' });
    // With the alias form open, the add form (with its required name) is not on the card.
    expect(f.input('name')).toBeUndefined();

    const taken = readCard(await press(form, 'Naam opslaan', { alias: 'Buurtkracht' }));
    expect(taken.text).toContain('Deze naam hoort al bij een andere organisatie: Stichting Buurtkracht Zwolle. Er is niets veranderd.');
    expect(taken.input('alias')?.value).toBe('Buurtkracht');

    const saved = readCard(await press(form, 'Naam opslaan', { alias: 'Wijkpartners' }));
    expect(saved.text).toContain('Wijkpartners is toegevoegd als naam van Wijkpartners Zwolle.');
    expect(saved.text).toContain('ook: Wijkpartners');
    const again = readCard(await press(form, 'Naam opslaan', { alias: 'wijkpartners' }));
    expect(again.text).toContain('Wijkpartners Zwolle heeft deze naam al. Er is niets veranderd.');

    // The old card (drawn before the alias was added) with a new name: stale, nothing saved.
    const stale = readCard(await press(form, 'Naam opslaan', { alias: 'WPZ' }));
    expect(stale.text).toContain('Iemand heeft deze organisatie net gewijzigd');
    expect((await registry()).find((o) => o.name === 'Wijkpartners Zwolle')?.aliases).toEqual(['Wijkpartners']);
    const updates = (await repos().audit.list('global')).filter((e) => e.action === 'organisation.updated');
    expect(updates).toHaveLength(1);
  });

  it('someone else pressing the buttons, or a hostile payload with identity fields and unknown keys, changes nothing', async () => {
    const before = await registry();
    const list = await say('organisaties');
    const form = await openAlias(list, 'Wijkpartners Zwolle');
    const hostile = { actorId: INGRID.aadObjectId, userId: INGRID.aadObjectId, createdBy: INGRID.aadObjectId, source: 'accounthouder', role: 'accounthouder' };
    expect(readCard(await press(list, 'Toevoegen', { name: 'Gekaapt', ...hostile }, ANOUK)).text).toContain('Alleen voor de accounthouder');
    expect(readCard(await press(form, 'Naam opslaan', { alias: 'Gekaapt', ...hostile }, ANOUK)).text).toContain('Alleen voor de accounthouder');
    expect(
      readCard(await press(list, readCard(list).actions.find((a) => String(a.title).startsWith('Naam toevoegen: '))!.title, hostile, ANOUK)).text,
    ).toContain('Alleen voor de accounthouder');
    expect(await registry()).toEqual(before);

    // The accounthouder's own press with forged keys: they are dropped, the entry is hers and the registry's own.
    const forged = readCard(
      await press(list, 'Toevoegen', {
        name: 'Taalhuis De Brug',
        id: 'org-000000000000',
        createdBy: ANOUK.aadObjectId,
        source: 'applicant',
        createdAt: '2000-01-01T00:00:00Z',
      }),
    );
    expect(forged.text).toContain('Taalhuis De Brug staat nu in het register.');
    const taalhuis = (await registry()).find((o) => o.name === 'Taalhuis De Brug')!;
    expect(taalhuis).toMatchObject({ createdBy: INGRID.aadObjectId, source: 'accounthouder' });
    expect(taalhuis.id).not.toBe('org-000000000000');
    expect(taalhuis.createdAt).not.toBe('2000-01-01T00:00:00Z');

    // Malformed payloads: a clear card, nothing changed.
    const now = await registry();
    for (const [verb, data] of [
      ['org.alias', { organisationId: "org-1' or 1", etag: 'x', alias: 'x' }],
      ['org.add', { token: '../../etc', name: 'x' }],
      ['org.add', { token: 'token-123456789', name: 'x'.repeat(10_000) }],
      ['org.show', { page: -1 }],
    ] as const) {
      const res = readCard(await h.invoke(cardAction(h.connector.url, INGRID, verb, data)));
      expect(res.text, verb).toContain('Deze kaart kon ik niet verwerken');
    }
    expect(await registry()).toEqual(now);
  });

  it('pages a long registry (15 a page) and keeps the card within 80 KB in UTF-16', async () => {
    for (let i = 0; i < 22; i++)
      await press(await say('organisaties'), 'Toevoegen', {
        name: `Organisatie ${String(i).padStart(2, '0')} ${'met een lange naam '.repeat(6)}`.slice(0, 150),
      });
    const first = await say('organisaties');
    const c1 = readCard(first);
    expect(c1.text).toContain('25 organisaties · pagina 1 van 2');
    expect(c1.actions.filter((a) => String(a.title).startsWith('Naam toevoegen: '))).toHaveLength(15);
    expect(activityBytes(first)).toBeLessThanOrEqual(MESSAGE_LIMIT_BYTES);
    const second = readCard(await press(first, 'Volgende pagina'));
    expect(second.text).toContain('pagina 2 van 2');
    expect(second.actions.filter((a) => String(a.title).startsWith('Naam toevoegen: '))).toHaveLength(10);
    expect(second.text).toContain('Wijkpartners Zwolle');
    expect(second.actions.map((a) => a.title)).toContain('Vorige pagina');
  });
});

describe('the applicant meets the registry at submission', () => {
  it('a name that fits two entries: the summary says so, submitting returns to the organisation step with the candidates; the full name submits', async () => {
    for (const name of ['Speeltuin De Vlinder Holtenbroek', 'Speeltuin De Vlinder Assendorp']) await press(await say('organisaties'), 'Toevoegen', { name });
    const welcome = await h.invoke(cardAction(h.connector.url, ANOUK, 'app.home', {}));
    const eligibility = await press(welcome, 'Nieuwe aanvraag', {}, ANOUK);
    let card = await press(eligibility, 'Verder', { partnerInSocialeBasis: 'yes', activeInMunicipality: 'yes', collectiveAnswer: 'yes' }, ANOUK);
    for (const step of STEPS)
      card = await press(
        card,
        'Volgende',
        { ...VALID_INPUT[step], ...(step === 'organisation' ? { organisation: 'Stichting Speeltuin De Vlinder' } : {}) } as Record<string, string>,
        ANOUK,
      );
    const ambiguous = 'Er zijn meer organisaties met deze naam: Speeltuin De Vlinder Assendorp, Speeltuin De Vlinder Holtenbroek. Vul de volledige naam in.';
    expect(readCard(card).text).toContain(`Register van partnerorganisaties\n${ambiguous}`);

    const refused = await press(card, 'Indienen', {}, ANOUK);
    const r = readCard(refused);
    expect(r.text).toContain('Je aanvraag is nog niet ingediend. Pas eerst de naam van je organisatie aan.');
    expect(r.texts.filter((t) => t === ambiguous)).toHaveLength(1);
    expect(r.input('organisation')?.value).toBe('Stichting Speeltuin De Vlinder');
    const [draft] = await repos().applications.listByApplicant(ANOUK.aadObjectId);
    expect(draft?.value.status).toBe('draft');
    expect(draft?.value.reference).toBeUndefined();

    const summary = await press(
      refused,
      'Opslaan en naar overzicht',
      { ...VALID_INPUT.organisation, organisation: 'Speeltuin de Vlinder (Assendorp)' } as Record<string, string>,
      ANOUK,
    );
    expect(readCard(summary).text).toContain('Je aanvraag hoort bij Speeltuin De Vlinder Assendorp. Klopt dat niet?');
    const submitted = readCard(await press(summary, 'Indienen', {}, ANOUK));
    expect(submitted.text).toContain('Je aanvraag is ingediend');
    expect(submitted.text).toContain('Je aanvraag hoort bij Speeltuin De Vlinder Assendorp in het register van partnerorganisaties.');
    const vlinder = (await registry()).find((o) => o.name === 'Speeltuin De Vlinder Assendorp')!;
    const [app] = await repos().applications.listByApplicant(ANOUK.aadObjectId);
    expect(app?.value.fields).toMatchObject({ organisation: 'Speeltuin de Vlinder (Assendorp)', organisationId: vlinder.id, coApplicantIds: ['', ''] });
  });
});
