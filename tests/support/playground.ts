/**
 * End-to-end helpers: the Microsoft 365 Agents Playground (a local Teams client plus mock
 * Bot Connector) driven over the same HTTP/WebSocket endpoints its web page uses, and the
 * bot itself as a child process.
 *
 * Playground behaviour these helpers rely on (0.2.28, observed):
 * - `sendText` always posts AS THE CONFIGURED currentUser; `from.id` is only checked for
 *   membership of the conversation. To speak as another user use `customActivity`.
 * - `invoke` and `submit` do honour `from.id` (any member; in the personal chat only
 *   currentUser is a member).
 * - In group chats and channels the bot only hears messages that @mention it.
 * - Activities carry `locale: "en-US"` (hard-coded) and the playground process's time zone.
 * - Bot frames are buffered while no WebSocket client is connected and flushed to the
 *   first one that connects, so `startPlayground` connects its stream immediately.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import WebSocket from 'ws';

export const REPO_ROOT = resolve(__dirname, '..', '..');
const PLAYGROUND_CLI = join(REPO_ROOT, 'node_modules', '.bin', 'agentsplayground');
const DEFAULT_CONFIG = join(REPO_ROOT, '.m365agentsplayground.yml');

// ---------------------------------------------------------------------------------------
// Shapes of the playground's internal API
// ---------------------------------------------------------------------------------------

export interface PlaygroundUser {
  id: string;
  name: string;
  userPrincipleName: string;
  aadObjectId: string;
  givenName: string;
  surname: string;
  email: string;
}

export interface PlaygroundConfig {
  config: {
    tenantId: string;
    bot: { id: string; name: string };
    currentUser: PlaygroundUser;
    /** The 5 other users; currentUser is not among them. */
    users: PlaygroundUser[];
    personalChat: { id: string; name: string };
    groupChats: Array<{ id: string; name: string; members: string[] }>;
    teams: Array<{
      id: string;
      name: string;
      aadGroupId: string;
      /** General first (its id is the team id), then the configured channel. */
      channels: Array<{ id: string; name: string; channelType: string }>;
      members: string[];
    }>;
  };
  internalConfig: { locale: string; localTimezone: string; channelId: string };
}

export interface SentMessage {
  messageId: string;
  timestamp: number;
  /** Channel posts only: the new thread, `channelId;messageid=N`; replies go there. */
  postConversationId?: string;
}

export interface Mention {
  /** Account id of the mentioned user or bot. */
  id: string;
  /** Exactly as it appears in the text, e.g. `<at>Leerbudget</at>`. */
  text: string;
}

/** What `POST /_conversation/v1/invoke` returns: the bot's invoke body minus `statusCode`. */
export interface InvokeResult {
  type: string;
  value: unknown;
}

export interface CardAttachment {
  contentType: string;
  content: unknown;
}

export interface FrameMessage {
  messageId: string;
  timestamp: number;
  from: { id: string };
  text?: string;
  textFormat?: string;
  attachments: CardAttachment[];
  attachmentLayout?: string;
  mentions?: unknown[];
  postConversationId?: string;
  directLineConversationId?: string;
}

/** A frame on `/_ws_conversation/v1/conversations/stream`: what the page would render. */
export type StreamFrame =
  | { action: 'createMessage' | 'updateMessage'; actionConversationId: string; message: FrameMessage }
  | { action: 'typing'; actionConversationId: string; message?: undefined };

