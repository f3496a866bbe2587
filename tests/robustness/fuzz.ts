/**
 * Robustness run: 1,000 mutated card payloads and activities against the real bot.
 *
 *   npx tsx tests/robustness/fuzz.ts [--seed=N] [--count=N] [--verbose]
 *   (or FUZZ_SEED / FUZZ_COUNT in the environment; defaults: seed 20250506, count 1000)
 *
 * Starts Azurite (in memory) and the real bot in this process (`start()` from src/index.ts:
 * restify, CloudAdapter, teams-ai, Table Storage) with a recording connector as the Teams
 * serviceUrl and a pino logger at level warn whose lines are captured. It then builds a
 * realistic state through the bot's own turns: a linked review channel, a panel of three
 * (Ingrid, Sanne, Mohamed), Anouk's application reviewed and closed, Peter's in review with one
 * score, Lotte's draft, the allocation proposal shared in the channel with one mark.
 *
 * The cases are generated deterministically from the seed (a mulberry32 PRNG; the same seed and
 * count give the same 1,000 cases, apart from timestamps and ports): valid card actions of every verb, each
 * taken from the real cards, then mutated — wrong types, missing and extra fields, huge strings
 * (every body stays ≤ 1 MB except the one deliberate oversize probe), unknown verbs, other users'
 * ids and applications, other rounds, wrong replyToId, malformed invoke envelopes, non-invoke
 * activity types, missing from / conversation / serviceUrl, text messages, and malformed HTTP
 * (invalid JSON, wrong content type). A case that could be a legitimate write (an authorised
 * person with an intact payload) always gets at least one mutation that must make the bot refuse
 * it, so every case must change nothing.
 *
 * Checks (exit 1 on any violation):
 * - no crash: no uncaught exception or unhandled rejection; /healthz and normal turns (a
 *   message, a review card refresh, the allocation card) still work at the end;
 * - every request answered within 10 s, none with 5xx; every well-formed Action.Execute invoke
 *   answered 200 with an Adaptive Card;
 * - nothing written that should not be: every row of every table before and after, compared by
 *   content and ETag; only conversation-reference upserts (Conversations table), audit rows of
 *   refusals and the scheduler's lease rows may differ;
 * - the log shows the refusals: a payload that fails its schema logs `card payload refused`,
 *   an unknown verb `unknown verb refused`; the counts of all `… refused` lines are reported.
 */
import { TableClient } from '@azure/data-tables';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { start, type Running } from '../../src/index';
import { systemClock } from '../../src/clock';
import { serviceClient, tableClients } from '../../src/store/tables';
import { tableRepos } from '../../src/store/table-repos';
import { addPanelMember } from '../../src/usecases/manage-panel';
import { STEPS } from '../../src/domain/application';
import { VALID_INPUT } from '../fixtures';
import { startAzurite, type RunningAzurite } from '../support/azurite';
import { startConnector } from '../support/connector';
import { ANOUK, cardAction, channelMessage, INGRID, LOTTE, MOHAMED, PETER, personalMessage, readCard, SANNE, TENANT, BOT, type User } from '../support/teams';

// ---------------------------------------------------------------------------------------
// Arguments, PRNG
// ---------------------------------------------------------------------------------------

function argument(name: string): string | undefined {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? hit.slice(name.length + 3) : undefined;
}
const SEED = Number(argument('seed') ?? process.env.FUZZ_SEED ?? 20250506);
const COUNT = Number(argument('count') ?? process.env.FUZZ_COUNT ?? 1000);
const VERBOSE = process.argv.includes('--verbose');
const TIME_LIMIT_MS = 110_000;
const REQUEST_TIMEOUT_MS = 10_000;
const MAX_BODY = 1024 * 1024;
const PREFIX = 'Fuzz';

/** mulberry32: small, fast, and the same sequence for the same seed on every platform. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
    hex: (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(next() * 16)]).join(''),
    guid(): string {
      const h = this.hex(32);
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
    },
  };
}
type Rng = ReturnType<typeof prng>;

// ---------------------------------------------------------------------------------------
// Logs and crashes
// ---------------------------------------------------------------------------------------

interface LogLine {
  seq: number;
  msg: string;
  level: number;
  raw: Record<string, unknown>;
}
const logLines: LogLine[] = [];
let logSeq = 0;
const logSink = {
  write(chunk: string): void {
    for (const line of chunk.split('\n')) {
      if (!line.trim()) continue;
      try {
        const raw = JSON.parse(line) as Record<string, unknown>;
        logLines.push({ seq: ++logSeq, msg: String(raw.msg ?? ''), level: Number(raw.level ?? 0), raw });
      } catch {
        logLines.push({ seq: ++logSeq, msg: line, level: 0, raw: {} });
      }
    }
  },
};
const crashes: string[] = [];
process.on('uncaughtException', (e) => crashes.push(`uncaughtException: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));
process.on('unhandledRejection', (e) => crashes.push(`unhandledRejection: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`));

// ---------------------------------------------------------------------------------------
// State prepared through the bot
// ---------------------------------------------------------------------------------------

const CHANNEL = '19:beoordeling@thread.tacv2';
const CAST: User[] = [ANOUK, PETER, LOTTE, INGRID, SANNE, MOHAMED];
const PANEL: User[] = [INGRID, SANNE, MOHAMED];
const APPLICANTS: User[] = [ANOUK, PETER, LOTTE];
const CRITERIA = ['integraal', 'zorg-naar-welzijn', 'licht-dichtbij', 'regie', 'ervaringsdeskundigheid', 'ambities', 'resultaat'];

interface Ctx {
  serviceUrl: string;
  roundId: string;
  /** Anouk's, reviewed and closed. */
  a1: string;
  /** Peter's, in review, scored by Sanne only. */
  a2: string;
  /** Lotte's draft. */
  draft: string;
  draftRev: number;
  a1Rev: number;
  card1: string;
  card2: string;
  proposalActivity: string;
  fingerprint: string;
  /** Valid data of every verb, as the real cards carry it (inputs included). */
  samples: Record<string, Record<string, unknown>>;
}

type Send = (body: string | Buffer, headers?: Record<string, string>, method?: string, timeoutMs?: number) => Promise<{ status: number; text: string; ms: number; error?: string }>;

