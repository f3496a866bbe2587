import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STEPS } from '../../src/domain/application';
import { tableClients } from '../../src/store/tables';
import { tableRepos } from '../../src/store/table-repos';
import { VALID_INPUT } from '../fixtures';
import { startHarness } from '../support/harness';
import { ANOUK, cardAction, INGRID, MOHAMED, PETER, personalMessage, readCard, User } from '../support/teams';
import { until } from '../support/until';
import { linkReviewPanel } from '../support/review-panel';

const CHANNEL = '19:beoordeling@thread.tacv2';
let h: Awaited<ReturnType<typeof startHarness>>;
let repos: ReturnType<typeof tableRepos>;
let ref: { roundId: string; applicationId: string };
let reference = '';
let cardId = '';

function onCard(user: User, verb: string, data: Record<string, unknown>, replyToId = cardId) {
  return {
    ...cardAction(h.connector.url, user, verb, data),
    replyToId,
    conversation: { conversationType: 'channel', isGroup: true, tenantId: 't', id: `${CHANNEL};messageid=${cardId}` },
  };
}
const onReview = async (user: User, verb = 'review.refresh', data: Record<string, unknown> = ref) => readCard(await h.invoke(onCard(user, verb, data)));
const scores = (v: string) => ({
  ...ref,
  ...Object.fromEntries(
    ['integraal', 'zorg-naar-welzijn', 'licht-dichtbij', 'regie', 'ervaringsdeskundigheid', 'ambities', 'resultaat'].map((id) => [`score_${id}`, v]),
  ),
});
async function say(user: User, text: string) {
  h.connector.clear();
  await h.send(personalMessage(h.connector.url, user, text));
  return h.connector.posted.map((p) => p.activity.attachments?.[0]?.content as Record<string, unknown>);
}
const press = async (user: User, verb: string, data: Record<string, unknown>) => readCard(await h.invoke(cardAction(h.connector.url, user, verb, data)));
const app = async () => (await repos.applications.get(ref.roundId, ref.applicationId))!.value;

