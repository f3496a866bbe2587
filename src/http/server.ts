import * as restify from 'restify';
import type { Bot } from '../app/bot';
import type { Logger } from '../log';

/** Transport only: the Bot Framework endpoint and a health check. */
export function createServer(bot: Bot, ping: () => Promise<boolean>, log: Logger): restify.Server {
  const server = restify.createServer({ name: 'leerbudget', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: 1024 * 1024 }));

  server.post('/api/messages', async (req: restify.Request, res: restify.Response) => {
    await bot.adapter.process(req, res, async (context) => {
      await bot.app.run(context);
    });
  });

  server.get('/healthz', async (_req: restify.Request, res: restify.Response) => {
    const storage = await ping();
    res.send(storage ? 200 : 503, { status: storage ? 'ok' : 'degraded', storage: storage ? 'ok' : 'unreachable' });
  });

  server.on('restifyError', (req: restify.Request, _res: restify.Response, err: Error & { statusCode?: number }, cb: () => void) => {
    // The Agents Playground probes the endpoint with HEAD; a refused probe is not worth a warning.
    const level = req.method === 'HEAD' ? 'debug' : 'warn';
    log[level]({ method: req.method, path: req.path(), statusCode: err.statusCode }, 'request refused');
    cb();
  });
  return server;
}