function sendTo(url: string): Send {
  return async (body, headers = { 'content-type': 'application/json' }, method = 'POST', timeoutMs = REQUEST_TIMEOUT_MS) => {
    const started = Date.now();
    try {
      const res = await fetch(url, { method, headers, body: method === 'GET' || method === 'HEAD' ? undefined : body, signal: AbortSignal.timeout(timeoutMs) });
      const text = await res.text();
      return { status: res.status, text, ms: Date.now() - started };
    } catch (e) {
      return { status: 0, text: '', ms: Date.now() - started, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
    }
  };
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== '' && v !== null) return v;
    if (Date.now() > end) throw new Error(`setup: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function onCard(serviceUrl: string, user: User, verb: string, data: Record<string, unknown>, replyToId: string) {
  return {
    ...cardAction(serviceUrl, user, verb, data),
    replyToId,
    conversation: { conversationType: 'channel', isGroup: true, tenantId: TENANT, id: `${CHANNEL};messageid=${replyToId}` },
    channelData: { tenant: { id: TENANT }, team: { id: '19:team@thread.tacv2' }, channel: { id: CHANNEL } },
  };
}

async function prepare(send: Send, serviceUrl: string, repos: ReturnType<typeof tableRepos>, rounds: TableClient, connector: Awaited<ReturnType<typeof startConnector>>): Promise<Ctx> {
  const post = async (activity: object) => {
    const res = await send(JSON.stringify(activity));
    if (res.status >= 300) throw new Error(`setup: ${res.status} ${res.text.slice(0, 200)}`);
    return res;
  };
  const invoke = async (activity: object) => {
    const res = await post(activity);
    const body = JSON.parse(res.text) as { type?: string; value?: unknown };
    if (body.type !== 'application/vnd.microsoft.card.adaptive') throw new Error(`setup: no card: ${res.text.slice(0, 200)}`);
    return body.value;
  };
  const samples: Record<string, Record<string, unknown>> = {};
  const keep = (card: unknown) => {
    for (const a of readCard(card).actions) if (a.verb && !samples[a.verb]) samples[a.verb] = { ...(a.data as Record<string, unknown>) };
    return card;
  };

  await post(channelMessage(serviceUrl, INGRID, 'koppel beoordeling'));
  const deps = { repos, clock: systemClock, accounthouders: [INGRID.aadObjectId] };
  for (const [u, role, organisation] of [
    [INGRID, 'gemeente', undefined],
    [SANNE, 'partner', 'Wijkpartners Zwolle'],
    [MOHAMED, 'ervaringsdeskundige', undefined],
  ] as const) {
    const added = await addPanelMember(deps, { actorId: INGRID.aadObjectId, person: { userId: u.aadObjectId, mri: u.id, name: u.name }, role, ...(organisation ? { organisation } : {}) });
    if (!added.ok) throw new Error(`setup: panel ${u.name}: ${JSON.stringify(added)}`);
  }
  // The panel card as Ingrid sees it, for panel.add / panel.remove samples.
  await post(channelMessage(serviceUrl, INGRID, 'panel'));

  const apply = async (user: User, token: string, overrides: Record<string, Record<string, string>>, steps: number) => {
    keep(await invoke(personalMessageCard(serviceUrl, user, 'app.home', {})));
    let card = keep(await invoke(cardAction(serviceUrl, user, 'apply.eligibility', { token, partnerInSocialeBasis: 'yes', activeInMunicipality: 'yes', collectiveAnswer: 'yes' })));
    for (const step of STEPS.slice(0, steps)) {
      const next = readCard(card).action('Volgende');
      card = keep(await invoke(cardAction(serviceUrl, user, String(next.verb), { ...next.data, ...VALID_INPUT[step], ...(overrides[step] ?? {}) })));
    }
    return card;
  };
  const submitted = async (user: User, token: string, overrides: Record<string, Record<string, string>>) => {
    const card = await apply(user, token, overrides, STEPS.length);
    const submit = readCard(card).action('Indienen');
    const ref = { roundId: String(submit.data.roundId), applicationId: String(submit.data.applicationId) };
    keep(await invoke(cardAction(serviceUrl, user, String(submit.verb), submit.data)));
    const activityId = await until(`review card of ${user.name}`, async () => (await repos.reviews.bundle(ref.roundId, ref.applicationId)).review?.value.activityId);
    return { ...ref, activityId, rev: Number(submit.data.rev) };
  };
  const a1 = await submitted(ANOUK, 'fuzz-anouk-0001', {});
  const a2 = await submitted(PETER, 'fuzz-peter-0001', { organisation: { organisation: 'Taalhuis De Brug', coApplicants: '' }, question: { title: 'Taal in de wijk' } });
  const draftCard = await apply(LOTTE, 'fuzz-lotte-0001', { organisation: { organisation: 'Speeltuin De Vlinder', coApplicants: '' } }, 1);
  const draftNext = readCard(draftCard).action('Volgende');
  const draft = String(draftNext.data.applicationId);
  const draftRev = Number(draftNext.data.rev);
  // Mijn aanvragen: samples of withdraw / resume.
  keep(await invoke(cardAction(serviceUrl, ANOUK, 'apply.list', {})));
  keep(await invoke(cardAction(serviceUrl, ANOUK, 'apply.withdraw', { roundId: a1.roundId, applicationId: a1.applicationId })));

  const scores = (v: string) => Object.fromEntries(CRITERIA.map((id) => [`score_${id}`, v]));
  for (const u of [SANNE, MOHAMED, INGRID]) {
    const card = readCard(await invoke(onCard(serviceUrl, u, 'review.score', { roundId: a1.roundId, applicationId: a1.applicationId, ...scores('4') }, a1.activityId)));
    if (!card.text.includes('opgeslagen') && !card.text.toLowerCase().includes('saved')) throw new Error(`setup: ${u.name}'s score on A1 not saved:\n${card.text}`);
  }
  const sanneOnA2 = await invoke(onCard(serviceUrl, SANNE, 'review.score', { roundId: a2.roundId, applicationId: a2.applicationId, ...scores('3') }, a2.activityId));
  keep(sanneOnA2);
  keep(await invoke(onCard(serviceUrl, MOHAMED, 'review.refresh', { roundId: a2.roundId, applicationId: a2.applicationId }, a2.activityId)));

  // The accounthouder's allocation card and the proposal in the channel.
  const before = connector.posted.length;
  await post(personalMessage(serviceUrl, INGRID, 'toekenning'));
  const allocation = await until('allocation card', () => connector.posted.slice(before).find((p) => JSON.stringify(p.activity).includes('alloc.approve'))?.activity.attachments?.[0]?.content);
  keep(allocation);
  const share = readCard(allocation).actions.find((a) => a.verb === 'alloc.share')!;
  const fingerprint = String(share.data.fingerprint);
  keep(await invoke(cardAction(serviceUrl, INGRID, 'alloc.share', share.data)));
  const proposalCard = await until('proposal post', () => connector.posted.find((p) => JSON.stringify(p.activity).includes('alloc.mark'))?.activity.attachments?.[0]?.content);
  keep(proposalCard);
  const mark = readCard(proposalCard).actions.find((a) => a.verb === 'alloc.mark')!;
  // The proposal's post as the bot recorded it (its message id in the channel).
  const proposalActivity = await until('proposal post record', async () => {
    const row = await rounds.getEntity<Record<string, unknown>>(a1.roundId, `proposal_${fingerprint}`).catch(() => undefined);
    const post = (typeof row?.json === 'string' ? JSON.parse(row.json) : row ?? {}) as { activityId?: string };
    return post.activityId || undefined;
  }, 2000).catch(() => 'proposal-post-unrecorded');
  keep(await invoke(onCard(serviceUrl, SANNE, 'alloc.mark', { ...mark.data, remark: 'Goed verdeeld.' }, proposalActivity)));

  // The accounthouder's other cards: round settings, criteria, consultation, reports, overview.
  for (const text of ['ronde', 'uitgangspunten', 'overzicht', 'consultatie', 'verslag']) {
    const n = connector.posted.length;
    await post(personalMessage(serviceUrl, INGRID, text));
    const card = await until(`"${text}" card`, () => connector.posted.slice(n).find((p) => p.activity.attachments?.length)?.activity.attachments[0].content).catch(() => undefined);
    if (card) keep(card);
  }
  const panelCard = connector.posted.find((p) => JSON.stringify(p.activity).includes('panel.add'))?.activity.attachments?.[0]?.content;
  if (panelCard) keep(panelCard);

  return {
    serviceUrl,
    roundId: a1.roundId,
    a1: a1.applicationId,
    a2: a2.applicationId,
    draft,
    draftRev,
    a1Rev: a1.rev,
    card1: a1.activityId,
    card2: a2.activityId,
    proposalActivity,
    fingerprint,
    samples,
  };
}

/** An Action.Execute in the personal chat (as `cardAction`, named for readability). */
function personalMessageCard(serviceUrl: string, user: User, verb: string, data: Record<string, unknown>) {
  return cardAction(serviceUrl, user, verb, data);
}

// ---------------------------------------------------------------------------------------
// Snapshots
// ---------------------------------------------------------------------------------------

