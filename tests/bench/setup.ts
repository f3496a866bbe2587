import { Agent } from 'node:http';
import { newDraft, STEPS } from '../../src/domain/application';
import { auditEvent } from '../../src/domain/audit';
import type { PanelRole } from '../../src/domain/panel';
import { ChannelLink, Round, ZWOLLE_WIJKEN } from '../../src/domain/round';
import { demoRound } from '../../src/domain/demo-round';
import { validateStep } from '../../src/domain/validation';
import { messages } from '../../src/i18n';
import type { Clock } from '../../src/clock';
import type { Repos } from '../../src/ports';
import { addPanelMember } from '../../src/usecases/manage-panel';
import { claimReviewPost, recordReviewPosted } from '../../src/usecases/publish-review';
import { VALID_INPUT } from '../fixtures';
import { cardAction, readCard, TENANT, User } from '../support/teams';
import { post } from './load';

export const ACCOUNTHOUDER = '00000000-0000-4000-8000-0000000000ac';
const TEAM = '19:bench-team@thread.tacv2';
export const CHANNEL = '19:bench-beoordeling@thread.tacv2';

const guid = (n: number, group = '8000') => `00000000-0000-4000-${group}-${String(n).padStart(12, '0')}`;
export const panelUser = (i: number): User => ({ id: `29:bench-panel-${i}`, aadObjectId: guid(100 + i), name: `Panellid ${i + 1}` });
export const applicant = (i: number): User => ({ id: `29:bench-partner-${i}`, aadObjectId: guid(500 + i, '9000'), name: `Partner ${i + 1}` });

function channel(serviceUrl: string, channelId: string): ChannelLink {
  return { teamId: TEAM, channelId, serviceUrl, tenantId: TENANT, botId: '28:leerbudget-bot', linkedBy: ACCOUNTHOUDER, linkedAt: new Date().toISOString() };
}

export interface PostedApplication {
  applicationId: string;
  activityId: string;
  threadId: string;
}

export interface ScoreRound {
  round: Round;
  /** Members who score (each re-saves their sheet); one more member never scores, so every review stays open. */
  scorers: User[];
  apps: PostedApplication[];
}

/**
 * The round the panel scores in, built through the real use cases (as tests/support/rounds.ts
 * does) but left open: a panel of `members` (quorum 3) of whom the last never scores, `apps`
 * applications submitted and posted in the review channel. The round is open for applications
 * (the submit phase uses it too); each wijk has its own review channel, all served by `serviceUrl`.
 */
export async function scoreRound(repos: Repos, clock: Clock, serviceUrl: string, options: { apps: number; members: number }): Promise<ScoreRound> {
  const deps = { repos, clock, accounthouders: [ACCOUNTHOUDER] };
  const base = demoRound(clock.now());
  const round: Round = {
    ...base,
    quorum: 3,
    routing: {
      default: channel(serviceUrl, CHANNEL),
      byWijk: Object.fromEntries(ZWOLLE_WIJKEN.map((w, i) => [w, channel(serviceUrl, `19:bench-wijk-${i}@thread.tacv2`)])),
    },
  };
  const created = await repos.rounds.create(round, auditEvent(round.id, 'system', 'round.created', round.id, clock.now()));
  if (!created.ok) throw new Error(`round ${round.id} exists already`);
  const roles: PanelRole[] = ['gemeente', 'ervaringsdeskundige', 'partner'];
  const members = Array.from({ length: options.members }, (_, i) => panelUser(i));
  for (const [i, u] of members.entries()) {
    const role = roles[i % roles.length]!;
    const added = await addPanelMember(deps, {
      actorId: ACCOUNTHOUDER,
      person: { userId: u.aadObjectId, mri: u.id, name: u.name },
      role,
      ...(role === 'partner' ? { organisation: `Panelorganisatie ${i}` } : {}),
    });
    if (!added.ok) throw new Error(`panel: ${added.error.code}`);
  }
  const fields = Object.assign(
    {},
    ...STEPS.map((s) => {
      const v = validateStep(s, VALID_INPUT[s], round, 'complete');
      if (!v.ok) throw new Error(s);
      return v.value;
    }),
  );
  const apps: PostedApplication[] = [];
  for (let i = 0; i < options.apps; i++) {
    const id = (0xbe0c000000 + i).toString(16).padStart(20, '0');
    const now = clock.now();
    const draft = {
      ...newDraft({ id, roundId: round.id, applicantId: guid(900 + i, '9000'), now }),
      fields: { ...fields, organisation: `Stichting Aanvrager ${i}`, title: `Plan ${i}` },
    };
    const made = await repos.applications.create(draft, auditEvent(round.id, draft.applicantId, 'application.created', id, now));
    if (!made.ok) throw new Error('create');
    const submitted = await repos.applications.submit(
      made.value,
      { ...draft, status: 'submitted', submittedAt: now.toISOString() },
      auditEvent(round.id, draft.applicantId, 'application.submitted', id, now),
      (n) => `LB-${round.year}-${String(n).padStart(3, '0')}`,
    );
    if (!submitted.ok) throw new Error('submit');
    const claimed = await claimReviewPost(deps, round.id, id);
    if (!claimed.ok) throw new Error(`claim: ${claimed.error.code}`);
    const activityId = `bench-card-${i}`;
    const threadId = `${claimed.value.channel.channelId};messageid=${activityId}`;
    if (!(await recordReviewPosted(deps, claimed.value, { threadId, activityId }))) throw new Error('posted');
    apps.push({ applicationId: id, activityId, threadId });
  }
  return { round, scorers: members.slice(0, -1), apps };
}

