import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STEPS } from '../../src/domain/application';
import { VALID_INPUT } from '../fixtures';
import { anoukApplies, CHANNEL, demoScores, invoke, linkAndBuildPanel, say, Stack, startStack, thread } from '../support/e2e-stack';
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
    await linkAndBuildPanel(stack);
    ({ ref, reviewMessage } = await anoukApplies(stack));
    const scores = demoScores('4');
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
    const proposal = (
      await ingrid.stream.waitFor(
        (f) =>
          f.action === 'createMessage' &&
          f.actionConversationId === CHANNEL &&
          readCard((f.message as FrameMessage).attachments?.[0]?.content).text.includes('wat vindt het panel'),
        15_000,
        since,
      )
    ).message as FrameMessage;
    const agree = readCard(proposal.attachments[0]?.content).action('Eens');
    expect(
      (await invoke(ingrid, thread(proposal.messageId), proposal.messageId, SANNE, 'alloc.mark', { ...agree.data, remark: 'Goed verdeeld.' })).text,
    ).toContain('Je reactie is opgeslagen');

    card = readCard((await ingrid.client.invoke(chat, allocation.messageId, 'alloc.show', { roundId: ref.roundId }, INGRID.id)).value);
    expect(card.text).toContain('Panel: 1 eens, 0 oneens');
    expect(card.text).toContain('Sanne de Vries (Partner): eens: "Goed verdeeld."');

    const anouksChat = (await anouk.client.config()).config.personalChat.id;
    const anoukSince = anouk.stream.mark();
    since = ingrid.stream.mark();
    const approved = readCard(
      (await ingrid.client.invoke(chat, allocation.messageId, 'alloc.approve', card.action('Toekenning goedkeuren').data, INGRID.id)).value,
    );
    expect(approved.text).toMatch(/Goedgekeurd: €\s12\.500 toegekend/);

    const decision = (await anouk.stream.waitFor((f) => f.action === 'createMessage' && f.actionConversationId === anouksChat, 20_000, anoukSince))
      .message as FrameMessage;
    const decisionCard = readCard(decision.attachments[0]?.content);
    expect(decisionCard.text).toContain('Je aanvraag is toegekend');
    expect(decisionCard.text).toMatch(/Toegekend: €\s12\.500/);
    const summary = await ingrid.stream.waitFor(
      (f) =>
        f.action === 'createMessage' &&
        f.actionConversationId === CHANNEL &&
        readCard((f.message as FrameMessage).attachments?.[0]?.content).text.includes('Toekenning goedgekeurd'),
      20_000,
      since,
    );
    expect(readCard((summary.message as FrameMessage).attachments[0]?.content).text).toMatch(/Toegekend: €\s12\.500/);
    const inThread = await ingrid.stream.waitFor((f) => f.action === 'createMessage' && f.actionConversationId === thread(reviewMessage), 20_000, since);
    expect((inThread.message as FrameMessage).text).toContain('Besluit: toegekend');
  });
});
