/**
 * Case generation for the robustness run (tests/robustness/fuzz.ts sends the cases to the bot and
 * checks the answers, the log and storage).
 *
 * Deterministic from a seed: a mulberry32 PRNG drives every choice, so the same seed, count and
 * prepared state (ids, card samples) give the same cases. Valid card actions of every verb,
 * taken from the real cards, are mutated — payload noise, mutations that must make the bot refuse
 * (a case that could be a legitimate write always gets one), envelope mutations — plus text
 * messages, other activity types, malformed HTTP and a few fixed probes. Each case says what the
 * runner must see: a card answer, a refusal in the log, a 4xx.
 */
import { VALID_INPUT } from '../fixtures';
import { ANOUK, BOT, cardAction, channelMessage, INGRID, LOTTE, MOHAMED, PETER, personalMessage, SANNE, TENANT, type User } from '../support/teams';

/** Every request body stays within this (the bot refuses more), except the one oversize probe. */
export const MAX_BODY = 1024 * 1024;

/** mulberry32: small, fast, and the same sequence for the same seed on every platform. */
export function prng(seed: number) {
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
export type Rng = ReturnType<typeof prng>;

// ---------------------------------------------------------------------------------------
// The prepared state the cases point at
// ---------------------------------------------------------------------------------------

export const CHANNEL = '19:beoordeling@thread.tacv2';
export const CAST: User[] = [ANOUK, PETER, LOTTE, INGRID, SANNE, MOHAMED];
export const PANEL: User[] = [INGRID, SANNE, MOHAMED];
export const APPLICANTS: User[] = [ANOUK, PETER, LOTTE];
export const CRITERIA = ['integraal', 'zorg-naar-welzijn', 'licht-dichtbij', 'regie', 'ervaringsdeskundigheid', 'ambities', 'resultaat'];

export interface Ctx {
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

/** An Action.Execute on a review card or the proposal post in the channel: replyToId is the card's message. */
export function onCard(serviceUrl: string, user: User, verb: string, data: Record<string, unknown>, replyToId: string) {
  return {
    ...cardAction(serviceUrl, user, verb, data),
    replyToId,
    conversation: { conversationType: 'channel', isGroup: true, tenantId: TENANT, id: `${CHANNEL};messageid=${replyToId}` },
    channelData: { tenant: { id: TENANT }, team: { id: '19:team@thread.tacv2' }, channel: { id: CHANNEL } },
  };
}

// ---------------------------------------------------------------------------------------
// Case generation
// ---------------------------------------------------------------------------------------

export type Obj = Record<string, unknown>;

export interface Case {
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

export interface VerbSpec {
  verb: string;
  /** Where the card lives: the personal chat, a review card (1 or 2) or the proposal post. */
  where: 'personal' | 'card1' | 'card2' | 'proposal';
  data: (ctx: Ctx) => Obj;
  /** Who could legitimately change something with an intact payload. */
  authorised: User[];
  /** Anyone in the tenant may legitimately write with it (starting an application: the round is open to every partner). */
  anyone?: boolean;
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
  page: ['abc', 0, -1, 1.5, 10_001, {}],
} as const satisfies Record<string, readonly unknown[]>;

function verbSpecs(): VerbSpec[] {
  const r = (...names: (keyof typeof BAD)[]) => Object.fromEntries(names.map((n) => [n, [...BAD[n]]]));
  const ref = (ctx: Ctx, app: 'a1' | 'a2' | 'draft') => ({ roundId: ctx.roundId, applicationId: ctx[app] });
  const scores = (v: string) => Object.fromEntries(CRITERIA.map((id) => [`score_${id}`, v]));
  const sample = (ctx: Ctx, verb: string, fallback: Obj) => ({ ...fallback, ...(ctx.samples[verb] ?? {}) });
  return [
    {
      verb: 'review.score',
      where: 'card2',
      data: (c) => ({ ...ref(c, 'a2'), ...scores('4'), comment_integraal: 'Goed plan.' }),
      authorised: PANEL,
      required: r('roundId', 'applicationId'),
    },
    { verb: 'review.score', where: 'card1', data: (c) => ({ ...ref(c, 'a1'), ...scores('2') }), authorised: PANEL, required: r('roundId', 'applicationId') },
    { verb: 'review.refresh', where: 'card2', data: (c) => ref(c, 'a2'), authorised: [], required: r('roundId', 'applicationId') },
    { verb: 'review.others', where: 'card2', data: (c) => ({ ...ref(c, 'a2'), page: 1 }), authorised: [], required: r('roundId', 'applicationId', 'page') },
    { verb: 'review.read', where: 'card2', data: (c) => ref(c, 'a2'), authorised: [], required: r('roundId', 'applicationId') },
    {
      verb: 'review.conflict',
      where: 'card2',
      data: (c) => ({ ...ref(c, 'a2'), conflictNote: 'Ik ken de aanvrager.' }),
      authorised: PANEL,
      required: r('roundId', 'applicationId'),
    },
    {
      verb: 'review.ask',
      where: 'card2',
      data: (c) => ({ ...ref(c, 'a2'), question: 'Hoe bereikt u de jongeren?' }),
      authorised: PANEL,
      required: r('roundId', 'applicationId'),
    },
    {
      verb: 'question.answer',
      where: 'personal',
      data: (c) => ({ ...ref(c, 'a2'), questionId: 'abcdef12', answer: 'Via de scholen.' }),
      authorised: APPLICANTS,
      required: r('roundId', 'applicationId', 'questionId'),
    },
    {
      verb: 'panel.add',
      where: 'card1',
      data: (c) => sample(c, 'panel.add', { person: LOTTE.aadObjectId, role: 'partner', organisation: 'Speeltuin' }),
      authorised: [INGRID],
      required: r('role'),
    },
    { verb: 'panel.remove', where: 'card1', data: () => ({ userId: MOHAMED.aadObjectId }), authorised: [INGRID], required: r('userId') },
    { verb: 'alloc.show', where: 'personal', data: (c) => ({ roundId: c.roundId }), authorised: [], required: {} },
    {
      verb: 'alloc.approve',
      where: 'personal',
      data: (c) => ({ roundId: c.roundId, fingerprint: c.fingerprint, [`amount_${c.a1}`]: '12500' }),
      authorised: [INGRID],
      required: r('roundId', 'fingerprint'),
    },
    {
      verb: 'alloc.share',
      where: 'personal',
      data: (c) => ({ roundId: c.roundId, fingerprint: c.fingerprint }),
      authorised: [INGRID],
      required: r('roundId', 'fingerprint'),
    },
    {
      verb: 'alloc.mark',
      where: 'proposal',
      data: (c) => ({ roundId: c.roundId, fingerprint: c.fingerprint, agree: 'false', remark: 'Te veel voor één partner.' }),
      authorised: PANEL,
      required: r('roundId', 'fingerprint', 'agree'),
    },
    { verb: 'app.home', where: 'personal', data: () => ({}), authorised: [], required: {} },
    { verb: 'apply.list', where: 'personal', data: () => ({}), authorised: [], required: {} },
    { verb: 'apply.start', where: 'personal', data: () => ({}), authorised: APPLICANTS, required: {} },
    {
      verb: 'apply.eligibility',
      where: 'personal',
      data: () => ({ token: 'fuzz-new-0001', partnerInSocialeBasis: 'yes', activeInMunicipality: 'yes', collectiveAnswer: 'yes' }),
      authorised: CAST,
      anyone: true,
      required: r('token'),
    },
    {
      verb: 'apply.step',
      where: 'personal',
      data: (c) => ({ ...ref(c, 'draft'), rev: c.draftRev, step: 'question', direction: 'next', ...VALID_INPUT.question }),
      authorised: APPLICANTS,
      required: r('roundId', 'applicationId', 'rev', 'step', 'direction'),
    },
    {
      verb: 'apply.edit',
      where: 'personal',
      data: (c) => ({ ...ref(c, 'draft'), step: 'organisation' }),
      authorised: APPLICANTS,
      required: r('roundId', 'applicationId', 'step'),
    },
    { verb: 'apply.resume', where: 'personal', data: (c) => ref(c, 'draft'), authorised: APPLICANTS, required: r('roundId', 'applicationId') },
    {
      verb: 'apply.submit',
      where: 'personal',
      data: (c) => ({ ...ref(c, 'a1'), rev: c.a1Rev }),
      authorised: APPLICANTS,
      required: r('roundId', 'applicationId', 'rev'),
    },
    { verb: 'apply.withdraw', where: 'personal', data: (c) => ref(c, 'a2'), authorised: APPLICANTS, required: r('roundId', 'applicationId') },
    { verb: 'apply.withdrawConfirm', where: 'personal', data: (c) => ref(c, 'a1'), authorised: APPLICANTS, required: r('roundId', 'applicationId') },
    { verb: 'round.show', where: 'personal', data: (c) => ({ roundId: c.roundId }), authorised: [], required: {} },
    { verb: 'criteria.show', where: 'personal', data: (c) => ({ roundId: c.roundId }), authorised: [], required: {} },
    {
      verb: 'round.save',
      where: 'personal',
      data: (c) => sample(c, 'round.save', { roundId: c.roundId, etag: 'W/"x"', budget: '60000' }),
      authorised: [INGRID],
      required: r('roundId', 'etag'),
    },
    {
      verb: 'round.status',
      where: 'personal',
      data: (c) => ({ roundId: c.roundId, from: 'open', to: 'paused', confirmed: 'true' }),
      authorised: [INGRID],
      required: r('roundId', 'from', 'to'),
    },
    { verb: 'round.create', where: 'personal', data: () => ({ year: 2027 }), authorised: [INGRID], required: r('year') },
    {
      verb: 'criteria.save',
      where: 'personal',
      data: (c) => sample(c, 'criteria.save', { roundId: c.roundId, version: 1, 'integraal.weight': '3' }),
      authorised: [INGRID],
      required: r('roundId', 'version'),
    },
    { verb: 'results.open', where: 'personal', data: (c) => ref(c, 'a1'), authorised: [], required: r('roundId', 'applicationId') },
    {
      verb: 'results.save',
      where: 'personal',
      data: (c) => ({
        ...ref(c, 'a1'),
        rev: 1,
        mode: 'submit',
        done: 'Tien bijeenkomsten.',
        reached: '42',
        learned: 'Veel.',
        indicators: 'x: 1',
        spent: '100',
      }),
      authorised: [],
      required: r('roundId', 'applicationId', 'rev', 'mode'),
    },
    { verb: 'overview.show', where: 'personal', data: (c) => ({ roundId: c.roundId }), authorised: [], required: {} },
    { verb: 'report.allocation', where: 'personal', data: (c) => ({ roundId: c.roundId }), authorised: [], required: {} },
    { verb: 'report.results', where: 'personal', data: (c) => ({ roundId: c.roundId }), authorised: [], required: {} },
    { verb: 'consult.show', where: 'personal', data: (c) => ({ roundId: c.roundId }), authorised: [], required: {} },
    {
      verb: 'consult.start',
      where: 'personal',
      data: (c) => ({ roundId: c.roundId, closesAt: '2026-12-31', inviteChannel: 'true', audience: 'everyone' }),
      authorised: [INGRID],
      required: r('roundId'),
    },
    { verb: 'consult.open', where: 'personal', data: (c) => ({ roundId: c.roundId }), authorised: [], required: r('roundId') },
    {
      verb: 'consult.respond',
      where: 'personal',
      data: (c) => ({ roundId: c.roundId, role: 'partner', integraal: 'Eens' }),
      authorised: CAST,
      required: r('roundId'),
    },
    {
      verb: 'consult.decide',
      where: 'personal',
      data: (c) => ({ roundId: c.roundId, proposalId: 'p1', accept: 'true', replyField: 'reply1' }),
      authorised: [INGRID],
      required: r('roundId', 'accept', 'replyField'),
    },
    { verb: 'consult.publish', where: 'personal', data: (c) => ({ roundId: c.roundId }), authorised: [INGRID], required: r('roundId') },
  ];
}

const OUTSIDER = (rng: Rng): User => ({ id: `29:fuzz-${rng.hex(6)}`, aadObjectId: rng.guid(), name: 'Onbekend' });
const UNKNOWN_VERBS = (rng: Rng) => [
  'review.scores',
  'REVIEW.SCORE',
  'review.score ',
  ' review.score',
  'alloc.approve2',
  'apply.delete',
  'admin.drop',
  'round.delete',
  'x',
  '.*',
  '__proto__',
  'constructor',
  'toString',
  'review.score\u0000',
  'ronde',
  'apply/step',
  `verb-${rng.hex(8)}`,
  'v'.repeat(1 + rng.int(5000)),
  '💥',
  'hasOwnProperty',
];

/** Identity as the bot derives it: aadObjectId, else id. */
function actorOf(activity: Obj): string {
  const from = activity.from as Obj | undefined | null;
  if (!from || typeof from !== 'object') return '';
  return String(from.aadObjectId ?? from.id ?? '');
}

export function generate(ctx: Ctx, rng: Rng, count: number): Case[] {
  const specs = verbSpecs();
  const cases: Case[] = [];
  const replyFor = (where: VerbSpec['where']) =>
    where === 'card1' ? ctx.card1 : where === 'card2' ? ctx.card2 : where === 'proposal' ? ctx.proposalActivity : `card-${rng.hex(8)}`;
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
      if (keys.length)
        d[rng.pick(keys)] = rng.pick([
          '\u0000\u0001\u0002',
          '\ud800',
          '‮RTL‬',
          '<script>alert(1)</script>',
          '{{$root}}',
          '${applicationId}',
          "' or 1 eq 1 or '",
          '\n'.repeat(3000),
          '🙂'.repeat(2000),
        ]);
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
      if (spec.verb === 'review.score')
        for (const id of CRITERIA) if (rng.chance(0.5)) d[`score_${id}`] = rng.pick(['0', '6', '-1', 'na', 'NaN', '4.5', '', ' 4', '44', 4, 'Infinity']);
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
    if ('roundId' in spec.required)
      options.push(() => ((d.roundId = rng.pick(['LB-1999', 'ZZ-2026', 'QQQQQQ-2200'])), { label: 'non-existent round', schema: false }));
    if (spec.verb === 'apply.eligibility')
      options.push(
        () => ((d[rng.pick(['partnerInSocialeBasis', 'activeInMunicipality', 'collectiveAnswer'])] = 'no'), { label: 'not eligible', schema: false }),
      );
    if (spec.verb === 'review.score')
      options.push(
        () => ((d[`score_${rng.pick(CRITERIA)}`] = rng.pick(['0', '6', '-1', 'abc', '4.5', '99'])), { label: 'score off the scale', schema: false }),
      );
    if (spec.verb === 'alloc.approve')
      options.push(() => ((d[`amount_${ctx.a1}`] = rng.pick(['-5', '99999999', 'abc', '12500.5', '12501'])), { label: 'amount refused', schema: false }));
    return rng.pick(options)();
  };

  const identities = (rng2: Rng): User => (rng2.chance(0.8) ? rng2.pick(CAST) : OUTSIDER(rng2));

  /** Mutations of the activity around the payload. Returns a label and whether the result is still a well-formed card invoke. */
  const envelope: Array<(a: Obj) => { label: string; wellFormed: boolean; fatal?: boolean }> = [
    (a) => (
      (a.replyToId = rng.pick([undefined, '', `card-${rng.hex(8)}`, ctx.card1, ctx.card2, 12345, 'r'.repeat(10_000)])),
      { label: 'replyToId', wellFormed: true }
    ),
    (a) => {
      const other = rng.pick(CAST);
      a.from = { ...(a.from as Obj), aadObjectId: other.aadObjectId };
      return { label: 'other aadObjectId, same id', wellFormed: true };
    },
    (a) => ((a.from = { id: rng.pick(CAST).id, name: 'x' }), { label: 'from without aadObjectId', wellFormed: true }),
    (a) => (
      (a.from = rng.pick([undefined, null, {}, 'ANOUK', 42, { aadObjectId: 42 }, { id: '' }, { aadObjectId: 'a'.repeat(100_000) }])),
      { label: 'malformed from', wellFormed: false }
    ),
    (a) => (
      (a.conversation = rng.pick([
        undefined,
        null,
        {},
        'conv',
        { id: 42 },
        { id: 'a:x', conversationType: 'groupChat', isGroup: true },
        { id: `${CHANNEL};messageid=${ctx.card2}`, conversationType: 'channel' },
      ])),
      { label: 'malformed or other conversation', wellFormed: false }
    ),
    (a) => ((a.recipient = rng.pick([undefined, null, {}, { id: '28:other-bot' }])), { label: 'recipient', wellFormed: false }),
    (a) => ((a.channelId = rng.pick([undefined, 'webchat', 'emulator', '', 42])), { label: 'channelId', wellFormed: false }),
    // Unreachable or missing serviceUrls take ~15 s each (the connector client retries): fixed probes at the end, not random cases.
    (a) => (
      (a.serviceUrl = rng.pick(['not a url', 'file:///etc/passwd', 'javascript:alert(1)', 'ftp://127.0.0.1/'])),
      { label: 'serviceUrl', wellFormed: false }
    ),
    (a) => ((a.locale = rng.pick(['xx', '', 42, null, 'l'.repeat(50_000), 'nl-NL\u0000', 'en-US'])), { label: 'locale', wellFormed: true }),
    (a) => ((a.timestamp = rng.pick(['not a date', 42, null, '9999-99-99'])), { label: 'timestamp', wellFormed: true }),
    (a) => ((a.entities = rng.pick([null, 'x', [null], [{ type: 'mention' }], [{ type: 'clientInfo', locale: 42 }]])), { label: 'entities', wellFormed: true }),
    (a) => (
      (a.channelData = rng.pick([null, 'x', { tenant: 42 }, { tenant: { id: 'other-tenant' } }, { team: { id: {} } }])),
      { label: 'channelData', wellFormed: true }
    ),
    (a) => (
      (a.name = rng.pick([
        undefined,
        '',
        'adaptiveCard/actionX',
        'composeExtension/query',
        'task/fetch',
        'signin/verifyState',
        'fileConsent/invoke',
        42,
        'ADAPTIVECARD/ACTION',
      ])),
      { label: 'invoke name', wellFormed: false, fatal: true }
    ),
    (a) => {
      // An earlier mutation may have made the value anything already.
      const value = (a.value && typeof a.value === 'object' ? a.value : {}) as Obj;
      a.value = rng.pick([
        undefined,
        null,
        'x',
        [],
        {},
        { action: null },
        { action: 'x' },
        { action: { ...(value.action as Obj), type: 'Action.Submit' } },
        { action: { ...(value.action as Obj), verb: undefined } },
        { action: { ...(value.action as Obj), verb: 42 } },
      ]);
      return { label: 'malformed value', wellFormed: false, fatal: true };
    },
    (a) => {
      const value = a.value as { action: Obj };
      value.action.data = rng.pick(['x', 42, [], [value.action.data], true]);
      return { label: 'data not an object', wellFormed: true, fatal: true };
    },
    (a) => (
      (a.type = rng.pick([
        'message',
        'event',
        'messageReaction',
        'typing',
        'conversationUpdate',
        'installationUpdate',
        'endOfConversation',
        'messageUpdate',
        'messageDelete',
        'trace',
        'handoff',
        'unknownType',
        '',
        undefined,
        42,
        'INVOKE',
      ])),
      { label: 'activity type', wellFormed: false, fatal: true }
    ),
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
      () => ({
        category: 'http',
        label: 'not JSON at all',
        body: rng.pick(['hello', '<xml/>', '{{{{', 'undefined', "{'a':1}"]),
        wantsCard: false,
        wants4xx: true,
      }),
      () => ({ category: 'http', label: 'empty body', body: '', wantsCard: false }),
      () => ({ category: 'http', label: 'JSON but not an object', body: rng.pick(['[]', '"invoke"', 'null', '42', 'true', `[${valid}]`]), wantsCard: false }),
      () => ({ category: 'http', label: 'text/plain content type', body: valid, headers: { 'content-type': 'text/plain' }, wantsCard: false }),
      () => ({
        category: 'http',
        label: 'form content type',
        body: 'type=invoke&name=adaptiveCard%2Faction',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        wantsCard: false,
      }),
      () => ({ category: 'http', label: 'GET', body: '', method: 'GET', headers: {}, wantsCard: false, wants4xx: true }),
      () => ({
        category: 'http',
        label: 'bogus authorization header',
        body: valid,
        headers: { 'content-type': 'application/json', authorization: 'Bearer not.a.jwt' },
        wantsCard: false,
      }),
      () => ({ category: 'http', label: 'duplicate keys', body: valid.replace('{', '{"type":"message",'), wantsCard: false }),
    ];
    return rng.pick(options)();
  };

  const message = (): Omit<Case, 'n'> => {
    const user = identities(rng);
    const channel = rng.chance(0.35);
    const texts = [
      'hallo',
      'help',
      'mijn aanvragen',
      'nieuwe aanvraag',
      'toekenning',
      'ronde',
      'ronde 1999',
      'ronde 2025',
      'uitgangspunten',
      'overzicht',
      'resultaten',
      'verslag',
      'consultatie',
      '',
      ' ',
      '\u0000',
      '‮',
      '<at>Leerbudget</at>',
      '<b>toekenning</b>',
      '{"verb":"alloc.approve"}',
      'DROP TABLE Rounds',
      HUGE(rng, 500_000),
      '🙂'.repeat(1 + rng.int(5000)),
    ];
    // Ingrid relinking or rebuilding in the channel would be a legitimate write: only others' attempts.
    const channelTexts =
      user.aadObjectId === INGRID.aadObjectId
        ? ['hallo', '', 'wat kan je', HUGE(rng, 200_000)]
        : ['koppel beoordeling', 'koppel beoordeling Holtenbroek', 'koppel beoordeling Nergensland', 'panel', 'link review', 'hallo', HUGE(rng, 200_000)];
    const text = channel ? rng.pick(channelTexts) : rng.pick(texts);
    const a = (channel ? channelMessage(ctx.serviceUrl, user, text) : personalMessage(ctx.serviceUrl, user, text)) as unknown as Obj;
    a.id = `fuzz-${rng.hex(12)}`;
    const labels = [channel ? 'channel message' : 'personal message'];
    if (rng.chance(0.3)) labels.push(rng.pick(envelope.slice(0, 12))(a).label);
    if (rng.chance(0.15)) ((a.value = { verb: 'alloc.approve', roundId: ctx.roundId, fingerprint: ctx.fingerprint }), labels.push('Action.Submit value'));
    if (rng.chance(0.1))
      ((a.attachments = [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', body: 'x' } }]), labels.push('attachment'));
    return { category: 'message', label: labels.join(', '), body: serialise(a), wantsCard: false };
  };

  const other = (): Omit<Case, 'n'> => {
    const user = identities(rng);
    const base = personalMessage(ctx.serviceUrl, user, 'x') as unknown as Obj;
    const kind = rng.pick([
      'conversationUpdate',
      'installationUpdate',
      'messageReaction',
      'event',
      'typing',
      'endOfConversation',
      'invoke-other',
      'messageUpdate',
      'messageDelete',
    ]);
    let a: Obj;
    switch (kind) {
      case 'conversationUpdate':
        a = {
          ...base,
          type: 'conversationUpdate',
          text: undefined,
          membersAdded: rng.pick([[{ id: BOT.id }], [{ id: user.id }], null, 'x', [{}]]),
          membersRemoved: rng.pick([undefined, [{ id: BOT.id }], [{ id: MOHAMED.id }]]),
          channelData: rng.pick([
            { tenant: { id: TENANT }, eventType: 'teamMemberAdded', team: { id: '19:team@thread.tacv2' } },
            { eventType: 'channelDeleted', channel: { id: CHANNEL } },
            { eventType: 'teamDeleted' },
            null,
          ]),
        };
        break;
      case 'installationUpdate':
        a = { ...base, type: 'installationUpdate', action: rng.pick(['add', 'remove', 'add-upgrade', 'remove-upgrade', 'x', 42]) };
        break;
      case 'messageReaction':
        a = { ...base, type: 'messageReaction', replyToId: ctx.card2, reactionsAdded: rng.pick([[{ type: 'like' }], null, 'x']) };
        break;
      case 'event':
        a = {
          ...base,
          type: 'event',
          name: rng.pick(['application/vnd.microsoft.meetingStart', 'x', '', 'tokens/response']),
          value: rng.pick([null, {}, 'x']),
        };
        break;
      case 'invoke-other':
        a = {
          ...base,
          type: 'invoke',
          name: rng.pick([
            'composeExtension/query',
            'task/fetch',
            'task/submit',
            'signin/verifyState',
            'config/fetch',
            'tab/fetch',
            'healthCheck',
            'actionableMessage/executeAction',
            'fileConsent/invoke',
            'message/submitAction',
          ]),
          value: rng.pick([null, {}, { commandId: 'x' }, 'x']),
        };
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
    (a.value as { action: Obj }).action.verb = verb;
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
    const mayWrite = (spec.anyone ? actor !== '' : spec.authorised.some((u) => u.aadObjectId === actor || u.id === actor)) && !fatalApplied && !envelopeFatal;
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
    const intactAction =
      cardInvoke && value?.action && typeof value.action === 'object' && value.action.type === 'Action.Execute' && typeof value.action.verb === 'string';
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
    const c = roll < 0.62 ? cardCase(false) : roll < 0.7 ? cardCase(true) : roll < 0.82 ? message() : roll < 0.9 ? other() : http();
    cases.push({ n, ...c });
  }
  // Fixed probes after the random cases, one each (they are slow or take the process down).
  const probe = (label: string, body: string, extra: Partial<Case> = {}) =>
    cases.push({ n: cases.length + 1, category: 'probe', label, body, wantsCard: false, ...extra });
  probe('body over 1 MB', JSON.stringify({ type: 'message', text: 'x'.repeat(MAX_BODY) }), { wants4xx: true });
  const hello = (serviceUrl: string | undefined) => {
    const a = personalMessage(ctx.serviceUrl, LOTTE, 'hallo') as unknown as Obj;
    a.serviceUrl = serviceUrl;
    return JSON.stringify(a);
  };
  probe('message, serviceUrl unreachable (127.0.0.1:1)', hello('http://127.0.0.1:1/'), { timeoutMs: 20_000 });
  probe('message, serviceUrl missing', hello(undefined), { timeoutMs: 20_000 });
  // Last: in a bot of its own this request ends the process (see the report); here the run's uncaughtException handler records it.
  probe('Content-Encoding: gzip, body not gzip', JSON.stringify(personalMessage(ctx.serviceUrl, LOTTE, 'hallo')), {
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    wants4xx: true,
    timeoutMs: 5_000,
  });
  return cases;
}