type Row = { table: string; key: string; etag: string; content: string; props: Record<string, unknown> };

async function snapshotAll(connectionString: string): Promise<Map<string, Row>> {
  const service = serviceClient(connectionString);
  const rows = new Map<string, Row>();
  for await (const table of service.listTables()) {
    const name = String(table.name);
    if (!name.startsWith(PREFIX)) continue;
    const client = TableClient.fromConnectionString(connectionString, name, { allowInsecureConnection: true });
    for await (const e of client.listEntities()) {
      const { etag, timestamp, ...props } = e as Record<string, unknown>;
      void timestamp;
      const key = `${name}|${String(props.partitionKey)}|${String(props.rowKey)}`;
      rows.set(key, { table: name, key, etag: String(etag), content: JSON.stringify(props, Object.keys(props).sort()), props });
    }
  }
  return rows;
}

interface Diff {
  added: Row[];
  removed: Row[];
  changed: Array<{ before: Row; after: Row; sameContent: boolean }>;
}

function diff(before: Map<string, Row>, after: Map<string, Row>): Diff {
  const d: Diff = { added: [], removed: [], changed: [] };
  for (const [k, a] of after) {
    const b = before.get(k);
    if (!b) d.added.push(a);
    else if (b.etag !== a.etag || b.content !== a.content) d.changed.push({ before: b, after: a, sameContent: b.content === a.content });
  }
  for (const [k, b] of before) if (!after.has(k)) d.removed.push(b);
  return d;
}

/** What may differ after the run: conversation references, audit rows of refusals, the scheduler's leases. */
function allowance(row: Row): string | undefined {
  if (row.table === `${PREFIX}Conversations`) return 'conversation reference';
  const rk = String(row.props.rowKey);
  if (rk.startsWith('audit_') && /refus|denied|rejected/i.test(String(row.props.action ?? ''))) return 'audit of a refusal';
  if (rk.startsWith('lease_')) return 'scheduler lease';
  return undefined;
}

// ---------------------------------------------------------------------------------------
// Case generation
// ---------------------------------------------------------------------------------------

type Obj = Record<string, unknown>;

interface Case {
  n: number;
  category: string;
  label: string;
  body: string | Buffer;
  headers?: Record<string, string>;
  method?: string;
  /** A well-formed Action.Execute invoke: must be answered 200 with a card. */
  wantsCard: boolean;
  /** The log line it must produce, when that is certain. */
  wantsLog?: 'a refusal' | 'unknown verb refused';
  /** Only for malformed HTTP: must be a 4xx. */
  wants4xx?: boolean;
  /** Time to wait for the answer; default REQUEST_TIMEOUT_MS. */
  timeoutMs?: number;
}

interface VerbSpec {
  verb: string;
  /** Where the card lives: the personal chat, a review card (1 or 2) or the proposal post. */
  where: 'personal' | 'card1' | 'card2' | 'proposal';
  data: (ctx: Ctx) => Obj;
  /** Who could legitimately change something with an intact payload. */
  authorised: User[];
  /** Fields the schema requires, with values it must refuse. */
  required: Record<string, unknown[]>;
}

const HUGE = (rng: Rng, max = 900_000) => 'x'.repeat(1 + rng.int(max));
const BAD = {
  roundId: [123, null, '', 'lb-2026', 'LB-2026 ', 'LB-20260', ['LB-2026'], {}, 'ABCDEFG-2026', "LB-2026' or 1 eq 1", 'R'.repeat(5000)],
  applicationId: [123, '', 'A'.repeat(20), 'g'.repeat(20), '0'.repeat(19), {}, ['x'], '../../etc/passwd', "0' or '1' eq '1"],
  rev: ['abc', -1, 0, 1.5, 2e6, null, {}, ''],
  fingerprint: ['', '1-zzzzzzzz', 'abc', 12345, null, '99999-00000000'],
  token: ['', 'short', '!'.repeat(10), 'x'.repeat(65), 42, null],
  person: ['not-a-guid', 42, 'g'.repeat(36), {}],
  role: ['boss', 3, null],
  userId: ['x', 42, '', null],
  year: [1999, 2201, 'abc', null, 2026.5, {}],
  etag: ['', 'e'.repeat(201), 5, null],
  step: ['nope', 3, '', null],
  direction: ['sideways', null, 1],
  agree: ['yes', true, 1, '', null],
  questionId: ['xyz', 12345678, 'abcdefgh', ''],
  mode: ['final', 1, null],
  from: ['deleted', 1, null],
  to: ['deleted', 1, null],
  version: ['abc', 0, -1, null],
  accept: ['maybe', 1, null],
  replyField: ['reply', 'reply1234', 1, null],
  proposalId: [null, 5, 'p'.repeat(201)],
} as const satisfies Record<string, readonly unknown[]>;

