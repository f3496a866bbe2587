import { describe, expect, it } from 'vitest';
import { toRawSettings } from '../../src/domain/round-settings';
import { memoryRepos } from '../../src/store/memory-repos';
import { anonymiseApplication, anonymiseDue, anonymisePerson, confirmAnonymisation, pseudonymFor } from '../../src/usecases/anonymise';
import { updateRoundSettings } from '../../src/usecases/update-round-settings';
import { fixedClock } from '../fixtures';
import { retentionRound } from '../support/retention-round';
import { ACCOUNTHOUDER, applicantId } from '../support/rounds';

const depsOf = (repos: ReturnType<typeof memoryRepos>, at = new Date('2026-11-24T09:00:00Z')) => ({
  repos,
  clock: fixedClock(at),
  accounthouders: [ACCOUNTHOUDER],
  pseudonymSecret: 's',
});

describe('anonymisation rules', () => {
  it('only the accounthouder (or the clock) anonymises; anyone else changes nothing', async () => {
    const repos = memoryRepos();
    const { roundId, ids } = await retentionRound(repos);
    const deps = depsOf(repos);
    const before = repos.auditEvents.length;
    expect(await anonymiseApplication(deps, { actorId: applicantId(0), roundId, applicationId: ids[0]!, reason: 'accounthouder' })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await anonymisePerson(deps, { actorId: applicantId(0), personId: applicantId(0), reason: 'request' })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await confirmAnonymisation(deps, { actorId: applicantId(0), reference: 'LB-2026-001', scope: 'application' })).toEqual({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(repos.auditEvents.length).toBe(before);
    expect((await repos.applications.get(roundId, ids[0]!))!.value.fields.contactName).toBeDefined();
  });

  it('the pseudonym is stable per person and secret, and never the id', () => {
    const a = pseudonymFor({ pseudonymSecret: 'one' }, 'user-1');
    expect(a).toBe(pseudonymFor({ pseudonymSecret: 'one' }, 'user-1'));
    expect(a).not.toBe(pseudonymFor({ pseudonymSecret: 'two' }, 'user-1'));
    expect(a).not.toBe(pseudonymFor({ pseudonymSecret: 'one' }, 'user-2'));
    expect(a).not.toContain('user-1');
    expect(pseudonymFor({ pseudonymSecret: 'one' }, a)).toBe(a);
  });

  it('nothing is due before its term; a shorter term set later is audited and applies, and a longer one never brings anything back', async () => {
    const repos = memoryRepos();
    const { roundId } = await retentionRound(repos);
    expect((await anonymiseDue(depsOf(repos), { owner: 'x' })).anonymised).toBe(0);

    // One month for not awarded: the declined and the withdrawn application are due a month after the decision.
    const round = (await repos.rounds.get(roundId))!;
    const raw = { ...toRawSettings(round.value), retentionNotAwardedMonths: '1' };
    const saved = await updateRoundSettings(depsOf(repos), { actorId: ACCOUNTHOUDER, roundId, etag: round.etag, raw });
    expect(saved.ok).toBe(true);
    const audit = repos.auditEvents.filter((e) => e.action === 'round.updated').at(-1)!;
    expect(audit.details).toMatchObject({ fields: 'retention', retentionFrom: 'default', retentionTo: '1/12/7' });
    const later = depsOf(repos, new Date('2027-01-02T09:00:00Z'));
    expect((await anonymiseDue(later, { owner: 'x' })).anonymised).toBe(2);
    const declined = (await repos.applications.listByRound(roundId)).filter((a) => a.value.anonymisedAt).map((a) => a.value.status);
    expect(declined.sort()).toEqual(['declined', 'withdrawn']);

    // Back to 12 months: what was removed stays removed, nothing else is touched.
    const r2 = (await repos.rounds.get(roundId))!;
    await updateRoundSettings(later, { actorId: ACCOUNTHOUDER, roundId, etag: r2.etag, raw: { ...toRawSettings(r2.value), retentionNotAwardedMonths: '12' } });
    expect((await anonymiseDue(later, { owner: 'x' })).anonymised).toBe(0);
    expect((await repos.applications.listByRound(roundId)).filter((a) => a.value.anonymisedAt)).toHaveLength(2);
    expect((await repos.applications.listByRound(roundId)).find((a) => a.value.status === 'declined')!.value.fields.contactName).toBeUndefined();
  });
});
