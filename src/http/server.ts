import { createHash, timingSafeEqual } from 'node:crypto';
import type { Server as HttpServer } from 'node:http';
import type { Socket } from 'node:net';
import * as restify from 'restify';
import { collectAfterAnswer, runAfterAnswer } from '../app/core/after-answer';
import type { Bot } from '../app/core/bot';
import type { Logger } from '../log';

/** The scheduled jobs, for a platform timer: runs them once and answers with counts. */
export interface JobTrigger {
  /** Empty: the trigger is off (404). */
  secret: string;
  run(): Promise<object>;
}

/** Constant-time on equal-length digests, so neither the secret's content nor its length leaks through timing. */
function sameSecret(given: string, secret: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(secret));
}

/**
 * Slow clients: a request's headers and body must have arrived within `ms`, or it gets 408 and
 * its connection is closed (a client that sends headers and then dribbles the body would hold a
 * socket and a parser for Node's default five minutes). Node's own requestTimeout and
 * headersTimeout are set too, but Node checks them only every 30 s; the timers here are exact.
 */
export function closeSlowRequests(http: HttpServer, ms: number, log: Logger): void {
  http.requestTimeout = ms;
  http.headersTimeout = ms;
  const waiting = new WeakMap<Socket, NodeJS.Timeout>();
  http.on('connection', (socket: Socket) => {
    // Until its first request's headers are in; later requests on a kept-alive socket are Node's.
    const timer = setTimeout(() => {
      log.warn({ code: 'SLOW_HEADERS' }, 'connection closed: request headers not received in time');
      socket.destroy();
    }, ms).unref();
    waiting.set(socket, timer);
    socket.once('close', () => clearTimeout(timer));
  });
  http.on('request', (req, res) => {
    clearTimeout(waiting.get(req.socket));
    const timer = setTimeout(() => {
      if (req.complete) return;
      log.warn({ method: req.method, path: (req.url ?? '').split('?')[0], code: 'SLOW_BODY' }, 'request closed: body not received in time');
      // As Node itself does on its requestTimeout: a bare 408 on the socket, then close it. The
      // response object is left alone: the body reader sees the close and ends the request.
      const socket = req.socket;
      if (res.headersSent || !socket.writable) return void socket.destroy();
      socket.end('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n', () => socket.destroy());
    }, ms).unref();
    res.once('close', () => clearTimeout(timer));
  });
}

/** Transport only: the Bot Framework endpoint, a health check and the job trigger. */
export function createServer(
  bot: Bot,
  ping: () => Promise<boolean>,
  log: Logger,
  jobs?: JobTrigger,
  limits: { requestTimeoutMs: number } = { requestTimeoutMs: 20_000 },
): restify.Server {
  const server = restify.createServer({ name: 'leerbudget', handleUncaughtExceptions: false });
  closeSlowRequests(server.server, limits.requestTimeoutMs, log);
  // Teams never compresses what it sends; restify's gunzip of a body that is not gzip throws
  // outside any handler and would end the process. Refuse encoded bodies before they are read.
  server.pre((req: restify.Request, res: restify.Response, next: restify.Next) => {
    const encoding = String(req.headers['content-encoding'] ?? 'identity').toLowerCase();
    if (encoding !== 'identity') {
      res.send(415, { error: 'unsupported content encoding' });
      return next(false);
    }
    return next();
  });
  server.use(restify.plugins.bodyParser({ maxBodySize: 1024 * 1024 }));

  server.post('/api/messages', async (req: restify.Request, res: restify.Response) => {
    // botbuilder answers a body without an activity type with a 500 and its internal error text,
    // and without a serviceUrl it would reply to a default address out on the internet.
    const body = req.body as { type?: unknown; serviceUrl?: unknown } | undefined;
    if (
      !body ||
      typeof body !== 'object' ||
      typeof body.type !== 'string' ||
      body.type === '' ||
      typeof body.serviceUrl !== 'string' ||
      !/^https?:\/\//.test(body.serviceUrl)
    ) {
      log.warn({ path: '/api/messages' }, 'request refused: not an activity');
      res.send(400, { error: 'not an activity' });
      return;
    }
    // Work the turn queued for after its answer (afterAnswer) starts once botbuilder has written the answer.
    let later: (() => void)[] = [];
    try {
      await bot.adapter.process(req, res, async (context) => {
        later = collectAfterAnswer(context);
        await bot.app.run(context);
      });
    } finally {
      runAfterAnswer(later);
    }
  });

  server.get('/healthz', async (_req: restify.Request, res: restify.Response) => {
    const storage = await ping();
    res.send(storage ? 200 : 503, { status: storage ? 'ok' : 'degraded', storage: storage ? 'ok' : 'unreachable' });
  });

  server.post('/api/jobs/run', async (req: restify.Request, res: restify.Response) => {
    if (!jobs?.secret) {
      res.send(404, { error: 'not found' });
      return;
    }
    const given = req.header('x-job-secret');
    if (typeof given !== 'string' || !sameSecret(given, jobs.secret)) {
      log.warn({ path: req.path() }, 'job trigger refused');
      res.send(401, { error: 'unauthorized' });
      return;
    }
    try {
      res.send(200, await jobs.run());
    } catch (e) {
      log.warn({ err: { name: (e as Error)?.name } }, 'job trigger run failed');
      res.send(503, { error: 'jobs failed; try again' });
    }
  });

  server.on('restifyError', (req: restify.Request, _res: restify.Response, err: Error & { statusCode?: number }, cb: () => void) => {
    // The Agents Playground probes the endpoint with HEAD; a refused probe is not worth a warning.
    const level = req.method === 'HEAD' ? 'debug' : 'warn';
    log[level]({ method: req.method, path: req.path(), statusCode: err.statusCode }, 'request refused');
    cb();
  });
  return server;
}
