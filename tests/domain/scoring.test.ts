import { describe, expect, it } from 'vitest';
import type { Criterion } from '../../src/domain/criteria';
import {
  computeResult,
  countedSheets,
  effectiveQuorum,
  mayViewOthers,
  nextSheet,
  reviewOutcome,
  reviewProgress,
  reviewShouldClose,
  ScoreSheet,
  ScoreValue,
  SheetInput,
  sheetCounts,
  validateSheet,
} from '../../src/domain/scoring';
import { hasOrganisationConflict, PanelMember } from '../../src/domain/panel';
import { normaliseOrganisation, Organisation } from '../../src/domain/organisation';
import type { ApplicationFields, OrganisationLinks } from '../../src/domain/application';

const crit = (id: string, weight: number, minimum?: number, scaleMin = 1, scaleMax = 5): Criterion => ({
  id,
  title: id,
  description: '',
  weight,
  scaleMin,
  scaleMax,
  ...(minimum === undefined ? {} : { minimum }),
});
const sheet = (memberId: string, scores: Record<string, ScoreValue>): ScoreSheet => ({
  memberId,
  criteriaVersion: 1,
  scores,
  comments: {},
  overall: '',
  at: '',
});
const member = (userId: string, role: PanelMember['role'] = 'gemeente', organisation?: string, organisationId?: string): PanelMember => ({
  userId,
  mri: `29:${userId}`,
  name: userId,
  role,
  addedBy: 'x',
  addedAt: '',
  ...(organisation ? { organisation } : {}),
  ...(organisationId ? { organisationId } : {}),
});
const org = (id: string, name: string, aliases: string[] = []): Organisation => ({
  id,
  name,
  aliases,
  createdBy: 'boss',
  createdAt: '',
  source: 'accounthouder',
});

describe('computeResult', () => {
  const A = crit('a', 2);
  const B = crit('b', 1);

  it.each([
    // [description, criteria, sheets, quorum, expected]
    ['weighted mean: a counts double', [A, B], [sheet('m1', { a: 5, b: 1 })], 1, { overall: 0.67, overallOnScale: 3.67 }],
    ['means per criterion over members', [A, B], [sheet('m1', { a: 4, b: 2 }), sheet('m2', { a: 2, b: 4 })], 2, { overall: 0.5, overallOnScale: 3 }],
    // b's mean is 2 (not 1, as it would be if N/A counted as zero): (2×0.75 + 1×0.25) / 3 = 0.58, not 0.5.
    ['N/A is left out, never counted as 0', [A, B], [sheet('m1', { a: 4, b: 'na' }), sheet('m2', { a: 4, b: 2 })], 2, { overall: 0.58 }],
    ['a criterion nobody scored does not weigh', [A, B], [sheet('m1', { a: 5, b: 'na' })], 1, { overall: 1, overallOnScale: 5 }],
    ['nothing scored: no overall', [A, B], [sheet('m1', { a: 'na', b: 'na' })], 1, { overall: undefined }],
  ] as const)('%s', (_d, criteria, sheets, quorum, expected) => {
    const r = computeResult([...criteria], [...sheets], quorum);
    for (const [k, v] of Object.entries(expected)) expect(r[k as keyof typeof r]).toEqual(v);
  });

  it('reports N/A separately per criterion', () => {
    const r = computeResult([A, B], [sheet('m1', { a: 4, b: 'na' }), sheet('m2', { a: 4, b: 2 })], 2);
    expect(r.criteria[1]).toMatchObject({ mean: 2, scored: 1, notApplicable: 1 });
  });

  it.each([
    ['mean below the minimum knocks out', [sheet('m1', { k: 2 }), sheet('m2', { k: 3 })], true],
    ['mean at the minimum passes', [sheet('m1', { k: 3 }), sheet('m2', { k: 3 })], false],
    ['one low score among high ones does not knock out by itself', [sheet('m1', { k: 1 }), sheet('m2', { k: 5 }), sheet('m3', { k: 5 })], false],
    ['all N/A: no knock-out', [sheet('m1', { k: 'na' })], false],
  ] as const)('knock-out: %s', (_d, sheets, knocked) => {
    expect(computeResult([crit('k', 1, 3)], [...sheets], 1).knockedOut).toBe(knocked);
  });

  it.each([
    ['1 and 3 on 1–5: half the scale apart', [1, 3], true],
    ['2 and 3: close', [2, 3], false],
    ['one member: no disagreement', [1], false],
  ] as const)('spread: %s', (_d, values, flagged) => {
    const r = computeResult(
      [crit('s', 1)],
      values.map((v, i) => sheet(`m${i}`, { s: v })),
      1,
    );
    expect(r.criteria[0]!.disagreement).toBe(flagged);
  });

  it('normalises criteria on different scales before weighting', () => {
    const r = computeResult([crit('five', 1, undefined, 1, 5), crit('ten', 1, undefined, 0, 10)], [sheet('m', { five: 5, ten: 0 })], 1);
    expect(r.overall).toBe(0.5);
    expect(r.overallOnScale).toBeUndefined();
  });

  it.each([
    [2, 1, false],
    [2, 2, true],
    [3, 2, false],
  ] as const)('quorum %i with %i sheets met: %s', (quorum, n, met) => {
    expect(
      computeResult(
        [A],
        Array.from({ length: n }, (_, i) => sheet(`m${i}`, { a: 3 })),
        quorum,
      ).quorumMet,
    ).toBe(met);
  });
});

