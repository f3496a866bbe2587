import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Posted {
  method: string;
  path: string;
  conversationId: string;
  activity: Record<string, any>;
  /** Date.now() when the request arrived (real time, for rate checks). */
  at: number;
}

/** What the connector answers to one request instead of 200. */
export interface ScriptedAnswer {
  status: number;
  headers?: Record<string, string>;
  /** Drop the connection without an answer (the bot sees ECONNRESET). */
  reset?: boolean;
}

/** Decides per request: an answer to fail with, or undefined to accept it. */
export type Responder = (request: { method: string; conversationId: string; activity: Record<string, any> }) => ScriptedAnswer | undefined;

/**
 * A stand-in for the Bot Framework connector (the serviceUrl Teams gives the bot): records what
 * the bot sends. Tests can make it fail to see how the bot copes: always (`fail`), per request
 * from a queue (`script`), or by a function of the request (`respond`). Every request, accepted
 * or not, is in `requests`; only accepted ones are in `posted`.
 */
export async function startConnector() {
  const posted: Posted[] = [];
  const requests: (Posted & { status: number })[] = [];
  const queue: ScriptedAnswer[] = [];
  let failWith: number | undefined;
  let responder: Responder | undefined;
  let seq = 0;
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
    const m = /\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '');
    const record: Posted = { method: req.method ?? '', path: req.url ?? '', conversationId: decodeURIComponent(m?.[1] ?? ''), activity: body, at: Date.now() };
    const answer: ScriptedAnswer | undefined = failWith ? { status: failWith } : (queue.shift() ?? responder?.(record));
    requests.push({ ...record, status: answer?.reset ? 0 : (answer?.status ?? 200) });
    if (answer?.reset) {
      req.socket.destroy();
      return;
    }
    if (answer) {
      res.statusCode = answer.status;
      for (const [k, v] of Object.entries(answer.headers ?? {})) res.setHeader(k, v);
      res.end();
      return;
    }
    posted.push(record);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ id: `reply-${++seq}` }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    posted,
    requests,
    fail(status: number | undefined) {
      failWith = status;
    },
    /** The next requests get these answers, in order; after that requests are accepted again. */
    script(...answers: ScriptedAnswer[]) {
      queue.push(...answers);
    },
    respond(fn: Responder | undefined) {
      responder = fn;
    },
    clear() {
      posted.length = 0;
      requests.length = 0;
      queue.length = 0;
      responder = undefined;
    },
    stop: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
