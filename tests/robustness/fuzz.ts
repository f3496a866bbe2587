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
 * The cases come from tests/robustness/generate.ts, deterministically from the seed (a mulberry32
 * PRNG; the same seed and count give the same 1,000 cases, apart from timestamps and ports): valid
 * card actions of every verb, each taken from the real cards, then mutated — wrong types, missing and extra fields, huge strings
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
import { until } from '../support/until';
import { ANOUK, cardAction, channelMessage, INGRID, MOHAMED, PETER, LOTTE, personalMessage, readCard, SANNE, type User } from '../support/teams';
import { CRITERIA, generate, onCard, prng, type Ctx, type Obj } from './generate';

// ---------------------------------------------------------------------------------------
// Arguments
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
const PREFIX = 'Fuzz';

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

type Send = (
  body: string | Buffer,
  headers?: Record<string, string>,
  method?: string,
  timeoutMs?: number,
) => Promise<{ status: number; text: string; ms: number; error?: string }>;

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

async function prepare(
  send: Send,
  serviceUrl: string,
  repos: ReturnType<typeof tableRepos>,
  rounds: TableClient,
  connector: Awaited<ReturnType<typeof startConnector>>,
): Promise<Ctx> {
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
    const added = await addPanelMember(deps, {
      actorId: INGRID.aadObjectId,
      person: { userId: u.aadObjectId, mri: u.id, name: u.name },
      role,
      ...(organisation ? { organisation } : {}),
    });
    if (!added.ok) throw new Error(`setup: panel ${u.name}: ${JSON.stringify(added)}`);
  }
  // The panel card as Ingrid sees it, for panel.add / panel.remove samples.
  await post(channelMessage(serviceUrl, INGRID, 'panel'));

  const apply = async (user: User, token: string, overrides: Record<string, Record<string, string>>, steps: number) => {
    keep(await invoke(personalMessageCard(serviceUrl, user, 'app.home', {})));
    let card = keep(
      await invoke(
        cardAction(serviceUrl, user, 'apply.eligibility', { token, partnerInSocialeBasis: 'yes', activeInMunicipality: 'yes', collectiveAnswer: 'yes' }),
      ),
    );
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
    const activityId = await until(async () => (await repos.reviews.bundle(ref.roundId, ref.applicationId)).review?.value.activityId, {
      what: `review card of ${user.name}`,
    });
    return { ...ref, activityId, rev: Number(submit.data.rev) };
  };
  const a1 = await submitted(ANOUK, 'fuzz-anouk-0001', {});
  const a2 = await submitted(PETER, 'fuzz-peter-0001', {
    organisation: { organisation: 'Taalhuis De Brug', coApplicants: '' },
    question: { title: 'Taal in de wijk' },
  });
  const draftCard = await apply(LOTTE, 'fuzz-lotte-0001', { organisation: { organisation: 'Speeltuin De Vlinder', coApplicants: '' } }, 1);
  const draftNext = readCard(draftCard).action('Volgende');
  const draft = String(draftNext.data.applicationId);
  const draftRev = Number(draftNext.data.rev);
  // Mijn aanvragen: samples of withdraw / resume.
  keep(await invoke(cardAction(serviceUrl, ANOUK, 'apply.list', {})));
  keep(await invoke(cardAction(serviceUrl, ANOUK, 'apply.withdraw', { roundId: a1.roundId, applicationId: a1.applicationId })));

  const scores = (v: string) => Object.fromEntries(CRITERIA.map((id) => [`score_${id}`, v]));
  for (const u of [SANNE, MOHAMED, INGRID]) {
    const card = readCard(
      await invoke(onCard(serviceUrl, u, 'review.score', { roundId: a1.roundId, applicationId: a1.applicationId, ...scores('4') }, a1.activityId)),
    );
    if (!card.text.includes('opgeslagen') && !card.text.toLowerCase().includes('saved'))
      throw new Error(`setup: ${u.name}'s score on A1 not saved:\n${card.text}`);
  }
  const sanneOnA2 = await invoke(
    onCard(serviceUrl, SANNE, 'review.score', { roundId: a2.roundId, applicationId: a2.applicationId, ...scores('3') }, a2.activityId),
  );
  keep(sanneOnA2);
  keep(await invoke(onCard(serviceUrl, MOHAMED, 'review.refresh', { roundId: a2.roundId, applicationId: a2.applicationId }, a2.activityId)));

  // The accounthouder's allocation card and the proposal in the channel.
  const before = connector.posted.length;
  await post(personalMessage(serviceUrl, INGRID, 'toekenning'));
  const allocation = await until(
    () => connector.posted.slice(before).find((p) => JSON.stringify(p.activity).includes('alloc.approve'))?.activity.attachments?.[0]?.content,
    { what: 'allocation card' },
  );
  keep(allocation);
  const share = readCard(allocation).actions.find((a) => a.verb === 'alloc.share')!;
  const fingerprint = String(share.data.fingerprint);
  keep(await invoke(cardAction(serviceUrl, INGRID, 'alloc.share', share.data)));
  const proposalCard = await until(() => connector.posted.find((p) => JSON.stringify(p.activity).includes('alloc.mark'))?.activity.attachments?.[0]?.content, {
    what: 'proposal post',
  });
  keep(proposalCard);
  const mark = readCard(proposalCard).actions.find((a) => a.verb === 'alloc.mark')!;
  // The proposal's post as the bot recorded it (its message id in the channel).
  const proposalActivity = await until(
    async () => {
      const row = await rounds.getEntity<Record<string, unknown>>(a1.roundId, `proposal_${fingerprint}`).catch(() => undefined);
      const post = (typeof row?.json === 'string' ? JSON.parse(row.json) : (row ?? {})) as { activityId?: string };
      return post.activityId || undefined;
    },
    { what: 'proposal post record', timeoutMs: 2000 },
  ).catch(() => 'proposal-post-unrecorded');
  keep(await invoke(onCard(serviceUrl, SANNE, 'alloc.mark', { ...mark.data, remark: 'Goed verdeeld.' }, proposalActivity)));

  // The accounthouder's other cards: round settings, criteria, consultation, reports, overview.
  for (const text of ['ronde', 'uitgangspunten', 'overzicht', 'consultatie', 'verslag']) {
    const n = connector.posted.length;
    await post(personalMessage(serviceUrl, INGRID, text));
    const card = await until(() => connector.posted.slice(n).find((p) => p.activity.attachments?.length)?.activity.attachments[0].content, {
      what: `"${text}" card`,
    }).catch(() => undefined);
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
  if (rk.startsWith('audit_') && /refus|denied|rejected|not-eligible/i.test(String(row.props.action ?? ''))) return 'audit of a refusal';
  if (rk.startsWith('lease_')) return 'scheduler lease';
  return undefined;
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
    for (const r of before.values())
      kinds.set(String(r.props.kind ?? r.table.replace(PREFIX, '')), (kinds.get(String(r.props.kind ?? r.table.replace(PREFIX, ''))) ?? 0) + 1);
    console.log(`proposal post: ${ctx.proposalActivity}; review cards: ${ctx.card1}, ${ctx.card2}`);
    console.log(
      `state prepared in ${prepMs} ms: ${before.size} rows (${[...kinds].map(([k, v]) => `${k} ${v}`).join(', ')}); verbs sampled from cards: ${Object.keys(ctx.samples).length}`,
    );

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
      else if (res.status >= 500) violations.push(`${where}: HTTP ${res.status} ${res.text.slice(0, 200)}`);
      if (c.wants4xx && !(res.status >= 400 && res.status < 500)) violations.push(`${where}: malformed HTTP answered ${res.status}, not 4xx`);
      if (c.wantsCard) {
        let type: unknown;
        try {
          type = (JSON.parse(res.text) as { type?: unknown }).type;
        } catch {
          type = undefined;
        }
        if (res.status !== 200 || type !== 'application/vnd.microsoft.card.adaptive')
          violations.push(`${where}: card invoke answered ${res.status} ${res.text.slice(0, 160)}`);
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
      else
        violations.push(
          `row ${c.sameContent ? 'rewritten (same content, new ETag)' : 'changed'}: ${c.after.key}\n    before: ${c.before.content.slice(0, 300)}\n    after:  ${c.after.content.slice(0, 300)}`,
        );
    }
    for (const r of d.removed) violations.push(`row removed: ${r.key}`);
    for (const w of writers) violations.push(`case that wrote: ${w}`);

    // No crash, and the bot still works.
    const health = await fetch(`${bot.url}/healthz`)
      .then((r) => r.status)
      .catch(() => 0);
    if (health !== 200) violations.push(`/healthz answered ${health} after the run`);
    const n = connector.posted.length;
    const hello = await send(JSON.stringify(personalMessage(connector.url, ANOUK, 'hallo')));
    const welcome = await until(() => connector.posted.slice(n).find((p) => p.activity.attachments?.length), { what: 'welcome card after the run' }).catch(
      () => undefined,
    );
    if (hello.status >= 300 || !welcome) violations.push(`a normal message after the run: ${hello.status}, card ${welcome ? 'sent' : 'not sent'}`);
    const refresh = await send(JSON.stringify(onCard(connector.url, MOHAMED, 'review.refresh', { roundId: ctx.roundId, applicationId: ctx.a2 }, ctx.card2)));
    const refreshed = refresh.status === 200 ? readCard((JSON.parse(refresh.text) as { value: unknown }).value) : undefined;
    if (!refreshed || !refreshed.inputs.some((i) => String(i.id).startsWith('score_')) || !refreshed.text.includes('1 van 3'))
      violations.push(`Mohamed's scoring form after the run: ${refresh.status} ${refreshed?.text.slice(0, 200) ?? refresh.text.slice(0, 200)}`);
    const m = connector.posted.length;
    await send(JSON.stringify(personalMessage(connector.url, INGRID, 'toekenning')));
    const allocation = await until(
      () => connector.posted.slice(m).find((p) => JSON.stringify(p.activity).includes('alloc.approve'))?.activity.attachments?.[0]?.content,
      { what: 'allocation card after the run' },
    ).catch(() => undefined);
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
      } else errors.set(`warn: ${l.msg}`, (errors.get(`warn: ${l.msg}`) ?? 0) + 1);
    }
    const expectedLogs = new Map<string, number>();
    for (const c of cases) if (c.wantsLog) expectedLogs.set(c.wantsLog, (expectedLogs.get(c.wantsLog) ?? 0) + 1);

    // Report.
    const sorted = [...latencies].sort((a, b) => a - b);
    const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
    const fmt = (m: Map<string, number>) =>
      [...m]
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k}: ${v}`)
        .join(', ');
    console.log(
      `\n${cases.length} requests (${(bytes / 1e6).toFixed(1)} MB) in ${runMs} ms; latency p50 ${pct(50)} ms, p99 ${pct(99)} ms, max ${sorted.at(-1)} ms`,
    );
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
