import { randomUUID } from 'node:crypto';
import { TurnContext } from 'botbuilder';
import type { Application as TeamsApp, TurnState } from '@microsoft/teams-ai';
import { z } from 'zod';
import {
  eligibilityCard,
  myApplicationsCard,
  notEligibleCard,
  stepCard,
  stepTitle,
  submittedCard,
  summaryCard,
  welcomeCard,
  withdrawConfirmCard,
} from '../../cards/partner-cards';
import { noticeCard } from '../../cards/notice';
import type { Card } from '../../cards/render';
import { Application, canWithdraw, isEditable } from '../../domain/application';
import { changeNotice } from '../../cards/change-request-view';
import { formOf, questionsOf } from '../../domain/form';
import type { Round } from '../../domain/round';
import { formMessages } from '../../i18n/form';
import { formStepOf, RawInput, toRawInput, validateStep } from '../../domain/validation';
import { fill, Lang, messages } from '../../i18n';
import type { Logger } from '../../log';
import { type CurrentRound, currentRounds, openForApplications, roundOf } from '../../usecases/current-round';
import { roundNotFoundCard } from '../../cards/round-cards';
import { rememberConversation } from '../../usecases/conversations';
import type { Deps } from '../../usecases/deps';
import { loadOwnApplication } from '../../usecases/load-own-application';
import { myApplications } from '../../usecases/my-applications';
import { saveStep } from '../../usecases/save-step';
import { startApplication } from '../../usecases/start-application';
import { organisationPreview } from '../../usecases/organisations';
import { attachmentViews, listAttachments } from '../../usecases/attachments';
import { submitApplication } from '../../usecases/submit-application';
import { welcome } from '../../usecases/welcome';
import { withdrawApplication } from '../../usecases/withdraw-application';
import { ApplicationRef, EditPayload, EligibilityPayload, StartPayload, StepPayload, SubmitPayload } from './payloads';
import { afterAnswer } from '../core/after-answer';
import { executor } from '../core/execute';

import { errorFacts, normaliseCommand, sendCard, Turn, turnOf } from '../core/turn';
import { VERBS } from '../core/verbs';

const Empty = z.object({});

