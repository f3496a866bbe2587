import { describe, expect, it } from 'vitest';
import { defaultCriteria } from '../../src/domain/criteria';
import {
  ConsultationResponse,
  consultationRoleOf,
  finalSet,
  participation,
  planInvitations,
  proposalsOf,
  registeredApplicantsOf,
  tally,
} from '../../src/domain/consultation';

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
  { userId: 'x1', role: 'onbekend', perCriterion: { integraal: { kind: 'endorse' } }, newCriteria: [], updatedAt: at(4) },
];

describe('consultation', () => {
  it('tallies endorsements by role and collects the proposals per criterion', () => {
    const t = tally(draft, responses);
    expect(t.find((x) => x.criterionId === 'integraal')?.endorsements).toEqual({ partner: 1, ervaringsdeskundige: 1, gemeente: 0, onbekend: 1 });
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
    const p = participation(
      [{ role: 'partner' }, { role: 'partner' }, { role: 'ervaringsdeskundige' }, { role: 'gemeente' }, { role: 'onbekend' }],
      responses,
      proposals,
      { 'p1|regie': { accepted: false, reply: 'Nee.', decidedBy: 'a', decidedAt: at(5) } },
    );
    expect(p).toEqual({
      invited: { partner: 2, ervaringsdeskundige: 1, gemeente: 1, onbekend: 1 },
      responded: { partner: 1, ervaringsdeskundige: 1, gemeente: 1, onbekend: 1 },
      proposals: 2,
      accepted: 0,
      rejected: 1,
    });
  });

  it('a role from the store: the panel role first, then partner of a registered organisation, else unknown (ids in any case)', () => {
    const facts = {
      panel: new Map([
        ['g1', 'gemeente' as const],
        ['p1', 'partner' as const],
      ]),
      registeredApplicants: registeredApplicantsOf(
        [
          { applicantId: 'G1', fields: { organisationId: 'org-000000000001' } },
          { applicantId: 'A1', fields: { organisationId: 'org-000000000001' } },
          { applicantId: 'a2', fields: { organisationId: 'org-00000000dead' } },
          { applicantId: 'a3', fields: {} },
        ],
        new Set(['org-000000000001']),
      ),
    };
    expect(['G1', 'p1', 'a1', 'A2', 'a3', 'nobody'].map((u) => consultationRoleOf(u, facts))).toEqual([
      'gemeente',
      'partner',
      'partner',
      'onbekend',
      'onbekend',
      'onbekend',
    ]);
  });

  it('plans invitations: everyone once, sorted, reachable only with a chat; panel only on request', () => {
    const facts = {
      panel: new Map([
        ['m1', 'ervaringsdeskundige' as const],
        ['m2', 'partner' as const],
      ]),
      registeredApplicants: new Set(['a1', 'a2']),
    };
    expect(planInvitations({ audience: 'everyone', facts, withConversation: ['z9', 'M1', 'a1', 'a1'] })).toEqual({
      invited: [
        { userId: 'a1', role: 'partner' },
        { userId: 'm1', role: 'ervaringsdeskundige' },
        { userId: 'z9', role: 'onbekend' },
      ],
      notReached: { noConversation: 2 },
      unreachable: ['a2', 'm2'],
    });
    expect(planInvitations({ audience: 'panel', facts, withConversation: ['z9', 'm1'] })).toEqual({
      invited: [{ userId: 'm1', role: 'ervaringsdeskundige' }],
      notReached: { noConversation: 1 },
      unreachable: ['m2'],
    });
    expect(planInvitations({ audience: 'panel', facts: { panel: new Map(), registeredApplicants: new Set() }, withConversation: [] })).toEqual({
      invited: [],
      notReached: {},
      unreachable: [],
    });
    // A roster address reaches a panel member without a chat; it invites nobody to 'everyone' on its own.
    expect(planInvitations({ audience: 'everyone', facts, withConversation: ['a1'], withAddress: ['M2', 'x7'] })).toEqual({
      invited: [
        { userId: 'a1', role: 'partner' },
        { userId: 'm2', role: 'partner' },
      ],
      notReached: { noConversation: 2 },
      unreachable: ['a2', 'm1'],
    });
  });
});
