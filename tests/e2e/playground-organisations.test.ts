import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STEPS } from '../../src/domain/application';
import { VALID_INPUT } from '../fixtures';
import { CHANNEL, invoke, say, Stack, startStack, thread } from '../support/e2e-stack';
import type { FrameMessage, RunningPlayground } from '../support/playground';
import { INGRID, MOHAMED, readCard, SANNE } from '../support/teams';

/**
 * Partners are organisations, not spellings, in the Agents Playground: the accounthouder puts a
 * partner of "Stichting Buurtkracht Zwolle" on the panel (the organisation goes into the
 * registry), a partner applies as "Buurtkracht", and the panel member's review card says she is
 * recused instead of showing the scoring form. Before the registry the two names gave no recusal.
 */
let stack: Stack;
let anouk: RunningPlayground;
let ingrid: RunningPlayground;

beforeAll(async () => {
  stack = await startStack('E2eOrgs');
  ({ anouk, ingrid } = stack);
}, 120_000);

afterAll(() => stack?.stop());

describe('recusal by the organisation registry in the Playground', () => {
  let reviewMessage = '';
  let ref: { roundId: string; applicationId: string };

  it('Ingrid puts a partner of Stichting Buurtkracht Zwolle on the panel: the organisation is in the registry', async () => {
    expect((await say(ingrid, CHANNEL, 'koppel beoordeling', true)).text).toContain('beoordelingskanaal');
    const panel = await say(ingrid, CHANNEL, 'panel', true);
    const notes: string[] = [];
    for (const [u, role, organisation] of [
      [INGRID, 'gemeente', ''],
      [SANNE, 'partner', 'Stichting Buurtkracht Zwolle'],
      [MOHAMED, 'ervaringsdeskundige', ''],
    ] as const) {
      notes.push((await invoke(ingrid, panel.conversationId, panel.messageId, INGRID, 'panel.add', { person: u.aadObjectId, role, organisation })).text);
    }
    expect(notes[1]).toContain('Sanne de Vries is toegevoegd aan het panel. Stichting Buurtkracht Zwolle staat nu in het register van partnerorganisaties.');

    const chat = (await ingrid.client.config()).config.personalChat.id;
    const registry = readCard((await say(ingrid, chat, 'organisaties')).attachments[0]?.content);
    expect(registry.text).toContain('1 organisatie · pagina 1 van 1');
    expect(registry.text).toContain('Stichting Buurtkracht Zwolle');
  });

  it('Anouk applies as "Buurtkracht": the summary and the submitted card name the registered organisation', async () => {
    const chat = (await anouk.client.config()).config.personalChat.id;
    const welcome = await say(anouk, chat, 'hallo');
    const press = async (card: unknown, title: string, inputs: Record<string, string> = {}) => {
      const a = readCard(card).action(title);
      return (await anouk.client.invoke(chat, welcome.messageId, a.verb, { ...a.data, ...inputs })).value;
    };
    let card = await press(welcome.attachments[0]?.content, 'Nieuwe aanvraag');
    card = await press(card, 'Verder', { partnerInSocialeBasis: 'yes', activeInMunicipality: 'yes', collectiveAnswer: 'yes' });
    for (const step of STEPS)
      card = await press(card, 'Volgende', { ...VALID_INPUT[step], ...(step === 'organisation' ? { organisation: 'Buurtkracht' } : {}) } as Record<
        string,
        string
      >);
    expect(readCard(card).text).toContain('Je aanvraag hoort bij Stichting Buurtkracht Zwolle.');
    const submit = readCard(card).action('Indienen');
    ref = { roundId: String(submit.data.roundId), applicationId: String(submit.data.applicationId) };
    const since = ingrid.stream.mark();
    const submitted = readCard(await press(card, 'Indienen'));
    expect(submitted.text).toContain('Je aanvraag hoort bij Stichting Buurtkracht Zwolle in het register van partnerorganisaties.');
    const posted = await ingrid.stream.waitFor(
      (f) => f.action === 'createMessage' && f.actionConversationId === CHANNEL && Boolean(f.message?.attachments?.length),
      15_000,
      since,
    );
    reviewMessage = (posted.message as FrameMessage).messageId;
  });

  it("Sanne's review card says she is recused, without the scoring form; Mohamed gets the form", async () => {
    const sanne = await invoke(ingrid, thread(reviewMessage), reviewMessage, SANNE, 'review.refresh', ref);
    expect(sanne.text).toContain('Je doet niet mee aan deze beoordeling. Je werkt voor de aanvrager of een partner in deze aanvraag.');
    expect(sanne.inputs.filter((i) => String(i.id).startsWith('score_'))).toEqual([]);
    expect(sanne.actions.map((a) => a.verb)).not.toContain('review.score');

    const scores = Object.fromEntries(
      ['integraal', 'zorg-naar-welzijn', 'licht-dichtbij', 'regie', 'ervaringsdeskundigheid', 'ambities', 'resultaat'].map((id) => [`score_${id}`, '4']),
    );
    const refused = await invoke(ingrid, thread(reviewMessage), reviewMessage, SANNE, 'review.score', { ...ref, ...scores });
    expect(refused.text).toContain('Je doet niet mee aan deze beoordeling. Er is niets opgeslagen.');

    const mohamed = await invoke(ingrid, thread(reviewMessage), reviewMessage, MOHAMED, 'review.refresh', ref);
    expect(mohamed.inputs.filter((i) => String(i.id).startsWith('score_'))).toHaveLength(7);
  });
});
