import { describe, expect, it } from 'vitest';
import { reviewChannelFor } from '../../src/domain/round';
import { memoryRepos } from '../../src/store/memory-repos';
import { linkReviewChannel } from '../../src/usecases/link-review-channel';
import { addPanelMember, removePanelMember } from '../../src/usecases/manage-panel';
import { addAccounthouder, isAccounthouder } from '../../src/usecases/roles';
import { seedDemoRound } from '../../src/usecases/seed-demo-round';
import { fixedClock } from '../fixtures';

const BOSS = '00000000-0000-4000-8000-0000000000b0';
const channel = (id: string) => ({ teamId: 'team', channelId: id, serviceUrl: 'http://x', tenantId: 't', botId: 'bot' });

async function setup() {
  const deps = { repos: memoryRepos(), clock: fixedClock(), accounthouders: [BOSS] };
  await seedDemoRound(deps);
  return deps;
}

describe('roles', () => {
  it('accounthouders come from config or the store; only they can add others', async () => {
    const deps = await setup();
    expect(await isAccounthouder(deps, BOSS)).toBe(true);
    expect(await addAccounthouder(deps, { actorId: 'nobody', userId: 'x', name: 'X' })).toEqual({ ok: false, code: 'FORBIDDEN' });
    expect(await isAccounthouder(deps, 'x')).toBe(false);
    expect(await addAccounthouder(deps, { actorId: BOSS, userId: 'x', name: 'X' })).toEqual({ ok: true });
    expect(await isAccounthouder(deps, 'x')).toBe(true);
    expect(deps.repos.auditEvents.some((e) => e.action === 'role.accounthouder-added' && e.subjectId === 'x')).toBe(true);
  });
});

describe('linking review channels', () => {
  it('routes to the default channel, or to the channel of the wijk', async () => {
    const deps = await setup();
    expect(await linkReviewChannel(deps, { actorId: 'nobody', channel: channel('c0') })).toEqual({ ok: false, error: { code: 'FORBIDDEN' } });
    expect((await linkReviewChannel(deps, { actorId: BOSS, channel: channel('c1') })).ok).toBe(true);
    expect((await linkReviewChannel(deps, { actorId: BOSS, channel: channel('c2'), wijk: 'holtenbroek' })).ok).toBe(true);
    const unknown = await linkReviewChannel(deps, { actorId: BOSS, channel: channel('c3'), wijk: 'Amsterdam' });
    expect(unknown.ok || unknown.error.code).toBe('UNKNOWN_WIJK');
    const round = (await deps.repos.rounds.list())[0]!;
    expect(reviewChannelFor(round, 'Holtenbroek')?.channelId).toBe('c2');
    expect(reviewChannelFor(round, 'Stadshagen')?.channelId).toBe('c1');
    expect(deps.repos.auditEvents.filter((e) => e.action === 'round.channel-linked')).toHaveLength(2);
  });
});

describe('the panel', () => {
  const person = (i: number) => ({ userId: `00000000-0000-4000-8000-0000000002${String(i).padStart(2, '0')}`, mri: `29:p${i}`, name: `P${i}` });

  it('only an accounthouder manages it; partners need their organisation', async () => {
    const deps = await setup();
    expect(await addPanelMember(deps, { actorId: 'nobody', person: person(1), role: 'gemeente' })).toEqual({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await addPanelMember(deps, { actorId: BOSS, person: person(1), role: 'partner' })).toEqual({ ok: false, error: { code: 'ORGANISATION_REQUIRED' } });
    const ok = await addPanelMember(deps, { actorId: BOSS, person: person(1), role: 'partner', organisation: ' Travers Welzijn ' });
    expect(ok.ok && ok.value.members).toMatchObject([{ name: 'P1', role: 'partner', organisation: 'Travers Welzijn' }]);
    const removed = await removePanelMember(deps, { actorId: BOSS, userId: person(1).userId });
    expect(removed.ok && removed.value.members).toEqual([]);
    expect(deps.repos.auditEvents.map((e) => e.action)).toEqual(expect.arrayContaining(['panel.member-added', 'panel.member-removed']));
  });

  it('holds at most 60 members: the refresh list of a Teams card', async () => {
    const deps = await setup();
    for (let i = 0; i < 60; i++) expect((await addPanelMember(deps, { actorId: BOSS, person: person(i), role: 'gemeente' })).ok).toBe(true);
    expect(await addPanelMember(deps, { actorId: BOSS, person: person(60), role: 'gemeente' })).toEqual({ ok: false, error: { code: 'PANEL_FULL' } });
    expect((await addPanelMember(deps, { actorId: BOSS, person: person(5), role: 'ervaringsdeskundige' })).ok).toBe(true);
  });
});
