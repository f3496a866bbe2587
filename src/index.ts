// First: OpenTelemetry starts (when configured) before the modules it instruments are loaded.
import { telemetry } from './start-telemetry';
import type { AddressInfo } from 'node:net';
import { createBot } from './app/core/bot';
import { OutboxDispatcher } from './app/proactive/outbox-dispatcher';
import { Config, ConfigError, DEFAULT_PRIVACY_CONTACT, environment, loadConfig } from './config';
import { createLogger, Logger } from './log';
import { Clock, clockFrom, systemClock } from './clock';
import { createServer } from './http/server';
import { registerReportDownloads } from './http/report-downloads';
import { registerPersonalDownloads } from './http/personal-downloads';
import { registerPages } from './http/pages';
import { ensureTables, tableClients } from './store/tables';
import { tableRepos } from './store/table-repos';
import { azureBlobs } from './store/blob-store';
import { attachmentLinker } from './usecases/attachment-links';
import { registerAttachmentDownloads } from './http/attachment-downloads';
import { seedDemoRound } from './usecases/seed-demo-round';
import { runJobsOnce, startScheduler } from './scheduler';
import { RetentionJob } from './scheduler/retention-job';
import { ReminderJob } from './scheduler/reminder-job';

export interface Running {
  url: string;
  port: number;
  /** Resolves when storage has been prepared (tables, demo round). */
  ready: Promise<void>;
  stop(): Promise<void>;
}

/** Wiring only: config → table clients → repos → bot → HTTP server. */
export async function start(config: Config, options: { clock?: Clock; log?: Logger } = {}): Promise<Running> {
  const log = options.log ?? createLogger(config.logLevel, telemetry?.logDestination(config.logLevel));
  const clock = options.clock ?? (config.clockStart ? clockFrom(new Date(config.clockStart)) : systemClock);
  const clients = tableClients(config.storage.connectionString, config.storage.tablePrefix);
  const repos = tableRepos(clients);
  const blobs = config.attachments.enabled ? azureBlobs(config.storage.connectionString, config.attachments.container) : undefined;
  const attachmentLinks = attachmentLinker({ publicUrl: config.publicUrl, linkSecret: config.linkSecret });
  const deps = { repos, clock, accounthouders: config.accounthouders, ...(blobs ? { blobs } : {}), attachmentLinks, pseudonymSecret: config.pseudonymSecret };
  const bot = createBot(config, deps, log);
  const server = createServer(
    bot,
    () => repos.ping(),
    log,
    { secret: config.jobTriggerSecret, run: () => runJobsOnce(deps, bot.publisher, bot.announcer, reminders, log.child({ area: 'jobs' }), retention) },
    { requestTimeoutMs: config.requestTimeoutMs },
  );
  registerReportDownloads(server, deps, bot.reportLinks, log.child({ area: 'reports' }));
  registerAttachmentDownloads(server, deps, attachmentLinks, log.child({ area: 'attachments' }));
  registerPersonalDownloads(server, deps, bot.signedLinks, log.child({ area: 'privacy' }));
  registerPages(server, { privacyContact: config.privacyContact });
  if (config.appEnv === 'production' && config.privacyContact === DEFAULT_PRIVACY_CONTACT) {
    log.warn({ setting: 'PRIVACY_CONTACT' }, 'the /privacy page names the placeholder contact: set PRIVACY_CONTACT');
  }
  const dispatcher = new OutboxDispatcher(deps, bot.notifier, log.child({ area: 'outbox' }), { onUndeliverable: bot.undeliverable });
  bot.onOutbox(() => dispatcher.kick());
  const reminders = new ReminderJob(deps, log.child({ area: 'reminders' }), () => dispatcher.kick());
  const retention = new RetentionJob(deps, log.child({ area: 'retention' }));
  if (config.appEnv === 'production' && !config.pseudonymSecret) {
    log.warn({ setting: 'PSEUDONYM_SECRET' }, 'no PSEUDONYM_SECRET (nor LINK_SECRET): pseudonyms in the audit use a published key');
  }

  let stopped = false;
  // Storage may come up after the bot (or be briefly away): keep trying in the background so the
  // bot starts fast and recovers by itself; /healthz tells the truth meanwhile.
  const ready = (async () => {
    for (let attempt = 0; !stopped; attempt++) {
      try {
        await Promise.all([ensureTables(clients), blobs?.ensure()]);
        if (config.seedDemo) {
          const seeded = await seedDemoRound(deps);
          log.info({ roundId: seeded.roundId, created: seeded.created }, 'demo round');
        }
        return;
      } catch (e) {
        log.warn({ attempt, statusCode: (e as { statusCode?: number }).statusCode, code: (e as { code?: string }).code }, 'storage not ready, retrying');
        await new Promise((r) => setTimeout(r, Math.min(5000, 250 * 2 ** attempt)));
      }
    }
  })();

  const scheduler = startScheduler(deps, bot.publisher, bot.announcer, log.child({ area: 'scheduler' }), undefined, reminders, retention);
  // Catch up at start: reviews that could not be posted, decisions not yet announced and reminders missed while the bot was down.
  void ready.then(() => Promise.all([bot.publisher.sweep(), bot.announcer.announcePending(), reminders.run()])).catch(() => undefined);
  // The first drain runs at once: it sends what the last process stored but did not send.
  void ready.then(() => {
    if (!stopped) dispatcher.start();
  });

  await new Promise<void>((resolve) => server.listen(config.port, '0.0.0.0', resolve));
  const port = (server.address() as AddressInfo).port;
  log.info({ port, appEnv: config.appEnv, authenticated: config.bot.appId !== '', telemetry: telemetry?.enabled ?? false }, 'listening');
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    ready,
    async stop() {
      stopped = true;
      scheduler.stop();
      await dispatcher.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(environment());
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`Leerbudget cannot start.\n${e.message}\n`);
      process.exit(78);
    }
    throw e;
  }
  const running = await start(config);
  const shutdown = () => {
    running
      .stop()
      .then(() => telemetry?.shutdown())
      .finally(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`Leerbudget stopped: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
