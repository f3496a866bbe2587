import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STEPS } from '../../src/domain/application';
import { systemClock } from '../../src/clock';
import { tableClients } from '../../src/store/tables';
import { tableRepos } from '../../src/store/table-repos';
import { addPanelMember } from '../../src/usecases/manage-panel';
import { VALID_INPUT } from '../fixtures';
import { startConnector } from '../support/connector';
import { startHarness } from '../support/harness';
import { ANOUK, cardAction, channelMessage, INGRID, LOTTE, MOHAMED, readCard, SANNE, User } from '../support/teams';
import { until } from '../support/until';

/**
 * `@Leerbudget kaart LB-…` in the review channel: the review card again, posted through the
 * service the request came from (in the Agents Playground: that person's own client), kept with
 * the review so that scores on it count; nothing from card data decides which cards count.
 */
const CHANNEL = '19:beoordeling@thread.tacv2';
let h: Awaited<ReturnType<typeof startHarness>>;
/** Sanne's client: another service than the one the channel was linked from. */
let sannes: Awaited<ReturnType<typeof startConnector>>;
let deps: { repos: ReturnType<typeof tableRepos>; clock: typeof systemClock; accounthouders: string[] };
let ref: { roundId: string; applicationId: string };
let reference = '';
let firstCard = '';

const scores = (v: string) => ({
  ...ref,
  ...Object.fromEntries(
    ['integraal', 'zorg-naar-welzijn', 'licht-dichtbij', 'regie', 'ervaringsdeskundigheid', 'ambities', 'resultaat'].map((id) => [`score_${id}`, v]),
  ),
});
/** An invoke on a card in the channel, from the client at `serviceUrl`. */
const onCard = (serviceUrl: string, user: User, verb: string, data: Record<string, unknown>, replyToId: string) => ({
  ...cardAction(serviceUrl, user, verb, data),
  replyToId,
  conversation: { conversationType: 'channel', isGroup: true, tenantId: 't', id: `${CHANNEL};messageid=${replyToId}` },
});
const review = async () => (await deps.repos.reviews.bundle(ref.roundId, ref.applicationId)).review?.value;

/** Sends `kaart <reference>` from Sanne's client; returns the bot's text reply and the card it posted, if any. */
async function askForCard(user: User, text: string, channel = CHANNEL) {
  sannes.clear();
  const message = channelMessage(sannes.url, user, text);
  const res = await h.send({
    ...message,
    conversation: { ...message.conversation, id: `${channel};messageid=1` },
    channelData: { ...message.channelData, channel: { id: channel } },
  });
  expect(res.status).toBe(200);
  const reply = await until(() => sannes.posted.find((p) => typeof p.activity.text === 'string' && p.activity.text.length > 0));
  const card = sannes.posted.find((p) => p.activity.attachments?.length);
  return { text: String(reply.activity.text), card };
}

beforeAll(async () => {
  h = await startHarness({ env: { ACCOUNTHOUDER_IDS: INGRID.aadObjectId } });
  sannes = await startConnector();
  deps = {
    repos: tableRepos(tableClients(h.config.storage.connectionString, h.config.storage.tablePrefix)),
    clock: systemClock,
    accounthouders: [INGRID.aadObjectId],
  };
  await h.send(channelMessage(h.connector.url, INGRID, 'koppel beoordeling'));
  for (const [u, role, organisation] of [
    [INGRID, 'gemeente', undefined],
    [SANNE, 'partner', 'Wijkpartners Zwolle'],
    [MOHAMED, 'ervaringsdeskundige', undefined],
  ] as const) {
    const added = await addPanelMember(deps, {
      actorId: INGRID.aadObjectId,
      person: { userId: u.aadObjectId, mri: u.id, name: u.name },
      role,
      ...(organisation ? { organisation } : {}),
    });
    expect(added.ok).toBe(true);
  }
  let card = await h.invoke(
    cardAction(h.connector.url, ANOUK, 'apply.eligibility', {
      token: 'repost-1',
      partnerInSocialeBasis: 'yes',
      activeInMunicipality: 'yes',
      collectiveAnswer: 'yes',
    }),
  );
  for (const step of STEPS) {
    const next = readCard(card).action('Volgende');
    card = await h.invoke(cardAction(h.connector.url, ANOUK, next.verb, { ...next.data, ...VALID_INPUT[step] }));
  }
  const submit = readCard(card).action('Indienen');
  ref = { roundId: String(submit.data.roundId), applicationId: String(submit.data.applicationId) };
  await h.invoke(cardAction(h.connector.url, ANOUK, submit.verb, submit.data));
  firstCard = await until(async () => (await review())?.activityId, { what: 'the review post recorded' });
  reference = String((await deps.repos.applications.get(ref.roundId, ref.applicationId))?.value.reference);
});
afterAll(async () => {
  await h?.stop();
  await sannes?.stop();
});

