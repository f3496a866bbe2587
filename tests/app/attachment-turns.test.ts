import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STEPS } from '../../src/domain/application';
import { MIB } from '../../src/domain/attachments';
import { azureBlobs } from '../../src/store/blob-store';
import { tableClients } from '../../src/store/tables';
import { tableRepos } from '../../src/store/table-repos';
import { attachmentLinker } from '../../src/usecases/attachment-links';
import { VALID_INPUT } from '../fixtures';
import { SAMPLES, teamsFileMessage } from '../support/files';
import { startHarness } from '../support/harness';
import { ANOUK, cardAction, INGRID, MOHAMED, PETER, personalMessage, readCard, SANNE, User } from '../support/teams';
import { until } from '../support/until';
import { linkReviewPanel } from '../support/review-panel';

const CHANNEL = '19:beoordeling@thread.tacv2';
let h: Awaited<ReturnType<typeof startHarness>>;
let files: Server;
let filesUrl = '';
const served = new Map<string, Uint8Array>();
const repos = () => tableRepos(tableClients(h.config.storage.connectionString, h.config.storage.tablePrefix));
const blobs = () => azureBlobs(h.config.storage.connectionString, h.config.attachments.container);
let ref: { roundId: string; applicationId: string };

/** A message with a file, as Teams sends it to a bot with supportsFiles: a download URL (here on loopback). */
function fileMessage(user: User, name: string, path: string, id?: string) {
  return teamsFileMessage(personalMessage(h.connector.url, user, ''), { name, path, filesUrl, ...(id ? { id } : {}) });
}

/** Sends a message and returns the card the bot answered with. */
async function answer(activity: object) {
  h.connector.clear();
  const res = await h.send(activity);
  expect(res.status).toBe(200);
  return readCard(h.connector.posted.at(-1)?.activity.attachments[0].content);
}

async function press(card: unknown, title: string, inputs: Record<string, string> = {}, user: User = ANOUK) {
  const action = readCard(card).action(title);
  return h.invoke(cardAction(h.connector.url, user, action.verb, { ...(action.data ?? {}), ...inputs }));
}

const linkIn = (text: string) => /\]\((http[^)]+)\)/.exec(text)?.[1];
const stored = async () => (await repos().attachments.list(ref.roundId, ref.applicationId)).map((r) => r.value);
const blobCount = async () => (await blobs().list(`${ref.roundId}/${ref.applicationId}/`)).length;

beforeAll(async () => {
  files = createServer((req, res) => {
    const body = served.get(req.url?.slice(1) ?? '');
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/octet-stream' });
    res.end(body);
  });
  await new Promise<void>((r) => files.listen(0, '127.0.0.1', r));
  filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
  served.set('begroting.pdf', SAMPLES.pdf);
  served.set('plan.docx', SAMPLES.docx);
  served.set('page.pdf', new Uint8Array(Buffer.from('<html><script>alert(1)</script></html>')));
  served.set('big.pdf', new Uint8Array(10 * MIB + 1).fill(0x25));
  h = await startHarness({ env: { ACCOUNTHOUDER_IDS: INGRID.aadObjectId, LINK_SECRET: 'test-attachment-links' } });
});
afterAll(async () => {
  await h?.stop();
  await new Promise((r) => files?.close(r));
});

