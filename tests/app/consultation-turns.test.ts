import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { newDraft, STEPS } from '../../src/domain/application';
import { auditEvent, GLOBAL } from '../../src/domain/audit';
import { newOrganisation, newOrganisationId } from '../../src/domain/organisation';
import { systemClock } from '../../src/clock';
import { tableClients } from '../../src/store/tables';
import { tableRepos } from '../../src/store/table-repos';
import { addPanelMember } from '../../src/usecases/manage-panel';
import { VALID_INPUT } from '../fixtures';
import { startHarness } from '../support/harness';
import { ANOUK, cardAction, channelMessage, INGRID, LOTTE, MOHAMED, personalMessage, PETER, readCard, SANNE, User } from '../support/teams';
import { until } from '../support/until';

const CHANNEL = '19:beoordeling@thread.tacv2';
let h: Awaited<ReturnType<typeof startHarness>>;
let repos: ReturnType<typeof tableRepos>;

const chatOf = (u: User) => `a:personal-${u.aadObjectId}`;
const postedTo = (u: User) => h.connector.posted.filter((p) => p.conversationId === chatOf(u));

async function say(user: User, text: string) {
  const before = postedTo(user).length;
  await h.send(personalMessage(h.connector.url, user, text));
  return (await until(() => postedTo(user)[before])).activity.attachments?.[0]?.content;
}

async function press(card: unknown, title: string, user: User, inputs: Record<string, string> = {}) {
  const a = readCard(card).action(title);
  return h.invoke(cardAction(h.connector.url, user, a.verb, { ...a.data, ...inputs }));
}

beforeAll(async () => {
  h = await startHarness({ env: { ACCOUNTHOUDER_IDS: INGRID.aadObjectId } });
  repos = tableRepos(tableClients(h.config.storage.connectionString, h.config.storage.tablePrefix));
  const deps = { repos, clock: systemClock, accounthouders: [INGRID.aadObjectId] };
  for (const [u, role, organisation] of [
    [SANNE, 'partner', 'Wijkpartners Zwolle'],
    [MOHAMED, 'ervaringsdeskundige', undefined],
  ] as const) {
    await addPanelMember(deps, {
      actorId: INGRID.aadObjectId,
      person: { userId: u.aadObjectId, mri: u.id, name: u.name },
      role,
      ...(organisation ? { organisation } : {}),
    });
    await h.send(personalMessage(h.connector.url, u, 'hallo')); // the bot knows their chat
  }
  // Lotte has chatted with the bot, nothing more: she is invited, her role unknown.
  await h.send(personalMessage(h.connector.url, LOTTE, 'hallo'));
  // Peter applied for a registered organisation but never chatted: he cannot be reached in person.
  const at = new Date();
  const org = newOrganisation(
    { name: 'Stichting De Kern', aliases: [] },
    { id: newOrganisationId(randomBytes), createdBy: INGRID.aadObjectId, now: at, source: 'accounthouder' },
  );
  await repos.organisations.create(org, auditEvent(GLOBAL, INGRID.aadObjectId, 'organisation.registered', org.id, at));
  const draft = newDraft({ id: 'peterpeterpeterpeter', roundId: 'LB-2026', applicantId: PETER.aadObjectId, now: at });
  await repos.applications.create(
    { ...draft, fields: { organisation: org.name, organisationId: org.id } },
    auditEvent('LB-2026', PETER.aadObjectId, 'application.created', draft.id, at),
  );
});
afterAll(() => h?.stop());

const invitationOf = async (u: User) =>
  (await until(() => postedTo(u).find((p) => readCard(p.activity.attachments?.[0]?.content).text.includes('Denk mee')))).activity.attachments[0].content;

