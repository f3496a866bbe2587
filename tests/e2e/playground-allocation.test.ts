import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STEPS } from '../../src/domain/application';
import { VALID_INPUT } from '../fixtures';
import { CHANNEL, invoke, say, Stack, startStack, thread } from '../support/e2e-stack';
import type { FrameMessage, RunningPlayground } from '../support/playground';
import { INGRID, MOHAMED, readCard, SANNE, User } from '../support/teams';

/**
 * From application to decision in the Agents Playground. One bot, two Playground clients: Anouk's
 * (she applies) and Ingrid's (the accounthouder: links the channel, builds the panel, approves).
 * The panel scores and marks the proposal in Ingrid's team channel. The decision card must reach
 * Anouk's personal chat and the summary the channel.
 */
let stack: Stack;
let anouk: RunningPlayground;
let ingrid: RunningPlayground;

beforeAll(async () => {
  stack = await startStack('E2eAlloc');
  ({ anouk, ingrid } = stack);
}, 120_000);

afterAll(() => stack?.stop());

describe('from application to decision in the Playground', () => {
  let reviewMessage = '';
  let ref: { roundId: string; applicationId: string };

  it('Ingrid links the channel and builds the panel; Anouk applies; three members score', async () => {
    expect((await say(ingrid, CHANNEL, 'koppel beoordeling', true)).text).toContain('beoordelingskanaal');
    const panel = await say(ingrid, CHANNEL, 'panel', true);
    for (const [u, role, organisation] of [[INGRID, 'gemeente', ''], [SANNE, 'partner', 'Wijkpartners Zwolle'], [MOHAMED, 'ervaringsdeskundige', '']] as const) {
      await invoke(ingrid, panel.conversationId, panel.messageId, INGRID, 'panel.add', { person: u.aadObjectId, role, organisation });
    }

    const chat = (await anouk.client.config()).config.personalChat.id;
    const welcome = await say(anouk, chat, 'hallo');
    const press = async (card: unknown, title: string, inputs: Record<string, string> = {}) => {
      const a = readCard(card).action(title);
      return (await anouk.client.invoke(chat, welcome.messageId, a.verb, { ...a.data, ...inputs })).value;
    };
    let card = await press(welcome.attachments[0]?.content, 'Nieuwe aanvraag');
    card = await press(card, 'Verder', { partnerInSocialeBasis: 'yes', activeInMunicipality: 'yes', collectiveAnswer: 'yes' });
    for (const step of STEPS) card = await press(card, 'Volgende', VALID_INPUT[step] as Record<string, string>);
    const submit = readCard(card).action('Indienen');
    ref = { roundId: String(submit.data.roundId), applicationId: String(submit.data.applicationId) };
    const since = ingrid.stream.mark();
    await press(card, 'Indienen');
    const posted = await ingrid.stream.waitFor((f) => f.action === 'createMessage' && f.actionConversationId === CHANNEL && Boolean(f.message?.attachments?.length), 15_000, since);
    reviewMessage = (posted.message as FrameMessage).messageId;

    const scores = Object.fromEntries(['integraal', 'zorg-naar-welzijn', 'licht-dichtbij', 'regie', 'ervaringsdeskundigheid', 'ambities', 'resultaat'].map((id) => [`score_${id}`, '4']));
    for (const u of [SANNE, MOHAMED, INGRID]) await invoke(ingrid, thread(reviewMessage), reviewMessage, u, 'review.score', { ...ref, ...scores });
    expect((await invoke(ingrid, thread(reviewMessage), reviewMessage, SANNE, 'review.refresh', ref)).text).toContain('De beoordeling is afgerond');
  });

  it('the panel marks the proposal, Ingrid approves, Anouk gets her decision and the channel the summary', async () => {
    const chat = (await ingrid.client.config()).config.personalChat.id;
    const allocation = await say(ingrid, chat, 'toekenning');
    let card = readCard(allocation.attachments[0]?.content);
    expect(card.text).toContain('Samen sterk in Holtenbroek');

    let since = ingrid.stream.mark();
    const shared = await ingrid.client.invoke(chat, allocation.messageId, 'alloc.share', card.action('Voorleggen aan panel').data, INGRID.id);
    expect(readCard(shared.value).text).toContain('Het voorstel staat in het beoordelingskanaal');
    const proposal = (await ingrid.stream.waitFor((f) => f.action === 'createMessage' && f.actionConversationId === CHANNEL && readCard((f.message as FrameMessage).attachments?.[0]?.content).text.includes('wat vindt het panel'), 15_000, since)).message as FrameMessage;
    const agree = readCard(proposal.attachments[0]?.content).action('Eens');
    expect((await invoke(ingrid, thread(proposal.messageId), proposal.messageId, SANNE, 'alloc.mark', { ...agree.data, remark: 'Goed verdeeld.' })).text).toContain('Je reactie is opgeslagen');

    card = readCard((await ingrid.client.invoke(chat, allocation.messageId, 'alloc.show', { roundId: ref.roundId }, INGRID.id)).value);
    expect(card.text).toContain('Panel: 1 eens, 0 oneens');
    expect(card.text).toContain('Sanne de Vries (Partner): eens: "Goed verdeeld."');

    const anouksChat = (await anouk.client.config()).config.personalChat.id;
    const anoukSince = anouk.stream.mark();
    since = ingrid.stream.mark();
    const approved = readCard((await ingrid.client.invoke(chat, allocation.messageId, 'alloc.approve', card.action('Toekenning goedkeuren').data, INGRID.id)).value);
    expect(approved.text).toMatch(/Goedgekeurd: €\s12\.500 toegekend/);

    const decision = (await anouk.stream.waitFor((f) => f.action === 'createMessage' && f.actionConversationId === anouksChat, 20_000, anoukSince)).message as FrameMessage;
    const decisionCard = readCard(decision.attachments[0]?.content);
    expect(decisionCard.text).toContain('Je aanvraag is toegekend');
    expect(decisionCard.text).toMatch(/Toegekend: €\s12\.500/);
    const summary = await ingrid.stream.waitFor((f) => f.action === 'createMessage' && f.actionConversationId === CHANNEL && readCard((f.message as FrameMessage).attachments?.[0]?.content).text.includes('Toekenning goedgekeurd'), 20_000, since);
    expect(readCard((summary.message as FrameMessage).attachments[0]?.content).text).toMatch(/Toegekend: €\s12\.500/);
    const inThread = await ingrid.stream.waitFor((f) => f.action === 'createMessage' && f.actionConversationId === thread(reviewMessage), 20_000, since);
    expect((inThread.message as FrameMessage).text).toContain('Besluit: toegekend');
  });
});