/** The partner's 1:1 conversation: welcome, eligibility, the steps, summary, submit, list, withdraw. */
export function registerPartnerRoutes(
  app: TeamsApp<TurnState>,
  deps: Deps,
  log: Logger,
  hooks: { submitted?: (roundId: string, applicationId: string) => void; resubmitted?: (roundId: string, applicationId: string) => void } = {},
): PersonalChat {
  const execute = executor(app, log);

  const home = async (lang: Lang, notice = '') => {
    const w = await welcome(deps);
    return welcomeCard(lang, w.current, notice, w.consultation, w.open);
  };

  const list = async (turn: Turn, notice = '') => {
    const [apps, rounds] = await Promise.all([myApplications(deps, turn.userId), currentRounds(deps)]);
    return myApplicationsCard(turn.lang, apps, rounds[0]?.window === 'open', notice, await roundNames(apps, rounds));
  };

  /** The round names to show per application: when the applications or the open rounds are more than one round. */
  const roundNames = async (apps: Application[], rounds: CurrentRound[]): Promise<Map<string, string> | undefined> => {
    const ids = new Set(apps.map((a) => a.roundId));
    if (ids.size < 2 && openForApplications(rounds).length < 2) return undefined;
    const names = new Map(rounds.map((r) => [r.round.id, r.round.name]));
    for (const id of ids) if (!names.has(id)) names.set(id, (await roundOf(deps, id))?.value.name ?? id);
    return names;
  };

  /** The eligibility card for a new application: in the round named, else the only open one; with several open, the welcome card to choose. */
  const startCard = async (turn: Turn, roundId: string | undefined): Promise<Card> => {
    const t = messages(turn.lang);
    const rounds = await currentRounds(deps);
    if (roundId) {
      const chosen = rounds.find((r) => r.round.id === roundId);
      if (!chosen) return (await roundOf(deps, roundId)) ? noticeCard(turn.lang, t.notices.noRoundTitle, t.notices.noRound) : roundNotFoundCard(turn.lang);
      if (chosen.window !== 'open') return noticeCard(turn.lang, t.notices.noRoundTitle, t.notices.noRound);
      return eligibilityCard(turn.lang, randomUUID(), {}, false, roundId);
    }
    const open = openForApplications(rounds);
    if (open.length > 1) return home(turn.lang);
    if (rounds[0]?.window !== 'open') return noticeCard(turn.lang, t.notices.noRoundTitle, t.notices.noRound);
    return eligibilityCard(turn.lang, randomUUID());
  };

  const cardFor = async (lang: Lang, application: Application, notice = ''): Promise<Card> => {
    const round = await roundOf(deps, application.roundId);
    const t = messages(lang);
    if (!round) return noticeCard(lang, t.notices.notFoundTitle, t.notices.notFound);
    if (!isEditable(application.status)) return submittedCard(lang, application, true);
    return application.position === 'summary'
      ? summaryCard(
          lang,
          application,
          round.value,
          notice || changeNotice(lang, application),
          await organisationPreview(deps, application.fields.organisation),
          attachmentViews(deps, await listAttachments(deps, application.roundId, application.id), round.value),
        )
      : stepCard(lang, application, round.value, application.position, { notice });
  };

  const notFound = (lang: Lang) => noticeCard(lang, messages(lang).notices.notFoundTitle, messages(lang).notices.notFound);

  execute(VERBS.application.home, Empty, (turn) => home(turn.lang));

  execute(VERBS.application.list, Empty, (turn) => list(turn));

  execute(VERBS.application.start, StartPayload, (turn, data) => startCard(turn, data.roundId));

  execute(VERBS.application.eligibility, EligibilityPayload, async (turn, data) => {
    const answers = {
      partnerInSocialeBasis: data.partnerInSocialeBasis,
      activeInMunicipality: data.activeInMunicipality,
      collectiveAnswer: data.collectiveAnswer,
    };
    if (Object.values(answers).some((a) => !a)) return eligibilityCard(turn.lang, data.token, answers, true, data.roundId);
    const started = await startApplication(deps, {
      applicantId: turn.userId,
      cardToken: data.token,
      ...(data.roundId ? { roundId: data.roundId } : {}),
      answers: {
        partnerInSocialeBasis: answers.partnerInSocialeBasis === 'yes',
        activeInMunicipality: answers.activeInMunicipality === 'yes',
        collectiveAnswer: answers.collectiveAnswer === 'yes',
      },
    });
    if (started.ok) return cardFor(turn.lang, started.value.value);
    if (started.error.code === 'NOT_ELIGIBLE') return notEligibleCard(turn.lang, started.error.reasons);
    if (started.error.code === 'ROUND_NOT_FOUND') return roundNotFoundCard(turn.lang);
    if (started.error.code === 'CHOOSE_ROUND') return home(turn.lang);
    const t = messages(turn.lang);
    return noticeCard(turn.lang, t.notices.noRoundTitle, t.notices.noRound);
  });

  execute(VERBS.application.step, StepPayload, async (turn, data) => {
    const raw: RawInput = data.inputs;
    const saved = await saveStep(deps, {
      applicantId: turn.userId,
      roundId: data.roundId,
      applicationId: data.applicationId,
      step: data.step,
      rev: data.rev,
      raw,
      direction: data.direction,
    });
    const t = messages(turn.lang);
    if (saved.ok) {
      if (data.direction === 'addLine') {
        // The same step with what was typed saved and one row more than the card had.
        const round = await roundOf(deps, saved.value.value.roundId);
        if (!round) return notFound(turn.lang);
        const app = saved.value.value;
        return stepCard(turn.lang, app, round.value, data.step, { rows: (data.rows ?? 1) + 1, editing: app.position === 'summary' });
      }
      return data.direction === 'later' ? list(turn, t.list.saved) : cardFor(turn.lang, saved.value.value);
    }
    const e = saved.error;
    switch (e.code) {
      case 'INVALID': {
        const round = await roundOf(deps, e.application.roundId);
        if (!round) return notFound(turn.lang);
        return stepCard(turn.lang, e.application, round.value, data.step, {
          raw,
          errors: e.errors,
          editing: data.direction === 'summary' || (data.direction === 'addLine' && e.application.position === 'summary'),
          ...(data.rows ? { rows: data.rows } : {}),
        });
      }
      case 'STALE':
      case 'NO_STEP':
        return cardFor(turn.lang, e.application, t.notices.stale);
      case 'NOT_DRAFT':
        return submittedCard(turn.lang, e.application, true);
      case 'NOT_FOUND':
        return notFound(turn.lang);
    }
  });

  execute(VERBS.application.edit, EditPayload, async (turn, data) => {
    const own = await loadOwnApplication(deps, turn.userId, data.roundId, data.applicationId);
    if (!own) return notFound(turn.lang);
    if (!isEditable(own.value.status)) return submittedCard(turn.lang, own.value, true);
    const round = await roundOf(deps, own.value.roundId);
    if (!round) return notFound(turn.lang);
    return stepCard(turn.lang, own.value, round.value, data.step, { editing: true });
  });

  execute(VERBS.application.resume, ApplicationRef, async (turn, data) => {
    const own = await loadOwnApplication(deps, turn.userId, data.roundId, data.applicationId);
    if (!own) return notFound(turn.lang);
    return isEditable(own.value.status) ? cardFor(turn.lang, own.value) : list(turn);
  });

  execute(VERBS.application.submit, SubmitPayload, async (turn, data) => {
    const result = await submitApplication(deps, { roundId: data.roundId, applicationId: data.applicationId, rev: data.rev, applicantId: turn.userId });
    const t = messages(turn.lang);
    if (result.ok) {
      if (!result.value.alreadySubmitted) {
        log.info({ roundId: data.roundId, applicationId: data.applicationId }, 'application submitted');
        // The review card is posted after the answer: its claim is in storage, the sweep retries it.
        afterAnswer(turn.context, () => hooks.submitted?.(data.roundId, data.applicationId));
        // After a change request: the thread messages are in the outbox, the review card is drawn again.
        if (result.value.resubmitted) afterAnswer(turn.context, () => hooks.resubmitted?.(data.roundId, data.applicationId));
      }
      return submittedCard(turn.lang, result.value.application, result.value.alreadySubmitted, result.value.organisationName);
    }
    const e = result.error;
    switch (e.code) {
      case 'NOT_FOUND':
        return notFound(turn.lang);
      case 'STALE':
        return cardFor(turn.lang, e.application, t.notices.stale);
      case 'NOT_DRAFT':
        return submittedCard(turn.lang, e.application, true);
      case 'WINDOW':
        return cardFor(turn.lang, e.application, t.summary.windowClosed);
      case 'ORGANISATION_AMBIGUOUS':
      case 'ORGANISATION_INVALID': {
        // Nothing was submitted: the organisation step, with what the registry said under the name.
        log.info({ verb: VERBS.application.submit, roundId: data.roundId, code: e.code }, 'submission refused');
        const round = await roundOf(deps, e.application.roundId);
        if (!round) return notFound(turn.lang);
        const text =
          e.code === 'ORGANISATION_AMBIGUOUS' ? fill(t.summary.organisationAmbiguous, { names: e.candidates.join(', ') }) : t.summary.organisationInvalid;
        return stepCard(turn.lang, e.application, round.value, 'organisation', {
          editing: true,
          fieldTexts: { organisation: text },
          notice: `${t.summary.organisationNotSubmitted} ${text}`,
        });
      }
      case 'MISSING_DOCUMENTS': {
        log.info({ verb: VERBS.application.submit, roundId: data.roundId, code: e.code, documents: e.documents.length }, 'submission refused');
        const round = await roundOf(deps, e.application.roundId);
        if (!round) return notFound(turn.lang);
        const names = e.documents.map((id) => documentName(turn.lang, round.value, id)).join(', ');
        return cardFor(turn.lang, e.application, fill(formMessages(turn.lang).missingDocuments, { names }));
      }
      case 'INCOMPLETE': {
        const round = await roundOf(deps, e.application.roundId);
        if (!round) return notFound(turn.lang);
        const check = validateStep(e.step, toRawInput(e.application.fields, formOf(round.value)), round.value, 'complete');
        const formStep = formStepOf(round.value, e.step);
        return stepCard(turn.lang, e.application, round.value, e.step, {
          errors: check.ok ? {} : check.error,
          editing: true,
          notice: fill(t.summary.incomplete, { step: formStep ? stepTitle(turn.lang, formStep) : e.step }),
        });
      }
    }
  });

  execute(VERBS.application.withdraw, ApplicationRef, async (turn, data) => {
    const own = await loadOwnApplication(deps, turn.userId, data.roundId, data.applicationId);
    if (!own) return notFound(turn.lang);
    if (own.value.status === 'withdrawn') return list(turn);
    if (!canWithdraw(own.value.status)) return list(turn, messages(turn.lang).withdraw.notPossible);
    return withdrawConfirmCard(turn.lang, own.value);
  });

  execute(VERBS.application.withdrawConfirm, ApplicationRef, async (turn, data) => {
    const result = await withdrawApplication(deps, { roundId: data.roundId, applicationId: data.applicationId, applicantId: turn.userId });
    const t = messages(turn.lang);
    if (result.ok) {
      log.info({ roundId: data.roundId, applicationId: data.applicationId }, 'application withdrawn');
      return list(turn, fill(t.withdraw.done, { reference: result.value.reference ?? '' }));
    }
    return result.error.code === 'NOT_FOUND' ? notFound(turn.lang) : list(turn, t.withdraw.notPossible);
  });

  app.conversationUpdate('membersAdded', async (context) => {
    const turn = turnOf(context);
    const botId = context.activity.recipient?.id;
    if (!turn.personal || !context.activity.membersAdded?.some((m) => m.id === botId)) return;
    try {
      await rememberChat(deps, context, turn);
      await sendCard(context, await home(turn.lang));
    } catch (e) {
      log.error({ activity: 'membersAdded', err: errorFacts(e) }, 'welcome failed');
    }
  });

  return {
    /** Text in the 1:1 chat: a few commands; anything else gets the welcome card with help — never silence. */
    async cardForText(turn: Turn, text: string): Promise<Card> {
      const t = messages(turn.lang);
      const command = commandOf(text);
      if (command === 'new') return startCard(turn, undefined);
      if (command === 'list') return list(turn);
      return home(turn.lang, command === 'help' ? '' : t.welcome.notUnderstood);
    },
  };
}

