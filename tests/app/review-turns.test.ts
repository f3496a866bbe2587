import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STEPS } from '../../src/domain/application';
import { systemClock } from '../../src/clock';
import { tableClients } from '../../src/store/tables';
import { tableRepos } from '../../src/store/table-repos';
import { addPanelMember } from '../../src/usecases/manage-panel';
import { unscoredMembers } from '../../src/usecases/unscored-members';
import { VALID_INPUT } from '../fixtures';
import { startHarness } from '../support/harness';
import { ANOUK, cardAction, channelMessage, INGRID, LOTTE, MOHAMED, PETER, personalMessage, readCard, SANNE, User } from '../support/teams';
import { until } from '../support/until';

const CHANNEL = '19:beoordeling@thread.tacv2';
let h: Awaited<ReturnType<typeof startHarness>>;
let deps: { repos: ReturnType<typeof tableRepos>; clock: typeof systemClock; accounthouders: string[] };
let ref: { roundId: string; applicationId: string };
let cardId = '';

/** An invoke on the review card as Teams sends it: replyToId is the card's message. */
function onCard(user: User, verb: string, data: Record<string, unknown>, replyToId = cardId) {
  return {
    ...cardAction(h.connector.url, user, verb, data),
    replyToId,
    conversation: { conversationType: 'channel', isGroup: true, tenantId: 't', id: `${CHANNEL};messageid=${cardId}` },
  };
}
const view = async (user: User, verb = 'review.refresh', data: Record<string, unknown> = ref, replyToId?: string) =>
  readCard(await h.invoke(onCard(user, verb, data, replyToId)));
const scores = (v: string, extra: Record<string, string> = {}) => ({
  ...ref,
  ...Object.fromEntries(
    ['integraal', 'zorg-naar-welzijn', 'licht-dichtbij', 'regie', 'ervaringsdeskundigheid', 'ambities', 'resultaat'].map((id) => [`score_${id}`, v]),
  ),
  ...extra,
});

