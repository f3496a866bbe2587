import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STEPS } from '../../src/domain/application';
import { systemClock } from '../../src/clock';
import { tableClients } from '../../src/store/tables';
import { tableRepos } from '../../src/store/table-repos';
import { addPanelMember } from '../../src/usecases/manage-panel';
import { VALID_INPUT } from '../fixtures';
import { startHarness } from '../support/harness';
import { ANOUK, cardAction, channelMessage, INGRID, LOTTE, MOHAMED, personalMessage, readCard, SANNE, User } from '../support/teams';
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
});
afterAll(() => h?.stop());

describe('the criteria consultation', () => {
  let sanneInvite: unknown;
  let mohamedInvite: unknown;

  it('the accounthouder starts it; invited panel members get the draft in their chat', async () => {
    expect(readCard(await say(SANNE, 'raadpleging')).text).toContain('alleen een accounthouder');
    const admin = await say(INGRID, 'raadpleging');
    expect(readCard(admin).text).toContain('Uitgangspunten opstellen, samen');
    const closes = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
    const started = readCard(await press(admin, 'Raadpleging starten', INGRID, { closesAt: closes, invitePanel: 'true' }));
    expect(started.text).toContain('De raadpleging is gestart');
    sanneInvite = (await until(() => postedTo(SANNE).find((p) => readCard(p.activity.attachments?.[0]?.content).text.includes('Denk mee')))).activity
      .attachments[0].content;
    mohamedInvite = (await until(() => postedTo(MOHAMED).find((p) => readCard(p.activity.attachments?.[0]?.content).text.includes('Denk mee')))).activity
      .attachments[0].content;
    const card = readCard(sanneInvite);
    expect(card.inputs.filter((i) => String(i.id).startsWith('verdict_'))).toHaveLength(7);
    expect(card.input('role')).toBeUndefined();
    for (const i of card.inputs) expect(String(i.label)).toMatch(/\S/);
  });

  it('invited people respond and can change their mind; others cannot', async () => {
    const first = readCard(
      await press(sanneInvite, 'Reactie versturen', SANNE, { verdict_regie: 'change', weight_regie: '3', reason_regie: 'Regie is de kern.' }),
    );
    expect(first.text).toContain('Je reactie is opgeslagen');
    const changed = readCard(
      await press(sanneInvite, 'Reactie versturen', SANNE, {
        verdict_regie: 'change',
        weight_regie: '2',
        reason_regie: 'Regie is de kern.',
        verdict_integraal: 'endorse',
      }),
    );
    expect(changed.input('weight_regie')?.value).toBe(2);
    const noReason = readCard(await press(mohamedInvite, 'Reactie versturen', MOHAMED, { verdict_ambities: 'change', weight_ambities: '2' }));
    expect(noReason.text).toContain('Er klopt iets niet');
    await press(mohamedInvite, 'Reactie versturen', MOHAMED, {
      verdict_integraal: 'endorse',
      addTitle: 'Jongeren praten mee',
      addDescription: 'Jongeren zelf denken mee over de opzet.',
      addWeight: '1',
      addReason: 'Niet over maar met jongeren.',
    });
    expect(readCard(await press(sanneInvite, 'Reactie versturen', LOTTE, { verdict_regie: 'endorse' })).text).toContain('niet uitgenodigd');
    const state = await repos.consultations.state('LB-2026');
    expect(state?.responses.map((r) => r.value.role).sort()).toEqual(['ervaringsdeskundige', 'partner']);
  });

  it('the accounthouder accepts and rejects with a reply the proposer receives, then publishes the next version', async () => {
    let admin = await say(INGRID, 'raadpleging');
    let card = readCard(admin);
    expect(card.text).toContain('Eens: 1 partner, 1 ervaringsdeskundige, 0 gemeente');
    const accept = card.actions.filter((a) => a.title === 'Aannemen');
    expect(accept).toHaveLength(2);
    const before = postedTo(SANNE).length;
    admin = await h.invoke(
      cardAction(h.connector.url, INGRID, accept[0]!.verb, { ...accept[0]!.data, [String(accept[0]!.data.replyField)]: 'Goed punt, we verhogen het gewicht.' }),
    );
    const reply = await until(() => postedTo(SANNE)[before]);
    expect(reply.activity.text).toContain('aangenomen');
    expect(reply.activity.text).toContain('Goed punt');
    const second = readCard(admin).actions.find((a) => a.title === 'Aannemen')!;
    admin = await h.invoke(cardAction(h.connector.url, INGRID, second.verb, { ...second.data, [String(second.data.replyField)]: 'Mooi, komt erbij.' }));
    card = readCard(await press(admin, 'Vaststellen en publiceren', INGRID));
    expect(card.text).toContain('vastgesteld als versie 2');
    const round = (await repos.rounds.get('LB-2026'))!.value;
    expect(round.criteria.version).toBe(2);
    expect(round.criteria.items.find((c) => c.id === 'regie')?.weight).toBe(2);
    expect(round.criteria.items.at(-1)?.title).toBe('Jongeren praten mee');
    expect((await repos.consultations.state('LB-2026'))?.consultation.value.participation).toMatchObject({
      invited: { partner: 1, ervaringsdeskundige: 1 },
      responded: { partner: 1, ervaringsdeskundige: 1 },
      accepted: 2,
    });
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
    expect(md).toContain('Persoonlijk uitgenodigd: 1 partners, 1 ervaringsdeskundigen en 0 medewerkers van de gemeente');
    expect(md).toContain('Nieuw: Jongeren praten mee');
    expect(md).toContain('Gewijzigd: Inwoner houdt de regie');
    expect(md).not.toContain('Aanvullen: hoe de uitgangspunten');
  });
});