describe('validateSheet', () => {
  const criteria = [crit('a', 1), crit('b', 1)];
  it('accepts scores on the scale and n.v.t.', () => {
    expect(validateSheet(criteria, { score_a: '5', score_b: 'na', comment_a: ' goed ' })).toEqual({
      ok: true,
      value: { scores: { a: 5, b: 'na' }, comments: { a: 'goed' }, overall: '' },
    });
  });
  it.each([
    [{ score_a: '6', score_b: '1' }, 'score_a', 'outOfScale'],
    [{ score_a: '0', score_b: '1' }, 'score_a', 'outOfScale'],
    [{ score_a: '2.5', score_b: '1' }, 'score_a', 'outOfScale'],
    [{ score_a: '3' }, 'score_b', 'required'],
    [{ score_a: '3', score_b: '3', overall: 'x'.repeat(2001) }, 'overall', 'tooLong'],
    // n.v.t. everywhere is no judgement: refused on the first criterion's score.
    [{ score_a: 'na', score_b: 'na' }, 'score_a', 'allNotApplicable'],
  ])('refuses %j', (raw, field, code) => {
    const r = validateSheet(criteria, raw);
    expect(!r.ok && r.error[field]).toBe(code);
  });
});

describe('recusal and progress', () => {
  it('matches organisations as people write them', () => {
    expect(normaliseOrganisation('Stichting Buurtkracht Zwolle')).toBe('buurtkracht zwolle');
    expect(hasOrganisationConflict(member('s', 'partner', 'Buurtkracht Zwolle'), { organisation: 'Stichting Buurtkracht Zwolle' })).toBe(true);
    expect(hasOrganisationConflict(member('s', 'partner', 'Sportbedrijf Zwolle'), { organisation: 'X', coApplicants: ['sportbedrijf zwolle'] })).toBe(true);
    expect(hasOrganisationConflict(member('s', 'partner', 'Sportbedrijf'), { organisation: 'Sportbedrijf Zwolle' })).toBe(false);
    expect(hasOrganisationConflict(member('g'), { organisation: 'Gemeente Zwolle' })).toBe(false);
  });

  it('recused members do not count toward quorum or closing', () => {
    const panel = [member('g'), member('p', 'partner', 'Buurtkracht'), member('e', 'ervaringsdeskundige'), member('d')];
    const fields = { organisation: 'Stichting Buurtkracht' };
    const declared = [{ memberId: 'd', reason: 'declared' as const, note: 'familie', at: '' }];
    const sheets = [sheet('g', { a: 3 }), sheet('p', { a: 5 }), sheet('e', { a: 4 })];
    const progress = reviewProgress(panel, fields, declared, sheets);
    expect(progress.eligible.map((m) => m.userId)).toEqual(['g', 'e']);
    expect(progress.recused.map((r) => [r.member.userId, r.recusal.reason])).toEqual([
      ['p', 'organisation'],
      ['d', 'declared'],
    ]);
    expect(countedSheets(progress, sheets).map((s) => s.memberId)).toEqual(['g', 'e']);
    const deadline = '2026-12-01T16:00:00Z';
    expect(reviewShouldClose(progress, 2, new Date('2026-11-30T00:00:00Z'), deadline)).toBe(true);
    // A quorum of 3 with 2 members who may judge is 2 (reachable quorum): both scored, so it closes (it used to wait forever).
    expect(reviewShouldClose(progress, 3, new Date('2026-11-30T00:00:00Z'), deadline)).toBe(true);
    expect(reviewShouldClose(progress, 3, new Date('2026-12-02T00:00:00Z'), deadline)).toBe(true);
  });

  it('closes at the deadline with quorum even when not everybody scored', () => {
    const panel = [member('a'), member('b'), member('c')];
    // Real scores: a sheet without one does not count (it used to be given as an empty sheet here).
    const progress = reviewProgress(panel, {}, [], [sheet('a', { a: 3 }), sheet('b', { a: 4 })]);
    expect(reviewShouldClose(progress, 2, new Date('2026-11-30T00:00:00Z'), '2026-12-01T16:00:00Z')).toBe(false);
    expect(reviewShouldClose(progress, 2, new Date('2026-12-01T16:00:01Z'), '2026-12-01T16:00:00Z')).toBe(true);
  });
});