function verbSpecs(): VerbSpec[] {
  const r = (...names: (keyof typeof BAD)[]) => Object.fromEntries(names.map((n) => [n, [...BAD[n]]]));
  const ref = (ctx: Ctx, app: 'a1' | 'a2' | 'draft') => ({ roundId: ctx.roundId, applicationId: ctx[app] });
  const scores = (v: string) => Object.fromEntries(CRITERIA.map((id) => [`score_${id}`, v]));
  const sample = (ctx: Ctx, verb: string, fallback: Obj) => ({ ...fallback, ...(ctx.samples[verb] ?? {}) });
  return [
    { verb: 'review.score', where: 'card2', data: (c) => ({ ...ref(c, 'a2'), ...scores('4'), comment_integraal: 'Goed plan.' }), authorised: PANEL, required: r('roundId', 'applicationId') },
    { verb: 'review.score', where: 'card1', data: (c) => ({ ...ref(c, 'a1'), ...scores('2') }), authorised: PANEL, required: r('roundId', 'applicationId') },
    { verb: 'review.refresh', where: 'card2', data: (c) => ref(c, 'a2'), authorised: [], required: r('roundId', 'applicationId') },
    { verb: 'review.conflict', where: 'card2', data: (c) => ({ ...ref(c, 'a2'), conflictNote: 'Ik ken de aanvrager.' }), authorised: PANEL, required: r('roundId', 'applicationId') },
    { verb: 'review.ask', where: 'card2', data: (c) => ({ ...ref(c, 'a2'), question: 'Hoe bereikt u de jongeren?' }), authorised: PANEL, required: r('roundId', 'applicationId') },
    { verb: 'question.answer', where: 'personal', data: (c) => ({ ...ref(c, 'a2'), questionId: 'abcdef12', answer: 'Via de scholen.' }), authorised: APPLICANTS, required: r('roundId', 'applicationId', 'questionId') },
    { verb: 'panel.add', where: 'card1', data: (c) => sample(c, 'panel.add', { person: LOTTE.aadObjectId, role: 'partner', organisation: 'Speeltuin' }), authorised: [INGRID], required: r('role') },
    { verb: 'panel.remove', where: 'card1', data: () => ({ userId: MOHAMED.aadObjectId }), authorised: [INGRID], required: r('userId') },
    { verb: 'alloc.show', where: 'personal', data: (c) => ({ roundId: c.roundId }), authorised: [], required: {} },
    { verb: 'alloc.approve', where: 'personal', data: (c) => ({ roundId: c.roundId, fingerprint: c.fingerprint, [`amount_${c.a1}`]: '12500' }), authorised: [INGRID], required: r('roundId', 'fingerprint') },
    { verb: 'alloc.share', where: 'personal', data: (c) => ({ roundId: c.roundId, fingerprint: c.fingerprint }), authorised: [INGRID], required: r('roundId', 'fingerprint') },
    { verb: 'alloc.mark', where: 'proposal', data: (c) => ({ roundId: c.roundId, fingerprint: c.fingerprint, agree: 'false', remark: 'Te veel voor één partner.' }), authorised: PANEL, required: r('roundId', 'fingerprint', 'agree') },
    { verb: 'app.home', where: 'personal', data: () => ({}), authorised: [], required: {} },
    { verb: 'apply.list', where: 'personal', data: () => ({}), authorised: [], required: {} },
    { verb: 'apply.start', where: 'personal', data: () => ({}), authorised: APPLICANTS, required: {} },
    { verb: 'apply.eligibility', where: 'personal', data: () => ({ token: 'fuzz-new-0001', partnerInSocialeBasis: 'yes', activeInMunicipality: 'yes', collectiveAnswer: 'yes' }), authorised: CAST, required: r('token') },
    { verb: 'apply.step', where: 'personal', data: (c) => ({ ...ref(c, 'draft'), rev: c.draftRev, step: 'question', direction: 'next', ...VALID_INPUT.question }), authorised: APPLICANTS, required: r('roundId', 'applicationId', 'rev', 'step', 'direction') },
    { verb: 'apply.edit', where: 'personal', data: (c) => ({ ...ref(c, 'draft'), step: 'organisation' }), authorised: APPLICANTS, required: r('roundId', 'applicationId', 'step') },
    { verb: 'apply.resume', where: 'personal', data: (c) => ref(c, 'draft'), authorised: APPLICANTS, required: r('roundId', 'applicationId') },
    { verb: 'apply.submit', where: 'personal', data: (c) => ({ ...ref(c, 'a1'), rev: c.a1Rev }), authorised: APPLICANTS, required: r('roundId', 'applicationId', 'rev') },
    { verb: 'apply.withdraw', where: 'personal', data: (c) => ref(c, 'a2'), authorised: APPLICANTS, required: r('roundId', 'applicationId') },
    { verb: 'apply.withdrawConfirm', where: 'personal', data: (c) => ref(c, 'a1'), authorised: APPLICANTS, required: r('roundId', 'applicationId') },
    { verb: 'round.show', where: 'personal', data: (c) => ({ roundId: c.roundId }), authorised: [], required: {} },
    { verb: 'criteria.show', where: 'personal', data: (c) => ({ roundId: c.roundId }), authorised: [], required: {} },
    { verb: 'round.save', where: 'personal', data: (c) => sample(c, 'round.save', { roundId: c.roundId, etag: 'W/"x"', budget: '60000' }), authorised: [INGRID], required: r('roundId', 'etag') },
    { verb: 'round.status', where: 'personal', data: (c) => ({ roundId: c.roundId, from: 'open', to: 'paused', confirmed: 'true' }), authorised: [INGRID], required: r('roundId', 'from', 'to') },
    { verb: 'round.create', where: 'personal', data: () => ({ year: 2027 }), authorised: [INGRID], required: r('year') },
    { verb: 'criteria.save', where: 'personal', data: (c) => sample(c, 'criteria.save', { roundId: c.roundId, version: 1, 'integraal.weight': '3' }), authorised: [INGRID], required: r('roundId', 'version') },
    { verb: 'results.open', where: 'personal', data: (c) => ref(c, 'a1'), authorised: [], required: r('roundId', 'applicationId') },
    { verb: 'results.save', where: 'personal', data: (c) => ({ ...ref(c, 'a1'), rev: 1, mode: 'submit', done: 'Tien bijeenkomsten.', reached: '42', learned: 'Veel.', indicators: 'x: 1', spent: '100' }), authorised: [], required: r('roundId', 'applicationId', 'rev', 'mode') },
    { verb: 'overview.show', where: 'personal', data: (c) => ({ roundId: c.roundId }), authorised: [], required: {} },
    { verb: 'report.allocation', where: 'personal', data: (c) => ({ roundId: c.roundId }), authorised: [], required: {} },
    { verb: 'report.results', where: 'personal', data: (c) => ({ roundId: c.roundId }), authorised: [], required: {} },
    { verb: 'consult.show', where: 'personal', data: (c) => ({ roundId: c.roundId }), authorised: [], required: {} },
    { verb: 'consult.start', where: 'personal', data: (c) => ({ roundId: c.roundId, closesAt: '2026-12-31', inviteChannel: 'true', audience: 'everyone' }), authorised: [INGRID], required: r('roundId') },
    { verb: 'consult.open', where: 'personal', data: (c) => ({ roundId: c.roundId }), authorised: [], required: r('roundId') },
    { verb: 'consult.respond', where: 'personal', data: (c) => ({ roundId: c.roundId, role: 'partner', integraal: 'Eens' }), authorised: CAST, required: r('roundId') },
    { verb: 'consult.decide', where: 'personal', data: (c) => ({ roundId: c.roundId, proposalId: 'p1', accept: 'true', replyField: 'reply1' }), authorised: [INGRID], required: r('roundId', 'accept', 'replyField') },
    { verb: 'consult.publish', where: 'personal', data: (c) => ({ roundId: c.roundId }), authorised: [INGRID], required: r('roundId') },
  ];
}

const OUTSIDER = (rng: Rng): User => ({ id: `29:fuzz-${rng.hex(6)}`, aadObjectId: rng.guid(), name: 'Onbekend' });
const UNKNOWN_VERBS = (rng: Rng) => [
  'review.scores', 'REVIEW.SCORE', 'review.score ', ' review.score', 'alloc.approve2', 'apply.delete', 'admin.drop', 'round.delete', 'x', '.*', '__proto__', 'constructor', 'toString',
  'review.score\u0000', 'ronde', 'apply/step', `verb-${rng.hex(8)}`, 'v'.repeat(1 + rng.int(5000)), '💥', 'hasOwnProperty',
];

/** Identity as the bot derives it: aadObjectId, else id. */
function actorOf(activity: Obj): string {
  const from = activity.from as Obj | undefined | null;
  if (!from || typeof from !== 'object') return '';
  return String(from.aadObjectId ?? from.id ?? '');
}