describe('the criteria consultation', () => {
  let sanneInvite: unknown;
  let mohamedInvite: unknown;
  let lotteInvite: unknown;

  it('the accounthouder starts it for everyone the bot knows; each gets a short invitation in their chat, and the card says who could not be reached', async () => {
    expect(readCard(await say(SANNE, 'raadpleging')).text).toContain('alleen een accounthouder');
    const admin = await say(INGRID, 'raadpleging');
    expect(readCard(admin).text).toContain('Uitgangspunten opstellen, samen');
    expect(readCard(admin).input('audience')).toMatchObject({ value: 'everyone', choices: [{ value: 'everyone' }, { value: 'panel' }] });
    const closes = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
    // A start card from before the choice (invitePanel, no audience) starts nothing.
    const old = readCard(await h.invoke(cardAction(h.connector.url, INGRID, 'consult.start', { roundId: 'LB-2026', closesAt: closes, invitePanel: 'true' })));
    expect(old.text).toContain('niet meer actueel');
    expect(await repos.consultations.state('LB-2026')).toBeUndefined();
    // Someone else's press starts nothing either.
    expect(readCard(await press(admin, 'Raadpleging starten', SANNE, { closesAt: closes, audience: 'everyone' })).text).not.toContain('gestart');
    expect(await repos.consultations.state('LB-2026')).toBeUndefined();

    const started = readCard(await press(admin, 'Raadpleging starten', INGRID, { closesAt: closes, audience: 'everyone' }));
    // Ingrid, Sanne, Mohamed and Lotte chat with the bot; Peter does not.
    expect(started.text).toContain('De raadpleging is gestart. 4 mensen krijgen een uitnodiging in hun chat.');
    expect(started.text).toContain('Persoonlijk uitgenodigd: 4. Reacties: 0');
    expect(started.text).toContain('Niet persoonlijk bereikt: 1 zonder chat met de bot');
    expect(started.text).toContain('Uitgenodigd: 1 partner, 1 ervaringsdeskundige, 0 van de gemeente, 2 onbekend');
    const c = (await repos.consultations.state('LB-2026'))!.consultation.value;
    expect(c.invited.map((i) => [i.userId, i.role]).sort()).toEqual(
      [
        [INGRID.aadObjectId, 'onbekend'],
        [SANNE.aadObjectId, 'partner'],
        [MOHAMED.aadObjectId, 'ervaringsdeskundige'],
        [LOTTE.aadObjectId, 'onbekend'],
      ].sort(),
    );
    expect(c.invitationsQueuedAt).toBeDefined();

    sanneInvite = await invitationOf(SANNE);
    mohamedInvite = await invitationOf(MOHAMED);
    lotteInvite = await invitationOf(LOTTE);
    await invitationOf(INGRID);
    const invite = readCard(sanneInvite);
    expect(invite.inputs).toHaveLength(0);
    expect(invite.text).toMatch(/reageren tot \d/);
    // A second press of the start button starts nothing and sends nothing again.
    await press(admin, 'Raadpleging starten', INGRID, { closesAt: closes, audience: 'everyone' });
    await new Promise((r) => setTimeout(r, 300));
    expect(postedTo(SANNE).filter((p) => readCard(p.activity.attachments?.[0]?.content).text.includes('Denk mee'))).toHaveLength(1);
    expect((await repos.outbox.list('LB-2026')).filter((e) => e.kind === 'consultation.invite')).toHaveLength(4);
  });

  it('the invitation opens the respond card for whoever presses it, with their role from the store and no role to choose', async () => {
    const card = readCard(await press(sanneInvite, 'Denk mee', SANNE));
    expect(card.inputs.filter((i) => String(i.id).startsWith('verdict_'))).toHaveLength(7);
    expect(card.input('role')).toBeUndefined();
    expect(card.text).toContain('Je reactie telt mee als: Partner in de sociale basis.');
    for (const i of card.inputs) expect(String(i.label)).toMatch(/\S/);
    expect(readCard(await press(lotteInvite, 'Denk mee', LOTTE)).text).toContain('telt mee als "rol onbekend"');
    // A tampered round id is refused; a round without a consultation says so.
    expect(readCard(await h.invoke(cardAction(h.connector.url, LOTTE, 'consult.open', { roundId: '../x' }))).text).toContain('kon ik niet verwerken');
    expect(readCard(await h.invoke(cardAction(h.connector.url, LOTTE, 'consult.open', { roundId: 'LB-2099' }))).text).toContain('Er loopt geen raadpleging');
  });

  it('everyone responds and can change their mind; the role comes from the store, never from the card', async () => {
    const sanneCard = await press(sanneInvite, 'Denk mee', SANNE);
    // The payload says she is from the municipality and someone else: it changes nothing.
    const first = readCard(
      await press(sanneCard, 'Reactie versturen', SANNE, {
        verdict_regie: 'change',
        weight_regie: '3',
        reason_regie: 'Regie is de kern.',
        role: 'gemeente',
        userId: MOHAMED.aadObjectId,
        actorId: MOHAMED.aadObjectId,
      }),
    );
    expect(first.text).toContain('Je reactie is opgeslagen');
    expect(first.text).toContain('telt mee als: Partner in de sociale basis');
    const changed = readCard(
      await press(sanneCard, 'Reactie versturen', SANNE, {
        verdict_regie: 'change',
        weight_regie: '2',
        reason_regie: 'Regie is de kern.',
        verdict_integraal: 'endorse',
      }),
    );
    expect(changed.input('weight_regie')?.value).toBe(2);
    const mohamedCard = await press(mohamedInvite, 'Denk mee', MOHAMED);
    const noReason = readCard(await press(mohamedCard, 'Reactie versturen', MOHAMED, { verdict_ambities: 'change', weight_ambities: '2' }));
    expect(noReason.text).toContain('Er klopt iets niet');
    expect(noReason.text).toContain('telt mee als: Ervaringsdeskundige');
    await press(mohamedCard, 'Reactie versturen', MOHAMED, {
      verdict_integraal: 'endorse',
      addTitle: 'Jongeren praten mee',
      addDescription: 'Jongeren zelf denken mee over de opzet.',
      addWeight: '1',
      addReason: 'Niet over maar met jongeren.',
    });
    // Before, Lotte pressing someone else's card was "not invited"; now anyone may respond, in the role the store gives them.
    const lotte = readCard(await press(sanneCard, 'Reactie versturen', LOTTE, { verdict_integraal: 'endorse', role: 'partner' }));
    expect(lotte.text).toContain('Je reactie is opgeslagen');
    const state = await repos.consultations.state('LB-2026');
    expect(Object.fromEntries(state!.responses.map((r) => [r.value.userId, r.value.role]))).toEqual({
      [SANNE.aadObjectId]: 'partner',
      [MOHAMED.aadObjectId]: 'ervaringsdeskundige',
      [LOTTE.aadObjectId]: 'onbekend',
    });
    expect(state!.responses.find((r) => r.value.userId === MOHAMED.aadObjectId)?.value.perCriterion).toEqual({ integraal: { kind: 'endorse' } });
  });

  it('anyone in the tenant comes in through the welcome card while it is open, in the role the store gives them', async () => {
    const welcome = await say(ANOUK, 'hallo');
    const card = readCard(welcome);
    expect(card.text).toContain('Iedereen mag meedenken');
    const button = card.actions.find((a) => String(a.title).startsWith('Denk mee over de uitgangspunten (tot '))!;
    expect(button).toMatchObject({ verb: 'consult.open', data: { roundId: 'LB-2026' } });
    const respond = await press(welcome, String(button.title), ANOUK);
    expect(readCard(respond).text).toContain('telt mee als "rol onbekend"');
    expect(readCard(await press(respond, 'Reactie versturen', ANOUK, { verdict_ambities: 'endorse' })).text).toContain('Je reactie is opgeslagen');
    expect((await repos.consultations.state('LB-2026'))?.responses.find((r) => r.value.userId === ANOUK.aadObjectId)?.value.role).toBe('onbekend');
  });

  it('the accounthouder accepts and rejects with a reply the proposer receives, then publishes the next version', async () => {
    let admin = await say(INGRID, 'raadpleging');
    let card = readCard(admin);
    expect(card.text).toContain('Eens: 1 partner, 1 ervaringsdeskundige, 0 van de gemeente, 1 onbekend');
    expect(card.text).toContain('Reacties: 4, waarvan 3 van persoonlijk uitgenodigden');
    expect(card.text).toContain('Gereageerd: 1 partner, 1 ervaringsdeskundige, 0 van de gemeente, 2 onbekend');
    const accept = card.actions.filter((a) => /^Aannemen: voorstel \d+$/.test(String(a.title)));
    expect(accept).toHaveLength(2);
    const before = postedTo(SANNE).length;
    admin = await h.invoke(
      cardAction(h.connector.url, INGRID, accept[0]!.verb, { ...accept[0]!.data, [String(accept[0]!.data.replyField)]: 'Goed punt, we verhogen het gewicht.' }),
    );
    const reply = await until(() => postedTo(SANNE)[before]);
    expect(reply.activity.text).toContain('aangenomen');
    expect(reply.activity.text).toContain('Goed punt');
    const second = readCard(admin).actions.find((a) => /^Aannemen: voorstel \d+$/.test(String(a.title)))!;
    admin = await h.invoke(cardAction(h.connector.url, INGRID, second.verb, { ...second.data, [String(second.data.replyField)]: 'Mooi, komt erbij.' }));
    card = readCard(await press(admin, 'Vaststellen en publiceren', INGRID));
    expect(card.text).toContain('vastgesteld als versie 2');
    const round = (await repos.rounds.get('LB-2026'))!.value;
    expect(round.criteria.version).toBe(2);
    expect(round.criteria.items.find((c) => c.id === 'regie')?.weight).toBe(2);
    expect(round.criteria.items.at(-1)?.title).toBe('Jongeren praten mee');
    expect((await repos.consultations.state('LB-2026'))?.consultation.value.participation).toMatchObject({
      invited: { partner: 1, ervaringsdeskundige: 1, onbekend: 2 },
      responded: { partner: 1, ervaringsdeskundige: 1, onbekend: 2 },
      accepted: 2,
    });
    // Published: the welcome card no longer invites.
    expect(readCard(await say(ANOUK, 'hallo')).actions.some((a) => String(a.title).startsWith('Denk mee'))).toBe(false);
  });

  it("a new application's review card uses the published criteria", async () => {
    await h.send(channelMessage(h.connector.url, INGRID, 'koppel beoordeling'));
    let card = await h.invoke(
      cardAction(h.connector.url, ANOUK, 'apply.eligibility', {
        token: 'consult-test-1',
        partnerInSocialeBasis: 'yes',
        activeInMunicipality: 'yes',
        collectiveAnswer: 'yes',
      }),
    );
    for (const step of STEPS) card = await press(card, 'Volgende', ANOUK, VALID_INPUT[step] as Record<string, string>);
    const submit = readCard(card).action('Indienen');
    await press(card, 'Indienen', ANOUK);
    const ref = { roundId: String(submit.data.roundId), applicationId: String(submit.data.applicationId) };
    const activityId = await until(async () => (await repos.reviews.bundle(ref.roundId, ref.applicationId)).review?.value.activityId);
    const view = readCard(
      await h.invoke({
        ...cardAction(h.connector.url, SANNE, 'review.refresh', ref),
        replyToId: activityId,
        conversation: { conversationType: 'channel', isGroup: true, tenantId: 't', id: `${CHANNEL};messageid=${activityId}` },
      }),
    );
    expect(view.inputs.filter((i) => String(i.id).startsWith('score_'))).toHaveLength(8);
    expect(view.text).toContain('Jongeren praten mee');
  });
});

