import type { Application as TeamsApp, TurnState } from '@microsoft/teams-ai';
import { z } from 'zod';
import { myApplicationsCard } from '../../cards/partner-cards';
import { noticeCard } from '../../cards/notice';
import type { Card } from '../../cards/render';
import { overviewCard, resultsCard } from '../../cards/results-cards';
import { RESULTS_FIELDS, RESULTS_TEXT_LIMIT, ResultsField } from '../../domain/results';
import { messages } from '../../i18n';
import type { Logger } from '../../log';
import type { Deps } from '../../usecases/deps';
import { loadOwnApplication } from '../../usecases/load-own-application';
import { myApplications } from '../../usecases/my-applications';
import { isAccounthouder } from '../../usecases/roles';
import { roundOverview } from '../../usecases/round-overview';
import { saveResults } from '../../usecases/save-results';
import { executor } from '../core/execute';
import { ApplicationRef, input, rev, roundId } from '../core/schemas';
import { normaliseCommand, Turn } from '../core/turn';
import { VERBS } from '../core/verbs';
import { cardForRound, matchWithRound } from '../core/round-arg';
import { workingRound } from '../../usecases/admin-round';

const text = input(RESULTS_TEXT_LIMIT);
const Open = ApplicationRef;
const Save = ApplicationRef.extend({ rev, mode: z.enum(['draft', 'submit']), done: text, reached: text, learned: text, indicators: text, spent: text });
const Overview = z.object({ roundId: roundId.optional() });

export interface ResultsChat {
  /** `resultaten` (partner) and `overzicht` (accounthouder) in the 1:1 chat; undefined for other text. */
  cardForText(turn: Turn, text: string): Promise<Card | undefined>;
}

/** Awarded partners report effect and results; the accounthouder sees the round at a glance. */
export function registerResultsRoutes(app: TeamsApp<TurnState>, deps: Deps, log: Logger): ResultsChat {
  const execute = executor(app, log);
  const notFound = (turn: Turn) => noticeCard(turn.lang, messages(turn.lang).notices.notFoundTitle, messages(turn.lang).notices.notFound);

  execute(VERBS.results.open, Open, async (turn, data) => {
    const own = await loadOwnApplication(deps, turn.userId, data.roundId, data.applicationId);
    if (!own) return notFound(turn);
    const t = messages(turn.lang).results;
    if (own.value.status !== 'awarded' && own.value.status !== 'results_reported')
      return resultsCard(turn.lang, own.value, { notice: t.notAwarded, noticeColor: 'attention' });
    return resultsCard(turn.lang, own.value, own.value.status === 'results_reported' ? { notice: t.already } : {});
  });

  execute(VERBS.results.save, Save, async (turn, data) => {
    const t = messages(turn.lang).results;
    const raw: Partial<Record<ResultsField, string>> = Object.fromEntries(RESULTS_FIELDS.map((f) => [f, data[f]]));
    const res = await saveResults(deps, {
      applicantId: turn.userId,
      roundId: data.roundId,
      applicationId: data.applicationId,
      rev: data.rev,
      raw,
      mode: data.mode,
    });
    if (res.ok) {
      log.info({ roundId: data.roundId, applicationId: data.applicationId, mode: data.mode }, 'results saved');
      return resultsCard(turn.lang, res.value, { notice: data.mode === 'submit' ? t.sent : t.saved });
    }
    const e = res.error;
    switch (e.code) {
      case 'NOT_FOUND':
        return notFound(turn);
      case 'INVALID':
        return resultsCard(turn.lang, e.application, { raw, errors: e.errors });
      case 'STALE':
        return resultsCard(turn.lang, e.application, { notice: t.stale, noticeColor: 'attention' });
      case 'ALREADY_SUBMITTED':
        return resultsCard(turn.lang, e.application, { notice: t.already });
      case 'NOT_AWARDED':
        return resultsCard(turn.lang, e.application, { notice: t.notAwarded, noticeColor: 'attention' });
    }
  });

  const overview = async (turn: Turn, roundId?: string): Promise<Card> => {
    const t = messages(turn.lang);
    if (!(await isAccounthouder(deps, turn.userId))) return noticeCard(turn.lang, t.notices.badCardTitle, t.link.refused);
    const o = await roundOverview(deps, roundId);
    return o ? overviewCard(turn.lang, o) : noticeCard(turn.lang, t.notices.noRoundTitle, t.link.noRound);
  };

  execute(VERBS.results.overview, Overview, (turn, data) => overview(turn, data.roundId));

  return {
    async cardForText(turn, text) {
      const command = normaliseCommand(text);
      const asked = matchWithRound(command, /^(overzicht|overview)$/);
      if (asked) {
        if (!(await isAccounthouder(deps, turn.userId))) return overview(turn);
        return cardForRound(deps, turn.lang, { arg: asked.arg, command: 'overzicht', fallback: (d) => workingRound(d) }, (round) =>
          overview(turn, round?.value.id),
        );
      }
      if (!/^(resultaten|resultaten melden|results|report results)$/.test(command)) return undefined;
      const open = (await myApplications(deps, turn.userId)).filter((a) => a.status === 'awarded');
      if (open.length === 1) return resultsCard(turn.lang, open[0]!);
      // None or several: the list, where each awarded application has its own "Resultaten melden".
      const all = await myApplications(deps, turn.userId);
      return myApplicationsCard(turn.lang, all, false, open.length === 0 ? messages(turn.lang).results.none : '');
    },
  };
}