function generate(ctx: Ctx, rng: Rng, count: number): Case[] {
  const specs = verbSpecs();
  const cases: Case[] = [];
  const replyFor = (where: VerbSpec['where']) => (where === 'card1' ? ctx.card1 : where === 'card2' ? ctx.card2 : where === 'proposal' ? ctx.proposalActivity : `card-${rng.hex(8)}`);
  const baseActivity = (spec: VerbSpec, user: User, data: Obj): Obj => {
    const a = cardAction(ctx.serviceUrl, user, spec.verb, data) as unknown as Obj;
    a.id = `fuzz-${rng.hex(12)}`;
    if (spec.where === 'personal') return a;
    return { ...onCard(ctx.serviceUrl, user, spec.verb, data, replyFor(spec.where)), id: a.id } as unknown as Obj;
  };

  /** Payload mutations that keep the payload schema-valid or not, without promising a refusal. */
  const payloadNoise: Array<(d: Obj, spec: VerbSpec) => string> = [
    (d) => ((d[`extra_${rng.hex(4)}`] = rng.pick(['x', 1, null, true, [], {}])), 'extra field'),
    (d) => ((d.__proto__polluted = { isAdmin: true }), 'odd key'),
    (d) => {
      Object.defineProperty(d, '__proto__', { value: { polluted: true, roundId: 'LB-1999' }, enumerable: true, configurable: true, writable: true });
      return '__proto__ key';
    },
    (d) => ((d['constructor'] = { prototype: { polluted: true } }), 'constructor key'),
    (d) => {
      const keys = Object.keys(d);
      if (keys.length) delete d[rng.pick(keys)];
      return 'field removed';
    },
    (d) => {
      const keys = Object.keys(d).filter((k) => typeof d[k] === 'string');
      if (keys.length) d[rng.pick(keys)] = rng.pick([42, 4.5, -1, true, false, null, [], {}, 1e308]);
      return 'wrong type';
    },
    (d) => {
      const keys = Object.keys(d).filter((k) => typeof d[k] === 'string');
      if (keys.length) d[rng.pick(keys)] = HUGE(rng);
      return 'huge string';
    },
    (d) => {
      const keys = Object.keys(d).filter((k) => typeof d[k] === 'string');
      if (keys.length) d[rng.pick(keys)] = rng.pick(['\u0000\u0001\u0002', '\ud800', '‮RTL‬', '<script>alert(1)</script>', '{{$root}}', '${applicationId}', "' or 1 eq 1 or '", '\n'.repeat(3000), '🙂'.repeat(2000)]);
      return 'odd text';
    },
    (d) => ((d.applicationId = rng.pick([ctx.a1, ctx.a2, ctx.draft, rng.hex(20)])), 'other application'),
    (d) => ((d.roundId = rng.pick(['LB-2025', 'LB-2027', 'ZZ-2026', ctx.roundId])), 'other round'),
    (d) => {
      let deep: unknown = 'bottom';
      for (let i = 0; i < 2000 + rng.int(3000); i++) deep = [deep];
      d[`deep_${rng.hex(3)}`] = deep;
      return 'deep nesting';
    },
    (d) => {
      for (let i = 0; i < 100 + rng.int(400); i++) d[`score_${rng.hex(6)}`] = String(rng.int(9));
      return 'many fields';
    },
    (d, spec) => {
      if (spec.verb === 'review.score') for (const id of CRITERIA) if (rng.chance(0.5)) d[`score_${id}`] = rng.pick(['0', '6', '-1', 'na', 'NaN', '4.5', '', ' 4', '44', 4, 'Infinity']);
      return 'odd scores';
    },
    (d) => {
      if ('fingerprint' in d) d.fingerprint = rng.pick(['0-00000000', `${rng.int(9999)}-${rng.hex(8)}`, ctx.fingerprint]);
      return 'other fingerprint';
    },
    (d) => {
      for (const k of Object.keys(d)) if (/^amount_|^decline_/.test(k)) d[k] = rng.pick(['0', '-5', '99999999', 'abc', '1e3', '12500.5', 'true']);
      d[`amount_${rng.hex(20)}`] = '100';
      return 'odd amounts';
    },
  ];

  /** Mutations that must make the bot refuse the payload whoever sends it. */
  const fatal = (d: Obj, spec: VerbSpec): { label: string; schema: boolean; replace?: unknown } => {
    const fields = Object.keys(spec.required);
    // Every payload schema is an object: anything else is refused.
    const options: Array<() => { label: string; schema: boolean; replace?: unknown }> = [
      () => {
        const replace = rng.pick([null, 'x', 42, [], [d], true]);
        // teams-ai hands the route `data ?? {}`: null is an empty payload, refused only where a field is required.
        return { label: `payload ${JSON.stringify(replace).slice(0, 20)}`, schema: replace !== null || fields.length > 0, replace };
      },
    ];
    if (fields.length) {
      options.push(() => {
        const f = rng.pick(fields);
        d[f] = rng.pick(spec.required[f]!);
        return { label: `bad ${f}`, schema: true };
      });
      options.push(() => {
        delete d[rng.pick(fields)];
        return { label: 'required field missing', schema: true };
      });
    }
    // A known-shape payload that points at nothing: another (non-existent) round.
    if ('roundId' in spec.required) options.push(() => ((d.roundId = rng.pick(['LB-1999', 'ZZ-2026', 'QQQQQQ-2200'])), { label: 'non-existent round', schema: false }));
    if (spec.verb === 'apply.eligibility') options.push(() => ((d[rng.pick(['partnerInSocialeBasis', 'activeInMunicipality', 'collectiveAnswer'])] = 'no'), { label: 'not eligible', schema: false }));
    if (spec.verb === 'review.score') options.push(() => ((d[`score_${rng.pick(CRITERIA)}`] = rng.pick(['0', '6', '-1', 'abc', '4.5', '99'])), { label: 'score off the scale', schema: false }));
    if (spec.verb === 'alloc.approve') options.push(() => ((d[`amount_${ctx.a1}`] = rng.pick(['-5', '99999999', 'abc', '12500.5', '12501'])), { label: 'amount refused', schema: false }));
    return rng.pick(options)();
  };

  const identities = (rng2: Rng): User => (rng2.chance(0.8) ? rng2.pick(CAST) : OUTSIDER(rng2));

  /** Mutations of the activity around the payload. Returns a label and whether the result is still a well-formed card invoke. */
  const envelope: Array<(a: Obj) => { label: string; wellFormed: boolean; fatal?: boolean }> = [
    (a) => ((a.replyToId = rng.pick([undefined, '', `card-${rng.hex(8)}`, ctx.card1, ctx.card2, 12345, 'r'.repeat(10_000)])), { label: 'replyToId', wellFormed: true }),
    (a) => {
      const other = rng.pick(CAST);
      a.from = { ...(a.from as Obj), aadObjectId: other.aadObjectId };
      return { label: 'other aadObjectId, same id', wellFormed: true };
    },
    (a) => ((a.from = { id: rng.pick(CAST).id, name: 'x' }), { label: 'from without aadObjectId', wellFormed: true }),
    (a) => ((a.from = rng.pick([undefined, null, {}, 'ANOUK', 42, { aadObjectId: 42 }, { id: '' }, { aadObjectId: 'a'.repeat(100_000) }])), { label: 'malformed from', wellFormed: false }),
    (a) => ((a.conversation = rng.pick([undefined, null, {}, 'conv', { id: 42 }, { id: 'a:x', conversationType: 'groupChat', isGroup: true }, { id: `${CHANNEL};messageid=${ctx.card2}`, conversationType: 'channel' }])), { label: 'malformed or other conversation', wellFormed: false }),
    (a) => ((a.recipient = rng.pick([undefined, null, {}, { id: '28:other-bot' }])), { label: 'recipient', wellFormed: false }),
    (a) => ((a.channelId = rng.pick([undefined, 'webchat', 'emulator', '', 42])), { label: 'channelId', wellFormed: false }),
    // Unreachable or missing serviceUrls take ~15 s each (the connector client retries): fixed probes at the end, not random cases.
    (a) => ((a.serviceUrl = rng.pick(['not a url', 'file:///etc/passwd', 'javascript:alert(1)', 'ftp://127.0.0.1/'])), { label: 'serviceUrl', wellFormed: false }),
    (a) => ((a.locale = rng.pick(['xx', '', 42, null, 'l'.repeat(50_000), 'nl-NL\u0000', 'en-US'])), { label: 'locale', wellFormed: true }),
    (a) => ((a.timestamp = rng.pick(['not a date', 42, null, '9999-99-99'])), { label: 'timestamp', wellFormed: true }),
    (a) => ((a.entities = rng.pick([null, 'x', [null], [{ type: 'mention' }], [{ type: 'clientInfo', locale: 42 }]])), { label: 'entities', wellFormed: true }),
    (a) => ((a.channelData = rng.pick([null, 'x', { tenant: 42 }, { tenant: { id: 'other-tenant' } }, { team: { id: {} } }])), { label: 'channelData', wellFormed: true }),
    (a) => ((a.name = rng.pick([undefined, '', 'adaptiveCard/actionX', 'composeExtension/query', 'task/fetch', 'signin/verifyState', 'fileConsent/invoke', 42, 'ADAPTIVECARD/ACTION'])), { label: 'invoke name', wellFormed: false, fatal: true }),
    (a) => {
      // An earlier mutation may have made the value anything already.
      const value = (a.value && typeof a.value === 'object' ? a.value : {}) as Obj;
      a.value = rng.pick([undefined, null, 'x', [], {}, { action: null }, { action: 'x' }, { action: { ...(value.action as Obj), type: 'Action.Submit' } }, { action: { ...(value.action as Obj), verb: undefined } }, { action: { ...(value.action as Obj), verb: 42 } }]);
      return { label: 'malformed value', wellFormed: false, fatal: true };
    },
    (a) => {
      const value = a.value as { action?: Obj } | null;
      if (!value || typeof value !== 'object' || !value.action || typeof value.action !== 'object') return { label: 'data not an object', wellFormed: true, fatal: true };
      value.action.data = rng.pick(['x', 42, [], [value.action.data], true]);
      return { label: 'data not an object', wellFormed: true, fatal: true };
    },
    (a) => ((a.type = rng.pick(['message', 'event', 'messageReaction', 'typing', 'conversationUpdate', 'installationUpdate', 'endOfConversation', 'messageUpdate', 'messageDelete', 'trace', 'handoff', 'unknownType', '', undefined, 42, 'INVOKE'])), { label: 'activity type', wellFormed: false, fatal: true }),
  ];

  const serialise = (a: Obj): string => {
    const body = JSON.stringify(a);
    if (Buffer.byteLength(body) <= MAX_BODY) return body;
    // Keep every body within 1 MB: shorten the longest strings until it fits.
    let s = body;
    while (Buffer.byteLength(s) > MAX_BODY) s = s.replace(/x{1000,}/, (m) => m.slice(0, Math.floor(m.length / 2)));
    return s;
  };

  const http = (): Omit<Case, 'n'> => {
    // Someone not on the panel: even intact, this payload must change nothing.
    const valid = JSON.stringify(baseActivity(specs[0]!, LOTTE, specs[0]!.data(ctx)));
    const options: Array<() => Omit<Case, 'n'>> = [
      () => ({ category: 'http', label: 'invalid JSON', body: valid.slice(0, 1 + rng.int(valid.length - 2)), wantsCard: false, wants4xx: true }),
      () => ({ category: 'http', label: 'not JSON at all', body: rng.pick(['hello', '<xml/>', '{{{{', 'undefined', "{'a':1}"]), wantsCard: false, wants4xx: true }),
      () => ({ category: 'http', label: 'empty body', body: '', wantsCard: false }),
      () => ({ category: 'http', label: 'JSON but not an object', body: rng.pick(['[]', '"invoke"', 'null', '42', 'true', `[${valid}]`]), wantsCard: false }),
      () => ({ category: 'http', label: 'text/plain content type', body: valid, headers: { 'content-type': 'text/plain' }, wantsCard: false }),
      () => ({ category: 'http', label: 'form content type', body: 'type=invoke&name=adaptiveCard%2Faction', headers: { 'content-type': 'application/x-www-form-urlencoded' }, wantsCard: false }),
      () => ({ category: 'http', label: 'GET', body: '', method: 'GET', headers: {}, wantsCard: false, wants4xx: true }),
      () => ({ category: 'http', label: 'bogus authorization header', body: valid, headers: { 'content-type': 'application/json', authorization: 'Bearer not.a.jwt' }, wantsCard: false }),
      () => ({ category: 'http', label: 'duplicate keys', body: valid.replace('{', '{"type":"message",'), wantsCard: false }),
    ];
    return rng.pick(options)();
  };

  const message = (): Omit<Case, 'n'> => {
    const user = identities(rng);
    const channel = rng.chance(0.35);
    const texts = [
      'hallo', 'help', 'mijn aanvragen', 'nieuwe aanvraag', 'toekenning', 'ronde', 'ronde 1999', 'ronde 2025', 'uitgangspunten', 'overzicht', 'resultaten', 'verslag', 'consultatie',
      '', ' ', '\u0000', '‮', '<at>Leerbudget</at>', '<b>toekenning</b>', '{"verb":"alloc.approve"}', 'DROP TABLE Rounds', HUGE(rng, 500_000), '🙂'.repeat(1 + rng.int(5000)),
    ];
    // Ingrid relinking or rebuilding in the channel would be a legitimate write: only others' attempts.
    const channelTexts = user.aadObjectId === INGRID.aadObjectId ? ['hallo', '', 'wat kan je', HUGE(rng, 200_000)] : ['koppel beoordeling', 'koppel beoordeling Holtenbroek', 'koppel beoordeling Nergensland', 'panel', 'link review', 'hallo', HUGE(rng, 200_000)];
    const text = channel ? rng.pick(channelTexts) : rng.pick(texts);
    const a = (channel ? channelMessage(ctx.serviceUrl, user, text) : personalMessage(ctx.serviceUrl, user, text)) as unknown as Obj;
    a.id = `fuzz-${rng.hex(12)}`;
    const labels = [channel ? 'channel message' : 'personal message'];
    if (rng.chance(0.3)) labels.push(rng.pick(envelope.slice(0, 12))(a).label);
    if (rng.chance(0.15)) ((a.value = { verb: 'alloc.approve', roundId: ctx.roundId, fingerprint: ctx.fingerprint }), labels.push('Action.Submit value'));
    if (rng.chance(0.1)) ((a.attachments = [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', body: 'x' } }]), labels.push('attachment'));
    return { category: 'message', label: labels.join(', '), body: serialise(a), wantsCard: false };
  };

  const other = (): Omit<Case, 'n'> => {
    const user = identities(rng);
    const base = personalMessage(ctx.serviceUrl, user, 'x') as unknown as Obj;
    const kind = rng.pick(['conversationUpdate', 'installationUpdate', 'messageReaction', 'event', 'typing', 'endOfConversation', 'invoke-other', 'messageUpdate', 'messageDelete']);
    let a: Obj;
    switch (kind) {
      case 'conversationUpdate':
        a = { ...base, type: 'conversationUpdate', text: undefined, membersAdded: rng.pick([[{ id: BOT.id }], [{ id: user.id }], null, 'x', [{}]]), membersRemoved: rng.pick([undefined, [{ id: BOT.id }], [{ id: MOHAMED.id }]]), channelData: rng.pick([{ tenant: { id: TENANT }, eventType: 'teamMemberAdded', team: { id: '19:team@thread.tacv2' } }, { eventType: 'channelDeleted', channel: { id: CHANNEL } }, { eventType: 'teamDeleted' }, null]) };
        break;
      case 'installationUpdate':
        a = { ...base, type: 'installationUpdate', action: rng.pick(['add', 'remove', 'add-upgrade', 'remove-upgrade', 'x', 42]) };
        break;
      case 'messageReaction':
        a = { ...base, type: 'messageReaction', replyToId: ctx.card2, reactionsAdded: rng.pick([[{ type: 'like' }], null, 'x']) };
        break;
      case 'event':
        a = { ...base, type: 'event', name: rng.pick(['application/vnd.microsoft.meetingStart', 'x', '', 'tokens/response']), value: rng.pick([null, {}, 'x']) };
        break;
      case 'invoke-other':
        a = { ...base, type: 'invoke', name: rng.pick(['composeExtension/query', 'task/fetch', 'task/submit', 'signin/verifyState', 'config/fetch', 'tab/fetch', 'healthCheck', 'actionableMessage/executeAction', 'fileConsent/invoke', 'message/submitAction']), value: rng.pick([null, {}, { commandId: 'x' }, 'x']) };
        break;
      default:
        a = { ...base, type: kind };
    }
    a.id = `fuzz-${rng.hex(12)}`;
    return { category: 'activity type', label: `${kind}`, body: serialise(a), wantsCard: false };
  };

  const cardCase = (unknownVerb: boolean): Omit<Case, 'n'> => {
    const spec = rng.pick(specs);
    const data = spec.data(ctx);
    let user = identities(rng);
    const labels: string[] = [unknownVerb ? 'unknown verb' : spec.verb];
    for (let i = rng.int(3); i > 0; i--) labels.push(rng.pick(payloadNoise)(data, spec));
    let fatalApplied = false;
    let schemaBroken = false;
    let replacement: { value: unknown } | undefined;
    if (rng.chance(0.45)) {
      const f = fatal(data, spec);
      labels.push(f.label);
      fatalApplied = true;
      schemaBroken = f.schema;
      if ('replace' in f) replacement = { value: f.replace };
    }
    if (rng.chance(0.15)) {
      user = OUTSIDER(rng);
      labels.push('outsider');
    }
    const a = baseActivity(spec, user, data);
    if (replacement) (a.value as { action: Obj }).action.data = replacement.value;
    const verb = unknownVerb ? rng.pick(UNKNOWN_VERBS(rng)) : spec.verb;
    ((a.value as { action: Obj }).action.verb = verb);
    let wellFormed = true;
    let envelopeFatal = unknownVerb;
    let dataReplaced = false;
    for (let i = rng.chance(0.5) ? 1 + rng.int(2) : 0; i > 0; i--) {
      const m = rng.pick(envelope)(a);
      labels.push(m.label);
      wellFormed &&= m.wellFormed;
      envelopeFatal ||= Boolean(m.fatal);
      if (m.label === 'data not an object') dataReplaced = true;
    }
    // Could this still be a legitimate write? Then break the payload so it must be refused.
    const actor = actorOf(a);
    const mayWrite = spec.authorised.some((u) => u.aadObjectId === actor || u.id === actor) && !fatalApplied && !envelopeFatal;
    if (mayWrite) {
      const action = (a.value as { action: Obj }).action;
      const d = (action.data && typeof action.data === 'object' && !Array.isArray(action.data) ? action.data : {}) as Obj;
      const f = fatal(d, spec);
      action.data = 'replace' in f ? f.replace : d;
      labels.push(`${f.label} (authorised sender)`);
      schemaBroken = f.schema;
    }
    const cardInvoke = wellFormed && a.type === 'invoke' && a.name === 'adaptiveCard/action';
    const value = a.value as { action?: Obj } | undefined;
    const intactAction = cardInvoke && value?.action && typeof value.action === 'object' && value.action.type === 'Action.Execute' && typeof value.action.verb === 'string';
    const wantsLog = intactAction ? (unknownVerb ? 'unknown verb refused' : schemaBroken || dataReplaced ? 'a refusal' : undefined) : undefined;
    return {
      category: unknownVerb ? 'unknown verb' : 'card payload',
      label: labels.join(', '),
      body: serialise(a),
      wantsCard: Boolean(intactAction),
      ...(wantsLog ? { wantsLog } : {}),
    };
  };

  for (let n = 1; n <= count; n++) {
    const roll = rng.next();
    const c =
      roll < 0.62 ? cardCase(false) : roll < 0.7 ? cardCase(true) : roll < 0.82 ? message() : roll < 0.9 ? other() : http();
    cases.push({ n, ...c });
  }
  // Fixed probes after the random cases, one each (they are slow or take the process down).
  const probe = (label: string, body: string, extra: Partial<Case> = {}) => cases.push({ n: cases.length + 1, category: 'probe', label, body, wantsCard: false, ...extra });
  probe('body over 1 MB', JSON.stringify({ type: 'message', text: 'x'.repeat(MAX_BODY) }), { wants4xx: true });
  const hello = (serviceUrl: string | undefined) => {
    const a = personalMessage(ctx.serviceUrl, LOTTE, 'hallo') as unknown as Obj;
    a.serviceUrl = serviceUrl;
    return JSON.stringify(a);
  };
  probe('message, serviceUrl unreachable (127.0.0.1:1)', hello('http://127.0.0.1:1/'), { timeoutMs: 20_000 });
  probe('message, serviceUrl missing', hello(undefined), { timeoutMs: 20_000 });
  // Last: in a bot of its own this request ends the process (see the report); here the run's uncaughtException handler records it.
  probe('Content-Encoding: gzip, body not gzip', JSON.stringify(personalMessage(ctx.serviceUrl, LOTTE, 'hallo')), { headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, wants4xx: true, timeoutMs: 5_000 });
  return cases;
}

// ---------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const t0 = Date.now();
  const violations: string[] = [];
  const cleanups: Array<() => Promise<void>> = [];
  const limit = setTimeout(() => {
    console.error(`robustness run: not done within ${TIME_LIMIT_MS / 1000} s`);
    process.exit(1);
  }, TIME_LIMIT_MS);
  limit.unref();

  try {
    console.log(`robustness run: seed ${SEED}, ${COUNT} cases (+1 oversize probe)`);
    const azurite: RunningAzurite = await startAzurite();
    cleanups.push(() => azurite.stop());
    const connector = await startConnector();
    cleanups.push(() => connector.stop());
    const config = loadConfig({
      APP_ENV: 'test',
      PORT: '0',
      STORAGE_CONNECTION_STRING: azurite.connectionString,
      TABLE_PREFIX: PREFIX,
      SEED_DEMO: 'true',
      LOG_LEVEL: 'warn',
      UI_LOCALE: 'nl-NL',
      ACCOUNTHOUDER_IDS: INGRID.aadObjectId,
    });
    const bot: Running = await start(config, { log: createLogger('warn', logSink) });
    cleanups.push(() => bot.stop());
    await bot.ready;
    const send = sendTo(`${bot.url}/api/messages`);
    const repos = tableRepos(tableClients(azurite.connectionString, PREFIX));

    const tPrep = Date.now();
    const ctx = await prepare(send, connector.url, repos, tableClients(azurite.connectionString, PREFIX).rounds, connector);
    // Let the bot's own follow-ups (shared card refreshes, start-up jobs) finish before the snapshot.
    let before = await snapshotAll(azurite.connectionString);
    for (let i = 0; i < 20; i++) {
      await new Promise((r) => setTimeout(r, 250));
      const again = await snapshotAll(azurite.connectionString);
      const d = diff(before, again);
      before = again;
      if (!d.added.length && !d.changed.length && !d.removed.length) break;
    }
    const prepMs = Date.now() - tPrep;
    const kinds = new Map<string, number>();
    for (const r of before.values()) kinds.set(String(r.props.kind ?? r.table.replace(PREFIX, '')), (kinds.get(String(r.props.kind ?? r.table.replace(PREFIX, ''))) ?? 0) + 1);
    console.log(`proposal post: ${ctx.proposalActivity}; review cards: ${ctx.card1}, ${ctx.card2}`);
    console.log(`state prepared in ${prepMs} ms: ${before.size} rows (${[...kinds].map(([k, v]) => `${k} ${v}`).join(', ')}); verbs sampled from cards: ${Object.keys(ctx.samples).length}`);

    const rng = prng(SEED);
    const cases = generate(ctx, rng, COUNT);
    const logsBefore = logLines.length;
    const statuses = new Map<string, number>();
    const byCategory = new Map<string, Map<string, number>>();
    const latencies: number[] = [];
    let bytes = 0;
    const tRun = Date.now();
    const writers: string[] = [];
    const slow: string[] = [];
    let last = before;
    for (const c of cases) {
      const logStart = logLines.length;
      const res = await send(c.body, c.headers ?? { 'content-type': 'application/json' }, c.method ?? 'POST', c.timeoutMs);
      if (res.ms > 5000) slow.push(`#${c.n} [${c.category}] ${c.label}: ${res.ms} ms`);
      bytes += Buffer.byteLength(c.body);
      latencies.push(res.ms);
      const key = res.status === 0 ? `no answer (${res.error})` : String(res.status);
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
      const cat = byCategory.get(c.category) ?? new Map<string, number>();
      cat.set(key, (cat.get(key) ?? 0) + 1);
      byCategory.set(c.category, cat);
      const where = `#${c.n} [${c.category}] ${c.label}`;
      if (res.status === 0) violations.push(`${where}: no answer: ${res.error}`);
      else if (res.status >= 500 && res.status !== 501) violations.push(`${where}: HTTP ${res.status} ${res.text.slice(0, 200)}`);
      if (c.wants4xx && !(res.status >= 400 && res.status < 500)) violations.push(`${where}: malformed HTTP answered ${res.status}, not 4xx`);
      if (c.wantsCard) {
        let type: unknown;
        try {
          type = (JSON.parse(res.text) as { type?: unknown }).type;
        } catch {
          type = undefined;
        }
        if (res.status !== 200 || type !== 'application/vnd.microsoft.card.adaptive') violations.push(`${where}: card invoke answered ${res.status} ${res.text.slice(0, 160)}`);
      }
      if (c.wantsLog) {
        // Give the turn's own log lines a moment (they are written before the answer).
        const lines = logLines.slice(logStart).map((l) => l.msg);
        const seen = c.wantsLog === 'a refusal' ? lines.some((l) => / refused$/.test(l)) : lines.includes(c.wantsLog);
        if (!seen) violations.push(`${where}: no "${c.wantsLog}" in the log (got: ${lines.join(' | ') || 'nothing'})`);
      }
      // Attribute writes to the case that made them: compare with the previous state after every case.
      const now = await snapshotAll(azurite.connectionString);
      const step = diff(last, now);
      for (const r of [...step.added, ...step.changed.map((x) => x.after), ...step.removed]) {
        if (!allowance(r)) writers.push(`${where} wrote ${r.key}\n      ${c.body.toString().slice(0, 1500)}`);
      }
      last = now;
      if (VERBOSE) console.log(`${where} -> ${key} ${res.ms} ms`);
    }
    const runMs = Date.now() - tRun;

    // Let anything the fuzz set off finish, then compare storage.
    await new Promise((r) => setTimeout(r, 1000));
    const after = await snapshotAll(azurite.connectionString);
    const d = diff(before, after);
    const allowed = new Map<string, number>();
    const note = (why: string) => allowed.set(why, (allowed.get(why) ?? 0) + 1);
    for (const r of d.added) {
      const why = allowance(r);
      if (why) note(`${why} added`);
      else violations.push(`row written: ${r.key} ${r.content.slice(0, 300)}`);
    }
    for (const c of d.changed) {
      const why = allowance(c.after);
      if (why) note(`${why} ${c.sameContent ? 'rewritten unchanged' : 'updated'}`);
      else violations.push(`row ${c.sameContent ? 'rewritten (same content, new ETag)' : 'changed'}: ${c.after.key}\n    before: ${c.before.content.slice(0, 300)}\n    after:  ${c.after.content.slice(0, 300)}`);
    }
    for (const r of d.removed) violations.push(`row removed: ${r.key}`);
    for (const w of writers) violations.push(`case that wrote: ${w}`);

    // No crash, and the bot still works.
    const health = await fetch(`${bot.url}/healthz`).then((r) => r.status).catch(() => 0);
    if (health !== 200) violations.push(`/healthz answered ${health} after the run`);
    const n = connector.posted.length;
    const hello = await send(JSON.stringify(personalMessage(connector.url, ANOUK, 'hallo')));
    const welcome = await until('welcome card after the run', () => connector.posted.slice(n).find((p) => p.activity.attachments?.length)).catch(() => undefined);
    if (hello.status >= 300 || !welcome) violations.push(`a normal message after the run: ${hello.status}, card ${welcome ? 'sent' : 'not sent'}`);
    const refresh = await send(JSON.stringify(onCard(connector.url, MOHAMED, 'review.refresh', { roundId: ctx.roundId, applicationId: ctx.a2 }, ctx.card2)));
    const refreshed = refresh.status === 200 ? readCard((JSON.parse(refresh.text) as { value: unknown }).value) : undefined;
    if (!refreshed || !refreshed.inputs.some((i) => String(i.id).startsWith('score_')) || !refreshed.text.includes('1 van 3')) violations.push(`Mohamed's scoring form after the run: ${refresh.status} ${refreshed?.text.slice(0, 200) ?? refresh.text.slice(0, 200)}`);
    const m = connector.posted.length;
    await send(JSON.stringify(personalMessage(connector.url, INGRID, 'toekenning')));
    const allocation = await until('allocation card after the run', () => connector.posted.slice(m).find((p) => JSON.stringify(p.activity).includes('alloc.approve'))?.activity.attachments?.[0]?.content).catch(() => undefined);
    const fp = allocation ? readCard(allocation).actions.find((a) => a.verb === 'alloc.approve')?.data.fingerprint : undefined;
    if (fp !== ctx.fingerprint) violations.push(`the allocation proposal changed during the run: fingerprint ${String(ctx.fingerprint)} -> ${String(fp)}`);
    for (const c of crashes) violations.push(`crash: ${c}`);

    // The log's refusals.
    const refusals = new Map<string, number>();
    const errors = new Map<string, number>();
    for (const l of logLines.slice(logsBefore)) {
      if (/refused$/.test(l.msg)) refusals.set(l.msg, (refusals.get(l.msg) ?? 0) + 1);
      else if (l.level >= 50) {
        const err = (l.raw.err ?? {}) as Obj;
        const k = `${l.msg} (${[l.raw.activityType ?? l.raw.verb ?? l.raw.activity, err.name, err.code].filter(Boolean).join(' ')})`;
        errors.set(k, (errors.get(k) ?? 0) + 1);
      }
      else errors.set(`warn: ${l.msg}`, (errors.get(`warn: ${l.msg}`) ?? 0) + 1);
    }
    const expectedLogs = new Map<string, number>();
    for (const c of cases) if (c.wantsLog) expectedLogs.set(c.wantsLog, (expectedLogs.get(c.wantsLog) ?? 0) + 1);

    // Report.
    const sorted = [...latencies].sort((a, b) => a - b);
    const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
    const fmt = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k}: ${v}`).join(', ');
    console.log(`\n${cases.length} requests (${(bytes / 1e6).toFixed(1)} MB) in ${runMs} ms; latency p50 ${pct(50)} ms, p99 ${pct(99)} ms, max ${sorted.at(-1)} ms`);
    console.log(`HTTP status: ${fmt(statuses)}`);
    for (const [cat, m2] of byCategory) console.log(`  ${cat}: ${fmt(m2)}`);
    console.log(`refusals in the log: ${fmt(refusals) || 'none'}`);
    console.log(`  certain by construction: ${fmt(expectedLogs)}`);
    console.log(`other warn/error lines: ${fmt(errors) || 'none'}`);
    console.log(`rows compared: ${before.size} before, ${after.size} after; allowed differences: ${fmt(allowed) || 'none'}`);
    console.log(`answers slower than 5 s (Teams gives an invoke 5 s, a message about 15 s): ${slow.length ? `\n  ${slow.join('\n  ')}` : 'none'}`);
    console.log(`health after: ${health}; crashes: ${crashes.length}; total ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    if (violations.length) {
      console.error(`\n${violations.length} violation(s):`);
      const shown = violations.slice(0, 60);
      for (const v of shown) console.error(`  - ${v}`);
      if (violations.length > shown.length) console.error(`  … and ${violations.length - shown.length} more`);
      return 1;
    }
    console.log('\nno violations');
    return 0;
  } finally {
    for (const stop of cleanups.reverse()) await stop().catch(() => undefined);
    clearTimeout(limit);
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`robustness run failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  },
);