describe('recusal by organisation id', () => {
  const BK = 'org-00000000000b';
  const SP = 'org-00000000000s';
  const registry = [org(BK, 'Stichting Buurtkracht Zwolle'), org(SP, 'Sportbedrijf Zwolle', ['SBZ'])];

  it.each<[string, PanelMember, ApplicationFields & OrganisationLinks, Organisation[] | undefined, boolean]>([
    // [description, member, application fields, registry?, recused]
    ['the same id, whatever the names say', member('p', 'partner', 'BK', BK), { organisation: 'Iets heel anders', organisationId: BK }, undefined, true],
    [
      'a co-applicant’s id',
      member('p', 'partner', undefined, SP),
      { organisation: 'X', organisationId: BK, coApplicants: ['Y'], coApplicantIds: [SP] },
      undefined,
      true,
    ],
    [
      'different ids decide, even when the typed names are alike',
      member('p', 'partner', 'Sportbedrijf Zwolle', SP),
      { organisation: 'Sportbedrijf Zwolle', organisationId: BK },
      registry,
      false,
    ],
    // The issue: "Buurtkracht" vs "Stichting Buurtkracht Zwolle" — the registry knows they are one.
    [
      'no ids: the registry resolves both names to one entry',
      member('p', 'partner', 'Buurtkracht'),
      { organisation: 'Stichting Buurtkracht Zwolle' },
      registry,
      true,
    ],
    [
      'no ids, no registry: as before, names differ so no recusal',
      member('p', 'partner', 'Buurtkracht'),
      { organisation: 'Stichting Buurtkracht Zwolle' },
      undefined,
      false,
    ],
    ['member linked, application not: its name resolved', member('p', 'partner', undefined, SP), { organisation: 'SBZ' }, registry, true],
    [
      'application linked, member not: the member’s name resolved',
      member('p', 'partner', 'Buurtkracht'),
      { organisation: 'whatever', organisationId: BK },
      registry,
      true,
    ],
    [
      'one side linked and no registry: the names still decide as before',
      member('p', 'partner', 'Buurtkracht Zwolle', BK),
      { organisation: 'Stichting Buurtkracht Zwolle' },
      undefined,
      true,
    ],
    ['a co-applicant by name without ids', member('p', 'partner', 'SBZ'), { organisation: 'X', coApplicants: ['Sportbedrijf Zwolle'] }, registry, true],
    [
      'co-applicant ids pair with the names: the second name has no id and is matched by name',
      member('p', 'partner', 'De Kern'),
      { organisation: 'X', coApplicants: ['Sportbedrijf', 'Vereniging De Kern'], coApplicantIds: [SP] },
      registry,
      true,
    ],
    ['an unrelated member', member('p', 'partner', 'De Kern'), { organisation: 'Stichting Buurtkracht Zwolle', organisationId: BK }, registry, false],
    ['no organisation at all', member('g'), { organisation: 'Gemeente Zwolle', organisationId: BK }, registry, false],
  ])('%s', (_d, m, fields, reg, recused) => {
    expect(hasOrganisationConflict(m, fields, reg)).toBe(recused);
  });

  it('a name the registry cannot tell apart recuses for each candidate', () => {
    const kampen = org('org-00000000000k', 'Buurtkracht Kampen');
    expect(hasOrganisationConflict(member('p', 'partner', 'Buurtkracht'), { organisation: 'x', organisationId: BK }, [...registry, kampen])).toBe(true);
  });

  it('reviewProgress takes the registry', () => {
    const panel = [member('g'), member('p', 'partner', 'Buurtkracht')];
    const fields = { organisation: 'Stichting Buurtkracht Zwolle' };
    expect(reviewProgress(panel, fields, [], [], registry).recused.map((r) => [r.member.userId, r.recusal.reason])).toEqual([['p', 'organisation']]);
    expect(reviewProgress(panel, fields, [], []).recused).toEqual([]);
  });
});

