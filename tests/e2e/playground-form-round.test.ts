import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { questionsOf } from '../../src/domain/form';
import { tableClients } from '../../src/store/tables';
import { tableRepos } from '../../src/store/table-repos';
import { VALID_INPUT } from '../fixtures';
import { SAMPLES } from '../support/files';
import { CHANNEL, demoScores, invoke, linkAndBuildPanel, say, Stack, startStack, thread } from '../support/e2e-stack';
import { FrameMessage, RunningPlayground } from '../support/playground';
import { INGRID, MOHAMED, readCard, SANNE } from '../support/teams';

/**
 * Issue 15's story in the Agents Playground, Dutch: the accounthouder changes the round's form in
 * Teams (an own question in step 2, a required work plan as a file in step 4); the partner applies
 * to that form, is refused until the work plan is attached, sends it as Teams delivers files
 * (`file.download.info` with a download URL, here on loopback: the Playground cannot send files) and
 * submits; the accounthouder requests changes; the partner changes a step and sends it back with the
 * same reference; the panel sees what changed, scores; the accounthouder approves and makes the
 * allocation report.
 */
const PREFIX = 'E2eForm';
let stack: Stack;
let anouk: RunningPlayground;
let ingrid: RunningPlayground;
let files: Server;
let filesUrl = '';
const repos = () => tableRepos(tableClients(stack.azurite.connectionString, PREFIX));

beforeAll(async () => {
  files = createServer((req, res) => {
    res.writeHead(req.url?.endsWith('/werkplan.pdf') ? 200 : 404, { 'content-type': 'application/octet-stream' });
    res.end(req.url?.endsWith('/werkplan.pdf') ? Buffer.from(SAMPLES.pdf) : undefined);
  });
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
  stack = await startStack(PREFIX);
  ({ anouk, ingrid } = stack);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  files?.close();
});

const chatOf = async (pg: RunningPlayground) => (await pg.client.config()).config.personalChat.id;

/** Presses a button on the card in `messageId` of `pg`'s own chat; returns the card that replaces it. */
async function press(pg: RunningPlayground, messageId: string, card: unknown, title: string, inputs: Record<string, string> = {}) {
  const action = readCard(card).action(title);
  const res = await pg.client.invoke(await chatOf(pg), messageId, action.verb, { ...action.data, ...inputs });
  expect(res.type).toBe('application/vnd.microsoft.card.adaptive');
  return res.value;
}

const waitIn = async (pg: RunningPlayground, conversationId: string, since: number, text: string) =>
  (
    await pg.stream.waitFor(
      (f) =>
        f.action === 'createMessage' &&
        f.actionConversationId === conversationId &&
        `${(f.message as FrameMessage).text ?? ''} ${readCard((f.message as FrameMessage).attachments?.[0]?.content).text}`.includes(text),
      30_000,
      since,
    )
  ).message as FrameMessage;