/** A score invoke on an application's review card, as Teams sends it: replyToId is the card's message. */
export function scoreInvoke(serviceUrl: string, round: Round, user: User, app: PostedApplication, seed: number): object {
  const scores = Object.fromEntries(round.criteria.items.map((c, k) => [`score_${c.id}`, String(1 + ((seed + k) % 5))]));
  const activity = cardAction(serviceUrl, user, 'review.score', {
    roundId: round.id,
    applicationId: app.applicationId,
    ...scores,
    overall: seed % 3 === 0 ? 'Goed plan; de borging kan sterker.' : '',
  });
  return {
    ...activity,
    replyToId: app.activityId,
    conversation: { conversationType: 'channel', isGroup: true, tenantId: TENANT, id: app.threadId },
    channelData: { tenant: { id: TENANT }, team: { id: TEAM }, channel: { id: app.threadId.split(';')[0] } },
  };
}

const SAVED = messages('nl').review.saved;
/** The answer to a score invoke that saved: the member's card with "Je scores zijn opgeslagen." */
export function checkScore(status: number, text: string): string | undefined {
  if (status !== 200) return `HTTP ${status}`;
  if (!text.includes(SAVED)) return /Probeer het (later )?opnieuw|tegelijk/i.test(text) ? 'not saved (conflict/busy)' : 'not saved';
  return undefined;
}

/** The answer to a submit: the submitted card with a new reference. */
export function checkSubmit(status: number, text: string): string | undefined {
  if (status !== 200) return `HTTP ${status}`;
  if (!/LB-\d{4}-\d{3,}/.test(text)) return 'no reference (stale or refused)';
  return undefined;
}

async function invokeCard(agent: Agent, botUrl: string, activity: object) {
  const res = await post(agent, `${botUrl}/api/messages`, JSON.stringify(activity));
  if (res.status !== 200) throw new Error(`invoke answered ${res.status}`);
  const body = JSON.parse(res.text) as { type?: string; value?: unknown };
  if (body.type !== 'application/vnd.microsoft.card.adaptive') throw new Error(`invoke answered ${res.text.slice(0, 200)}`);
  return body.value;
}

/**
 * `count` drafts, each made the way a partner makes one — the eligibility card, then one invoke
 * per step — so each is complete and at the summary. Returns each draft's Indienen invoke.
 */
export async function prepareDrafts(botUrl: string, serviceUrl: string, count: number, concurrency: number, tokenPrefix: string): Promise<object[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const submits: object[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const user = applicant(i % 40);
        let card = await invokeCard(
          agent,
          botUrl,
          cardAction(serviceUrl, user, 'apply.eligibility', {
            token: `${tokenPrefix}-${i}`,
            partnerInSocialeBasis: 'yes',
            activeInMunicipality: 'yes',
            collectiveAnswer: 'yes',
          }),
        );
        for (const step of STEPS) {
          const button = readCard(card).action('Volgende');
          const input = step === 'question' ? { ...VALID_INPUT[step], wijk: ZWOLLE_WIJKEN[i % ZWOLLE_WIJKEN.length]! } : VALID_INPUT[step];
          card = await invokeCard(agent, botUrl, cardAction(serviceUrl, user, String(button.verb), { ...button.data, ...input }));
        }
        const submit = readCard(card).action('Indienen');
        submits[i] = cardAction(serviceUrl, user, String(submit.verb), submit.data);
      }
    }),
  );
  agent.destroy();
  return submits;
}
