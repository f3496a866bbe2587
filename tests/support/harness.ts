import { start, Running } from '../../src/index';
import { loadConfig } from '../../src/config';
import { createLogger, Logger } from '../../src/log';
import type { Clock } from '../../src/clock';
import { startAzurite, RunningAzurite } from './azurite';
import { startConnector } from './connector';

let prefixSeq = 0;

/**
 * The real bot in this process — restify, CloudAdapter, teams-ai, Table Storage on Azurite —
 * with a recording connector as the serviceUrl. Activities go in over HTTP as Teams sends them.
 */
export async function startHarness(options: { clock?: Clock; env?: Record<string, string>; azurite?: RunningAzurite; log?: Logger } = {}) {
  const azurite = options.azurite ?? (await startAzurite());
  const connector = await startConnector();
  const config = loadConfig({
    APP_ENV: 'test',
    PORT: '0',
    STORAGE_CONNECTION_STRING: azurite.connectionString,
    TABLE_PREFIX: `H${process.pid}x${++prefixSeq}`,
    SEED_DEMO: 'true',
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const bot: Running = await start(config, { clock: options.clock, log: options.log ?? createLogger('silent') });
  await bot.ready;

  async function send(activity: object, headers: Record<string, string> = {}) {
    const res = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(activity),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  return {
    bot,
    config,
    azurite,
    connector,
    send,
    /** Sends an Action.Execute invoke and returns the card Teams would show in its place. */
    async invoke(activity: object) {
      const res = await send(activity);
      if (res.status !== 200) throw new Error(`invoke answered ${res.status}`);
      if (res.body?.type !== 'application/vnd.microsoft.card.adaptive') throw new Error(`invoke answered ${JSON.stringify(res.body)}`);
      return res.body.value;
    },
    async stop() {
      await bot.stop();
      await connector.stop();
      if (!options.azurite) await azurite.stop();
    },
  };
}
