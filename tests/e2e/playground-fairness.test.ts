import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anoukApplies, demoScores, invoke, linkAndBuildPanel, say, Stack, startStack, thread } from '../support/e2e-stack';
import type { FrameMessage } from '../support/playground';
import { INGRID, MOHAMED, readCard, SANNE } from '../support/teams';

/**
 * Fairness as people meet it in the Playground: a member cannot see the others' scores by saving
 * only n.v.t.; when every member has a conflict the review cannot end by itself, Ingrid is told in
 * her chat and settles it with a reason, and Anouk's status says so.
 */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack('E2eFair');
}, 120_000);
afterAll(() => stack?.stop());

describe('fairness in the Playground', () => {
  let ref: { roundId: string; applicationId: string };
  let card = '';

  it('n.v.t. everywhere is refused and shows nothing of the others', async () => {
    const { ingrid } = stack;
    // Ingrid talks to the bot once, so it can reach her later.
    await say(ingrid, (await ingrid.client.config()).config.personalChat.id, 'hallo');
    await linkAndBuildPanel(stack);
    ({ ref, reviewMessage: card } = await anoukApplies(stack));
    expect((await invoke(ingrid, thread(card), card, SANNE, 'review.score', { ...ref, ...demoScores('4') })).text).toContain('Je scores zijn opgeslagen');
    const sly = await invoke(ingrid, thread(card), card, MOHAMED, 'review.score', { ...ref, ...demoScores('na') });
    expect(sly.text).toContain('alleen n.v.t. telt niet als beoordeling');
    expect(sly.text).not.toContain('Sanne de Vries (Partner)');
    expect((await invoke(ingrid, thread(card), card, MOHAMED, 'review.refresh', ref)).text).not.toContain('Scores van de andere panelleden');
    const asked = await invoke(ingrid, thread(card), card, MOHAMED, 'review.others', { ...ref, page: 1 });
    expect(asked.text).toContain('Je ziet de scores van anderen pas');
    expect(asked.text).not.toContain('Sanne de Vries (Partner)');
  });

  it('everyone declares a conflict: Ingrid is told, settles it with a reason, and Anouk sees it', async () => {
    const { ingrid, anouk } = stack;
    const ingridsChat = (await ingrid.client.config()).config.personalChat.id;
    const since = ingrid.stream.mark();
    for (const u of [SANNE, MOHAMED, INGRID]) {
      expect((await invoke(ingrid, thread(card), card, u, 'review.conflict', { ...ref, conflictNote: 'Ik ben betrokken bij dit plan.' })).text).toMatch(
        /Je doet niet mee/,
      );
    }
    const told = (await ingrid.stream.waitFor((f) => f.action === 'createMessage' && f.actionConversationId === ingridsChat, 20_000, since))
      .message as FrameMessage;
    expect(told.text).toContain('loopt vast');
    expect(told.text).toContain('niemand in het panel mag deze aanvraag beoordelen');

    const list = await say(ingrid, ingridsChat, 'vastgelopen');
    const stuck = readCard(list.attachments[0]?.content);
    expect(stuck.text).toContain('Vastgelopen beoordelingen');
    const close = stuck.actions.find((a) => a.verb === 'review.settle')!;
    const empty = readCard((await ingrid.client.invoke(ingridsChat, list.messageId, close.verb, { ...close.data }, INGRID.id)).value);
    expect(empty.text).toContain('Schrijf een reden');
    const done = readCard(
      (
        await ingrid.client.invoke(
          ingridsChat,
          list.messageId,
          close.verb,
          { ...close.data, [`reason_${ref.applicationId}`]: 'Het hele panel is betrokken; de gemeente besluit zonder panelscore.' },
          INGRID.id,
        )
      ).value,
    );
    expect(done.text).toContain('is afgesloten');
    expect(done.text).toContain('Er zijn geen vastgelopen beoordelingen');

    const anouksChat = (await anouk.client.config()).config.personalChat.id;
    const mine = readCard((await say(anouk, anouksChat, 'mijn aanvragen')).attachments[0]?.content);
    expect(mine.text).toContain('Beoordeeld (de accounthouder heeft de beoordeling afgesloten zonder het gewone aantal beoordelingen)');
  });
});
