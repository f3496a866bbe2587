import type { Application as TeamsApp, TurnState } from '@microsoft/teams-ai';
import { z } from 'zod';
import { noticeCard } from '../../cards/notice';
import type { Card } from '../../cards/render';
import { anonymiseConfirmCard, anonymisedCard } from '../../cards/retention-cards';
import { privacyMessages } from '../../i18n/privacy';
import type { Logger } from '../../log';
import { anonymiseNow, AnonymiseError, confirmAnonymisation } from '../../usecases/anonymise';
import type { Deps } from '../../usecases/deps';
import { executor } from '../core/execute';
import { applicationId, rev, roundId } from '../core/schemas';
import { normaliseCommand, Turn } from '../core/turn';
import { VERBS } from '../core/verbs';

/** The card says which application and at which revision; who the person is comes from the store. */
const RunPayload = z.object({ roundId, applicationId, rev, scope: z.enum(['application', 'person']) });

/** `anonimiseer LB-2026-007`, `anonymise applicant LB-2026-007` (the reference loses its dashes in `normaliseCommand`). */
const COMMAND = /^(?:anonimiseer|anonymise|anonymize)( aanvrager van| aanvrager| applicant of| applicant| the applicant of)? ([a-z]{1,6}) (\d{4}) (\d{3,})$/;

export interface RetentionChat {
  cardForText(turn: Turn, text: string): Promise<Card | undefined>;
}

function refusal(turn: Turn, e: AnonymiseError): Card {
  const t = privacyMessages(turn.lang);
  if (e.code === 'FORBIDDEN') return noticeCard(turn.lang, t.forbiddenTitle, t.forbidden);
  return noticeCard(turn.lang, t.notFoundTitle, t.notFound);
}

/** Anonymise now (accounthouder, 1:1 chat): a confirmation card computed from the plan, then the action. */
export function registerRetentionRoutes(app: TeamsApp<TurnState>, deps: Deps, log: Logger): RetentionChat {
  const execute = executor(app, log);

  execute(VERBS.retention.run, RunPayload, async (turn, data) => {
    const res = await anonymiseNow(deps, { actorId: turn.userId, roundId: data.roundId, applicationId: data.applicationId, rev: data.rev, scope: data.scope });
    if (!res.ok) {
      log.info({ verb: VERBS.retention.run, roundId: data.roundId, code: res.error.code }, 'anonymisation refused');
      return refusal(turn, res.error);
    }
    const r = res.value;
    if (r.kind === 'stale') return anonymiseConfirmCard(turn.lang, r.confirmation, privacyMessages(turn.lang).stale);
    log.info(
      { verb: VERBS.retention.run, roundId: data.roundId, applicationId: data.applicationId, scope: data.scope, already: r.outcome.already },
      'anonymised',
    );
    return anonymisedCard(turn.lang, r.reference, r.scope, r.outcome);
  });

  return {
    async cardForText(turn, text) {
      const m = COMMAND.exec(normaliseCommand(text));
      if (!m) return undefined;
      const reference = `${m[2]!.toUpperCase()}-${m[3]}-${m[4]}`;
      const res = await confirmAnonymisation(deps, { actorId: turn.userId, reference, scope: m[1] ? 'person' : 'application' });
      return res.ok ? anonymiseConfirmCard(turn.lang, res.value) : refusal(turn, res.error);
    },
  };
}