export interface PersonalChat {
  cardForText(turn: Turn, text: string): Promise<Card>;
}

/** Stores where to reach this person later (decisions, reminders): only their 1:1 chat. */
export async function rememberChat(deps: Deps, context: TurnContext, turn: Turn): Promise<void> {
  if (!turn.personal) return;
  const a = context.activity;
  await rememberConversation(deps, {
    userId: turn.userId,
    conversationId: a.conversation.id,
    reference: TurnContext.getConversationReference(a),
    ...(a.locale ? { locale: a.locale } : {}),
  });
}

const COMMANDS: [RegExp, 'new' | 'list' | 'help'][] = [
  [/^(nieuwe aanvraag|nieuw|aanvraag|aanvragen doen|new application|new|apply)$/, 'new'],
  [/^(mijn aanvragen|aanvragen|status|my applications|applications)$/, 'list'],
  [/^(help|hulp|hallo|hoi|hi|hello|hey|start|menu|begin|goedemorgen|goedemiddag)$/, 'help'],
];

export function commandOf(text: string): 'new' | 'list' | 'help' | 'unknown' {
  const normalised = normaliseCommand(text);
  return COMMANDS.find(([re]) => re.test(normalised))?.[1] ?? 'unknown';
}

/** A document the form asks for, by its file question's label in the user's language. */
function documentName(lang: Lang, round: Round, id: string): string {
  const q = questionsOf(formOf(round)).find((x) => x.question.id === id)?.question;
  return `"${q?.label?.[lang] ?? id}"`;
}