export class PlaygroundHttpError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${method} ${path} -> ${status}: ${body.slice(0, 500)}`);
    this.name = 'PlaygroundHttpError';
  }
}

// ---------------------------------------------------------------------------------------
// WebSocket stream
// ---------------------------------------------------------------------------------------

export class FrameStream {
  readonly frames: StreamFrame[] = [];
  private readonly waiters = new Set<() => void>();
  private closed = false;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()) as StreamFrame);
      for (const wake of this.waiters) wake();
    });
    ws.on('close', () => {
      this.closed = true;
      for (const wake of this.waiters) wake();
    });
  }

  static async open(baseUrl: string): Promise<FrameStream> {
    const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/_ws_conversation/v1/conversations/stream`);
    await Promise.race([once(ws, 'open'), once(ws, 'error').then(([err]) => Promise.reject(err as Error))]);
    return new FrameStream(ws);
  }

  /** Position to pass as `since`, so a wait only considers frames that arrive after it. */
  mark(): number {
    return this.frames.length;
  }

  /** Resolves with the first frame at index >= `since` matching `predicate`. */
  waitFor(predicate: (frame: StreamFrame) => boolean, timeoutMs = 20_000, since = 0): Promise<StreamFrame> {
    return new Promise((resolvePromise, reject) => {
      let checked = since;
      const check = (): boolean => {
        for (; checked < this.frames.length; checked++) {
          const frame = this.frames[checked];
          if (frame && predicate(frame)) {
            done();
            resolvePromise(frame);
            return true;
          }
        }
        if (this.closed) {
          done();
          reject(new Error('playground stream closed while waiting for a frame'));
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        done();
        const seen = this.frames.slice(since).map(describeFrame).join('\n  ');
        reject(new Error(`no matching frame within ${timeoutMs} ms; frames since ${since}:\n  ${seen || '(none)'}`));
      }, timeoutMs);
      const wake = (): void => {
        check();
      };
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(wake);
      };
      if (!check()) this.waiters.add(wake);
    });
  }

  /**
   * The first bot message (create, not update) in a conversation at or after `since`;
   * take `since` from `mark()` before triggering the reply, or a fast reply is missed.
   */
  nextMessage(conversationId: string, since: number, timeoutMs = 20_000): Promise<FrameMessage> {
    return this.waitFor((f) => f.action === 'createMessage' && f.actionConversationId === conversationId, timeoutMs, since).then(
      (f) => f.message as FrameMessage,
    );
  }

  async close(): Promise<void> {
    if (this.closed || this.ws.readyState === WebSocket.CLOSED) return;
    const closed = once(this.ws, 'close');
    this.ws.close();
    await closed;
  }
}

function describeFrame(f: StreamFrame): string {
  if (f.action === 'typing') return `typing ${f.actionConversationId}`;
  const cards = f.message.attachments.length ? ` +${f.message.attachments.length} attachment(s)` : '';
  return `${f.action} ${f.actionConversationId} #${f.message.messageId} ${JSON.stringify(f.message.text ?? '')}${cards}`;
}

// ---------------------------------------------------------------------------------------
// HTTP client
// ---------------------------------------------------------------------------------------

export class PlaygroundClient {
  private cachedConfig: PlaygroundConfig | undefined;

  constructor(readonly baseUrl: string) {}

  /**
   * `GET /_internal/v1/config`. Note: the playground first waits (up to 15 s) for the
   * bot endpoint to accept connections, as the page does on load.
   */
  async config(): Promise<PlaygroundConfig> {
    this.cachedConfig ??= await this.request<PlaygroundConfig>('GET', '/_internal/v1/config');
    return this.cachedConfig;
  }

  /**
   * Posts a text message as the page's user. The playground always attributes it to
   * currentUser; `fromId` (default currentUser) must merely be a member of the conversation.
   * In group chats and channels pass a mention of the bot (see `mentionBot`), or the bot
   * will not hear it.
   */
  async sendText(conversationId: string, text: string, fromId?: string, mentions?: Mention[]): Promise<SentMessage> {
    const body = {
      text,
      textFormat: 'plain',
      from: { id: fromId ?? (await this.currentUserId()) },
      ...(mentions?.length ? { mentions: mentions.map((m) => ({ mentioned: { id: m.id }, text: m.text })) } : {}),
    };
    return this.request<SentMessage>('POST', `/_conversation/v1/conversations/${encodeURIComponent(conversationId)}/messages`, body);
  }

  /** `sendText` with `<at>BotName</at> ` prepended and the matching mention. */
  async mentionBot(conversationId: string, text: string, fromId?: string): Promise<SentMessage> {
    const { bot } = (await this.config()).config;
    const tag = `<at>${bot.name}</at>`;
    return this.sendText(conversationId, `${tag} ${text}`, fromId, [{ id: bot.id, text: tag }]);
  }

  /**
   * Action.Execute on the card in message `replyToId`. Returns the bot's invoke response
   * body without its statusCode: `{ type: "application/vnd.microsoft.card.adaptive", value: card }`
   * for a refreshed card. The playground also stores that card on the message (no WebSocket
   * frame is sent for it). A non-2xx HTTP status from the bot surfaces as a 502.
   */
  async invoke(conversationId: string, replyToId: string, verb: string, data: Record<string, unknown> = {}, fromId?: string): Promise<InvokeResult> {
    return this.request<InvokeResult>('POST', '/_conversation/v1/invoke', {
      name: 'adaptiveCard/action',
      conversation: { id: conversationId },
      replyToId,
      from: { id: fromId ?? (await this.currentUserId()) },
      value: { action: { type: 'Action.Execute', verb, data } },
    });
  }