describe('kaart <reference> in the review channel', () => {
  let copy = '';

  it('posts the review card again through the asker’s service, with the panel’s refresh, and keeps it with the review', async () => {
    // Twice, so that one copy's id differs from the first post's (both stub connectors count from 1).
    for (let i = 0; i < 2; i++) {
      const { text, card } = await askForCard(SANNE, `kaart ${reference.toLowerCase()}`);
      expect(text).toContain(`De beoordelingskaart van ${reference} staat weer in dit kanaal`);
      expect(card?.conversationId).toBe(CHANNEL);
      const shared = card!.activity.attachments[0].content;
      expect(readCard(shared).text).toContain('0 van 3 beoordeeld');
      expect(readCard(shared).inputs).toEqual([]);
      expect(shared.refresh.userIds.sort()).toEqual([INGRID.id, SANNE.id, MOHAMED.id].sort());
    }
    const copies = (await review())?.copies ?? [];
    expect(copies).toHaveLength(2);
    expect(copies.every((c) => c.serviceUrl === sannes.url && c.threadId === `${CHANNEL};messageid=${c.activityId}`)).toBe(true);
    copy = copies.find((c) => c.activityId !== firstCard)!.activityId;
    const audit = await deps.repos.audit.list(ref.roundId);
    expect(audit.filter((e) => e.action === 'review.reposted' && e.actorId === SANNE.aadObjectId)).toHaveLength(2);
  });

  it('a score on the copy counts; the same message id through another service, or one the bot never posted, does not', async () => {
    const elsewhere = readCard(await h.invoke(onCard(h.connector.url, MOHAMED, 'review.score', scores('4'), copy)));
    expect(elsewhere.text).toContain('hoort niet bij deze aanvraag');
    const made = readCard(await h.invoke(onCard(sannes.url, MOHAMED, 'review.score', scores('4'), 'reply-999')));
    expect(made.text).toContain('hoort niet bij deze aanvraag');
    expect((await deps.repos.reviews.bundle(ref.roundId, ref.applicationId)).sheets).toHaveLength(0);

    const saved = readCard(await h.invoke(onCard(sannes.url, SANNE, 'review.score', scores('4'), copy)));
    expect(saved.text).toContain('Je scores zijn opgeslagen');
    // Every copy gets the shared progress.
    await until(() => sannes.posted.find((p) => p.method === 'PUT' && p.path.endsWith(`/activities/${copy}`)), { what: 'the copy updated' });
    // And the first post still counts.
    const first = readCard(await h.invoke(onCard(h.connector.url, MOHAMED, 'review.score', scores('3'), firstCard)));
    expect(first.text).toContain('Je scores zijn opgeslagen');
  });

  it('refuses someone not on the panel, an unknown reference and another channel, and posts nothing', async () => {
    const before = (await review())?.copies?.length;
    const lotte = await askForCard(LOTTE, `kaart ${reference}`);
    expect(lotte.text).toContain('alleen panelleden en accounthouders');
    expect(lotte.card).toBeUndefined();
    const unknown = await askForCard(SANNE, 'kaart LB-1999-042');
    expect(unknown.text).toContain('Ik vind geen aanvraag LB-1999-042');
    const garbage = await askForCard(SANNE, 'kaart <script>');
    expect(garbage.text).toContain('Ik vind geen aanvraag');
    const other = await askForCard(SANNE, `kaart ${reference}`, '19:ander-kanaal@thread.tacv2');
    expect(other.text).toContain('wordt niet in dit kanaal beoordeeld');
    expect(other.card).toBeUndefined();
    expect((await review())?.copies?.length).toBe(before);
  });
});
