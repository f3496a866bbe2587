import type { Application as TeamsApp, TurnState } from '@microsoft/teams-ai';
import { z } from 'zod';
import { criteriaCard, CriteriaView, noRoundCard, roundCloseConfirmCard, roundSettingsCard, SettingsView } from '../../cards/admin-cards';
import { noticeCard } from '../../cards/notice';
import type { Card } from '../../cards/render';
import { CRITERION_FIELDS, NEW_ROW, RawCriteriaEdit, RawCriterion } from '../../domain/criteria-edit';
import type { Round } from '../../domain/round';
import { amsterdamDay, RawSettings, RETENTION_INPUT_NAMES, SETTINGS_FIELDS } from '../../domain/round-settings';
import { fill, Lang } from '../../i18n';
import { adminMessages } from '../../i18n/admin';
import type { Logger } from '../../log';
import type { Versioned } from '../../domain/versioned';
import { adminRound, criteriaFrozen, newestRoundYear } from '../../usecases/admin-round';
import { roundOf } from '../../usecases/current-round';
import { createRound, startRound } from '../../usecases/create-round';
import { listRounds } from '../../usecases/list-rounds';
import { newRoundCard } from '../../cards/round-cards';
import { roundMessages } from '../../i18n/rounds';
import { cardForRound, matchWithRound } from '../core/round-arg';
import type { Deps } from '../../usecases/deps';
import { isAccounthouder } from '../../usecases/roles';
import { setRoundStatus } from '../../usecases/set-round-status';
import { updateCriteria } from '../../usecases/update-criteria';
import { updateRoundSettings } from '../../usecases/update-round-settings';
import {
  CriteriaSavePayload,
  criterionInputs,
  NewRoundPayload,
  RoundCreatePayload,
  RoundRef,
  RoundSavePayload,
  RoundStartPayload,
  RoundStatusPayload,
} from './payloads';
import { randomUUID } from 'node:crypto';
import { executor, Handler } from '../core/execute';
import { normaliseCommand, type Turn } from '../core/turn';
import { VERBS } from '../core/verbs';

/** A polite no: these cards are the accounthouder's, whatever a card or a message says. */
export function forbiddenCard(lang: Lang): Card {
  const a = adminMessages(lang);
  return noticeCard(lang, a.forbiddenTitle, a.forbidden);
}

function notFoundCard(lang: Lang): Card {
  const a = adminMessages(lang);
  return noticeCard(lang, a.notFoundTitle, a.notFound);
}

/** The year it is now in Zwolle. */
const thisYear = (deps: Deps) => Number(amsterdamDay(deps.clock.now().toISOString()).slice(0, 4));

/** The settings card; on the newest round it also offers to start next year's. */
async function settingsCard(deps: Deps, lang: Lang, round: Versioned<Round>, view: SettingsView = {}): Promise<Card> {
  const [newestYear, frozen] = await Promise.all([newestRoundYear(deps), criteriaFrozen(deps, round.value)]);
  const newest = Math.max(newestYear ?? round.value.year, round.value.year);
  return roundSettingsCard(lang, round, { ...view, frozen, ...(newest === round.value.year ? { nextYear: newest + 1 } : {}) });
}

async function showSettings(deps: Deps, lang: Lang, roundId?: string, view: SettingsView = {}): Promise<Card> {
  const round = await adminRound(deps, roundId);
  if (round) return settingsCard(deps, lang, round, view);
  return roundId ? notFoundCard(lang) : noRoundCard(lang, thisYear(deps));
}

async function showCriteria(deps: Deps, lang: Lang, round: Versioned<Round> | undefined, view: CriteriaView = {}): Promise<Card> {
  if (!round) return noRoundCard(lang, thisYear(deps));
  return criteriaCard(lang, round.value, await criteriaFrozen(deps, round.value), view);
}

