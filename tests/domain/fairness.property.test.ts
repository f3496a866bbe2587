import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ApplicationFields, OrganisationLinks } from '../../src/domain/application';
import type { Criterion } from '../../src/domain/criteria';
import type { Organisation } from '../../src/domain/organisation';
import type { PanelMember, Recusal } from '../../src/domain/panel';
import {
  computeResult,
  countedSheets,
  effectiveQuorum,
  mayViewOthers,
  nextSheet,
  RawSheet,
  reviewOutcome,
  reviewProgress,
  ScoreSheet,
  ScoreValue,
  scoreField,
  sheetCounts,
  validateSheet,
} from '../../src/domain/scoring';

/**
 * Random histories of one application's review, applied with the domain functions only, the way the
 * use cases do: a save is validated and turned into the stored sheet by nextSheet; scoring stops
 * once the review closes. After every event the fairness rules must hold.
 */

const APP_ORG = 'org-00000000000a';
const CO_ORG = 'org-00000000000c';
const OTHER_ORG = 'org-00000000000e';
const org = (id: string, name: string): Organisation => ({ id, name, aliases: [], createdBy: 'boss', createdAt: '', source: 'accounthouder' });
const registry = [org(APP_ORG, 'Stichting Buurtkracht Zwolle'), org(CO_ORG, 'Sportbedrijf Zwolle'), org(OTHER_ORG, 'Vereniging De Kern')];
const fields: ApplicationFields & OrganisationLinks = {
  organisation: 'Stichting Buurtkracht Zwolle',
  organisationId: APP_ORG,
  coApplicants: ['Sportbedrijf Zwolle'],
  coApplicantIds: [CO_ORG],
};

const START = Date.parse('2026-11-20T09:00:00Z');
const DEADLINE = '2026-12-01T16:00:00.000Z';

/** Who a new panel member works for: nobody, the applicant or co-applicant (by id), another partner, or the applicant by a loose name only. */
const ORG_KINDS = ['none', 'app', 'co', 'other', 'appByName'] as const;
type OrgKind = (typeof ORG_KINDS)[number];
const MUST_RECUSE: readonly OrgKind[] = ['app', 'co', 'appByName'];

function newMember(i: number, kind: OrgKind): PanelMember {
  const base = { userId: `m${i}`, mri: `29:m${i}`, name: `M${i}`, addedBy: 'boss', addedAt: new Date(START + i).toISOString() };
  switch (kind) {
    case 'none':
      return { ...base, role: 'ervaringsdeskundige' };
    case 'app':
      return { ...base, role: 'partner', organisation: 'BK', organisationId: APP_ORG };
    case 'co':
      return { ...base, role: 'partner', organisationId: CO_ORG };
    case 'other':
      return { ...base, role: 'partner', organisation: 'De Kern', organisationId: OTHER_ORG };
    case 'appByName':
      // Old data: no id, and a spelling that only the registry ties to the applicant.
      return { ...base, role: 'partner', organisation: 'Buurtkracht' };
  }
}

type Event =
  | { type: 'score'; member: number; values: ScoreValue[]; allNa: boolean }
  /** A sheet stored by an earlier version that did not refuse all n.v.t. (old data). */
  | { type: 'legacyAllNa'; member: number }
  | { type: 'recuse'; member: number }
  | { type: 'addMember'; kind: OrgKind }
  | { type: 'tick'; minutes: number }
  | { type: 'deadline' };

/** A panel position (taken modulo the panel size), often one of the first few: the same members save again before the review closes. */
const who = fc.oneof(fc.nat(1), fc.nat(9));
const score = fc.oneof(fc.integer({ min: 1, max: 5 }), fc.constant<'na'>('na'));
const event: fc.Arbitrary<Event> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({ type: fc.constant('score' as const), member: who, values: fc.array(score, { minLength: 3, maxLength: 3 }), allNa: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('legacyAllNa' as const), member: who }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('recuse' as const), member: who }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('addMember' as const), kind: fc.constantFrom(...ORG_KINDS) }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('tick' as const), minutes: fc.integer({ min: 1, max: 24 * 60 }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('deadline' as const) }) },
);
const scenario = fc.record({
  quorum: fc.integer({ min: 1, max: 5 }),
  criteria: fc.integer({ min: 1, max: 3 }),
  initial: fc.array(fc.constantFrom(...ORG_KINDS), { maxLength: 8 }),
  events: fc.array(event, { maxLength: 60, size: 'medium' }),
});

