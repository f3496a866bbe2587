import { describe, expect, it } from 'vitest';
import { Candidate, decide, fingerprint, propose, rank } from '../../src/domain/allocation';

let seq = 0;
const c = (requested: number, score: number | undefined, extra: Partial<Candidate> = {}): Candidate => {
  seq++;
  return {
    applicationId: `a${seq}`,
    reference: `LB-2026-${String(seq).padStart(3, '0')}`,
    title: `T${seq}`,
    organisation: `Org ${seq}`,
    wijk: 'Holtenbroek',
    requested,
    score,
    knockedOut: false,
    submittedAt: `2026-11-${String(seq).padStart(2, '0')}T10:00:00Z`,
    ...extra,
  };
};
const settings = { budget: 50_000, spent: 0, allowPartial: true, concentrationLimit: 0.4 };
const proposed = (p: ReturnType<typeof propose>) => p.lines.map((l) => [l.reference.slice(-3), l.proposed, l.excluded ?? (l.partial ? 'partial' : '')]);

describe('propose', () => {
  it.each([
    [
      'in rank order, best first',
      [c(10_000, 0.5), c(10_000, 0.9), c(10_000, 0.7)],
      settings,
      [
        [10_000, ''],
        [10_000, ''],
        [10_000, ''],
      ],
      20_000,
    ],
    [
      'budget exactly used',
      [c(20_000, 0.9), c(30_000, 0.8)],
      settings,
      [
        [20_000, ''],
        [30_000, ''],
      ],
      0,
    ],
    [
      'the first that does not fit gets the rest (partial)',
      [c(30_000, 0.9), c(30_000, 0.8), c(5_000, 0.7)],
      settings,
      [
        [30_000, ''],
        [20_000, 'partial'],
        [0, 'budget'],
      ],
      0,
    ],
    [
      'without partial awards it passes to the next that fits',
      [c(30_000, 0.9), c(30_000, 0.8), c(5_000, 0.7)],
      { ...settings, allowPartial: false },
      [
        [30_000, ''],
        [0, 'budget'],
        [5_000, ''],
      ],
      15_000,
    ],
    [
      'knock-outs are excluded whatever their score',
      [c(10_000, 0.95, { knockedOut: true }), c(10_000, 0.5)],
      settings,
      [
        [0, 'knockout'],
        [10_000, ''],
      ],
      40_000,
    ],
    ['nothing to allocate', [], settings, [], 50_000],
    [
      'rolling: only what is left of the budget',
      [c(15_000, 0.9), c(15_000, 0.8)],
      { ...settings, spent: 40_000 },
      [
        [10_000, 'partial'],
        [0, 'budget'],
      ],
      0,
    ],
    ['unscored applications wait', [c(10_000, undefined)], settings, [[0, 'unscored']], 50_000],
  ] as const)('%s', (_name, candidates, s, expected, remaining) => {
    const p = propose([...candidates], s);
    expect(p.lines.map((l) => [l.proposed, l.excluded ?? (l.partial ? 'partial' : '')])).toEqual(expected.map((e) => [...e]));
    expect(p.remaining).toBe(remaining);
    expect(p.proposedTotal + p.spent + p.remaining).toBe(p.budget);
  });

  it('ties: equal scores go to who submitted first, then the reference', () => {
    const late = c(1000, 0.8, { submittedAt: '2026-11-20T10:00:00Z', reference: 'LB-2026-001' });
    const early = c(1000, 0.8, { submittedAt: '2026-11-10T10:00:00Z', reference: 'LB-2026-009' });
    const sameTimeB = c(1000, 0.8, { submittedAt: '2026-11-10T10:00:00Z', reference: 'LB-2026-010' });
    expect(rank([late, sameTimeB, early]).map((x) => x.reference)).toEqual(['LB-2026-009', 'LB-2026-010', 'LB-2026-001']);
  });

  it('shares per organisation (names as people write them) and wijk, with a concentration warning above the limit', () => {
    const p = propose(
      [
        c(15_000, 0.9, { organisation: 'Stichting Buurtkracht' }),
        c(10_000, 0.8, { organisation: 'Buurtkracht', wijk: 'Assendorp' }),
        c(5_000, 0.7, { organisation: 'Taalhuis' }),
      ],
      settings,
      [{ organisation: 'buurtkracht', wijk: 'Assendorp', amount: 1_000 }],
    );
    expect(p.byOrganisation.map((s) => [s.amount, s.share])).toEqual([
      [26_000, 0.52],
      [5_000, 0.1],
    ]);
    expect(p.byWijk.map((s) => [s.name, s.amount])).toEqual([
      ['Holtenbroek', 20_000],
      ['Assendorp', 11_000],
    ]);
    expect(p.concentration).toHaveLength(1);
    expect(propose([c(15_000, 0.9)], settings).concentration).toEqual([]);
  });

  it('shares count by registry id when linked: "Buurtkracht" and "Stichting Buurtkracht Zwolle" on one entry are one organisation', () => {
    const id = 'org-0000000000b1';
    const linked = propose(
      [
        c(12_000, 0.9, { organisation: 'Buurtkracht', organisationId: id }),
        c(10_000, 0.8, { organisation: 'Stichting Buurtkracht Zwolle', organisationId: id }),
        c(9_000, 0.7, { organisation: 'Taalhuis' }),
      ],
      settings,
      [{ organisation: 'Buurtkracht Zwolle', organisationId: id, wijk: 'Assendorp', amount: 1_000 }],
    );
    // The earlier award comes first: its name is the group's display name.
    expect(linked.byOrganisation.map((s) => [s.name, s.amount])).toEqual([
      ['Buurtkracht Zwolle', 23_000],
      ['Taalhuis', 9_000],
    ]);
    expect(linked.concentration.map((s) => s.name)).toEqual(['Buurtkracht Zwolle']);
    expect(linked.lines.map((l) => l.organisationId)).toEqual([id, id, undefined]);

    // Without ids the names decide as before: "buurtkracht" and "buurtkracht zwolle" are two, and neither passes 40%.
    const unlinked = propose(
      [
        c(12_000, 0.9, { organisation: 'Buurtkracht' }),
        c(10_000, 0.8, { organisation: 'Stichting Buurtkracht Zwolle' }),
        c(9_000, 0.7, { organisation: 'Taalhuis' }),
      ],
      settings,
    );
    expect(unlinked.byOrganisation.map((s) => s.amount)).toEqual([12_000, 10_000, 9_000]);
    expect(unlinked.concentration).toEqual([]);

    // Two entries with the same typed name are two organisations.
    const twoEntries = propose(
      [
        c(12_000, 0.9, { organisation: 'Buurtkracht', organisationId: 'org-0000000000b1' }),
        c(12_000, 0.8, { organisation: 'Buurtkracht', organisationId: 'org-0000000000b2' }),
      ],
      settings,
    );
    expect(twoEntries.byOrganisation).toHaveLength(2);
  });

  it('the fingerprint changes with anything the decision depends on', () => {
    const a = c(10_000, 0.9);
    const b = c(10_000, 0.8);
    const f = fingerprint(propose([a, b], settings));
    expect(fingerprint(propose([a, b], settings))).toBe(f);
    expect(fingerprint(propose([a], settings))).not.toBe(f);
    expect(fingerprint(propose([a, b], { ...settings, spent: 1 }))).not.toBe(f);
    expect(fingerprint(propose([a, { ...b, requested: 9_000 }], settings))).not.toBe(f);
  });
});