describe('the consultation in the council report', () => {
  it('the allocation report shows participation by role and what changed', async () => {
    const { allocationReportData } = await import('../../src/domain/council-report');
    const { allocationMarkdown } = await import('../../src/reports/markdown');
    const snapshot = (await repos.allocation.snapshot('LB-2026'))!;
    const data = allocationReportData(snapshot, new Date());
    expect(data.process.consultation?.participation).toMatchObject({
      invited: { partner: 1, ervaringsdeskundige: 1, gemeente: 0 },
      responded: { partner: 1, ervaringsdeskundige: 1 },
    });
    const md = allocationMarkdown(data);
    expect(md).toContain('Hoe de uitgangspunten zijn opgesteld');
    const unknown = data.process.consultation!.participation!.invited.onbekend;
    expect(md).toContain(
      `Persoonlijk uitgenodigd: 1 partner, 1 ervaringsdeskundige, 0 medewerkers van de gemeente en ${unknown} ${unknown === 1 ? 'persoon' : 'personen'} van wie de rol niet bekend is`,
    );
    expect(md).toContain('Nieuw: Jongeren praten mee');
    expect(md).toContain('Gewijzigd: Inwoner houdt de regie');
    expect(md).not.toContain('Aanvullen: hoe de uitgangspunten');
  });
});
