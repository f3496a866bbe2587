import { describe, expect, it } from 'vitest';
import { defaultCriteria } from '../../src/domain/criteria';
import { ConsultationResponse, finalSet, participation, proposalsOf, tally } from '../../src/domain/consultation';

const draft = defaultCriteria();
const at = (m: number) => `2026-11-23T10:${String(m).padStart(2, '0')}:00Z`;
const responses: ConsultationResponse[] = [
  {
    userId: 'p1',
    role: 'partner',
    perCriterion: { integraal: { kind: 'endorse' }, regie: { kind: 'change', change: { weight: 2 }, reason: 'Regie is de kern.' } },
    newCriteria: [],
    updatedAt: at(1),
  },
  {
    userId: 'e1',
    role: 'ervaringsdeskundige',
    perCriterion: { integraal: { kind: 'endorse' } },
    newCriteria: [
      { title: 'Jongeren praten mee', description: 'Jongeren zelf zijn betrokken bij de opzet.', weight: 1, reason: 'Niet over maar met jongeren.' },
    ],
    updatedAt: at(2),
  },
  { userId: 'g1', role: 'gemeente', perCriterion: { regie: { kind: 'endorse' } }, newCriteria: [], updatedAt: at(3) },
];

describe('consultation', () => {
  it('tallies endorsements by role and collects the proposals per criterion', () => {
    const t = tally(draft, responses);
    expect(t.find((x) => x.criterionId === 'integraal')?.endorsements).toEqual({ partner: 1, ervaringsdeskundige: 1, gemeente: 0 });
    expect(t.find((x) => x.criterionId === 'regie')?.proposals.map((p) => p.reason)).toEqual(['Regie is de kern.']);
    expect(proposalsOf(responses).map((p) => p.id)).toEqual(['p1|regie', 'e1|new|0']);
  });

  it('publishes the draft with accepted changes and new criteria as the next version; rejected ones change nothing', () => {
    const decisions = {
      'p1|regie': { accepted: true, reply: 'Eens.', decidedBy: 'a', decidedAt: at(5) },
      'e1|new|0': { accepted: true, reply: 'Goed punt.', decidedBy: 'a', decidedAt: at(6) },
    };
    const { set, changes } = finalSet(draft, proposalsOf(responses), decisions);
    expect(set.version).toBe(draft.version + 1);
    expect(set.items.find((c) => c.id === 'regie')?.weight).toBe(2);
    expect(set.items.at(-1)).toMatchObject({ id: 'jongeren-praten-mee', title: 'Jongeren praten mee', scaleMin: 1, scaleMax: 5 });
    expect(changes.map((c) => c.kind)).toEqual(['changed', 'added']);
    const none = finalSet(draft, proposalsOf(responses), { 'p1|regie': { accepted: false, reply: 'Nee.', decidedBy: 'a', decidedAt: at(5) } });
    expect(none.set.items).toEqual(draft.items);
    expect(draft.items.find((c) => c.id === 'regie')?.weight).toBe(1);
  });

  it('reports participation by role and what changed', () => {
    const proposals = proposalsOf(responses);
    const p = participation([{ role: 'partner' }, { role: 'partner' }, { role: 'ervaringsdeskundige' }, { role: 'gemeente' }], responses, proposals, {
      'p1|regie': { accepted: false, reply: 'Nee.', decidedBy: 'a', decidedAt: at(5) },
    });
    expect(p).toEqual({
      invited: { partner: 2, ervaringsdeskundige: 1, gemeente: 1 },
      responded: { partner: 1, ervaringsdeskundige: 1, gemeente: 1 },
      proposals: 2,
      accepted: 0,
      rejected: 1,
    });
  });
});
