import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Posted {
  method: string;
  path: string;
  conversationId: string;
  activity: Record<string, any>;
}

/**
 * A stand-in for the Bot Framework connector (the serviceUrl Teams gives the bot): records what
 * the bot sends. Tests can make it fail to see how the bot copes.
 */
export async function startConnector() {
  const posted: Posted[] = [];
  let failWith: number | undefined;
  let seq = 0;
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
    const m = /\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '');
    if (failWith) {
      res.statusCode = failWith;
      res.end();
      return;
    }
    posted.push({ method: req.method ?? '', path: req.url ?? '', conversationId: decodeURIComponent(m?.[1] ?? ''), activity: body });
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ id: `reply-${++seq}` }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    posted,
    fail(status: number | undefined) {
      failWith = status;
    },
    clear() {
      posted.length = 0;
    },
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}