describe('attachments sent in the 1:1 chat', () => {
  it('without an open draft the partner is told why, and nothing is stored', async () => {
    const card = await answer(fileMessage(PETER, 'begroting.pdf', 'begroting.pdf'));
    expect(card.text).toContain('geen aanvraag open');
    expect(await blobs().list('')).toEqual([]);
  });

  it('a PDF as Teams sends it is stored, named in the answer, and listed on the summary with a link to the same bytes', async () => {
    let card: unknown = await h.invoke(
      cardAction(h.connector.url, ANOUK, 'apply.eligibility', {
        token: 'attach-turns-1',
        partnerInSocialeBasis: 'yes',
        activeInMunicipality: 'yes',
        collectiveAnswer: 'yes',
      }),
    );
    for (const step of STEPS) card = await press(card, 'Volgende', VALID_INPUT[step] as Record<string, string>);
    const submit = readCard(card).action('Indienen');
    ref = { roundId: String(submit.data.roundId), applicationId: String(submit.data.applicationId) };

    const reply = await answer(fileMessage(ANOUK, 'Begroting 2026.pdf', 'begroting.pdf', 'activity-1'));
    expect(reply.text).toContain('Ontvangen: Begroting 2026.pdf');
    expect(reply.text).toContain(String(VALID_INPUT.question.title));
    expect(await stored()).toMatchObject([{ name: 'Begroting 2026.pdf', kind: 'pdf', document: 'begroting', size: SAMPLES.pdf.length }]);
    expect(await blobCount()).toBe(1);

    const summary = readCard(await press(h.connector.posted.at(-1)?.activity.attachments[0].content, 'Verder met de aanvraag'));
    expect(summary.text).toContain('Bijlagen (1 bijlage)');
    expect(summary.text).toMatch(/Begroting · PDF · 1 kB/);
    const url = linkIn(summary.text)!;
    const res = await fetch(url.replace(h.config.publicUrl, h.bot.url));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toContain('attachment;');
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(SAMPLES.pdf);
  });

  it('a tampered or expired link gets 403 before anything is read', async () => {
    const card = readCard(await h.invoke(cardAction(h.connector.url, ANOUK, 'apply.resume', ref)));
    const url = new URL(linkIn(card.text)!.replace(h.config.publicUrl, h.bot.url));
    const otherFile = new URL(url);
    otherFile.pathname = otherFile.pathname.replace(/[a-f0-9]{16}$/, '0123456789abcdef');
    expect((await fetch(otherFile)).status).toBe(403);
    const longer = new URL(url);
    longer.searchParams.set('exp', String(Number(url.searchParams.get('exp')) + 3600));
    expect((await fetch(longer)).status).toBe(403);
    // Expired: a link signed with the bot's secret 8 days ago.
    const linker = attachmentLinker({ publicUrl: h.bot.url, linkSecret: h.config.linkSecret });
    const [, , , roundId, appId, fileId] = url.pathname.split('/');
    const old = linker.url(decodeURIComponent(roundId!), appId!, fileId!, new Date(Date.now() - 8 * 24 * 3600 * 1000));
    expect((await fetch(old)).status).toBe(403);
    expect((await fetch(url)).status).toBe(200);
  });

  it('the same file again is "already attached" and a re-delivered activity is stored once', async () => {
    const again = await answer(fileMessage(ANOUK, 'kopie.pdf', 'begroting.pdf'));
    expect(again.text).toContain('zit al bij je aanvraag');
    const redelivered = await answer(fileMessage(ANOUK, 'Begroting 2026.pdf', 'begroting.pdf', 'activity-1'));
    expect(redelivered.text).toContain('Ontvangen: Begroting 2026.pdf');
    expect(await stored()).toHaveLength(1);
    expect(await blobCount()).toBe(1);
  });

  it('a file of the wrong type (by content) or too large is refused with the reason, and nothing is stored', async () => {
    const html = await answer(fileMessage(ANOUK, 'offerte.pdf', 'page.pdf'));
    expect(html.text).toContain('offerte.pdf is niet bewaard: dit soort bestand kan niet');
    const big = await answer(fileMessage(ANOUK, 'groot.pdf', 'big.pdf'));
    expect(big.text).toContain('groot.pdf is niet bewaard: het bestand is groter dan 10 MB');
    expect(await stored()).toHaveLength(1);
    expect(await blobCount()).toBe(1);
  });

  it('a file whose download URL is not on an allowed host (FILE_DOWNLOAD_HOSTS) is refused with the reason and never fetched', async () => {
    const m = fileMessage(ANOUK, 'extern.pdf', 'begroting.pdf');
    const [file] = m.attachments as { content: Record<string, unknown> }[];
    const elsewhere = { ...m, attachments: [{ ...file!, content: { ...file!.content, downloadUrl: 'https://files.example.com/extern.pdf' } }] };
    const card = await answer(elsewhere);
    expect(card.text).toContain('extern.pdf is niet bewaard: de bot haalt bestanden alleen op uit Teams zelf (SharePoint of OneDrive).');
    expect(await stored()).toHaveLength(1);
    expect(await blobCount()).toBe(1);
  });

  it('a file can be removed once; a second press changes nothing', async () => {
    const added = await answer(fileMessage(ANOUK, 'Projectplan.docx', 'plan.docx'));
    expect(added.text).toContain('Ontvangen: Projectplan.docx');
    expect(await stored()).toHaveLength(2);
    const card = h.connector.posted.at(-1)?.activity.attachments[0].content;
    const removed = readCard(await press(card, 'Verwijder bijlage 2'));
    expect(removed.text).toContain('Projectplan.docx is verwijderd.');
    expect((await stored()).map((a) => a.name)).toEqual(['Begroting 2026.pdf']);
    expect(await blobCount()).toBe(1);
    const second = readCard(await press(card, 'Verwijder bijlage 2'));
    expect(second.text).toContain('al verwijderd');
    expect(await stored()).toHaveLength(1);
  });

  it('after submission a file is refused (a submitted application cannot change) and a panel member sees the attachment on the review card', async () => {
    await linkReviewPanel(h, repos(), [
      [INGRID, 'gemeente', undefined],
      [SANNE, 'partner', 'Taalhuis De Brug'],
      [MOHAMED, 'ervaringsdeskundige', undefined],
    ]);
    const summary = await h.invoke(cardAction(h.connector.url, ANOUK, 'apply.resume', ref));
    h.connector.clear();
    await press(summary, 'Indienen');
    const post = await until(() => h.connector.posted.find((p) => p.conversationId === CHANNEL && p.method === 'POST'));
    const cardId = await until(async () => (await repos().reviews.bundle(ref.roundId, ref.applicationId)).review?.value.activityId);
    expect(readCard(post.activity.attachments[0].content).text).toMatch(/Bijlagen \(1 bijlage\)[\s\S]*Begroting 2026\.pdf\]\(http.*\) · Begroting · PDF/);

    const late = await answer(fileMessage(ANOUK, 'Projectplan.docx', 'plan.docx'));
    expect(late.text).toContain('geen aanvraag open');
    expect(await stored()).toHaveLength(1);

    const member = readCard(
      await h.invoke({
        ...cardAction(h.connector.url, MOHAMED, 'review.refresh', ref),
        replyToId: cardId,
        conversation: { conversationType: 'channel', isGroup: true, tenantId: 't', id: `${CHANNEL};messageid=${cardId}` },
      }),
    );
    const url = linkIn(member.text)!;
    const res = await fetch(url.replace(h.config.publicUrl, h.bot.url));
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(SAMPLES.pdf);
  });
});