/** The accounthouder's cards in the 1:1 chat: round settings, status, a new round, criteria. */
export function registerAdminRoutes(app: TeamsApp<TurnState>, deps: Deps, log: Logger): void {
  // The shared guard (zod payload, identity from the activity, invoke deadline, failure → card),
  // plus the accounthouder check from the store before anything is read or shown.
  const run = executor(app, log);
  const execute = <S extends z.ZodTypeAny>(verb: string, schema: S, handler: Handler<S>) =>
    run(verb, schema, async (turn, data) => {
      if (await isAccounthouder(deps, turn.userId)) return handler(turn, data);
      log.warn({ verb, code: 'FORBIDDEN' }, 'accounthouder action refused');
      return forbiddenCard(turn.lang);
    });

  execute(VERBS.round.show, RoundRef, (turn, data) => showSettings(deps, turn.lang, data.roundId));

  execute(VERBS.round.criteriaShow, RoundRef, async (turn, data) => {
    const round = await adminRound(deps, data.roundId);
    return data.roundId && !round ? notFoundCard(turn.lang) : showCriteria(deps, turn.lang, round);
  });

  execute(VERBS.round.save, RoundSavePayload, async (turn, data) => {
    const a = adminMessages(turn.lang);
    const raw: RawSettings = Object.fromEntries([...SETTINGS_FIELDS, ...RETENTION_INPUT_NAMES].map((f) => [f, data[f]]));
    const res = await updateRoundSettings(deps, { actorId: turn.userId, roundId: data.roundId, etag: data.etag, raw });
    if (res.ok) {
      if (res.value.changed) log.info({ roundId: data.roundId }, 'round settings saved');
      return settingsCard(deps, turn.lang, res.value.round, { notice: res.value.changed ? a.settings.saved : a.unchanged });
    }
    const e = res.error;
    log.info({ verb: VERBS.round.save, roundId: data.roundId, code: e.code }, 'round settings not saved');
    switch (e.code) {
      case 'INVALID':
        return settingsCard(deps, turn.lang, e.round, { raw, errors: e.errors, ...(e.spent !== undefined ? { spent: e.spent } : {}) });
      case 'STALE':
        return settingsCard(deps, turn.lang, e.round, { notice: a.stale, noticeKind: 'error' });
      case 'NOT_FOUND':
        return notFoundCard(turn.lang);
      case 'FORBIDDEN':
        return forbiddenCard(turn.lang);
    }
  });

  execute(VERBS.round.status, RoundStatusPayload, async (turn, data) => {
    const a = adminMessages(turn.lang);
    if (data.to === 'closed' && !data.confirmed) {
      const round = await roundOf(deps, data.roundId);
      if (!round) return notFoundCard(turn.lang);
      if (round.value.status !== data.from) return settingsCard(deps, turn.lang, round, { notice: a.stale, noticeKind: 'error' });
      return roundCloseConfirmCard(turn.lang, round.value);
    }
    const res = await setRoundStatus(deps, { actorId: turn.userId, roundId: data.roundId, from: data.from, to: data.to });
    if (res.ok) {
      if (res.value.changed) log.info({ roundId: data.roundId, status: data.to }, 'round status changed');
      return settingsCard(deps, turn.lang, res.value.round, {
        notice: fill(a.settings.statusChanged, { status: a.settings.status[res.value.round.value.status] }),
      });
    }
    const e = res.error;
    log.info({ verb: VERBS.round.status, roundId: data.roundId, code: e.code }, 'round status not changed');
    switch (e.code) {
      case 'STALE':
        return settingsCard(deps, turn.lang, e.round, { notice: a.stale, noticeKind: 'error' });
      case 'TRANSITION':
        return settingsCard(deps, turn.lang, e.round, { notice: a.settings.transition, noticeKind: 'error' });
      case 'DEADLINE_PASSED':
        return settingsCard(deps, turn.lang, e.round, { notice: a.settings.deadlinePassed, noticeKind: 'error' });
      case 'NOT_FOUND':
        return notFoundCard(turn.lang);
      case 'FORBIDDEN':
        return forbiddenCard(turn.lang);
    }
  });

  execute(VERBS.round.create, RoundCreatePayload, async (turn, data) => {
    const a = adminMessages(turn.lang);
    const res = await createRound(deps, { actorId: turn.userId, year: data.year, ...(data.from ? { from: data.from } : {}) });
    if (res.ok) {
      log.info({ roundId: res.value.value.id }, 'round created');
      return settingsCard(deps, turn.lang, res.value, { notice: fill(a.settings.created, { year: data.year }) });
    }
    const e = res.error;
    switch (e.code) {
      case 'ALREADY_EXISTS':
        return settingsCard(deps, turn.lang, e.round, { notice: fill(a.settings.exists, { year: data.year }) });
      case 'INVALID_YEAR':
        return showSettings(deps, turn.lang, undefined, { notice: a.settings.invalidYear, noticeKind: 'error' });
      case 'FORBIDDEN':
        return forbiddenCard(turn.lang);
    }
  });

  execute(VERBS.round.startCard, NewRoundPayload, async (turn) => startCard(deps, turn.lang));

  execute(VERBS.round.start, RoundStartPayload, async (turn, data) => {
    const r = roundMessages(turn.lang);
    const raw = { name: data.name ?? '', prefix: data.prefix ?? '', year: data.year ?? '', ...(data.copyFrom ? { copyFrom: data.copyFrom } : {}) };
    const res = await startRound(deps, {
      actorId: turn.userId,
      token: data.token,
      raw: { name: raw.name, prefix: raw.prefix, year: raw.year },
      ...(data.copyFrom ? { copyFrom: data.copyFrom } : {}),
    });
    if (res.ok) {
      const round = res.value.round;
      if (res.value.created) log.info({ roundId: round.value.id }, 'round started');
      return settingsCard(deps, turn.lang, round, {
        notice: res.value.created ? fill(r.start.created, { id: round.value.id, name: round.value.name }) : r.start.again,
      });
    }
    const e = res.error;
    log.info({ verb: VERBS.round.start, code: e.code }, 'round not started');
    switch (e.code) {
      case 'INVALID':
        return startCard(deps, turn.lang, { token: data.token, raw, errors: e.errors });
      case 'SOURCE_NOT_FOUND':
        return startCard(deps, turn.lang, { token: data.token, raw: { ...raw, copyFrom: '' }, notice: r.start.sourceGone });
      case 'FORBIDDEN':
        return forbiddenCard(turn.lang);
    }
  });

  execute(VERBS.round.criteriaSave, CriteriaSavePayload, async (turn, data) => {
    const a = adminMessages(turn.lang);
    const raw = criteriaEditOf(data.inputs);
    const res = await updateCriteria(deps, { actorId: turn.userId, roundId: data.roundId, version: data.version, raw });
    if (res.ok) {
      const version = res.value.round.value.criteria.version;
      if (res.value.changed) log.info({ roundId: data.roundId, version }, 'criteria saved');
      return showCriteria(deps, turn.lang, res.value.round, { notice: res.value.changed ? fill(a.criteria.saved, { version }) : a.unchanged });
    }
    const e = res.error;
    log.info({ verb: VERBS.round.criteriaSave, roundId: data.roundId, code: e.code }, 'criteria not saved');
    switch (e.code) {
      case 'INVALID':
        return criteriaCard(turn.lang, e.round.value, false, { raw, errors: e.errors });
      case 'STALE':
        return showCriteria(deps, turn.lang, e.round, { notice: a.criteria.stale, noticeKind: 'error' });
      case 'FROZEN':
        return criteriaCard(turn.lang, e.round.value, true, { notice: a.criteria.frozenNow, noticeKind: 'error' });
      case 'NOT_FOUND':
        return notFoundCard(turn.lang);
      case 'FORBIDDEN':
        return forbiddenCard(turn.lang);
    }
  });
}

