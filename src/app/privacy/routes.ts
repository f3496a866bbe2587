import type { Application as TeamsApp, TurnState } from '@microsoft/teams-ai';
import { z } from 'zod';
import { noticeCard } from '../../cards/notice';
import { deleteConfirmCard, logbookCard, myDataCard, requestCard, requestsCard } from '../../cards/privacy-cards';
import type { Card } from '../../cards/render';
import { REFUSAL_REASON_LIMIT } from '../../domain/privacy-request';
import { fill, formatDateTime, messages, type Lang } from '../../i18n';
import type { DeletionRequest } from '../../domain/privacy-request';
import { logbookLabels, logbookMessages } from '../../i18n/logbook';
import { keptPhrase, privacyMessages, removedPhrase } from '../../i18n/privacy-requests';
import type { Logger } from '../../log';
import { LOGBOOK_PATH, LOGBOOK_PURPOSE, PERSONAL_PATH, PERSONAL_PURPOSE, type SignedLinker } from '../../reports/signed-links';
import {
  decideDeletion,
  deletionPlan,
  deletionState,
  openRequests,
  REQUEST_ID,
  requestDeletion,
  viewRequest,
  type DecideError,
  type DeletionPlan,
  type DeletionMessages,
} from '../../usecases/deletion-request';
import type { Deps } from '../../usecases/deps';
import { logbook, logbookParams } from '../../usecases/logbook';
import { collectPersonalData, recordExportRequested } from '../../usecases/personal-data';
import { executor } from '../core/execute';
import { input, page, rev } from '../core/schemas';
import { normaliseCommand, type Turn } from '../core/turn';
import { VERBS } from '../core/verbs';
import { requestCardFor } from './request-card';

const Empty = z.object({});
const RequestRef = z.object({ request: z.string().regex(REQUEST_ID) });
const Decide = z.object({ request: z.string().regex(REQUEST_ID), rev, decision: z.enum(['approve', 'refuse']), reason: input(REFUSAL_REASON_LIMIT) });
const DAY = z.union([z.string().regex(/^\d{4}-\d{2}-\d{2}$/), z.literal('')]).optional();
const LogPage = z.object({
  page: page.optional(),
  reference: input(40),
  person: z.union([z.string().regex(/^[0-9a-f-]{36}$/), z.literal('all'), z.literal('')]).optional(),
  from: DAY,
  to: DAY,
});

/** What the person reads when their request was decided: computed from the decision and from what was removed (the stored outcome). */
export function deletionAnswer(lang: Lang, request: DeletionRequest): string {
  const t = privacyMessages(lang).delete;
  if (request.state === 'refused') return `${t.refusedTitle}. ${fill(t.refused, { reason: request.reason ?? '' })}`;
  const o = request.outcome;
  const removed = o ? removedPhrase(lang, o.removed, o.applications, { voice: 'person', auditRecords: o.auditRecords }) : '';
  const kept = o
    ? keptPhrase(
        lang,
        o.kept.map((what) => ({ what })),
      )
    : '';
  return [
    `${t.approvedTitle}.`,
    fill(t.approved, { date: formatDateTime(lang, request.decidedAt ?? request.requestedAt) }),
    removed ? fill(t.removedLine, { what: removed }) : t.nothingRemoved,
    kept ? fill(t.keptLine, { what: kept }) : '',
  ]
    .filter(Boolean)
    .join(' ');
}

export interface PrivacyChat {
  /** `mijn gegevens`, `verwijder mijn gegevens` (anyone), `logboek` and `verzoeken` (accounthouder) in the 1:1 chat. */
  cardForText(turn: Turn, text: string): Promise<Card | undefined>;
}

/** The texts deletion requests send: a card to each accounthouder, the answer to the person. */
export const deletionMessages: DeletionMessages = {
  forAccounthouder: ({ lang, request, requestId, plan, name }) => requestCard(lang, { requestId, request, plan, ...(name ? { name } : {}) }),
  forPerson: ({ lang, request }) => deletionAnswer(lang, request),
};

