import type { Application as TeamsApp, TurnState } from '@microsoft/teams-ai';
import { z } from 'zod';
import { ALL, applicationsCard, exportCard } from '../../cards/applications-cards';
import { noticeCard } from '../../cards/notice';
import type { Card } from '../../cards/render';
import type { ApplicationStatus } from '../../domain/application';
import { applicationsMessages } from '../../i18n/applications';
import type { Logger } from '../../log';
import type { ReportLinker } from '../../reports/links';
import { exportRound, listApplications, type ApplicationsError, type ApplicationsFilter } from '../../usecases/list-applications';
import type { Deps } from '../../usecases/deps';
import { isAccounthouder } from '../../usecases/roles';
import { executor } from '../core/execute';
import { flag, input, page, roundId } from '../core/schemas';
import { cardForRound, matchWithRound, type RoundCommand } from '../core/round-arg';
import { adminRound } from '../../usecases/admin-round';
import type { RoundArg } from '../../usecases/pick-round';
import { normaliseCommand, Turn } from '../core/turn';
import { VERBS } from '../core/verbs';

const STATUS = z.enum([ALL, 'draft', 'submitted', 'in_review', 'changes_requested', 'reviewed', 'awarded', 'declined', 'withdrawn', 'results_reported']);
/** The organisation filter: part of a name (the registry's names are at most 150 characters). */
const ORGANISATION_FILTER = 150;
const List = z.object({
  roundId: roundId.optional(),
  page: page.optional(),
  status: STATUS.optional(),
  wijk: input(100),
  organisation: input(ORGANISATION_FILTER),
});
const Export = z.object({ roundId: roundId.optional(), named: flag.optional() });

export interface ApplicationsChat {
  /** `alle aanvragen` and `export` (and `aanvragen` for an accounthouder) in the 1:1 chat; undefined for other text. */
  cardForText(turn: Turn, text: string): Promise<Card | undefined>;
}

function refusal(turn: Turn, e: ApplicationsError): Card {
  const t = applicationsMessages(turn.lang);
  return e.code === 'FORBIDDEN' ? noticeCard(turn.lang, t.forbiddenTitle, t.forbidden) : noticeCard(turn.lang, t.noRoundTitle, t.noRound);
}

/** The accounthouder's list of every application (`apps.list`) and the workbook export (`apps.export`). */
export function registerApplicationsRoutes(app: TeamsApp<TurnState>, deps: Deps, log: Logger, links: ReportLinker): ApplicationsChat {
  const execute = executor(app, log);

  const list = async (turn: Turn, input: { roundId?: string; page?: number; filter?: ApplicationsFilter }): Promise<Card> => {
    const res = await listApplications(deps, {
      actorId: turn.userId,
      ...(input.roundId ? { roundId: input.roundId } : {}),
      filter: input.filter ?? {},
      page: input.page ?? 1,
    });
    if (!res.ok) return refusal(turn, res.error);
    // A wijk the round does not have filters nothing (an old card, a tampered payload).
    const filter = res.value.filter;
    if (filter.wijk && !res.value.round.wijken.includes(filter.wijk)) return list(turn, { ...input, filter: { ...filter, wijk: undefined } });
    return applicationsCard(turn.lang, res.value);
  };

  const exported = async (turn: Turn, roundId: string | undefined, named: boolean): Promise<Card> => {
    const res = await exportRound(deps, { ...(roundId ? { roundId } : {}), actorId: turn.userId });
    if (!res.ok) return refusal(turn, res.error);
    const urls = links.links(res.value.id, 'overview', deps.clock.now());
    const file = named ? 'overzicht-namen.xlsx' : 'overzicht.xlsx';
    log.info({ roundId: res.value.id, named }, 'overview export link made');
    return exportCard(turn.lang, res.value, { url: urls[file]!, expiresAt: urls.expiresAt }, named);
  };

  execute(VERBS.applications.list, List, (turn, data) => {
    const filter: ApplicationsFilter = {
      ...(data.status && data.status !== ALL ? { status: data.status as ApplicationStatus } : {}),
      ...(data.wijk && data.wijk !== ALL ? { wijk: data.wijk } : {}),
      ...(data.organisation?.trim() ? { organisation: data.organisation.trim().slice(0, ORGANISATION_FILTER) } : {}),
    };
    return list(turn, { ...(data.roundId ? { roundId: data.roundId } : {}), ...(data.page ? { page: data.page } : {}), filter });
  });
  execute(VERBS.applications.export, Export, (turn, data) => exported(turn, data.roundId, data.named === 'true'));

  return {
    async cardForText(turn, text) {
      const command = normaliseCommand(text);
      const forRound = async (found: { arg?: RoundArg }, name: RoundCommand, show: (roundId?: string) => Promise<Card>) =>
        (await isAccounthouder(deps, turn.userId))
          ? cardForRound(deps, turn.lang, { arg: found.arg, command: name, fallback: (d) => adminRound(d) }, (round) => show(round?.value.id))
          : show(found.arg && 'id' in found.arg ? found.arg.id : undefined);
      const all = matchWithRound(command, /^(alle aanvragen|all applications)$/);
      if (all) return forRound(all, 'aanvragen', (roundId) => list(turn, roundId ? { roundId } : {}));
      // "aanvragen" is the partner's own list too: the accounthouder gets every application, anyone else their own.
      const apps = matchWithRound(command, /^(aanvragen|applications)$/);
      if (apps && (await isAccounthouder(deps, turn.userId))) return forRound(apps, 'aanvragen', (roundId) => list(turn, roundId ? { roundId } : {}));
      if (apps) return undefined;
      const named = matchWithRound(command, /^(export met namen|export with names)$/);
      if (named) return forRound(named, 'exportNamen', (roundId) => exported(turn, roundId, true));
      const plain = matchWithRound(command, /^(export|exporteren|export overzicht)$/);
      if (plain) return forRound(plain, 'export', (roundId) => exported(turn, roundId, false));
      return undefined;
    },
  };
}