describe('a round with its own form, an attachment and a change request, in the Playground', () => {
  let reference = '';
  let ref: { roundId: string; applicationId: string };
  let reviewMessage = '';
  let ownId = '';

  it('Ingrid adds an own question and a required work plan to the form', async () => {
    const chat = await chatOf(ingrid);
    const editor = await say(ingrid, chat, 'formulier');
    let card = editor.attachments[0]?.content;
    expect(readCard(card).text).toContain('Versie 1 · 5 stappen');
    card = await press(ingrid, editor.messageId, card, 'Bewerk stap 2');
    card = await press(ingrid, editor.messageId, card, 'Vraag toevoegen aan stap 2', { type: 'shortText' });
    card = await press(ingrid, editor.messageId, card, 'Vraag opslaan', {
      labelNl: 'Met welke buurtbewoners werk je samen?',
      labelEn: 'Which residents do you work with?',
      required: 'true',
    });
    expect(readCard(card).text).toContain('Het formulier is nu versie 2.');
    card = await press(ingrid, editor.messageId, card, 'Bewerk stap 4');
    card = await press(ingrid, editor.messageId, card, 'Vraag toevoegen aan stap 4', { type: 'file' });
    card = await press(ingrid, editor.messageId, card, 'Vraag opslaan', { labelNl: 'Werkplan', labelEn: 'Work plan', required: 'true' });
    expect(readCard(card).text).toContain('Het formulier is nu versie 3.');
    const form = (await repos().rounds.get(`LB-${new Date().getUTCFullYear()}`))!.value.form!;
    const own = questionsOf(form).filter(({ question }) => !['organisation', 'wijk'].includes(question.type) && /^q\d+$/.test(question.id));
    expect(own.map(({ step, question }) => [step.id, question.type])).toEqual([
      ['question', 'shortText'],
      ['budget', 'file'],
    ]);
    ownId = own[0]!.question.id;
  });

  it('Anouk applies to that form: refused without the work plan, the file sent, then submitted', async () => {
    await linkAndBuildPanel(stack);
    const chat = await chatOf(anouk);
    const welcome = await say(anouk, chat, 'hallo');
    let card = await press(anouk, welcome.messageId, welcome.attachments[0]?.content, 'Nieuwe aanvraag');
    card = await press(anouk, welcome.messageId, card, 'Verder', { partnerInSocialeBasis: 'yes', activeInMunicipality: 'yes', collectiveAnswer: 'yes' });
    for (const step of ['organisation', 'question', 'approach', 'budget', 'results'] as const) {
      const shown = readCard(card);
      if (step === 'question') expect(shown.input(ownId)?.label).toContain('Met welke buurtbewoners werk je samen?');
      if (step === 'budget') expect(shown.text).toContain('Werkplan');
      const own: Record<string, string> = step === 'question' ? { [ownId]: 'De bewonersgroep van het Wijkpunt 🌱 en "De Kring"' } : {};
      card = await press(anouk, welcome.messageId, card, 'Volgende', { ...(VALID_INPUT[step] as Record<string, string>), ...own });
    }
    const summary = readCard(card);
    expect(summary.text).toContain('De bewonersgroep van het Wijkpunt 🌱 en "De Kring"');
    const submit = summary.action('Indienen');
    ref = { roundId: String(submit.data.roundId), applicationId: String(submit.data.applicationId) };
    const refusedCard = await press(anouk, welcome.messageId, card, 'Indienen');
    const refused = readCard(refusedCard);
    expect(refused.text).toContain('Werkplan');
    expect((await repos().applications.get(ref.roundId, ref.applicationId))!.value.status).toBe('draft');

    // The file, as Teams delivers it to a bot with supportsFiles.
    const since = anouk.stream.mark();
    const activity = await anouk.client.customActivityTemplate(chat);
    await anouk.client.customActivity({
      ...activity,
      type: 'message',
      text: '',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.teams.file.download.info',
          contentUrl: 'https://contoso.sharepoint.com/personal/anouk/werkplan.pdf',
          name: 'werkplan.pdf',
          content: { downloadUrl: `${filesUrl}/anouk/werkplan.pdf`, uniqueId: 'u-werkplan', fileType: 'pdf' },
        },
      ],
    });
    await waitIn(anouk, chat, since, 'werkplan.pdf');
    const stored = await repos().attachments.list(ref.roundId, ref.applicationId);
    expect(stored.map(({ value: a }) => [a.name, a.kind, a.size])).toEqual([['werkplan.pdf', 'pdf', SAMPLES.pdf.length]]);

    const channelSince = ingrid.stream.mark();
    const done = readCard(await press(anouk, welcome.messageId, refusedCard, 'Indienen'));
    reference = /LB-\d{4}-\d{3}/.exec(done.text)?.[0] ?? '';
    expect(reference).toMatch(/^LB-\d{4}-001$/);
    reviewMessage = (await waitIn(ingrid, CHANNEL, channelSince, reference)).messageId;
  });

  it('Ingrid requests changes; Anouk changes a step and sends it back; the panel sees what changed', async () => {
    const before = demoScores('4');
    await invoke(ingrid, thread(reviewMessage), reviewMessage, SANNE, 'review.score', { ...ref, ...before });

    const chat = await chatOf(ingrid);
    const request = await say(ingrid, chat, `aanvulling ${reference}`);
    const anouksChat = await chatOf(anouk);
    const anoukSince = anouk.stream.mark();
    const note = 'Zet de huur van de zaal in je aanpak.';
    const sent = readCard(await press(ingrid, request.messageId, request.attachments[0]?.content, `Aanvulling vragen: ${reference}`, { note }));
    expect(sent.text).toContain('De aanvulling is gevraagd.');

    const asked = await waitIn(anouk, anouksChat, anoukSince, note);
    let card = await press(anouk, asked.messageId, asked.attachments[0]?.content, `Aanvraag aanpassen: ${reference}`);
    expect(readCard(card).text).toContain(note);
    card = await press(anouk, asked.messageId, card, 'Wijzig stap 3');
    card = await press(anouk, asked.messageId, card, 'Opslaan en naar overzicht', {
      ...(VALID_INPUT.approach as Record<string, string>),
      approach: 'Wij huren de zaal van het Wijkpunt; de huur staat in de begroting.',
    });
    const channelSince = ingrid.stream.mark();
    const back = readCard(await press(anouk, asked.messageId, card, 'Indienen'));
    expect(back.text).toContain(reference);
    await waitIn(ingrid, thread(reviewMessage), channelSince, 'Aanvulling ontvangen');
    const app = (await repos().applications.get(ref.roundId, ref.applicationId))!.value;
    expect([app.status, app.reference]).toEqual(['in_review', reference]);
    expect(await repos().rounds.submissionCount(ref.roundId)).toBe(1);

    const sanne = await invoke(ingrid, thread(reviewMessage), reviewMessage, SANNE, 'review.refresh', ref);
    expect(sanne.text).toContain('Gewijzigd: Aanpak');
    expect(sanne.text).toContain('Je scores zijn gegeven vóór de aanvulling van');
  });

  it('the panel scores, Ingrid approves, and the allocation report has the application', async () => {
    for (const u of [MOHAMED, INGRID]) await invoke(ingrid, thread(reviewMessage), reviewMessage, u, 'review.score', { ...ref, ...demoScores('4') });
    expect((await invoke(ingrid, thread(reviewMessage), reviewMessage, SANNE, 'review.refresh', ref)).text).toContain('De beoordeling is afgerond');

    const chat = await chatOf(ingrid);
    const allocation = await say(ingrid, chat, 'toekenning');
    const approved = readCard(await press(ingrid, allocation.messageId, allocation.attachments[0]?.content, 'Toekenning goedkeuren'));
    expect(approved.text).toMatch(/Goedgekeurd: €\s12\.500 toegekend/);
    const report = await say(ingrid, chat, 'verslag verdeling');
    const text = readCard(report.attachments[0]?.content).text;
    // The report finds organisation, wijk and amount by their bound questions, whatever else the form asks.
    expect(text).toMatch(new RegExp(`${reference} · Stichting Buurtkracht Zwolle · Holtenbroek · €\\s12\\.500`));
    expect(text).toContain('Aanvragen ingediend: 1');
  });
});