beforeAll(async () => {
  h = await startHarness({ env: { ACCOUNTHOUDER_IDS: INGRID.aadObjectId } });
  repos = tableRepos(tableClients(h.config.storage.connectionString, h.config.storage.tablePrefix));
  await linkReviewPanel(h, repos, [
    [INGRID, 'gemeente', undefined],
    [MOHAMED, 'ervaringsdeskundige', undefined],
    [PETER, 'partner', 'Taalhuis De Brug'],
  ]);
  // Anouk chats first (her 1:1 chat is stored), then applies.
  await h.send(personalMessage(h.connector.url, ANOUK, 'hallo'));
  let card = await h.invoke(
    cardAction(h.connector.url, ANOUK, 'apply.eligibility', {
      token: 'change-turns-1',
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
  cardId = await until(async () => (await repos.reviews.bundle(ref.roundId, ref.applicationId)).review?.value.activityId, { what: 'the review post recorded' });
  reference = (await app()).reference!;
}, 60_000);
afterAll(() => h?.stop());

describe('request changes (aanvulling), through the real bot', () => {
  it('dishonest presses change nothing: a partner with the accounthouder’s button, a tampered application id', async () => {
    const [form] = await say(INGRID, `aanvulling ${reference}`);
    const button = readCard(form).action(`Aanvulling vragen: ${reference}`);
    expect(button.data).toEqual({ ...ref, rev: expect.any(Number) });
    const partner = await press(PETER, 'change.request', { ...button.data, note: 'Doe maar', actorId: INGRID.aadObjectId });
    expect(partner.text).toContain('Alleen de Wmo-accounthouder kan een aanvulling vragen.');
    const tampered = await press(INGRID, 'change.request', { ...button.data, applicationId: 'b'.repeat(20), note: 'x' });
    expect(tampered.text).toContain('Er is geen aanvraag met dat kenmerk');
    const [refused] = await say(PETER, `aanvulling ${reference}`);
    expect(readCard(refused).text).toContain('Alleen de Wmo-accounthouder');
    expect((await app()).status).toBe('in_review');
  });

  it('the list (aanvragen) has a button per requestable application that opens the same request card as the command; only for the accounthouder', async () => {
    const [list] = await say(INGRID, 'aanvragen');
    const button = readCard(list).action(`Aanvulling vragen: ${reference}`);
    expect(button.verb).toBe('change.open');
    expect(button.data).toEqual(ref);
    const opened = await press(INGRID, button.verb, button.data);
    const [typed] = await say(INGRID, `aanvulling ${reference}`);
    expect(opened.text).toBe(readCard(typed).text);
    expect(opened.action(`Aanvulling vragen: ${reference}`).data).toEqual(readCard(typed).action(`Aanvulling vragen: ${reference}`).data);
    // Someone else with the button, a tampered id: told why, nothing opened or changed.
    expect((await press(PETER, button.verb, { ...button.data, actorId: INGRID.aadObjectId })).text).toContain(
      'Alleen de Wmo-accounthouder kan een aanvulling vragen.',
    );
    expect((await press(INGRID, button.verb, { ...button.data, applicationId: 'b'.repeat(20) })).text).toContain('Er is geen aanvraag met dat kenmerk');
    expect((await app()).status).toBe('in_review');
    expect((await repos.audit.list(ref.roundId)).filter((e) => e.action === 'application.changes-requested')).toHaveLength(0);
  });

  it('a score, then the request → the applicant sees the note → edits a step → resubmits → the panel sees what changed and the marked score', async () => {
    const scored = await onReview(MOHAMED, 'review.score', scores('3'));
    expect(scored.text).toContain('opgeslagen');
    const [form] = await say(INGRID, `aanvulling ${reference}`);
    const r = readCard(form);
    expect(r.text).toContain('nooit later dan');
    const button = r.action(`Aanvulling vragen: ${reference}`);
    // Required note: refused with a clear message, nothing sent.
    const empty = await press(INGRID, 'change.request', { ...button.data, note: '   ' });
    expect(empty.text).toContain('Schrijf wat de aanvrager moet aanvullen.');
    expect((await app()).status).toBe('in_review');

    h.connector.clear();
    const note = 'Voeg een begrotingsregel toe voor de huur van de zaal.';
    const sent = await press(INGRID, 'change.request', { ...button.data, note });
    expect(sent.text).toContain('De aanvulling is gevraagd.');
    expect((await app()).status).toBe('changes_requested');
    // The applicant's chat gets the note with a button to open the application.
    const message = await until(() => h.connector.posted.find((p) => JSON.stringify(p.activity).includes('Aanvulling gevraagd: ')));
    const msg = readCard(message.activity.attachments[0].content);
    expect(msg.text).toContain(note);
    // A second press of the same card: nothing twice.
    const again = await press(INGRID, 'change.request', { ...button.data, note });
    expect(again.text).toContain('al een aanvulling gevraagd');
    expect((await repos.audit.list(ref.roundId)).filter((e) => e.action === 'application.changes-requested')).toHaveLength(1);
    // While it is away, the panel cannot score; the card says so.
    expect((await onReview(MOHAMED)).text).toContain('Scoren kan weer als hij terug is.');

    const summary = await press(ANOUK, 'apply.resume', msg.action(`Aanvraag aanpassen: ${reference}`).data);
    expect(summary.text).toContain(note);
    const edit = summary.actions.find((a) => a.verb === 'apply.edit' && a.data.step === 'approach')!;
    const step = readCard(await h.invoke(cardAction(h.connector.url, ANOUK, edit.verb, edit.data)));
    const save = step.actions.find((a) => a.verb === 'apply.step' && a.data.direction === 'summary')!;
    const newApproach = 'Wij huren een zaal in de wijk; de huur staat nu als regel in de begroting.';
    const back = readCard(await h.invoke(cardAction(h.connector.url, ANOUK, save.verb, { ...save.data, ...VALID_INPUT.approach, approach: newApproach })));
    // While it is away, the list has no button for it, and the old button gets the "already asked" card.
    const [away] = await say(INGRID, 'aanvragen');
    expect(readCard(away).actions.some((x) => x.verb === 'change.open')).toBe(false);
    expect((await press(INGRID, 'change.open', ref)).text).toContain('al een aanvulling gevraagd');
    const resubmit = back.action('Indienen');
    h.connector.clear();
    const done = readCard(await h.invoke(cardAction(h.connector.url, ANOUK, resubmit.verb, resubmit.data)));
    expect(done.text).toContain(reference);
    const after = await app();
    expect(after.status).toBe('in_review');
    expect(after.reference).toBe(reference);
    expect(await repos.rounds.submissionCount(ref.roundId)).toBe(1);
    // The thread hears about it.
    await until(() => h.connector.posted.find((p) => JSON.stringify(p.activity).includes('Aanvulling ontvangen')));

    const panel = await onReview(MOHAMED);
    expect(panel.text).toContain('Gewijzigd: Aanpak');
    expect(panel.text).toContain('Je scores zijn gegeven vóór de aanvulling van');
    const diff = await onReview(MOHAMED, 'change.diff', ref);
    expect(diff.text).toContain('Nu: Wij huren een zaal');
    expect(diff.text).toContain(`Eerst: ${VALID_INPUT.approach.approach!.slice(0, 40)}`);
  });

  it('a stale card: the old request card gets the current state, nothing sent again', async () => {
    const [form] = await say(INGRID, `aanvulling ${reference}`);
    const button = readCard(form).action(`Aanvulling vragen: ${reference}`);
    const stale = await press(INGRID, 'change.request', { ...button.data, rev: Number(button.data.rev) - 1, note: 'Nog iets' });
    expect(stale.text).toContain('De aanvraag is veranderd sinds deze kaart.');
    expect(stale.inputs.find((i) => i.id === 'note')?.value).toBe('Nog iets');
    expect((await app()).status).toBe('in_review');
  });
});