/** A plain assertion: the checks run millions of times. */
function must(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

function criteriaOf(n: number): Criterion[] {
  return Array.from({ length: n }, (_, i) => ({ id: `c${i}`, title: `C${i}`, description: '', weight: 1, scaleMin: 1, scaleMax: 5 }));
}

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

/** What a history went through, to show the properties are not checked on easy cases only. */
interface Seen {
  outcomes: Set<string>;
  closedOnReducedQuorum: boolean;
  recusedAfterScoring: boolean;
  allNaRefused: boolean;
  legacyAllNa: boolean;
  revisedAfterSeen: boolean;
}

function run({ quorum, criteria: nCriteria, initial, events }: Scenario): Seen {
  const seen: Seen = {
    outcomes: new Set(),
    closedOnReducedQuorum: false,
    recusedAfterScoring: false,
    allNaRefused: false,
    legacyAllNa: false,
    revisedAfterSeen: false,
  };
  const criteria = criteriaOf(nCriteria);
  const panel: { member: PanelMember; kind: OrgKind }[] = initial.map((kind, i) => ({ member: newMember(i, kind), kind }));
  const declared: Recusal[] = [];
  const sheets = new Map<string, ScoreSheet>();
  const legacy = new Set<string>();
  let now = START;

  // What the model knows independently of the domain: when each member first saved a real score, and how often they changed scores after.
  const firstReal = new Map<string, string>();
  const revisions = new Map<string, number>();

  const state = () => {
    const all = [...sheets.values()];
    const progress = reviewProgress(
      panel.map((p) => p.member),
      fields,
      declared,
      all,
      registry,
    );
    const counted = countedSheets(progress, all);
    const result = computeResult(criteria, counted, quorum, progress.eligible.length);
    const outcome = reviewOutcome(progress, quorum, new Date(now), DEADLINE);
    return { progress, counted, result, outcome };
  };

  const check = () => {
    const { progress, counted, result, outcome } = state();
    const at = new Date(now).toISOString();
    const eligible = progress.eligible.length;

    // (a) Nobody may view others before their own sheet counts.
    for (const { member } of panel) {
      const sheet = sheets.get(member.userId);
      const may = mayViewOthers(sheet);
      must(may === firstReal.has(member.userId), `(a) ${member.userId} may view others: ${may}, has saved a real score: ${firstReal.has(member.userId)}`);
      if (may) {
        must(
          sheet!.firstCountedAt === firstReal.get(member.userId),
          `(a) ${member.userId} firstCountedAt ${sheet!.firstCountedAt}, first real score at ${firstReal.get(member.userId)}`,
        );
        must(sheet!.firstCountedAt! <= at, `(a) ${member.userId} counted in the future`);
      }
      // Every sheet a save produced counts: all n.v.t. never gets stored.
      if (sheet && !legacy.has(member.userId)) must(sheetCounts(sheet), `(a) ${member.userId}: a saved sheet without a real score`);
      if (sheet && firstReal.has(member.userId))
        must(
          (sheet.revisedAfterSeen ?? 0) === (revisions.get(member.userId) ?? 0),
          `${member.userId}: revisedAfterSeen ${sheet.revisedAfterSeen}, model ${revisions.get(member.userId) ?? 0}`,
        );
    }

    // (b) After the deadline a review is closed or stuck, never still open.
    if (now > Date.parse(DEADLINE)) must(outcome !== 'open', '(b) open after the deadline');

    // (c) No recused member's sheet counts, nor is in the result; declared and organisation conflicts are recused.
    const recused = new Set(progress.recused.map((r) => r.member.userId));
    for (const r of declared) must(recused.has(r.memberId), `(c) ${r.memberId} declared a conflict but is not recused`);
    for (const p of panel) if (MUST_RECUSE.includes(p.kind)) must(recused.has(p.member.userId), `(c) ${p.member.userId} (${p.kind}) not recused`);
    must(!counted.some((s) => recused.has(s.memberId)), "(c) a recused member's sheet counts");
    must(result.sheets === counted.length, '(c) the result counts other sheets than countedSheets');

    // (d) A review closes only with the effective quorum of real sheets.
    if (outcome === 'close') {
      must(
        result.sheets >= effectiveQuorum(quorum, eligible),
        `(d) closed with ${result.sheets} sheets, effective quorum ${effectiveQuorum(quorum, eligible)}`,
      );
      must(result.sheets > 0 && result.quorumMet, '(d) closed without a result');
    }

    // (e) The quorum never asks more than the members who may judge.
    must(result.quorum <= eligible && result.quorum <= quorum, `(e) quorum ${result.quorum} with ${eligible} eligible (configured ${quorum})`);

    // And it does close once every eligible member has judged.
    if (eligible > 0 && progress.unscored.length === 0) must(outcome === 'close', `everybody judged, but ${outcome}`);

    seen.outcomes.add(outcome);
    if (outcome === 'close' && result.quorum < quorum) seen.closedOnReducedQuorum = true;
    if ([...sheets.keys()].some((id) => recused.has(id))) seen.recusedAfterScoring = true;
    if ([...revisions.values()].some((n) => n > 0)) seen.revisedAfterSeen = true;
    return { outcome, recused };
  };

  const memberAt = (i: number) => (panel.length ? panel[i % panel.length]!.member : undefined);
  let current = check();
  if (current.outcome === 'close') return seen;
  for (const e of events) {
    switch (e.type) {
      case 'score': {
        const m = memberAt(e.member);
        if (!m || current.recused.has(m.userId)) break; // the use case refuses RECUSED
        const raw: RawSheet = {};
        criteria.forEach((c, i) => (raw[scoreField(c.id)] = String(e.allNa ? 'na' : e.values[i]!)));
        const valid = validateSheet(criteria, raw);
        if (!valid.ok) {
          must(
            criteria.every((c) => raw[scoreField(c.id)] === 'na'),
            `a valid sheet refused: ${JSON.stringify(valid.error)}`,
          );
          must(valid.error[scoreField(criteria[0]!.id)] === 'allNotApplicable', 'all n.v.t. refused with another code');
          seen.allNaRefused = true;
          break;
        }
        const previous = sheets.get(m.userId);
        const at = new Date(now).toISOString();
        if (firstReal.has(m.userId) && previous && criteria.some((c) => previous.scores[c.id] !== valid.value.scores[c.id])) {
          revisions.set(m.userId, (revisions.get(m.userId) ?? 0) + 1);
        }
        if (!firstReal.has(m.userId) && Object.values(valid.value.scores).some((v) => typeof v === 'number')) firstReal.set(m.userId, at);
        sheets.set(m.userId, nextSheet(previous, { memberId: m.userId, criteriaVersion: 1, ...valid.value }, new Date(now)));
        legacy.delete(m.userId);
        break;
      }
      case 'legacyAllNa': {
        const m = memberAt(e.member);
        if (!m || sheets.has(m.userId)) break;
        sheets.set(m.userId, {
          memberId: m.userId,
          criteriaVersion: 1,
          scores: Object.fromEntries(criteria.map((c) => [c.id, 'na'])),
          comments: {},
          overall: '',
          at: new Date(now).toISOString(),
        });
        legacy.add(m.userId);
        seen.legacyAllNa = true;
        break;
      }
      case 'recuse': {
        const m = memberAt(e.member);
        if (m && !declared.some((r) => r.memberId === m.userId)) declared.push({ memberId: m.userId, reason: 'declared', at: new Date(now).toISOString() });
        break;
      }
      case 'addMember':
        panel.push({ member: newMember(panel.length, e.kind), kind: e.kind });
        break;
      case 'tick':
        now += e.minutes * 60_000;
        break;
      case 'deadline':
        now = Math.max(now, Date.parse(DEADLINE) + 1);
        break;
    }
    // The review closes as soon as it may; nothing changes it afterwards.
    current = check();
    if (current.outcome === 'close') return seen;
  }
  return seen;
}

describe('fairness rules hold in every history of a review', () => {
  it('(a)–(e): independent scores, closed or stuck after the deadline, recused sheets out, quorum met and reachable', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        run(s);
      }),
      { numRuns: 1500 },
    );
  });

  it('the histories reach every case the properties are about (they are not vacuous)', () => {
    const runs = fc.sample(scenario, { numRuns: 1500, seed: 12 }).map(run);
    const count = (f: (s: Seen) => boolean) => runs.filter(f).length;
    for (const outcome of ['open', 'close', 'stuck'])
      expect(
        count((s) => s.outcomes.has(outcome)),
        outcome,
      ).toBeGreaterThan(50);
    expect(count((s) => s.closedOnReducedQuorum)).toBeGreaterThan(20);
    expect(count((s) => s.recusedAfterScoring)).toBeGreaterThan(20);
    expect(count((s) => s.allNaRefused)).toBeGreaterThan(20);
    expect(count((s) => s.legacyAllNa)).toBeGreaterThan(20);
    expect(count((s) => s.revisedAfterSeen)).toBeGreaterThan(20);
  });
});
