import { randomUUID } from 'node:crypto';
import type { Application as TeamsApp, TurnState } from '@microsoft/teams-ai';
import { z } from 'zod';
import { organisationsCard, OrganisationsView } from '../../cards/organisation-cards';
import type { Card } from '../../cards/render';
import { ORGANISATION_LIMITS } from '../../domain/organisation';
import { fill, messages } from '../../i18n';
import type { Logger } from '../../log';
import type { Deps } from '../../usecases/deps';
import { addOrganisationAlias, organisationRegistry, registerOrganisation } from '../../usecases/organisations';
import { isAccounthouder } from '../../usecases/roles';
import { cardToken, etag, input, organisationId, page } from '../core/schemas';
import { executor, Handler } from '../core/execute';
import { normaliseCommand, type Turn } from '../core/turn';
import { VERBS } from '../core/verbs';
import { forbiddenCard } from '../round/routes';

/** Payloads of the registry card: which page and entry it was drawn from, the typed input. Never who. */
const ShowPayload = z.object({ page: page.optional(), organisationId: organisationId.optional() });
const AddPayload = z.object({
  token: cardToken,
  page: page.optional(),
  name: input(ORGANISATION_LIMITS.name),
  kvk: input(ORGANISATION_LIMITS.kvk),
  aliases: input(ORGANISATION_LIMITS.aliases * (ORGANISATION_LIMITS.alias + 2)),
});
const AliasPayload = z.object({ organisationId, etag, page: page.optional(), alias: input(ORGANISATION_LIMITS.alias) });

export interface OrganisationChat {
  /** `organisaties` / `organisations` in the 1:1 chat: the registry card for the accounthouder, a polite no for anyone else. */
  cardForText(turn: Turn, text: string): Promise<Card | undefined>;
}

const COMMAND = /^(organisaties|organisations|partnerorganisaties|partner organisations|register|registry)$/;

/** The accounthouder's organisation registry in the 1:1 chat: the list, a new entry, another name for an entry. */
export function registerOrganisationRoutes(app: TeamsApp<TurnState>, deps: Deps, log: Logger): OrganisationChat {
  const run = executor(app, log);
  // The accounthouder check from the store before anything is read or shown (the use cases check again).
  const execute = <S extends z.ZodTypeAny>(verb: string, schema: S, handler: Handler<S>) =>
    run(verb, schema, async (turn, data) => {
      if (await isAccounthouder(deps, turn.userId)) return handler(turn, data);
      log.warn({ verb, code: 'FORBIDDEN' }, 'accounthouder action refused');
      return forbiddenCard(turn.lang);
    });

  /** The registry card as it is now; a new token for the add form each time it is drawn. */
  async function view(turn: Turn, options: Omit<OrganisationsView, 'token'> = {}): Promise<Card> {
    const registry = await organisationRegistry(deps, turn.userId);
    if (!registry.ok) return forbiddenCard(turn.lang);
    return organisationsCard(turn.lang, registry.value, { ...options, token: randomUUID() });
  }

  execute(VERBS.organisation.show, ShowPayload, (turn, data) =>
    view(turn, { ...(data.page ? { page: data.page } : {}), ...(data.organisationId ? { selectedId: data.organisationId } : {}) }),
  );

  execute(VERBS.organisation.add, AddPayload, async (turn, data) => {
    const t = messages(turn.lang).organisations;
    const raw = { name: data.name ?? '', kvk: data.kvk ?? '', aliases: data.aliases ?? '' };
    const res = await registerOrganisation(deps, { actorId: turn.userId, token: data.token, raw });
    const at = data.page ? { page: data.page } : {};
    if (res.ok) {
      if (!res.value.already) log.info({ verb: VERBS.organisation.add, organisationId: res.value.organisation.id }, 'organisation registered');
      return view(turn, { ...at, notice: fill(res.value.already ? t.already : t.added, { name: res.value.organisation.name }) });
    }
    const e = res.error;
    log.info({ verb: VERBS.organisation.add, code: e.code }, 'organisation not registered');
    switch (e.code) {
      case 'INVALID':
        return view(turn, { ...at, raw, errors: e.errors });
      case 'DUPLICATE':
        return view(turn, { ...at, raw, notice: fill(t.duplicate, { name: e.existing.name }), noticeKind: 'error' });
      case 'FORBIDDEN':
        return forbiddenCard(turn.lang);
    }
  });

  execute(VERBS.organisation.alias, AliasPayload, async (turn, data) => {
    const t = messages(turn.lang).organisations;
    const alias = data.alias ?? '';
    const res = await addOrganisationAlias(deps, { actorId: turn.userId, organisationId: data.organisationId, etag: data.etag, alias });
    const at = data.page ? { page: data.page } : {};
    if (res.ok) {
      const { name, aliases } = res.value.organisation.value;
      if (res.value.changed) log.info({ verb: VERBS.organisation.alias, organisationId: data.organisationId }, 'organisation alias added');
      return view(turn, { ...at, notice: res.value.changed ? fill(t.aliasAdded, { alias: aliases.at(-1) ?? '', name }) : fill(t.aliasAlready, { name }) });
    }
    const e = res.error;
    log.info({ verb: VERBS.organisation.alias, code: e.code }, 'organisation alias not added');
    switch (e.code) {
      case 'INVALID':
        return view(turn, { selectedId: data.organisationId, alias: { value: alias, error: t.errors[e.error] } });
      case 'DUPLICATE': {
        const text = fill(t.aliasDuplicate, { name: e.existing.name });
        return view(turn, { selectedId: data.organisationId, alias: { value: alias, error: text }, notice: text, noticeKind: 'error' });
      }
      case 'STALE':
        return view(turn, { selectedId: data.organisationId, alias: { value: alias }, notice: t.stale, noticeKind: 'error' });
      case 'NOT_FOUND':
        return view(turn, { ...at, notice: t.notFound, noticeKind: 'error' });
      case 'FORBIDDEN':
        return forbiddenCard(turn.lang);
    }
  });

  return {
    async cardForText(turn, text) {
      if (!turn.personal || !COMMAND.test(normaliseCommand(text))) return undefined;
      if (!(await isAccounthouder(deps, turn.userId))) return forbiddenCard(turn.lang);
      return view(turn);
    },
  };
}
