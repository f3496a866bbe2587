import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STEPS } from '../../src/domain/application';
import { VALID_INPUT } from '../fixtures';
import { CHANNEL, invoke, say, Stack, startStack, thread } from '../support/e2e-stack';
import type { FrameMessage, RunningPlayground } from '../support/playground';
import { INGRID, LOTTE, MOHAMED, readCard, SANNE, User } from '../support/teams';
import { until } from '../support/until';
import { tableClients } from '../../src/store/tables';
import { tableRepos } from '../../src/store/table-repos';

/**
 * The criteria consultation in the Agents Playground: Ingrid invites everyone the bot knows and the
 * review channel; three people respond through the channel's invitation and Anouk through her
 * welcome card, each in the role the store gives them (panel role, or unknown); Ingrid accepts a
 * proposal and publishes, the welcome card stops inviting, and the review card of an application
 * submitted afterwards (by Anouk, in her own client) asks for the new criterion.
 */
let stack: Stack;
let anouk: RunningPlayground;
let ingrid: RunningPlayground;

beforeAll(async () => {
  stack = await startStack('E2eConsult');
  ({ anouk, ingrid } = stack);
}, 120_000);

afterAll(() => stack?.stop());

describe('the criteria consultation in the Playground', () => {
  it('four responses with roles from the store (one through the welcome card), an accepted proposal, and the published criteria on a new review card', async () => {
    await say(ingrid, CHANNEL, 'koppel beoordeling', true);
    const panel = await say(ingrid, CHANNEL, 'panel', true);
    for (const [u, role, organisation] of [
      [INGRID, 'gemeente', ''],
      [SANNE, 'partner', 'Wijkpartners Zwolle'],
      [MOHAMED, 'ervaringsdeskundige', ''],
    ] as const) {
      await invoke(ingrid, panel.conversationId, panel.messageId, INGRID, 'panel.add', { person: u.aadObjectId, role, organisation });
    }

    const chat = (await ingrid.client.config()).config.personalChat.id;
    const admin = await say(ingrid, chat, 'raadpleging');
    const closes = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
    const since = ingrid.stream.mark();
    const start = readCard(admin.attachments[0]?.content).action('Raadpleging starten');
    const started = await invoke(ingrid, chat, admin.messageId, INGRID, start.verb, {
      ...start.data,
      closesAt: closes,
      inviteChannel: 'true',
      audience: 'everyone',
    });
    // Only Ingrid has a chat with the bot yet, but Sanne and Mohamed (panel) are in the team: linking the channel read its
    // roster, and the bot starts their 1:1 chats itself (Teams' create conversation, which the Playground serves too).
    expect(started.text).toContain('De raadpleging is gestart. 3 mensen krijgen een uitnodiging in hun chat, en het beoordelingskanaal ook.');
    expect(started.text).not.toContain('Niet persoonlijk bereikt');
    const repos = tableRepos(tableClients(stack.azurite.connectionString, 'E2eConsult'));
    const invites = await until(
      async () => {
        const sent = (await repos.outbox.list('LB-2026')).filter((e) => e.kind === 'consultation.invite' && e.target.type === 'user');
        return sent.length === 3 && sent.every((e) => e.state === 'sent' || e.state === 'failed') ? sent : undefined;
      },
      { what: 'the three invitations settled', timeoutMs: 15_000 },
    );
    // The Playground accepted every invitation: Sanne's and Mohamed's into the chats it created for them (Ingrid's client does not show other people's chats).
    expect(invites.map((e) => e.state)).toEqual(['sent', 'sent', 'sent']);
    for (const u of [SANNE, MOHAMED]) {
      const created = await repos.conversations.get(u.aadObjectId);
      expect(created?.conversationId).toBeTruthy();
      expect(created?.conversationId).not.toBe(chat);
      expect(created?.reference).toMatchObject({ user: { id: u.id }, conversation: { conversationType: 'personal' } });
    }
    const invitation = (
      await ingrid.stream.waitFor(
        (f) =>
          f.action === 'createMessage' &&
          f.actionConversationId === CHANNEL &&
          readCard((f.message as FrameMessage).attachments?.[0]?.content).text.includes('Denk mee'),
        15_000,
        since,
      )
    ).message as FrameMessage;
    const open = readCard(invitation.attachments[0]?.content).action('Denk mee');

    // Each opens the invitation for themselves and responds; nobody says who they are.
    const respond = async (u: User, inputs: Record<string, string>, role: string) => {
      const card = await invoke(ingrid, thread(invitation.messageId), invitation.messageId, u, open.verb, open.data);
      expect(card.input('role')).toBeUndefined();
      expect(card.text).toContain(role);
      const send = card.action('Reactie versturen');
      return invoke(ingrid, thread(invitation.messageId), invitation.messageId, u, send.verb, { ...send.data, ...inputs });
    };
    expect(
      (
        await respond(
          SANNE,
          { verdict_integraal: 'endorse', verdict_regie: 'change', weight_regie: '2', reason_regie: 'Regie is de kern.' },
          'telt mee als: Partner in de sociale basis',
        )
      ).text,
    ).toContain('Je reactie is opgeslagen');
    expect(
      (
        await respond(
          MOHAMED,
          {
            verdict_integraal: 'endorse',
            addTitle: 'Jongeren praten mee',
            addDescription: 'Jongeren denken mee over de opzet.',
            addWeight: '1',
            addReason: 'Niet over maar met jongeren.',
          },
          'telt mee als: Ervaringsdeskundige',
        )
      ).text,
    ).toContain('Je reactie is opgeslagen');
    // Lotte is on no panel and applied for no registered organisation: her role is unknown.
    expect((await respond(LOTTE, { verdict_integraal: 'endorse', verdict_resultaat: 'endorse' }, 'rol onbekend')).text).toContain('Je reactie is opgeslagen');

    // Anouk was not invited (she never chatted with the bot): the welcome card lets her in.
    const anouksChat = (await anouk.client.config()).config.personalChat.id;
    const welcomeOpen = await say(anouk, anouksChat, 'hallo');
    const join = readCard(welcomeOpen.attachments[0]?.content).actions.find((a) => String(a.title).startsWith('Denk mee over de uitgangspunten (tot '));
    expect(join).toBeDefined();
    const anouksCard = readCard((await anouk.client.invoke(anouksChat, welcomeOpen.messageId, join!.verb, join!.data)).value);
    expect(anouksCard.text).toContain('rol onbekend');
    const send = anouksCard.action('Reactie versturen');
    expect(
      readCard((await anouk.client.invoke(anouksChat, welcomeOpen.messageId, send.verb, { ...send.data, verdict_integraal: 'endorse' })).value).text,
    ).toContain('Je reactie is opgeslagen');

    let card = readCard((await ingrid.client.invoke(chat, admin.messageId, 'consult.show', { roundId: String(start.data.roundId) }, INGRID.id)).value);
    // Before, Lotte chose "partner" on the card (2 partners); now the store says: 1 partner, and Lotte and Anouk unknown.
    expect(card.text).toContain('Eens: 1 partner, 1 ervaringsdeskundige, 0 van de gemeente, 2 onbekend');
    expect(card.text).toContain('Gereageerd: 1 partner, 1 ervaringsdeskundige, 0 van de gemeente, 2 onbekend');
    const acceptNew = card.actions.filter((a) => /^Aannemen: voorstel \d+$/.test(String(a.title))).find((a) => String(a.data.proposalId).includes('|new|'))!;
    card = readCard(
      (
        await ingrid.client.invoke(
          chat,
          admin.messageId,
          acceptNew.verb,
          { ...acceptNew.data, [String(acceptNew.data.replyField)]: 'Mooi, komt erbij.' },
          INGRID.id,
        )
      ).value,
    );
    const publish = card.action('Vaststellen en publiceren');
    card = readCard((await ingrid.client.invoke(chat, admin.messageId, publish.verb, publish.data, INGRID.id)).value);
    expect(card.text).toContain('vastgesteld als versie 2');

    const welcome = await say(anouk, anouksChat, 'hallo');
    // Published: the welcome card no longer invites.
    expect(readCard(welcome.attachments[0]?.content).actions.some((a) => String(a.title).startsWith('Denk mee'))).toBe(false);
    const press = async (c: unknown, title: string, inputs: Record<string, string> = {}) => {
      const a = readCard(c).action(title);
      return (await anouk.client.invoke(anouksChat, welcome.messageId, a.verb, { ...a.data, ...inputs })).value;
    };
    let form = await press(welcome.attachments[0]?.content, 'Nieuwe aanvraag');
    form = await press(form, 'Verder', { partnerInSocialeBasis: 'yes', activeInMunicipality: 'yes', collectiveAnswer: 'yes' });
    for (const step of STEPS) form = await press(form, 'Volgende', VALID_INPUT[step] as Record<string, string>);
    const submit = readCard(form).action('Indienen');
    const postedSince = ingrid.stream.mark();
    await press(form, 'Indienen');
    const review = (
      await ingrid.stream.waitFor(
        (f) =>
          f.action === 'createMessage' &&
          f.actionConversationId === CHANNEL &&
          readCard((f.message as FrameMessage).attachments?.[0]?.content).text.includes('Samen sterk'),
        15_000,
        postedSince,
      )
    ).message as FrameMessage;
    const view = await invoke(ingrid, thread(review.messageId), review.messageId, SANNE, 'review.refresh', {
      roundId: submit.data.roundId,
      applicationId: submit.data.applicationId,
    });
    expect(view.inputs.filter((i) => String(i.id).startsWith('score_'))).toHaveLength(8);
    expect(view.text).toContain('Jongeren praten mee');
  });
});