/** The typed criteria inputs (`<id>.<field>`, `_new.<field>`) as rows. */
function criteriaEditOf(inputs: Record<string, string>): RawCriteriaEdit {
  const rows: Record<string, RawCriterion> = {};
  const added: RawCriterion = {};
  for (const { key, field, value } of criterionInputs(inputs)) {
    if (key === NEW_ROW) {
      if (field !== 'remove') added[field as (typeof CRITERION_FIELDS)[number]] = value;
    } else {
      (rows[key] ??= {})[field as keyof RawCriterion] = value;
    }
  }
  return { rows, added };
}

/** The card to start another round, with a fresh one-time token unless it is the same card shown again. */
async function startCard(
  deps: Deps,
  lang: Lang,
  again: { token?: string; raw?: Parameters<typeof newRoundCard>[1]['raw']; errors?: Parameters<typeof newRoundCard>[1]['errors']; notice?: string } = {},
): Promise<Card> {
  const rounds = await listRounds(deps);
  return newRoundCard(lang, {
    token: again.token ?? randomUUID(),
    rounds,
    year: thisYear(deps),
    ...(again.raw ? { raw: again.raw } : {}),
    ...(again.errors ? { errors: again.errors } : {}),
    ...(again.notice ? { notice: again.notice } : {}),
  });
}

const ADMIN_COMMANDS: [RegExp, 'settings' | 'criteria'][] = [
  [/^(ronde|round|instellingen|ronde instellen|settings)$/, 'settings'],
  [/^(uitgangspunten|criteria)$/, 'criteria'],
];
const NEW_ROUND = /^(nieuwe ronde|nieuwe ronde starten|ronde starten|new round|start round|start a new round)$/;

/**
 * The accounthouder's text commands in the 1:1 chat: `ronde` / `round` / `instellingen` gives the
 * round-settings card, `uitgangspunten` / `criteria` the criteria card, each optionally with a
 * round (`ronde LBN-2026`) or a year (`ronde 2025`); with more than one live round and none named,
 * a "which round?" card. `nieuwe ronde` gives the card to start another round. Someone else gets a
 * polite refusal; any other text is not an admin command (undefined), and neither is anything said
 * in a channel.
 */
export async function adminCardFor(turn: Turn, deps: Deps, text: string): Promise<Card | undefined> {
  if (!turn.personal) return undefined;
  const normalised = normaliseCommand(text);
  if (NEW_ROUND.test(normalised)) return (await isAccounthouder(deps, turn.userId)) ? startCard(deps, turn.lang) : forbiddenCard(turn.lang);
  const match = ADMIN_COMMANDS.map(([re, command]) => ({ found: matchWithRound(normalised, re), command })).find((x) => x.found);
  if (!match?.found) return undefined;
  if (!(await isAccounthouder(deps, turn.userId))) return forbiddenCard(turn.lang);
  const { arg } = match.found;
  const command = match.command === 'settings' ? 'ronde' : 'criteria';
  const noneOfYear = (year: number) => noRoundCard(turn.lang, year);
  return cardForRound(deps, turn.lang, { arg, command, fallback: (d) => adminRound(d), noneOfYear }, async (round) => {
    if (!round) return noRoundCard(turn.lang, thisYear(deps));
    return match.command === 'settings' ? settingsCard(deps, turn.lang, round) : showCriteria(deps, turn.lang, round);
  });
}