  /** Action.Submit: the bot gets a `message` activity with `value` and this `replyToId`, no text. */
  async submit(conversationId: string, replyToId: string, value: Record<string, unknown>, fromId?: string): Promise<void> {
    await this.request<unknown>('POST', '/_conversation/v1/submit', {
      conversation: { id: conversationId },
      replyToId,
      from: { id: fromId ?? (await this.currentUserId()) },
      value,
    });
  }

  /** A skeleton activity (ids, serviceUrl, conversation, from = currentUser) to build on. */
  async customActivityTemplate(conversationId: string): Promise<Record<string, unknown>> {
    return this.request<Record<string, unknown>>('GET', `/_internal/v1/customActivities/template?conversationId=${encodeURIComponent(conversationId)}`);
  }

  /**
   * Forwards `activity` to the bot as-is (nothing is filled in). The playground answers 200
   * before delivering, and delivery errors only reach its console: wait on the stream.
   */
  async customActivity(activity: Record<string, unknown>): Promise<void> {
    await this.request<unknown>('POST', '/_internal/v1/customActivities', activity);
  }

  /**
   * What the page does the first time it opens a conversation: the bot receives
   * `installationUpdate` (action "add") and `conversationUpdate` (membersAdded: user and bot
   * in a personal chat; the bot with eventType "teamMemberAdded" in a team).
   */
  async installApp(conversationId: string): Promise<void> {
    await this.request<unknown>('POST', `/_debug/conversation/${encodeURIComponent(conversationId)}/installation`, {});
  }

  openStream(): Promise<FrameStream> {
    return FrameStream.open(this.baseUrl);
  }

  private async currentUserId(): Promise<string> {
    return (await this.config()).config.currentUser.id;
  }