describe('attachments while changes are requested (aanvulling)', () => {
  it('a file sent after the accounthouder asked for changes lands on that application, can be removed, and is refused again once it is back in review', async () => {
    const reference = (await repos().applications.get(ref.roundId, ref.applicationId))!.value.reference!;
    h.connector.clear();
    await h.send(personalMessage(h.connector.url, INGRID, `aanvulling ${reference}`));
    const form = readCard(h.connector.posted.at(-1)?.activity.attachments[0].content);
    const ask = form.action(`Aanvulling vragen: ${reference}`);
    const sent = readCard(await h.invoke(cardAction(h.connector.url, INGRID, ask.verb, { ...ask.data, note: 'Stuur het projectplan mee als bijlage.' })));
    expect(sent.text).toContain('De aanvulling is gevraagd.');
    expect((await repos().applications.get(ref.roundId, ref.applicationId))!.value.status).toBe('changes_requested');

    const added = await answer(fileMessage(ANOUK, 'Projectplan.docx', 'plan.docx', 'activity-cr-1'));
    expect(added.text).toContain('Ontvangen: Projectplan.docx');
    expect(added.text).toContain(String(VALID_INPUT.question.title));
    expect((await stored()).map((a) => a.name)).toEqual(['Begroting 2026.pdf', 'Projectplan.docx']);
    expect(await blobCount()).toBe(2);
    // Removing works while it is open for changes too.
    const card = h.connector.posted.at(-1)?.activity.attachments[0].content;
    const removed = readCard(await press(card, 'Verwijder bijlage 2'));
    expect(removed.text).toContain('Projectplan.docx is verwijderd.');
    expect((await stored()).map((a) => a.name)).toEqual(['Begroting 2026.pdf']);
    expect(await blobCount()).toBe(1);
    await answer(fileMessage(ANOUK, 'Projectplan.docx', 'plan.docx', 'activity-cr-2'));
    expect(await stored()).toHaveLength(2);

    // Sent back with the same button: in review again, and a file now is refused as before.
    const summary = readCard(await h.invoke(cardAction(h.connector.url, ANOUK, 'apply.resume', ref)));
    expect(summary.text).toContain('Projectplan.docx');
    const resubmit = summary.action('Indienen');
    await h.invoke(cardAction(h.connector.url, ANOUK, resubmit.verb, resubmit.data));
    expect((await repos().applications.get(ref.roundId, ref.applicationId))!.value.status).toBe('in_review');
    const late = await answer(fileMessage(ANOUK, 'Tweede plan.pdf', 'begroting.pdf', 'activity-cr-3'));
    expect(late.text).toContain('geen aanvraag open');
    expect(await stored()).toHaveLength(2);
  });
});