/** Inzage (`mijn gegevens`), the deletion request and its decision, and the accounthouder's logboek. */
export function registerPrivacyRoutes(app: TeamsApp<TurnState>, deps: Deps, log: Logger, links: SignedLinker, kick: () => void): PrivacyChat {
  const execute = executor(app, log);

  const myData = async (turn: Turn): Promise<Card> => {
    const now = deps.clock.now();
    const data = await collectPersonalData(deps, turn.userId, privacyMessages(turn.lang).file.nameRemoved);
    await recordExportRequested(deps, turn.userId);
    const params = { p: turn.userId, lang: turn.lang };
    const readable = links.url(PERSONAL_PURPOSE, `${PERSONAL_PATH}/mijn-gegevens.md`, params, now);
    const json = links.url(PERSONAL_PURPOSE, `${PERSONAL_PATH}/mijn-gegevens.json`, params, now);
    log.info({ code: 'PERSONAL_DATA_LINK' }, 'personal data links made');
    return myDataCard(turn.lang, data, { readable: readable.url, json: json.url, expiresAt: readable.expiresAt });
  };

  const deleteAsk = async (turn: Turn): Promise<Card> => {
    const { plan, request } = await deletionState(deps, turn.userId);
    return deleteConfirmCard(turn.lang, plan, request);
  };

  const refusal = (turn: Turn, e: DecideError): Card => {
    const t = privacyMessages(turn.lang).decide;
    if (e.code === 'FORBIDDEN') return noticeCard(turn.lang, t.forbiddenTitle, t.forbidden);
    if (e.code === 'NOT_FOUND') return noticeCard(turn.lang, t.notFoundTitle, t.notFound);
    if (e.code === 'ANONYMISE_FAILED') return noticeCard(turn.lang, t.notAvailableTitle, t.notAvailable);
    return noticeCard(turn.lang, messages(turn.lang).notices.storageTitle, messages(turn.lang).notices.storage);
  };

  const requests = async (turn: Turn): Promise<Card> => {
    const res = await openRequests(deps, turn.userId);
    return res.ok ? requestsCard(turn.lang, res.value) : refusal(turn, res.error);
  };

  const logbookPage = async (turn: Turn, data: z.infer<typeof LogPage>): Promise<Card> => {
    const t = logbookMessages(turn.lang);
    const res = await logbook(deps, {
      actorId: turn.userId,
      lang: turn.lang,
      page: data.page ?? 1,
      ...(data.reference?.trim() ? { reference: data.reference.trim().slice(0, 40) } : {}),
      ...(data.person && data.person !== 'all' ? { personId: data.person.toLowerCase() } : {}),
      ...(data.from ? { from: data.from } : {}),
      ...(data.to ? { to: data.to } : {}),
      labels: logbookLabels(turn.lang),
    });
    if (!res.ok) return noticeCard(turn.lang, t.forbiddenTitle, t.forbidden);
    const csv = links.url(LOGBOOK_PURPOSE, LOGBOOK_PATH, logbookParams(turn.userId, res.value.filter), deps.clock.now());
    return logbookCard(turn.lang, res.value, csv, data.reference);
  };

  execute(VERBS.privacy.myData, Empty, (turn) => myData(turn));
  execute(VERBS.privacy.deleteAsk, Empty, (turn) => deleteAsk(turn));
  execute(VERBS.privacy.deleteConfirm, Empty, async (turn) => {
    const res = await requestDeletion(deps, { actorId: turn.userId, lang: turn.lang, messages: deletionMessages });
    if (!res.ok) return refusal(turn, res.error);
    if (!res.value.already) {
      log.info({ code: 'DELETION_REQUESTED' }, 'deletion request stored');
      kick();
    }
    return deleteConfirmCard(turn.lang, await deletionPlan(deps, turn.userId), res.value.request, !res.value.already);
  });
  execute(VERBS.privacy.requests, Empty, (turn) => requests(turn));
  execute(VERBS.privacy.open, RequestRef, async (turn, data) => {
    const res = await viewRequest(deps, { actorId: turn.userId, requestId: data.request });
    return res.ok ? requestCardFor(deps, turn.lang, res.value) : refusal(turn, res.error);
  });
  execute(VERBS.privacy.decide, Decide, async (turn, data) => {
    const res = await decideDeletion(deps, {
      actorId: turn.userId,
      requestId: data.request,
      rev: data.rev,
      approve: data.decision === 'approve',
      ...(data.reason !== undefined ? { reason: data.reason } : {}),
      messages: deletionMessages,
    });
    if (!res.ok) {
      if (res.error.code !== 'REASON') return refusal(turn, res.error);
      // Nothing typed is lost: the card comes back with the reason as it was typed and what is wrong with it.
      const view = await viewRequest(deps, { actorId: turn.userId, requestId: data.request });
      if (!view.ok) return refusal(turn, view.error);
      const t = privacyMessages(turn.lang).decide;
      const text = messages(turn.lang).errors as Record<string, string>;
      return requestCard(turn.lang, view.value, {
        notice: res.error.error === 'required' ? t.reasonRequired : (text[res.error.error] ?? t.reasonRequired),
        reason: (data.reason ?? '').slice(0, REFUSAL_REASON_LIMIT * 2),
      });
    }
    if (!res.value.already) {
      log.info({ code: 'DELETION_DECIDED', state: res.value.view.request.state }, 'deletion request decided');
      kick();
    }
    return requestCardFor(deps, turn.lang, res.value.view);
  });
  execute(VERBS.logbook.page, LogPage, (turn, data) => logbookPage(turn, data));

  return {
    async cardForText(turn, text) {
      const command = normaliseCommand(text);
      if (/^(mijn gegevens|my data|inzage)$/.test(command)) return myData(turn);
      if (/^(verwijder mijn gegevens|delete my data)$/.test(command)) return deleteAsk(turn);
      if (/^(logboek|logbook)$/.test(command)) return logbookPage(turn, {});
      if (/^(verzoeken|requests)$/.test(command)) return requests(turn);
      return undefined;
    },
  };
}
