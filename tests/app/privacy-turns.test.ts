import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { STEPS } from '../../src/domain/application';
import { requestIdOf } from '../../src/usecases/deletion-request';
import { tableRepos } from '../../src/store/table-repos';
import { tableClients } from '../../src/store/tables';
import { fixedClock, VALID_INPUT } from '../fixtures';
import { startHarness } from '../support/harness';
import { ANOUK, INGRID, PETER, cardAction, personalMessage, readCard, User } from '../support/teams';

/** INGRID is the accounthouder; ANOUK applies; PETER is anyone else. */
const clock = fixedClock();
let h: Awaited<ReturnType<typeof startHarness>>;
beforeAll(async () => {
  h = await startHarness({ clock, env: { ACCOUNTHOUDER_IDS: INGRID.aadObjectId } });
});
afterAll(() => h?.stop());
beforeEach(() => h.connector.clear());

const repos = () => tableRepos(tableClients(h.config.storage.connectionString, h.config.storage.tablePrefix));

async function press(card: unknown, title: string, inputs: Record<string, string> = {}, user: User = ANOUK, locale = 'nl-NL') {
  const action = readCard(card).action(title);
  return h.invoke(cardAction(h.connector.url, user, action.verb, { ...(action.data ?? {}), ...inputs }, locale));
}

/** The card the bot answered a text in the 1:1 chat with. */
async function say(user: User, text: string, locale = 'nl-NL') {
  h.connector.clear();
  const res = await h.send(personalMessage(h.connector.url, user, text, locale));
  expect(res.status).toBe(200);
  return h.connector.posted.at(-1)?.activity.attachments?.[0]?.content as Record<string, unknown>;
}

function openUrls(card: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (n: unknown) => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    if (o.type === 'Action.OpenUrl') out[String(o.title)] = String(o.url);
    Object.values(o).forEach(walk);
  };
  walk(card);
  return out;
}

/** The Playground and the harness serve on loopback; the card's links carry the configured public URL. */
const local = (url: string) => {
  const u = new URL(url);
  return `${h.bot.url}${u.pathname}${u.search}`;
};

async function applyAsAnouk() {
  const welcome = await h.invoke(cardAction(h.connector.url, ANOUK, 'app.home', {}));
  const eligibility = await press(welcome, 'Nieuwe aanvraag');
  let card = await press(eligibility, 'Verder', { partnerInSocialeBasis: 'yes', activeInMunicipality: 'yes', collectiveAnswer: 'yes' });
  for (const step of STEPS.slice(0, 2)) card = await press(card, 'Volgende', VALID_INPUT[step] as Record<string, string>);
}