describe('decide', () => {
  const p = () => propose([c(30_000, 0.9), c(30_000, 0.8), c(5_000, 0.2, { knockedOut: true })], settings);

  it('takes the proposal as it is, knock-outs declined', () => {
    const d = decide(p(), {});
    expect(d.ok && d.lines.map((l) => [l.outcome, l.awarded])).toEqual([
      ['awarded', 30_000],
      ['partial', 20_000],
      ['declined', 0],
    ]);
    expect(d.ok && d.total).toBe(50_000);
  });

  it('lowers and declines single lines; the freed money may go to a passed-over one', () => {
    const prop = p();
    const [first, second] = prop.lines;
    const d = decide(prop, { [first!.applicationId]: { amount: 25_000 }, [second!.applicationId]: { decline: true } });
    expect(d.ok && d.lines.map((l) => [l.outcome, l.awarded])).toEqual([
      ['partial', 25_000],
      ['declined', 0],
      ['declined', 0],
    ]);
  });

  it.each([
    ['above the requested amount', (id: string) => ({ [id]: { amount: 30_001 } }), 'ABOVE_REQUESTED'],
    ['cents', (id: string) => ({ [id]: { amount: 10.5 } }), 'NOT_WHOLE_EUROS'],
    ['negative', (id: string) => ({ [id]: { amount: -1 } }), 'NOT_WHOLE_EUROS'],
  ] as const)('refuses %s', (_n, adj, code) => {
    const prop = p();
    const d = decide(prop, adj(prop.lines[0]!.applicationId));
    expect(d.ok || d.error.code).toBe(code);
  });

  it('never more than the budget left', () => {
    const prop = propose([c(30_000, 0.9), c(30_000, 0.8)], settings);
    const d = decide(prop, { [prop.lines[1]!.applicationId]: { amount: 30_000 } });
    expect(d.ok || d.error).toEqual({ code: 'OVER_BUDGET', total: 60_000, available: 50_000 });
  });
});