describe('a sheet counts only with a real score', () => {
  it.each([
    [{ a: 3 }, true],
    [{ a: 'na', b: 1 }, true],
    [{ a: 'na', b: 'na' }, false],
    [{}, false],
  ] as const)('%j counts: %s', (scores, counts) => {
    expect(sheetCounts({ scores })).toBe(counts);
    expect(mayViewOthers(sheet('m', { ...scores }))).toBe(counts);
  });

  it('nobody without a sheet may view the others', () => {
    expect(mayViewOthers(undefined)).toBe(false);
  });

  it('an old all-n.v.t. sheet is not scored: not in progress, not counted, no quorum', () => {
    const panel = [member('a'), member('b')];
    const sheets = [sheet('a', { a: 'na' }), sheet('b', { a: 4 })];
    const progress = reviewProgress(panel, {}, [], sheets);
    expect(progress.scored.map((m) => m.userId)).toEqual(['b']);
    expect(progress.unscored.map((m) => m.userId)).toEqual(['a']);
    expect(countedSheets(progress, sheets).map((s) => s.memberId)).toEqual(['b']);
    expect(reviewOutcome(progress, 2, new Date('2026-11-30T00:00:00Z'), '2026-12-01T16:00:00Z')).toBe('open');
  });
});

describe('reachable quorum and the review outcome', () => {
  it.each([
    [3, 5, 3],
    [3, 2, 2],
    [3, 0, 0],
    [1, 1, 1],
  ])('quorum %i with %i eligible is %i', (quorum, eligible, effective) => {
    expect(effectiveQuorum(quorum, eligible)).toBe(effective);
  });

  it('the result carries the effective and the configured quorum', () => {
    const A = crit('a', 1);
    const two = [sheet('m1', { a: 3 }), sheet('m2', { a: 4 })];
    expect(computeResult([A], two, 3, 2)).toMatchObject({ quorum: 2, configuredQuorum: 3, quorumMet: true, sheets: 2 });
    expect(computeResult([A], two, 3)).toMatchObject({ quorum: 3, configuredQuorum: 3, quorumMet: false });
    // Nobody may judge: no quorum, no result to show.
    expect(computeResult([A], [], 3, 0)).toMatchObject({ quorum: 0, quorumMet: false });
  });

  const before = new Date('2026-11-30T00:00:00Z');
  const after = new Date('2026-12-01T16:00:01Z');
  const deadline = '2026-12-01T16:00:00Z';
  const scored = (id: string) => sheet(id, { a: 3 });

  it.each([
    // [description, panel size, recused, sheets from, quorum, now, outcome]
    ['waiting for scores before the deadline', 3, [], ['a'], 2, before, 'open'],
    ['quorum met, not everybody scored, before the deadline', 3, [], ['a', 'b'], 2, before, 'open'],
    ['everybody scored', 3, [], ['a', 'b', 'c'], 2, before, 'close'],
    ['quorum met at the deadline', 3, [], ['a', 'b'], 2, after, 'close'],
    ['deadline passed without quorum: stuck', 3, [], ['a'], 2, after, 'stuck'],
    ['recusals leave 2 of a quorum of 3, both scored: close', 4, ['c', 'd'], ['a', 'b'], 3, before, 'close'],
    ['recusals leave 2 of a quorum of 3, one scored, deadline passed: stuck', 4, ['c', 'd'], ['a'], 3, after, 'stuck'],
    ['everybody recused: stuck at once', 2, ['a', 'b'], ['a'], 1, before, 'stuck'],
    ['nobody on the panel: stuck', 0, [], [], 1, before, 'stuck'],
  ] as const)('%s', (_d, size, recused, from, quorum, now, outcome) => {
    const panel = ['a', 'b', 'c', 'd'].slice(0, size).map((id) => member(id));
    const declared = recused.map((memberId) => ({ memberId, reason: 'declared' as const, at: '' }));
    const progress = reviewProgress(panel, {}, declared, from.map(scored));
    expect(reviewOutcome(progress, quorum, now, deadline)).toBe(outcome);
    expect(reviewShouldClose(progress, quorum, now, deadline)).toBe(outcome === 'close');
  });
});

