import type { Application as TeamsApp, TurnState } from '@microsoft/teams-ai';
import { z } from 'zod';
import { noticeCard } from '../../cards/notice';
import type { Card } from '../../cards/render';
import { allocationReportCard, resultsReportCard } from '../../cards/report-cards';
import { allocationReportData, resultsReportData } from '../../domain/council-report';
import { reportMessages } from '../../i18n/reports';
import type { Logger } from '../../log';
import type { ReportKind } from '../../reports/file-names';
import type { ReportLinker } from '../../reports/links';
import { reportSnapshot } from '../../usecases/report-snapshot';
import type { Deps } from '../../usecases/deps';
import { isAccounthouder } from '../../usecases/roles';
import { executor } from '../core/execute';
import { roundId } from '../core/schemas';
import { normaliseCommand, type Turn } from '../core/turn';
import { cardForRound, matchWithRound } from '../core/round-arg';
import { workingRound } from '../../usecases/admin-round';
import { VERBS } from '../core/verbs';

const Show = z.object({ roundId: roundId.optional() });

/** `verslag verdeling` / `allocation report`, `verslag resultaten` / `results report`, optionally with a round or a year (`matchWithRound`). */
const COMMANDS: { kind: ReportKind; pattern: RegExp }[] = [
  { kind: 'allocation', pattern: /^(?:(?:raads)?verslag|rapport(?:age)?) (?:verdeling|toekenning(?:en)?)$|^allocation report$/ },
  { kind: 'results', pattern: /^(?:(?:raads)?verslag|rapport(?:age)?) (?:resultaten|effect)$|^results report$/ },
];

export interface ReportChat {
  /** A report command in the 1:1 chat: the card for an accounthouder, a refusal for others, undefined for other text. */
  cardForText(turn: Turn, text: string): Promise<Card | undefined>;
}

/** The summary card of one report for an accounthouder (from the store), a polite refusal for anyone else. */
export async function reportCard(
  turn: Turn,
  deps: Deps,
  links: ReportLinker,
  kind: ReportKind,
  round: { roundId?: string; year?: number } = {},
): Promise<Card> {
  const t = reportMessages(turn.lang);
  if (!(await isAccounthouder(deps, turn.userId))) return noticeCard(turn.lang, t.forbiddenTitle, t.forbidden);
  const snapshot = await reportSnapshot(deps, round);
  if (!snapshot) return noticeCard(turn.lang, t.noRoundTitle, t.noRound);
  const now = deps.clock.now();
  const urls = links.links(snapshot.round.value.id, kind, now);
  return kind === 'allocation'
    ? allocationReportCard(turn.lang, allocationReportData(snapshot, now), urls)
    : resultsReportCard(turn.lang, resultsReportData(snapshot, now), urls);
}

/** The card for a report command typed in the 1:1 chat, or undefined when the text is something else. */
export async function reportCardForText(turn: Turn, deps: Deps, text: string, links: ReportLinker): Promise<Card | undefined> {
  const said = normaliseCommand(text);
  for (const { kind, pattern } of COMMANDS) {
    const found = matchWithRound(said, pattern);
    if (!found) continue;
    if (!(await isAccounthouder(deps, turn.userId))) return reportCard(turn, deps, links, kind);
    return cardForRound(
      deps,
      turn.lang,
      {
        arg: found.arg,
        command: kind === 'allocation' ? 'verdeling' : 'resultaten',
        fallback: (d) => workingRound(d),
        noneOfYear: (year) => reportCard(turn, deps, links, kind, { year }),
      },
      (round) => reportCard(turn, deps, links, kind, round ? { roundId: round.value.id } : {}),
    );
  }
  return undefined;
}

/** The two council reports: Action.Execute `report.allocation` / `report.results` with `{ roundId }`, and the chat commands. */
export function registerReportRoutes(app: TeamsApp<TurnState>, deps: Deps, log: Logger, links: ReportLinker): ReportChat {
  const execute = executor(app, log);
  execute(VERBS.reports.allocation, Show, (turn, data) => reportCard(turn, deps, links, 'allocation', data.roundId ? { roundId: data.roundId } : {}));
  execute(VERBS.reports.results, Show, (turn, data) => reportCard(turn, deps, links, 'results', data.roundId ? { roundId: data.roundId } : {}));
  return { cardForText: (turn, text) => reportCardForText(turn, deps, text, links) };
}
