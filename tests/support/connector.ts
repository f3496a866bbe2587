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
export type Responder = (request: { method: string; path: string; conversationId: string; activity: Record<string, any> }) => ScriptedAnswer | undefined;

/** A team member as Teams' roster lists them (TeamsChannelAccount). */
export interface RosterMember {
  id: string;
  aadObjectId?: string;
  name: string;
  userPrincipalName?: string;
}

/** A create-conversation call as Teams received it. */
export interface Created {
  body: Record<string, any>;
  /** The conversation id answered. */
  id: string;
}

/**
 * A stand-in for the Bot Framework connector (the serviceUrl Teams gives the bot): records what
 * the bot sends. Tests can make it fail to see how the bot copes: always (`fail`), per request
 * from a queue (`script`), or by a function of the request (`respond`). Every request, accepted
 * or not, is in `requests`; only accepted activities are in `posted`. Like Teams it also serves a
 * team's roster (`setRoster`; paged) and creates 1:1 conversations (`created`).
 */
export async function startConnector() {
  const posted: Posted[] = [];
  const requests: (Posted & { status: number })[] = [];
  const queue: ScriptedAnswer[] = [];
  let failWith: number | undefined;
  let responder: Responder | undefined;
  const rosters = new Map<string, RosterMember[]>();
  const created: Created[] = [];
  let seq = 0;
  const json = (res: import('node:http').ServerResponse, status: number, value: unknown) => {
    res.statusCode = status;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(value));
  };
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
    const url = new URL(req.url ?? '/', 'http://connector');
    const paged = /^\/v3\/conversations\/([^/]+)\/pagedmembers$/.exec(url.pathname);
    const member = /^\/v3\/conversations\/([^/]+)\/members\/([^/]+)$/.exec(url.pathname);
    const create = req.method === 'POST' && url.pathname === '/v3/conversations';
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
    if (paged || member) {
      // A team's roster, as Teams pages it: continuationToken is where the next page starts.
      const roster = rosters.get(decodeURIComponent((paged ?? member)![1]!));
      if (!roster) return json(res, 404, { error: { code: 'NotFound', message: 'Conversation not found.' } });
      if (member) {
        const found = roster.find((x) => x.id === decodeURIComponent(member[2]!));
        return found ? json(res, 200, found) : json(res, 404, { error: { code: 'MemberNotFoundInConversation', message: 'Member not found.' } });
      }
      const size = Math.max(1, Number(url.searchParams.get('pageSize') ?? 50));
      const start = Number(url.searchParams.get('continuationToken') ?? 0);
      const end = start + size;
      return json(res, 200, { members: roster.slice(start, end), ...(end < roster.length ? { continuationToken: String(end) } : {}) });
    }
    if (create) {
      // Teams answers a 1:1 create with the one chat the bot has with that member, new or not.
      const id = `a:created-${String(body.members?.[0]?.id ?? '')}`;
      created.push({ body, id });
      return json(res, 201, { id });
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
    /** Create-conversation calls Teams accepted, in order. */
    created,
    /** The roster Teams lists for a team (GET /v3/conversations/{teamId}/pagedmembers and …/members/{id}). */
    setRoster(teamId: string, members: RosterMember[]) {
      rosters.set(teamId, members);
    },
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
      created.length = 0;
      rosters.clear();
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