describe('mijn gegevens (inzage)', () => {
  it('gives the person signed links to everything stored about them, readable and JSON; what they typed is in it', async () => {
    await applyAsAnouk();
    const card = await say(ANOUK, 'mijn gegevens');
    expect(readCard(card).text).toContain('Nu bewaard: 1 aanvraag');
    const urls = openUrls(card);
    const md = await fetch(local(urls['Downloaden (leesbaar)']!));
    expect(md.status).toBe(200);
    expect(md.headers.get('cache-control')).toContain('no-store');
    const text = await md.text();
    expect(text).toContain('# Uw gegevens in Leerbudget');
    expect(text).toContain('anouk@buurtkracht.example');
    expect(text).toContain('Samen sterk in Holtenbroek');
    const json = (await (await fetch(local(urls['Downloaden (JSON)']!))).json()) as { userId: string; sections: { contact: { contactName: string }[] } };
    expect(json.userId).toBe(ANOUK.aadObjectId);
    expect(json.sections.contact[0].contactName).toBe('Anouk Bakker');
    expect((await repos().audit.list('global')).filter((a) => a.action === 'privacy.export-requested' && a.actorId === ANOUK.aadObjectId)).toHaveLength(1);
    // English client: the English file.
    const en = openUrls(await say(ANOUK, 'my data', 'en-US'));
    expect(await (await fetch(local(en['Download (readable)']!))).text()).toContain('# Your data in Leerbudget');
  });

  it('an altered link (another person, another language, a later expiry) or an expired one gets 403 before anything is read', async () => {
    const url = new URL(local(openUrls(await say(ANOUK, 'mijn gegevens'))['Downloaden (JSON)']!));
    const altered = (k: string, v: string) => {
      const u = new URL(url);
      u.searchParams.set(k, v);
      return u.toString();
    };
    for (const bad of [
      altered('p', PETER.aadObjectId),
      altered('lang', 'en'),
      altered('exp', String(Number(url.searchParams.get('exp')) + 3600)),
      altered('sig', 'A'.repeat(43)),
    ]) {
      const res = await fetch(bad);
      expect(res.status, bad).toBe(403);
      expect(await res.text()).not.toContain('Anouk');
    }
    clock.advance(8 * 24 * 3600_000);
    try {
      expect((await fetch(url)).status).toBe(403);
    } finally {
      clock.advance(-8 * 24 * 3600_000);
    }
  });

  it('a tampered payload naming someone else gives the presser their own data, nothing of the other', async () => {
    const card = await h.invoke(
      cardAction(h.connector.url, PETER, 'privacy.myData', { p: ANOUK.aadObjectId, userId: ANOUK.aadObjectId, applicationId: 'a'.repeat(20) }),
    );
    expect(readCard(card).text).toContain('Nu bewaard: 0 aanvragen');
    const text = await (await fetch(local(openUrls(card)['Downloaden (leesbaar)']!))).text();
    expect(text).not.toContain('Anouk');
    expect(text).not.toContain('Buurtkracht');
  });
});

