import { Application, TeamsAdapter, TurnState } from '@microsoft/teams-ai';
import { LeerbudgetAdapter } from './adapter';
import { botFrameworkAuthConfig, Config } from '../../config';
import { langFor, messages } from '../../i18n';
import type { Logger } from '../../log';
import type { Deps } from '../../usecases/deps';
import { enqueueMessages } from '../../usecases/enqueue-messages';
import { adminCardFor, registerAdminRoutes } from '../round/routes';
import { registerAllocationRoutes } from '../allocation/routes';
import { registerApplicationsRoutes } from '../applications/routes';
import { registerConsultationRoutes } from '../consultation/routes';
import { registerOrganisationRoutes } from '../organisation/routes';
import { DecisionAnnouncer } from '../proactive/decision-announcer';
import { registerFallbacks } from './fallback';
import { answerUnansweredInvokes, registerOtherInvokes } from './other-invokes';
import { sizeGuard } from './size-guard';
import { tenantDoor } from './tenant';
import { Notifier } from '../proactive/notifier';
import type { OutboxEntry } from '../../domain/outbox';
import type { DeliveryFailed } from '../proactive/notifier';
import { registerRosterRoutes } from '../proactive/roster';
import { unreachableReporter } from '../proactive/unreachable';
import { registerPartnerRoutes, rememberChat } from '../application/routes';
import { registerAttachmentRoutes } from '../application/attachment-routes';
import { ReviewPublisher } from '../proactive/review-publisher';
import { registerReportRoutes } from '../reports/routes';
import { reportLinker } from '../../reports/links';
import { signedLinker, type SignedLinker } from '../../reports/signed-links';
import { registerPrivacyRoutes } from '../privacy/routes';
import { registerResultsRoutes } from '../results/routes';
import { registerRetentionRoutes } from '../retention/routes';
import { registerChangeRequestRoutes } from '../change-request/routes';
import { registerFormRoutes } from '../form/routes';
import { registerReviewRoutes } from '../review/routes';
import { registerStuckRoutes } from '../review/stuck-routes';
import { errorFacts, sendCard, turnOf, type Turn } from './turn';
import { loadReview } from '../../usecases/load-review';
import type { Card } from '../../cards/render';
import { z } from 'zod';
import { executor } from './execute';
import { ROUND_COMMANDS, roundCommand } from './round-arg';
import { roundId } from './schemas';
import { VERBS } from './verbs';

const RoundChoice = z.object({ roundId, command: roundCommand });

export interface Bot {
  adapter: TeamsAdapter;
  app: Application<TurnState>;
  notifier: Notifier;
  publisher: ReviewPublisher;
  announcer: DecisionAnnouncer;
  /** Signs download links in report cards; the download route must check them with the same one. */
  reportLinks: ReturnType<typeof reportLinker>;
  /** Signs the personal-data and logboek links; their download routes check them with the same one. */
  signedLinks: SignedLinker;
  onOutbox(kick: () => void): void;
  /** For the outbox dispatcher: a message given up on; tells the accounthouders who could not be reached. */
  undeliverable(entry: OutboxEntry, failure: DeliveryFailed): Promise<void>;
}

/**
 * The Teams side: a CloudAdapter (TeamsAdapter) authenticated with
 * ConfigurationBotFrameworkAuthentication, and the teams-ai Application with one routes file
 * per area. Our own store holds all state, so teams-ai gets no turn-state storage.
 */