  private async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new PlaygroundHttpError(method, path, res.status, text);
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

// ---------------------------------------------------------------------------------------
// Processes
// ---------------------------------------------------------------------------------------

export interface RunningPlayground {
  port: number;
  url: string;
  client: PlaygroundClient;
  /** Connected before anything was sent, so it holds every bot frame. */
  stream: FrameStream;
  /** Recent stdout/stderr of the playground, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export interface PlaygroundOptions {
  /** The bot's messaging endpoint, e.g. `http://127.0.0.1:3978/api/messages`. */
  botEndpoint: string;
  /** Defaults to M365_AGENTS_PLAYGROUND_CONFIG_PATH, else the repo's .m365agentsplayground.yml. */
  configPath?: string;
  /** 0 (default) lets the OS choose. */
  port?: number;
  /** Extra environment for the playground process (e.g. TZ). */
  env?: Record<string, string>;
  startTimeoutMs?: number;
}

export async function startPlayground(options: PlaygroundOptions): Promise<RunningPlayground> {
  // The playground writes ./devTools/ (its log) into its working directory.
  const cwd = await mkdtemp(join(tmpdir(), 'leerbudget-playground-'));
  const configPath = resolve(options.configPath ?? process.env.M365_AGENTS_PLAYGROUND_CONFIG_PATH ?? DEFAULT_CONFIG);
  const child = spawn(process.execPath, [PLAYGROUND_CLI, '-e', options.botEndpoint, '-c', 'msteams', '--dt', '-p', String(options.port ?? 0)], {
    cwd,
    env: {
      ...process.env,
      // No browser, no telemetry: this machine has no internet and CI must not phone home.
      TEAMSAPPTESTER_BROWSER: 'none',
      APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
      // Activities carry the playground's time zone; make it the users' one.
      TZ: 'Europe/Amsterdam',
      ...options.env,
      M365_AGENTS_PLAYGROUND_CONFIG_PATH: configPath,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = new OutputTail();
  log.attach(child);

  try {
    // It silently moves to another port when the requested one is taken, so read it back.
    const port = await waitForLine(child, log, /Listening on (\d+)/, options.startTimeoutMs ?? 30_000).then((m) => Number(m[1]));
    const url = `http://127.0.0.1:${port}`;
    const client = new PlaygroundClient(url);
    const stream = await client.openStream();
    return {
      port,
      url,
      client,
      stream,
      output: () => log.text(),
      async stop() {
        await stream.close().catch(() => undefined);
        await stopChild(child, 'SIGTERM');
        await rm(cwd, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await stopChild(child, 'SIGTERM');
    await rm(cwd, { recursive: true, force: true });
    throw withOutput(err, 'playground', log);
  }
}

export interface BotOptions {
  /** 0 or omitted: a free port is picked. Kept across restarts. */
  port?: number;
  connectionString: string;
  tablePrefix?: string;
  /** Extra/overriding environment (e.g. SEED_DEMO, LOG_LEVEL). */
  env?: Record<string, string>;
  /** Entry file relative to the repo root. */
  entry?: string;
  startTimeoutMs?: number;
}

export interface RunningBot {
  port: number;
  url: string;
  /** What the playground should call: `${url}/api/messages`. */
  messagesUrl: string;
  output(): string;
  /** Graceful stop (SIGTERM by default); SIGKILL after a grace period. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Stop, then start again on the same port with the same settings (state lives in storage). */
  restart(): Promise<void>;
}

export async function startBot(options: BotOptions): Promise<RunningBot> {
  const port = options.port || (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const log = new OutputTail();
  let child: ChildProcess | undefined;

  const launch = async (): Promise<void> => {
    // `node --import tsx` keeps it to one process, so signals reach the bot itself.
    const proc = spawn(process.execPath, ['--import', 'tsx', options.entry ?? 'src/index.ts'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        APP_ENV: 'test',
        PORT: String(port),
        MicrosoftAppId: '',
        MicrosoftAppPassword: '',
        MicrosoftAppType: 'MultiTenant',
        MicrosoftAppTenantId: '',
        STORAGE_CONNECTION_STRING: options.connectionString,
        LOG_LEVEL: 'info',
        ...(options.tablePrefix ? { TABLE_PREFIX: options.tablePrefix } : {}),
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    log.attach(proc);
    try {
      await waitForHealthy(`${url}/healthz`, proc, options.startTimeoutMs ?? 30_000);
    } catch (err) {
      await stopChild(proc, 'SIGKILL');
      throw withOutput(err, 'bot', log);
    }
  };

  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    if (child) await stopChild(child, signal);
    child = undefined;
  };

  await launch();
  return {
    port,
    url,
    messagesUrl: `${url}/api/messages`,
    output: () => log.text(),
    stop,
    async restart() {
      await stop();
      await launch();
    },
  };
}

// ---------------------------------------------------------------------------------------
// Process plumbing
// ---------------------------------------------------------------------------------------

/** Keeps the last lines of a child's output for error messages, without echoing them. */
class OutputTail {
  private lines: string[] = [];

  constructor(private readonly max = 200) {}

  attach(child: ChildProcess): void {
    const onData = (chunk: Buffer): void => {
      for (const line of chunk.toString().split('\n')) {
        if (line.trim()) this.lines.push(line);
      }
      if (this.lines.length > this.max) this.lines = this.lines.slice(-this.max);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
  }

  text(): string {
    return this.lines.join('\n');
  }
}

function withOutput(err: unknown, name: string, log: OutputTail): Error {
  const message = err instanceof Error ? err.message : String(err);
  return new Error(`${name} failed to start: ${message}\n--- ${name} output ---\n${log.text()}`);
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return once(child, 'exit').then(() => undefined);
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = exited(child);
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await gone;
  clearTimeout(timer);
}

function waitForLine(child: ChildProcess, log: OutputTail, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  return new Promise((resolvePromise, reject) => {
    let buffer = '';
    const onData = (chunk: Buffer): void => {
      buffer += chunk.toString();
      const match = buffer.match(pattern);
      if (match) {
        cleanup();
        resolvePromise(match);
      }
    };
    const onExit = (code: number | null, signal: string | null): void => {
      cleanup();
      reject(new Error(`exited (code ${code}, signal ${signal}) before printing ${pattern}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no ${pattern} within ${timeoutMs} ms; last output:\n${log.text()}`));
    }, timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', onData);
    child.on('exit', onExit);
  });
}

async function waitForHealthy(healthUrl: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`exited (code ${child.exitCode}, signal ${child.signalCode}) before ${healthUrl} was healthy`);
    }
    try {
      const res = await fetch(healthUrl, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return;
      last = `${res.status} ${await res.text()}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${healthUrl} not healthy within ${timeoutMs} ms (last: ${last})`);
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('could not get a free port');
  return address.port;
}
