import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Application, TeamsAdapter, TurnState } from '@microsoft/teams-ai';
import * as restify from 'restify';
import { botFrameworkAuthConfig, loadConfig } from '../../src/config';
import { auditEvent } from '../../src/domain/audit';
import type { ScoreSheet } from '../../src/domain/scoring';
import { auditToEntity, prefixFilter, readJson, reviewEntity, ROW } from '../../src/store/entities';
import { tableClients } from '../../src/store/tables';
import { BARE_VERB } from './bare-verb';
import { serve } from './ipc';
import { memorySampler } from './memory';
import { outgoingCounter } from './outgoing';

/**
 * Two yardsticks in one program.
 *
 * The bare app: a bare teams-ai app — TeamsAdapter (CloudAdapter) and Application set up as the
 * real bot sets them up, behind the same restify server and body parser — with one Action.Execute
 * route that answers a static card. No storage, no zod, no templating: what Teams + botbuilder +
 * teams-ai + restify cost on this machine.
 *
 * The storage floor (BENCH_FLOOR=1): the same app whose one route is `review.score` and does
 * exactly the storage I/O the bot's score needs — the round's key range (round row and panel) and
 * the application's key range (application row and review rows), in parallel, then one
 * transaction on the same rows the bot writes (the member's sheet and the review record, both
 * ETag-guarded, and an audit row), read again and retried on 412 as the bot does — on the same
 * Azurite and the same rows, so the entities are the bot's own and the same size. It answers a
 * card of the bot's answer size (BENCH_CARD_BYTES). No zod, no domain rules, no templating: no
 * durable score can be faster than this on this machine.
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

type Row = Record<string, unknown> & { partitionKey: string; rowKey: string };

/** The entity as written back: the properties the service keeps, not its metadata. */
function asStored(e: Record<string, unknown>): Row {
  const { etag: _etag, timestamp: _timestamp, 'odata.metadata': _metadata, ...rest } = e;
  return rest as Row;
}

/** The score's I/O without the bot around it; false when the rows are not there or every attempt lost the race. */
function floorScore(connectionString: string) {
  const table = tableClients(connectionString, process.env.TABLE_PREFIX ?? 'Bench').rounds;
  const list = async (filter: string) => {
    const out: Record<string, unknown>[] = [];
    for await (const e of table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) out.push(e);
    return out;
  };
  return async (roundId: string, applicationId: string, memberId: string, scores: Record<string, number>): Promise<boolean> => {
    for (let attempt = 0; attempt < 8; attempt++) {
      const [family, rows] = await Promise.all([list(prefixFilter(roundId, ROW.round)), list(prefixFilter(roundId, ROW.app(applicationId)))]);
      const sheet = rows.find((e) => e.rowKey === ROW.sheet(applicationId, memberId));
      const review = rows.find((e) => e.rowKey === ROW.review(applicationId));
      const round = family.find((e) => e.rowKey === ROW.round);
      if (!review || !round) return false;
      const criteriaVersion = readJson<{ version: number }>(round, 'criteriaJson').version;
      // A member's first save creates the sheet as the bot would; later ones write it back (the same size).
      const first: ScoreSheet = { memberId, criteriaVersion, scores, comments: {}, overall: '', at: new Date().toISOString() };
      const audit = auditToEntity(
        auditEvent(roundId, memberId, 'review.scored', applicationId, new Date(), { criteriaVersion, update: Boolean(sheet), afterSeen: false }),
        randomUUID(),
      );
      try {
        await table.submitTransaction([
          sheet
            ? ['update', asStored(sheet), 'Replace', { etag: String(sheet.etag) }]
            : ['create', reviewEntity(roundId, ROW.sheet(applicationId, memberId), 'sheet', applicationId, first)],
          ['update', asStored(review), 'Replace', { etag: String(review.etag) }],
          ['create', audit],
        ]);
        return true;
      } catch (e) {
        if ((e as { statusCode?: number }).statusCode !== 412) throw e;
        // The bot's own backoff between attempts (score-application.ts).
        await new Promise((r) => setTimeout(r, Math.random() * 12 * (attempt + 1)));
      }
    }
    return false;
  };
}

/** A card of `bytes` bytes of JSON (the bot's answer to a score), from the static card padded with one text block. */
function cardOfSize(bytes: number) {
  const card = staticCard();
  const missing = bytes - Buffer.byteLength(JSON.stringify(card)) - 60;
  if (missing > 0) card.body.push({ type: 'TextBlock', text: 'x'.repeat(missing), wrap: true } as never);
  return card;
}

async function main() {
  const config = loadConfig({ ...process.env, PORT: '0' });
  const memory = memorySampler();
  const floor = process.env.BENCH_FLOOR === '1';
  const outgoing = outgoingCounter(String(process.env.BENCH_STORAGE_URL));
  const adapter = new TeamsAdapter(botFrameworkAuthConfig(config));
  const app = new Application<TurnState>({
    adapter,
    botAppId: config.bot.appId,
    removeRecipientMention: true,
    startTypingTimer: false,
    longRunningMessages: false,
  });
  if (floor) {
    const score = floorScore(String(process.env.STORAGE_CONNECTION_STRING));
    const saved = cardOfSize(Number(process.env.BENCH_CARD_BYTES ?? 11_000));
    const lost = { ...saved, body: [{ type: 'TextBlock', text: 'Niet opgeslagen', wrap: true }] };
    app.adaptiveCards.actionExecute<Record<string, string>>('review.score', async (context, _state, data) => {
      const scores = Object.fromEntries(
        Object.entries(data)
          .filter(([k]) => k.startsWith('score_'))
          .map(([k, v]) => [k.slice('score_'.length), Number(v)]),
      );
      return (await score(String(data.roundId), String(data.applicationId), String(context.activity.from.aadObjectId), scores)) ? saved : lost;
    });
  } else {
    const card = staticCard();
    app.adaptiveCards.actionExecute(BARE_VERB, async () => card);
  }

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
        outgoing.reset();
        cpu = process.cpuUsage();
        elu = performance.eventLoopUtilization();
        memory.reset();
        return true;
      },
      stats: () => {
        const c = process.cpuUsage(cpu);
        return {
          outgoing: outgoing.now(),
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
    { url: `http://127.0.0.1:${port}`, port },
  );
}

main().catch((e) => {
  process.stderr.write(`bare child failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
