import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Application, TeamsAdapter, TurnState } from '@microsoft/teams-ai';
import * as restify from 'restify';
import { botFrameworkAuthConfig, loadConfig } from '../../src/config';
import { BARE_VERB } from './bare-verb';
import { serve } from './ipc';
import { memorySampler } from './memory';

/**
 * The yardstick: a bare teams-ai app — TeamsAdapter (CloudAdapter) and Application set up as the
 * real bot sets them up, behind the same restify server and body parser — with one Action.Execute
 * route that answers a static card. No storage, no zod, no templating: what Teams + botbuilder +
 * teams-ai + restify cost on this machine.
 */

/** A static card about the size of a panel member's review card after scoring (~11 KB). */
function staticCard() {
  const facts = Array.from({ length: 60 }, (_, i) => ({
    title: `Uitgangspunt ${i + 1}`,
    value: `Gemiddeld 3,${i % 10} (3 scores, 0 keer n.v.t.) — een vaste tekst zonder opslag`,
  }));
  return {
    type: 'AdaptiveCard' as const,
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [
      { type: 'TextBlock', text: 'Beoordeling', weight: 'Bolder', size: 'Large', wrap: true },
      { type: 'TextBlock', text: 'Je scores zijn opgeslagen.', color: 'Good', wrap: true },
      { type: 'FactSet', facts },
    ],
    actions: [{ type: 'Action.Execute', title: 'Vernieuwen', verb: BARE_VERB, data: { roundId: 'LB-2026' } }],
  };
}

async function main() {
  const config = loadConfig({ ...process.env, PORT: '0' });
  const memory = memorySampler();
  const adapter = new TeamsAdapter(botFrameworkAuthConfig(config));
  const app = new Application<TurnState>({
    adapter,
    botAppId: config.bot.appId,
    removeRecipientMention: true,
    startTypingTimer: false,
    longRunningMessages: false,
  });
  const card = staticCard();
  app.adaptiveCards.actionExecute(BARE_VERB, async () => card);

  const server = restify.createServer({ name: 'bare', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: 1024 * 1024 }));
  server.post('/api/messages', async (req: restify.Request, res: restify.Response) => {
    await adapter.process(req, res, async (context) => {
      await app.run(context);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;

  let cpu = process.cpuUsage();
  let elu = performance.eventLoopUtilization();
  serve(
    {
      reset: () => {
        cpu = process.cpuUsage();
        elu = performance.eventLoopUtilization();
        memory.reset();
        return true;
      },
      stats: () => {
        const c = process.cpuUsage(cpu);
        return {
          outgoing: { storage: 0, other: 0, storageBusyMs: 0, inFlight: 0 },
          cpuMs: (c.user + c.system) / 1000,
          eventLoopUtilization: performance.eventLoopUtilization(elu).utilization,
          memory: memory.peak(),
        };
      },
      stop: async () => {
        await new Promise<void>((r) => server.close(() => r()));
        return true;
      },
    },
    { url: `http://127.0.0.1:${port}`, port, cardBytes: Buffer.byteLength(JSON.stringify(card)) },
  );
}

main().catch((e) => {
  process.stderr.write(`bare child failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