describe('verwijder mijn gegevens (deletion request) and the accounthouder’s decision', () => {
  it('asks with a confirmation, stores one request however often it is pressed, and tells every accounthouder', async () => {
    const confirm = await say(ANOUK, 'verwijder mijn gegevens');
    expect(readCard(confirm).text).toContain('Wat verwijderd wordt');
    expect(readCard(confirm).text).toContain('1 aanvraag: contactgegevens en teksten');
    const sent = await press(confirm, 'Ja, vraag verwijdering aan');
    expect(readCard(sent).text).toContain('Uw verzoek is verstuurd');
    const again = await press(confirm, 'Ja, vraag verwijdering aan');
    expect(readCard(again).text).toContain('Uw verzoek loopt al');
    expect(readCard(again).actions.map((a) => a.title)).not.toContain('Ja, vraag verwijdering aan');
    expect((await repos().privacy.list()).map((r) => r.value.state)).toEqual(['open']);
    expect((await repos().audit.list('global')).filter((a) => a.action === 'privacy.deletion-requested')).toHaveLength(1);
    const told = (await repos().outbox.list('global')).filter((e) => e.kind === 'privacy.deletion-request');
    expect(told.map((e) => e.target)).toEqual([{ type: 'user', userId: INGRID.aadObjectId }]);
  });

  it('refuses a non-accounthouder the list, the card and the decision, and changes nothing', async () => {
    const request = requestIdOf(ANOUK.aadObjectId);
    expect(readCard(await say(PETER, 'verzoeken')).text).toContain('Alleen voor de accounthouder');
    expect(readCard(await h.invoke(cardAction(h.connector.url, PETER, 'privacy.open', { request }))).text).toContain('Alleen voor de accounthouder');
    const decided = await h.invoke(cardAction(h.connector.url, PETER, 'privacy.decide', { request, rev: 1, decision: 'approve', actorId: INGRID.aadObjectId }));
    expect(readCard(decided).text).toContain('Alleen voor de accounthouder');
    // Anouk asking for the decision herself is refused the same way.
    expect(readCard(await h.invoke(cardAction(h.connector.url, ANOUK, 'privacy.decide', { request, rev: 1, decision: 'approve' }))).text).toContain(
      'Alleen voor de accounthouder',
    );
    expect((await repos().privacy.list()).map((r) => r.value.state)).toEqual(['open']);
  });

  it('the accounthouder decides once: a refusal needs a reason (typed text kept); approval removes and the person hears what was removed', async () => {
    const list = await say(INGRID, 'verzoeken');
    expect(readCard(list).text).toContain('1 open verzoek');
    // Anouk is in no team roster or panel: the accounthouder is not shown the contact name she typed.
    const card = await press(list, 'Bekijk 1: Iemand (onbekende naam)', {}, INGRID);
    expect(readCard(card).text).toContain('Iemand (onbekende naam) vroeg op');
    expect(readCard(card).text).not.toContain('Anouk');
    const noReason = await press(card, 'Afwijzen', { reason: '  ' }, INGRID);
    expect(readCard(noReason).text).toContain('Schrijf waarom');
    expect((await repos().privacy.list())[0]!.value.state).toBe('open');

    const approved = await press(card, 'Goedkeuren en verwijderen', {}, INGRID);
    expect(readCard(approved).text).toContain('Goedgekeurd door');
    // A second press on the old card (or another accounthouder's) gets the current state and removes nothing twice.
    const twice = await press(card, 'Goedkeuren en verwijderen', {}, INGRID);
    expect(readCard(twice).text).toContain('Goedgekeurd door');
    const refusedLate = await press(card, 'Afwijzen', { reason: 'Te laat' }, INGRID);
    expect(readCard(refusedLate).text).not.toContain('Te laat');
    const stored = (await repos().privacy.list())[0]!.value;
    expect(stored).toMatchObject({ state: 'approved', decidedBy: INGRID.aadObjectId });
    expect(stored.outcome).toMatchObject({ applications: 1, removed: { applicantPseudonymised: true } });
    // The decided card words what was removed, computed from the outcome (never raw counts such as 'comments: 3').
    expect(readCard(approved).text).toContain('Wat verwijderd is');
    expect(readCard(approved).text).toMatch(
      /1 aanvraag: contactgegevens en teksten, het chatadres \(zodra het laatste bericht is verstuurd\) en de Microsoft-id van de persoon, ook in \d+ regels? van het logboek/,
    );
    expect(readCard(approved).text).not.toMatch(/\b(applications|comments|overallRemarks|questions|answers|auditRecords|applicationFields): \d/);
    const audit = await repos().audit.list('global');
    expect(audit.filter((a) => a.action === 'person.anonymised')).toHaveLength(1);
    // The application's contact details are gone from the store.
    const app = (await repos().applications.listByRound('LB-2026')).find((a) => a.value.fields.title !== undefined || a.value.anonymisedAt);
    expect(JSON.stringify(app?.value ?? {})).not.toContain('anouk@buurtkracht.example');
    // The answer to the person is computed from what was removed.
    const answers = (await repos().outbox.list('global')).filter((e) => e.kind === 'privacy.deletion-answer');
    expect(answers).toHaveLength(1);
    expect(answers[0]!.target).toEqual({ type: 'user', userId: ANOUK.aadObjectId });
    expect(answers[0]!.text).toContain('Uw gegevens zijn verwijderd');
    expect(answers[0]!.text).toMatch(
      /Verwijderd: 1 aanvraag: contactgegevens en teksten, het chatadres \(zodra het laatste bericht is verstuurd\) en uw Microsoft-id, ook in \d+ regels? van het logboek \(nu een schuilnaam\)\./,
    );
  });
});

