import { describe, expect, it } from 'vitest';
import { auditEvent, GLOBAL } from '../../src/domain/audit';
import { consultationTermEnd, isPseudonym, pseudonymLabel } from '../../src/domain/retention';
import { memoryRepos } from '../../src/store/memory-repos';
import { anonymiseDue, pseudonymFor } from '../../src/usecases/anonymise';
import { fixedClock, NOW } from '../fixtures';
import { retentionRound } from '../support/retention-round';
import { ACCOUNTHOUDER, REVIEWER } from '../support/rounds';

const deps = (repos: ReturnType<typeof memoryRepos>, at: Date) => ({ repos, clock: fixedClock(at), accounthouders: [ACCOUNTHOUDER], pseudonymSecret: 's' });
const REASON = 'Mijn zoon zit in de jeugdhulp';
const PUBLISHED = '2026-03-10T10:00:00.000Z';

async function world() {
  const repos = memoryRepos();
  const built = await retentionRound(repos);
  const { roundId, round } = built;
  const started = await repos.consultations.start(
    {
      roundId,
      draft: round.criteria,
      closesAt: '2026-03-01T12:00:00.000Z',
      status: 'open',
      invited: [{ userId: REVIEWER, name: 'Rita de Vries', role: 'partner' }],
      unreachableNames: ['Henk Jansen'],
      startedBy: ACCOUNTHOUDER,
      startedAt: NOW.toISOString(),
    },
    auditEvent(roundId, ACCOUNTHOUDER, 'consultation.started', roundId, NOW),
  );
  if (!started.ok) throw new Error('consultation');
  await repos.consultations.update(
    started.value,
    { ...started.value.value, status: 'published', publishedAt: PUBLISHED },
    auditEvent(roundId, ACCOUNTHOUDER, 'consultation.published', roundId, NOW),
  );
  const [c1, c2] = round.criteria.items;
  await repos.consultations.saveResponse(
    roundId,
    {
      userId: REVIEWER,
      role: 'partner',
      perCriterion: { [c1!.id]: { kind: 'endorse' }, [c2!.id]: { kind: 'change', change: { description: 'Met de ouders', weight: 3 }, reason: REASON } },
      newCriteria: [],
      updatedAt: NOW.toISOString(),
    },
    undefined,
    auditEvent(roundId, REVIEWER, 'consultation.responded', roundId, NOW),
  );
  await repos.organisations.create(
    { id: 'org-1', name: 'Buurtnetwerk Noord', aliases: [], createdBy: REVIEWER, createdAt: NOW.toISOString(), source: 'accounthouder' },
    auditEvent(GLOBAL, REVIEWER, 'organisation.registered', 'org-1', NOW),
  );
  return { ...built, repos };
}

describe('terms of the kinds around applications', () => {
  it('consultation responses: texts and names go 12 months after publishing, what was endorsed and changed (the counts) stays; once', async () => {
    const { repos, roundId } = await world();
    const end = new Date(consultationTermEnd({ publishedAt: PUBLISHED })!);
    expect(end.toISOString()).toBe('2027-03-10T23:00:00.000Z');
    const before = await anonymiseDue(deps(repos, new Date(end.getTime() - 60_000)), { owner: 'a' });
    expect(before.consultationTexts).toBe(0);
    expect(JSON.stringify(await repos.consultations.state(roundId))).toContain(REASON);

    const at = await anonymiseDue(deps(repos, end), { owner: 'a' });
    expect(at.consultationTexts).toBe(2);
    const state = (await repos.consultations.state(roundId))!;
    const text = JSON.stringify(state);
    for (const v of [REASON, 'Met de ouders', 'Rita de Vries', 'Henk Jansen']) expect(text, v).not.toContain(v);
    const r = state.responses[0]!.value;
    expect(
      Object.values(r.perCriterion)
        .map((c) => c.kind)
        .sort(),
    ).toEqual(['change', 'endorse']);
    expect(Object.values(r.perCriterion).find((c) => c.kind === 'change')).toMatchObject({ change: { weight: 3 } });
    expect(state.consultation.value.invited).toEqual([{ userId: REVIEWER, role: 'partner' }]);

    const audit = repos.auditEvents.length;
    expect((await anonymiseDue(deps(repos, new Date(end.getTime() + 86_400_000)), { owner: 'a' })).consultationTexts).toBe(0);
    expect(repos.auditEvents.length).toBe(audit);
  });

  it("panel rows and the registry: at the round's people term names become labels and createdBy a pseudonym; not before", async () => {
    const { repos, roundId } = await world();
    await anonymiseDue(deps(repos, new Date('2027-12-01T09:00:00Z')), { owner: 'a' });
    expect((await repos.reviews.listPanel(roundId)).some((m) => m.name.startsWith('Anoniem'))).toBe(false);
    expect((await repos.organisations.get('org-1'))!.value.createdBy).toBe(REVIEWER);

    const res = await anonymiseDue(deps(repos, new Date('2029-01-02T09:00:00Z')), { owner: 'a' });
    const panel = await repos.reviews.listPanel(roundId);
    expect(panel.length).toBeGreaterThan(0);
    for (const m of panel) expect(m.name).toBe(pseudonymLabel(pseudonymFor({ pseudonymSecret: 's' }, m.userId)));
    expect(res.namesReplaced).toBeGreaterThanOrEqual(panel.length + 1);
    const createdBy = (await repos.organisations.get('org-1'))!.value.createdBy;
    expect(isPseudonym(createdBy)).toBe(true);
    expect(createdBy).toBe(pseudonymFor({ pseudonymSecret: 's' }, REVIEWER));
  });
});
