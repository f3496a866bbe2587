import { expect } from 'vitest';
import { systemClock } from '../../src/clock';
import type { Repos } from '../../src/ports';
import { addPanelMember } from '../../src/usecases/manage-panel';
import type { startHarness } from './harness';
import { channelMessage, INGRID, User } from './teams';

type Member = readonly [User, 'gemeente' | 'partner' | 'ervaringsdeskundige', string | undefined];

/** Ingrid (accounthouder) links the team's channel as review channel and puts `members` on the panel, as the turn tests need before a submission is posted. */
export async function linkReviewPanel(h: Awaited<ReturnType<typeof startHarness>>, repos: Repos, members: readonly Member[]): Promise<void> {
  const deps = { repos, clock: systemClock, accounthouders: [INGRID.aadObjectId] };
  await h.send(channelMessage(h.connector.url, INGRID, 'koppel beoordeling'));
  for (const [u, role, organisation] of members) {
    const added = await addPanelMember(deps, {
      actorId: INGRID.aadObjectId,
      person: { userId: u.aadObjectId, mri: u.id, name: u.name },
      role,
      ...(organisation ? { organisation } : {}),
    });
    expect(added.ok).toBe(true);
  }
}