describe('nextSheet: when a member could see the others, and what changed after', () => {
  const input = (scores: Record<string, ScoreValue>, comment = ''): SheetInput => ({
    memberId: 'm',
    criteriaVersion: 1,
    scores,
    comments: comment ? { a: comment } : {},
    overall: '',
  });
  const t = (minute: number) => new Date(Date.UTC(2026, 10, 20, 10, minute));

  it('the first save that counts sets firstCountedAt; later saves keep it', () => {
    const first = nextSheet(undefined, input({ a: 3, b: 'na' }), t(0));
    expect(first).toMatchObject({ at: t(0).toISOString(), firstCountedAt: t(0).toISOString(), revisedAfterSeen: 0 });
    const second = nextSheet(first, input({ a: 4, b: 'na' }), t(5));
    expect(second).toMatchObject({ at: t(5).toISOString(), firstCountedAt: t(0).toISOString(), revisedAfterSeen: 1 });
    expect(nextSheet(second, input({ a: 4, b: 2 }), t(9)).revisedAfterSeen).toBe(2);
  });

  it('the same scores again, or only a comment changed, is no revision', () => {
    const first = nextSheet(undefined, input({ a: 3 }), t(0));
    expect(nextSheet(first, input({ a: 3 }), t(1)).revisedAfterSeen).toBe(0);
    expect(nextSheet(first, input({ a: 3 }, 'toch goed'), t(2)).revisedAfterSeen).toBe(0);
  });

  it('a sheet that did not count yet: its first real score is no revision', () => {
    const na = nextSheet(undefined, input({ a: 'na' }), t(0));
    expect(na.firstCountedAt).toBeUndefined();
    expect(nextSheet(na, input({ a: 2 }), t(3))).toMatchObject({ firstCountedAt: t(3).toISOString(), revisedAfterSeen: 0 });
  });

  it('an old sheet without the fields that counted is taken to have counted since it was saved', () => {
    const old = sheet('m', { a: 3 });
    old.at = t(0).toISOString();
    expect(nextSheet(old, input({ a: 5 }), t(7))).toMatchObject({ firstCountedAt: t(0).toISOString(), revisedAfterSeen: 1 });
  });
});