beforeAll(async () => {
  h = await startHarness({ env: { ACCOUNTHOUDER_IDS: INGRID.aadObjectId } });
  deps = {
    repos: tableRepos(tableClients(h.config.storage.connectionString, h.config.storage.tablePrefix)),
    clock: systemClock,
    accounthouders: [INGRID.aadObjectId],
  };

  await h.send(channelMessage(h.connector.url, INGRID, 'koppel beoordeling'));
  for (const [u, role, organisation] of [
    [INGRID, 'gemeente', undefined],
    [SANNE, 'partner', 'Buurtkracht Zwolle'], // works for the applicant: recused automatically
    [MOHAMED, 'ervaringsdeskundige', undefined],
    [PETER, 'partner', 'Taalhuis De Brug'],
  ] as const) {
    const added = await addPanelMember(deps, {
      actorId: INGRID.aadObjectId,
      person: { userId: u.aadObjectId, mri: u.id, name: u.name },
      role,
      ...(organisation ? { organisation } : {}),
    });
    expect(added.ok).toBe(true);
  }

  // Anouk applies through her chat; the submission posts the review card to the linked channel.
  let card = await h.invoke(
    cardAction(h.connector.url, ANOUK, 'apply.eligibility', {
      token: 'review-turns-1',
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
  h.connector.clear();
  await h.invoke(cardAction(h.connector.url, ANOUK, submit.verb, submit.data));
  const post = await until(() => h.connector.posted.find((p) => p.conversationId === CHANNEL && p.method === 'POST'));
  // The post is recorded right after the connector answers.
  cardId = await until(async () => (await deps.repos.reviews.bundle(ref.roundId, ref.applicationId)).review?.value.activityId, {
    what: 'the review post recorded',
  });
  expect(readCard(post.activity.attachments[0].content).text).toContain('0 van 3 beoordeeld');
});
afterAll(() => h?.stop());

describe('review card views', () => {
  it('the shared card shows the application and progress, never scores or inputs', async () => {
    const post = h.connector.posted.find((p) => p.conversationId === CHANNEL)!;
    const shared = post.activity.attachments[0].content;
    expect(readCard(shared).inputs).toEqual([]);
    expect(shared.refresh.action.verb).toBe('review.refresh');
    expect(shared.refresh.userIds.sort()).toEqual([INGRID.id, SANNE.id, MOHAMED.id, PETER.id].sort());
    expect((await deps.repos.applications.get(ref.roundId, ref.applicationId))?.value.status).toBe('in_review');
  });

  it('a panel member who has not scored gets one input per criterion with n.v.t., and no one else’s scores', async () => {
    const card = await view(MOHAMED);
    const scoreInputs = card.inputs.filter((i) => String(i.id).startsWith('score_'));
    expect(scoreInputs).toHaveLength(7);
    expect(scoreInputs[0]!.choices.map((c: { value: string }) => c.value)).toEqual(['1', '2', '3', '4', '5', 'na']);
    expect(card.inputs.every((i) => String(i.label).length > 0)).toBe(true);
    expect(card.text).not.toContain('Scores van de andere panelleden');
  });

  it('a member who works for the applicant is recused automatically, with the reason and no inputs', async () => {
    const card = await view(SANNE);
    expect(card.text).toContain('Je werkt voor de aanvrager');
    expect(card.inputs).toEqual([]);
    const audit = await deps.repos.audit.list(ref.roundId);
    expect(audit.some((e) => e.action === 'review.recused' && e.actorId === SANNE.aadObjectId && e.details?.reason === 'organisation')).toBe(true);
  });

  it('the whole application and the criteria on a card of their own (review.read), with the way back', async () => {
    const card = await view(LOTTE, 'review.read', ref);
    expect(card.text).toContain(VALID_INPUT.approach.approach!);
    expect(card.text).toContain('Inwoner houdt de regie');
    expect(card.inputs).toEqual([]);
    expect(card.action('Terug naar de beoordeling').verb).toBe('review.refresh');
  });

  it('someone not on the panel sees the summary and progress only', async () => {
    const card = await view(LOTTE);
    expect(card.inputs).toEqual([]);
    expect(card.text).toContain('van 3 beoordeeld');
  });
});

describe('refusals change nothing', () => {
  const sheetsNow = async () => (await deps.repos.reviews.bundle(ref.roundId, ref.applicationId)).sheets.length;

  it.each([
    // Payloads are built when the test runs: `ref` is only known after beforeAll.
    ['not on the panel', LOTTE, () => scores('4'), undefined, 'Je zit niet in het beoordelingspanel'],
    ['recused', SANNE, () => scores('4'), undefined, 'Je doet niet mee'],
    ['outside the scale', MOHAMED, () => scores('7'), undefined, 'Deze score past niet op de schaal'],
    ['a score for a criterion that does not exist', MOHAMED, () => scores('4', { score_geld: '5' }), undefined, 'hoort niet bij deze aanvraag'],
    ['a card from another message (another application)', MOHAMED, () => scores('4'), 'some-other-card', 'hoort niet bij deze aanvraag'],
  ] as const)('%s', async (_name, user, data, replyToId, message) => {
    const before = await sheetsNow();
    const card = await view(user, 'review.score', data(), replyToId);
    expect(card.text).toContain(message);
    expect(await sheetsNow()).toBe(before);
  });

  it('an out-of-range score is told which score and the scale (not "not filled in"); a card naming another round is told that', async () => {
    const before = await sheetsNow();
    const one = await view(MOHAMED, 'review.score', { ...scores('4'), score_regie: '9' });
    expect(one.text).toContain('Niet op de schaal: de score bij uitgangspunt 4 (1–5). Er is niets opgeslagen.');
    expect(one.text).not.toContain('Nog niet alles is ingevuld');
    const missing = await view(MOHAMED, 'review.score', { ...scores('4'), score_regie: '', score_ambities: '' });
    expect(missing.text).toContain('Nog niet ingevuld: uitgangspunt 4, 6. Er is niets opgeslagen.');
    const otherRound = await view(MOHAMED, 'review.score', { ...scores('4'), roundId: 'LB-2019' });
    expect(otherRound.text).toContain('Deze kaart noemt een aanvraag die ik in die ronde niet vind');
    expect(otherRound.text).not.toContain('niet van jou');
    expect(await sheetsNow()).toBe(before);
  });

  it('identity in the card data is ignored: a channel member cannot score, recuse or ask as a panel member', async () => {
    const before = await sheetsNow();
    const auditBefore = (await deps.repos.audit.list(ref.roundId)).length;
    const as = {
      actorId: MOHAMED.aadObjectId,
      userId: MOHAMED.aadObjectId,
      aadObjectId: MOHAMED.aadObjectId,
      memberId: MOHAMED.aadObjectId,
      from: { aadObjectId: MOHAMED.aadObjectId },
    };
    expect((await view(LOTTE, 'review.score', { ...scores('5'), ...as })).text).toContain('Je zit niet in het beoordelingspanel');
    expect((await view(LOTTE, 'review.conflict', { ...ref, conflictNote: 'Ik ken ze.', ...as })).text).toContain('Je zit niet in het beoordelingspanel');
    expect((await view(LOTTE, 'review.ask', { ...ref, question: 'Vraag?', ...as })).text).toContain('Je zit niet in het beoordelingspanel');
    expect(await sheetsNow()).toBe(before);
    expect((await deps.repos.audit.list(ref.roundId)).length).toBe(auditBefore);
  });

  it('an activity without a usable Entra object id is refused with an explanation, whatever its from.id says', async () => {
    const before = await sheetsNow();
    for (const aadObjectId of [undefined, '', '   ', 'not-an-id']) {
      const activity = onCard(MOHAMED, 'review.score', scores('4'));
      const card = readCard(
        await h.invoke({ ...activity, from: { id: MOHAMED.id, name: MOHAMED.name, ...(aadObjectId === undefined ? {} : { aadObjectId }) } }),
      );
      expect(card.text).toContain('Teams gaf niet door wie je bent');
    }
    expect(await sheetsNow()).toBe(before);
  });

  it('a sheet of only n.v.t. is refused and does not open the others’ scores', async () => {
    const before = await sheetsNow();
    const card = await view(MOHAMED, 'review.score', scores('na'));
    expect(card.text).toContain('alleen n.v.t. telt niet als beoordeling');
    expect(card.text).not.toContain('Scores van de andere panelleden');
    expect(await sheetsNow()).toBe(before);
  });

  it('another round in the card data is not found', async () => {
    const card = await view(MOHAMED, 'review.score', { ...scores('4'), roundId: 'LB-2031' });
    expect(card.text).toContain('noemt een aanvraag die ik in die ronde niet vind');
  });
});

describe('scoring, questions and closing', () => {
  it('lists who has not scored', async () => {
    const open = await unscoredMembers(deps, ref.roundId);
    expect(open[0]?.members.map((m) => m.name).sort()).toEqual(['Ingrid Jansen', 'Mohamed El Amrani', 'Peter Smit']);
  });

  it('a question reaches the applicant, and the answer reaches the review thread', async () => {
    await h.send(personalMessage(h.connector.url, ANOUK, 'hallo')); // the bot knows Anouk's chat
    h.connector.clear();
    const asked = await view(PETER, 'review.ask', { ...ref, question: 'Hoeveel jongeren bereik je nu al?' });
    expect(asked.text).toContain('Je vraag is verstuurd');
    const toAnouk = await until(() => h.connector.posted.find((p) => p.conversationId === `a:personal-${ANOUK.aadObjectId}`));
    const qCard = readCard(toAnouk.activity.attachments[0].content);
    expect(qCard.text).toContain('Hoeveel jongeren bereik je nu al?');
    expect(qCard.text).not.toContain('Peter');
    const send = qCard.action('Antwoord versturen');
    h.connector.clear();
    const answered = readCard(await h.invoke(cardAction(h.connector.url, ANOUK, send.verb, { ...send.data, answer: 'Nu zo’n 15 per week.' })));
    expect(answered.text).toContain('Je antwoord is naar het panel gestuurd');
    const inThread = await until(() => h.connector.posted.find((p) => p.conversationId === `${CHANNEL};messageid=${cardId}`));
    expect(inThread.activity.text).toContain('Nu zo’n 15 per week.');
    // Someone else cannot answer Anouk's question.
    const other = readCard(await h.invoke(cardAction(h.connector.url, PETER, send.verb, { ...send.data, answer: 'x' })));
    expect(other.text).toContain('bestaat niet');
  });

  it('scores stay hidden until you score; the result comes with quorum and the review closes', async () => {
    const mohamed = await view(MOHAMED, 'review.score', scores('4', { score_regie: 'na' }));
    expect(mohamed.text).toContain('Je scores zijn opgeslagen');
    expect(mohamed.text).toContain('Nog niemand anders heeft gescoord');
    // Peter has not scored: the others' scores are refused to him, however he asks, and to Lotte (not on the panel) and Sanne (recused).
    const others = { ...ref, page: 1 };
    const refusedPeter = await view(PETER, 'review.others', others);
    expect(refusedPeter.text).toContain('Je ziet de scores van anderen pas als je zelf ten minste één echte score hebt opgeslagen');
    expect(refusedPeter.text).not.toContain(MOHAMED.name);
    expect(refusedPeter.inputs.some((i) => String(i.id).startsWith('score_'))).toBe(true);
    const claims = { actorId: MOHAMED.aadObjectId, userId: MOHAMED.aadObjectId, from: { aadObjectId: MOHAMED.aadObjectId } };
    expect((await view(LOTTE, 'review.others', { ...others, ...claims })).text).toContain('Je zit niet in het beoordelingspanel');
    expect((await view(SANNE, 'review.others', others)).text).not.toContain(MOHAMED.name);
    expect((await view(LOTTE, 'review.others', { ...others, ...claims })).text).not.toContain(MOHAMED.name);
    const first = await view(PETER, 'review.score', scores('2'));
    // Scored: his card offers the others' scores (a card of their own), and shows them only there.
    expect(first.text).not.toContain(MOHAMED.name);
    const open = first.action('Bekijk hun scores');
    expect(open.verb).toBe('review.others');
    const seen = readCard(await h.invoke(onCard(PETER, open.verb, open.data)));
    expect(seen.text).toContain(`${MOHAMED.name} (Ervaringsdeskundige)`);
    expect(seen.text).toMatch(/1: 4 · 2: 4 · 3: 4 · 4: n\.v\.t\./);
    expect(seen.action('Terug naar de beoordeling').verb).toBe('review.refresh');
    // Peter has seen Mohamed's scores; changing his own now is allowed, marked for all and audited.
    const changed = await view(PETER, 'review.score', scores('2', { score_resultaat: '3' }));
    expect(changed.text).toContain('Scores veranderd nadat de scores van anderen te zien waren (1×)');
    expect((await view(MOHAMED, 'review.others', { ...ref, page: 1 })).text).toContain('Scores veranderd nadat de scores van anderen te zien waren (1×)');
    const audit = (await deps.repos.audit.list(ref.roundId)).filter((e) => e.action === 'review.scored' && e.actorId === PETER.aadObjectId);
    expect(audit.map((e) => e.details?.afterSeen)).toEqual([false, true]);
    const ingrid = await view(INGRID, 'review.score', scores('3', { overall: 'Sterk plan.' }));
    expect(ingrid.text).toContain('Uitslag');
    expect(ingrid.text).toMatch(/Inwoner houdt de regie: 2,5 \(2 scores, 1 keer n\.v\.t\.\)/);
    expect(ingrid.text).toContain('grote verschillen');
    expect((await deps.repos.applications.get(ref.roundId, ref.applicationId))?.value.status).toBe('reviewed');
    const update = await until(() =>
      h.connector.posted.find((p) => p.method === 'PUT' && readCard(p.activity.attachments?.[0]?.content).text.includes('3 van 3 beoordeeld')),
    );
    expect(readCard(update.activity.attachments[0].content).text).toContain('De beoordeling is afgerond');
    const late = await view(MOHAMED, 'review.score', scores('5'));
    expect(late.text).toContain('al afgerond');
  });
});
