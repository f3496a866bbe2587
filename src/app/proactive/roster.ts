import { TeamsChannelAccount, TeamsInfo, TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { Logger } from '../../log';
import type { Deps } from '../../usecases/deps';
import { rememberRoster, RosterMember } from '../../usecases/conversations';
import { errorFacts } from '../core/turn';

/** Teams' largest roster page. */
const PAGE_SIZE = 500;

/** The team this activity happened in, if any. */
function teamOf(context: TurnContext): string | undefined {
  const id = (context.activity.channelData as { team?: { id?: unknown } } | undefined)?.team?.id;
  return typeof id === 'string' && id ? id : undefined;
}

function tenantOf(context: TurnContext): string {
  const a = context.activity;
  return (a.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ?? a.conversation?.tenantId ?? '';
}

async function store(context: TurnContext, deps: Deps, members: RosterMember[]): Promise<number> {
  const a = context.activity;
  return (await rememberRoster(deps, { members, tenantId: tenantOf(context), serviceUrl: a.serviceUrl, botId: a.recipient.id })).stored;
}

const asMember = (m: TeamsChannelAccount | { id: string; aadObjectId?: string; name?: string }): RosterMember => ({
  id: m.id,
  ...(m.aadObjectId ? { aadObjectId: m.aadObjectId } : {}),
  ...(m.name ? { name: m.name } : {}),
});

/**
 * Reads the whole roster of the team this activity happened in (all pages) and stores each
 * member's address, so the bot can start a 1:1 chat with people who never wrote to it. Returns
 * how many were stored; 0 outside a team.
 */
export async function importTeamRoster(context: TurnContext, deps: Deps): Promise<number> {
  const teamId = teamOf(context);
  if (!teamId) return 0;
  let stored = 0;
  let token: string | undefined;
  do {
    const page = await TeamsInfo.getPagedTeamMembers(context, teamId, PAGE_SIZE, token);
    stored += await store(context, deps, page.members.map(asMember));
    token = page.continuationToken || undefined;
  } while (token);
  return stored;
}

/**
 * Team events: when the bot is added to a team it reads the team's roster; when members join a
 * team the bot is in, it stores theirs. Registered before the 1:1 chat's welcome (which answers
 * only the bot's own installation in a personal chat). Failures are logged (without ids) and the
 * turn ends quietly: Teams does not show a conversationUpdate's answer to anyone.
 */
export function registerRosterRoutes(app: Application<TurnState>, deps: Deps, log: Logger): void {
  app.activity(
    async (context) =>
      context.activity.type === 'conversationUpdate' &&
      Boolean(teamOf(context)) &&
      Array.isArray(context.activity.membersAdded) &&
      context.activity.membersAdded.length > 0,
    async (context) => {
      const botId = context.activity.recipient.id;
      const added = context.activity.membersAdded ?? [];
      try {
        if (added.some((m) => m.id === botId)) {
          const stored = await importTeamRoster(context, deps);
          log.info({ activity: 'teamInstall', stored }, 'team roster stored');
          return;
        }
        const named = added.filter((m) => typeof m?.id === 'string' && m.id.startsWith('29:'));
        const members = await Promise.all(named.map((m) => TeamsInfo.getMember(context, m.id).catch(() => m)));
        const stored = await store(context, deps, members.map(asMember));
        log.info({ activity: 'teamMembersAdded', stored }, 'team members stored');
      } catch (e) {
        log.warn({ activity: 'conversationUpdate', err: errorFacts(e) }, 'team roster not stored');
      }
    },
  );
}