export function createBot(config: Config, deps: Deps, log: Logger): Bot {
  const adapter = new LeerbudgetAdapter(botFrameworkAuthConfig(config), log.child({ area: 'auth' }));
  // First, so that it sees every activity any later middleware, route or proactive send makes.
  adapter.use(sizeGuard(log.child({ area: 'size' })));
  adapter.use(tenantDoor(config.allowedTenants, log.child({ area: 'door' })));
  adapter.use(answerUnansweredInvokes(log.child({ area: 'invoke' })));
  const uiLocale = config.uiLocale;
  if (uiLocale) {
    adapter.use(async (context, next) => {
      context.activity.locale = uiLocale;
      await next();
    });
  }
  const app = new Application<TurnState>({
    adapter,
    botAppId: config.bot.appId,
    removeRecipientMention: true,
    startTypingTimer: false,
    longRunningMessages: false,
  });
  const kicks: (() => void)[] = [];
  const notifier = new Notifier(adapter, config.bot.appId, deps.repos, log.child({ area: 'notifier' }));
  const reportUnreachable = unreachableReporter(deps, log.child({ area: 'unreachable' }));
  const publisher = new ReviewPublisher(deps, notifier, log.child({ area: 'publisher' }));

  registerRosterRoutes(app, deps, log.child({ area: 'roster' }));
  const personal = registerPartnerRoutes(app, deps, log.child({ area: 'partner' }), {
    submitted: (roundId, applicationId) => publisher.publishLater(roundId, applicationId),
    resubmitted: (roundId, applicationId) => {
      kicks.forEach((k) => k());
      loadReview(deps, roundId, applicationId)
        .then((ctx) => ctx?.bundle.review?.value.state === 'posted' && publisher.refreshSharedLater(ctx))
        .catch((e) => log.warn({ err: errorFacts(e) }, 'review card after a resubmission not updated'));
    },
  });
  const files = registerAttachmentRoutes(app, deps, log.child({ area: 'attachments' }), {
    allowLoopbackDownloads: config.attachments.allowLoopbackDownloads,
    downloadHosts: config.attachments.downloadHosts,
  });
  registerAdminRoutes(app, deps, log.child({ area: 'admin' }));
  const organisations = registerOrganisationRoutes(app, deps, log.child({ area: 'organisation' }));
  const retention = registerRetentionRoutes(app, deps, log.child({ area: 'retention' }));
  const changes = registerChangeRequestRoutes(app, deps, log.child({ area: 'change' }), publisher, () => kicks.forEach((k) => k()));
  const formEditor = registerFormRoutes(app, deps, log.child({ area: 'form' }));
  const channel = registerReviewRoutes(app, deps, log.child({ area: 'review' }), notifier, publisher, () => kicks.forEach((k) => k()));
  const announcer = new DecisionAnnouncer(deps, log.child({ area: 'announcer' }), () => kicks.forEach((k) => k()));
  const stuck = registerStuckRoutes(app, deps, log.child({ area: 'stuck' }), publisher);
  const allocation = registerAllocationRoutes(app, deps, log.child({ area: 'allocation' }), notifier, announcer);
  const results = registerResultsRoutes(app, deps, log.child({ area: 'results' }));
  const reportLinks = reportLinker({ publicUrl: config.publicUrl, linkSecret: config.linkSecret });
  const reports = registerReportRoutes(app, deps, log.child({ area: 'reports' }), reportLinks);
  const applications = registerApplicationsRoutes(app, deps, log.child({ area: 'applications' }), reportLinks);
  const signedLinks = signedLinker({ publicUrl: config.publicUrl, linkSecret: config.linkSecret });
  const privacy = registerPrivacyRoutes(app, deps, log.child({ area: 'privacy' }), signedLinks, () => kicks.forEach((k) => k()));
  const consultation = registerConsultationRoutes(app, deps, log.child({ area: 'consultation' }), async (entries) => {
    await enqueueMessages(deps, entries);
    kicks.forEach((k) => k());
  });
  // One entry for text in the 1:1 chat: accounthouder commands, then the partner's.
  const personalCard = async (turn: Turn, text: string): Promise<Card> =>
    (await adminCardFor(turn, deps, text)) ??
    (await organisations.cardForText(turn, text)) ??
    (await retention.cardForText(turn, text)) ??
    (await changes.cardForText(turn, text)) ??
    (await formEditor.cardForText(turn, text)) ??
    (await allocation.cardForText(turn, text)) ??
    (await stuck.cardForText(turn, text)) ??
    (await results.cardForText(turn, text)) ??
    (await consultation.cardForText(turn, text)) ??
    (await reports.cardForText(turn, text)) ??
    (await applications.cardForText(turn, text)) ??
    (await privacy.cardForText(turn, text)) ??
    (await personal.cardForText(turn, text));
  // A round chosen on the "which round?" card: the command again, as typed, with that round's id.
  // The command checks the role itself; the payload only says which command and which round.
  executor(app, log)(VERBS.round.choose, RoundChoice, (turn, data) => personalCard(turn, `${ROUND_COMMANDS[data.command].nl} ${data.roundId}`));
  registerFallbacks(app, log);
  registerOtherInvokes(app, log);

  // One entry for text: the 1:1 chat (accounthouder commands, then the partner's) or a channel.
  app.activity('message', async (context) => {
    const turn = turnOf(context);
    if (!turn.userId) {
      log.warn({ activity: 'message', code: 'NO_IDENTITY' }, 'message without an Entra object id refused');
      await context.sendActivity(messages(turn.lang).notices.noIdentity);
      return;
    }
    try {
      await rememberChat(deps, context, turn);
      // Files sent in the 1:1 chat go to the partner's open draft, whatever text came with them.
      if (await files.onFiles(context, turn)) return;
      const text = context.activity.text ?? '';
      if (!turn.personal) return await channel.onMessage(context, turn, text);
      await sendCard(context, await personalCard(turn, text));
    } catch (e) {
      log.error({ activity: 'message', err: errorFacts(e) }, 'message failed');
      await context.sendActivity(messages(turn.lang).notices.storage);
    }
  });

  app.error(async (context, error) => {
    log.error({ err: errorFacts(error), activityType: context.activity.type }, 'turn failed');
    if (context.activity.type === 'message') {
      await context.sendActivity(messages(langFor(context.activity.locale)).notices.storage).catch(() => undefined);
    }
  });
  return {
    adapter,
    app,
    notifier,
    publisher,
    announcer,
    reportLinks,
    signedLinks,
    /** Whoever sends the outbox registers here to hear about new entries. */
    onOutbox: (kick: () => void) => kicks.push(kick),
    undeliverable: async (entry, failure) => {
      await reportUnreachable(entry, failure);
      kicks.forEach((k) => k());
    },
  };
}