describe('logboek', () => {
  it('is refused to anyone but an accounthouder', async () => {
    expect(readCard(await say(PETER, 'logboek')).text).toContain('Het logboek is alleen voor de Wmo-accounthouder');
    expect(readCard(await h.invoke(cardAction(h.connector.url, ANOUK, 'log.page', { page: 1 }))).text).toContain('alleen voor de Wmo-accounthouder');
  });

  it('shows readable lines newest first, filters by a person chosen from the list (an unknown id filters nothing), pages, and exports CSV through a signed link', async () => {
    // Peter is in a team's roster (a name the bot knows); the clock did 25 reminders' worth of work.
    await repos().conversations.saveRoster([
      {
        userId: PETER.aadObjectId,
        rosterId: PETER.id,
        tenantId: 't',
        serviceUrl: h.connector.url,
        botId: 'b',
        name: 'Peter Smit',
        updatedAt: clock.now().toISOString(),
      },
    ]);
    for (let i = 0; i < 25; i++)
      await repos().audit.record({
        roundId: 'LB-2026',
        at: new Date(clock.now().getTime() - (i + 1) * 60_000).toISOString(),
        actorId: 'system',
        action: 'reminder.sent',
        subjectId: `r${i}`,
      });
    const card = await say(INGRID, 'logboek');
    const read = readCard(card);
    expect(read.text).toMatch(/\d+ regels · pagina 1 van 2/);
    // Newest first; the applicant, anonymised since, appears under her pseudonym, never by id or typed name.
    expect(read.texts.findIndex((t) => t.includes('vroeg om verwijdering'))).toBeLessThan(read.texts.findIndex((t) => t.includes('stuurde een herinnering')));
    expect(read.text).toMatch(/Persoon \(geanonimiseerd\) [0-9a-f]{4} vroeg om verwijdering van de eigen gegevens/);
    expect(read.text).not.toContain('psn_');
    // Ingrid is accounthouder by configuration, with no stored name: the role, not "Onbekend".
    expect(read.text).toMatch(/Accounthouder besliste over een verzoek om verwijdering Persoon \(geanonimiseerd\) [0-9a-f]{4}/);
    expect(read.text).not.toContain('Onbekend');
    // One person's lines carry one tag.
    const tags = new Set([...read.text.matchAll(/Persoon \(geanonimiseerd\) ([0-9a-f]{4})/g)].map((m) => m[1]));
    expect(tags.size).toBe(1);
    expect(read.text).toContain('Peter Smit vroeg de eigen gegevens op');
    expect(read.text).not.toContain(ANOUK.aadObjectId);
    const person = read.inputs.find((i) => i.id === 'person')!;
    expect(person.choices.map((c: { title: string }) => c.title)).toContain('Iedereen');
    const peter = person.choices.find((c: { title: string }) => c.title === 'Peter Smit');
    expect(peter.value).toBe(PETER.aadObjectId);
    const filtered = readCard(await press(card, 'Filteren', { person: peter.value }, INGRID));
    expect(filtered.inputs.find((i) => i.id === 'person')!.value).toBe(PETER.aadObjectId);
    expect(filtered.text).toContain('1 regel · pagina 1 van 1');
    expect(filtered.text).toContain('Peter Smit vroeg de eigen gegevens op');
    // An id typed into the payload that the bot does not know as a person filters nothing.
    const unknown = await press(card, 'Filteren', { person: '00000000-0000-4000-8000-0000000000ee' }, INGRID);
    expect(readCard(unknown).inputs.find((i) => i.id === 'person')!.value).toBe('all');
    expect(readCard(unknown).text).toMatch(/pagina 1 van 2/);
    const badRef = await press(card, 'Filteren', { reference: 'LB-1999-999' }, INGRID);
    expect(readCard(badRef).text).toContain('Er is geen aanvraag met kenmerk LB-1999-999');
    const next = readCard(await press(card, 'Volgende', {}, INGRID));
    expect(next.text).toMatch(/pagina 2 van 2/);
    expect(next.text).toContain('De bot stuurde een herinnering');

    const csvUrl = local(openUrls(card)['Downloaden (CSV)']!);
    const csv = await fetch(csvUrl);
    expect(csv.status).toBe(200);
    const body = await csv.text();
    expect(body).toContain('tijd,wie,handeling,zin');
    expect(body.trim().split('\r\n').length).toBeGreaterThan(26);
    expect(body).toContain('Peter Smit,privacy.export-requested');
    expect(body).toContain('Accounthouder,privacy.deletion-decided');
    expect(body).toMatch(/Persoon \(geanonimiseerd\) [0-9a-f]{4},privacy\.deletion-requested/);
    expect(body).not.toContain('psn_');
    expect(body).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}/);
    const tampered = new URL(csvUrl);
    tampered.searchParams.set('by', PETER.aadObjectId);
    expect((await fetch(tampered)).status).toBe(403);
    tampered.searchParams.delete('by');
    expect((await fetch(tampered)).status).toBe(403);
  });
});
