import { Activity, CardFactory, CloudAdapter, ConversationReference, MessageFactory, TurnContext } from 'botbuilder';
import type { ChannelLink } from '../../domain/round';
import { ConversationRecord, personalConversationParameters } from '../../domain/conversation';
import type { Logger } from '../../log';
import type { OutboxTarget } from '../../domain/outbox';
import type { Repos } from '../../ports';
import { RateLimiter, realSleep } from './rate-limiter';
import { errorFacts } from '../core/turn';

/** Where a card lives in a channel thread. */
export interface ThreadRef {
  serviceUrl: string;
  tenantId: string;
  botId: string;
  threadId: string;
}

/**
 * Every proactive message goes through here: new review threads, card updates, replies in a
 * thread, and messages to a person's 1:1 chat (from the conversation stored when they were seen).
 */
export class Notifier {
  private readonly limiter: RateLimiter;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    private readonly repos: Repos,
    private readonly log: Logger,
    /** One limiter per process: every proactive message of this bot counts against Teams' limits. */
    options: { limiter?: RateLimiter; sleep?: (ms: number) => Promise<void> } = {},
  ) {
    this.limiter = options.limiter ?? new RateLimiter();
    this.sleep = options.sleep ?? realSleep;
  }

  private async continue(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    await this.limiter.take({ conversation: reference.conversation?.id ?? '', tenant: reference.conversation?.tenantId ?? '' }, this.sleep);
    await this.adapter.continueConversationAsync(this.appId, reference as ConversationReference, logic);
  }

  /**
   * Sends one activity and throws when it did not arrive. A failure inside the turn would
   * otherwise end in the Application's error handler (adapter.onTurnError), which logs it and
   * lets continueConversationAsync resolve as if all went well; so it is caught in the turn and
   * thrown again outside it.
   *
   * With `ownRetries`, the connector client's built-in retry policy (@azure/core-rest-pipeline's
   * defaultRetryPolicy: up to 3 retries of 429-with-Retry-After, 5xx and network errors, sleeping
   * in process) is taken out of this one send, so that the caller's persistent backoff is the
   * only retry layer and every attempt is exactly one request to Teams.
   */
  private async sendOnce(reference: Partial<ConversationReference>, activity: Partial<Activity>, ownRetries: boolean): Promise<string | undefined> {
    let failure: unknown;
    let id: string | undefined;
    await this.continue(reference, async (context) => {
      if (ownRetries) withoutClientRetries(context);
      try {
        id = (await context.sendActivity(activity))?.id;
      } catch (e) {
        failure = e;
      }
    });
    if (failure !== undefined) throw failure;
    return id;
  }

  /**
   * Delivers one outbox message to its target, or throws a DeliveryFailed saying why (HTTP
   * status, Retry-After, error code) so the outbox can decide whether and when to try again.
   * Never retries by itself.
   */
  async deliver(target: OutboxTarget, message: { card?: object; text?: string }): Promise<{ activityId?: string }> {
    const activity = message.card ? MessageFactory.attachment(CardFactory.adaptiveCard(message.card), message.text) : MessageFactory.text(message.text ?? '');
    let reference: Partial<ConversationReference>;
    if (target.type === 'user') {
      const record = (await this.repos.conversations.get(target.userId)) ?? (await this.openChat(target.userId));
      reference = record.reference as ConversationReference;
    } else if (target.type === 'thread') {
      reference = this.channelReference(target.serviceUrl, target.tenantId, target.botId, target.threadId);
    } else {
      reference = this.channelReference(target.serviceUrl, target.tenantId, target.botId, target.channelId);
    }
    try {
      const activityId = await this.sendOnce(reference, activity, true);
      return activityId ? { activityId } : {};
    } catch (e) {
      throw DeliveryFailed.from(e);
    }
  }

  /**
   * Starts the 1:1 chat with someone who never wrote to the bot, from their team roster address
   * (Teams' create conversation: the bot and that member, in their tenant), and stores it
   * insert-if-absent, so the next message — and a retry of this one after the send failed —
   * reuses it; of two creates at once one is kept and both send there. Throws a DeliveryFailed:
   * NO_CONVERSATION without a roster address, the HTTP status when Teams refuses (403: the person
   * blocked the bot or the app is not allowed for them; 404: not in the tenant any more).
   *
   * The create call keeps the connector client's own retry policy (botbuilder builds that client
   * inside createConversationAsync); a retry there is harmless, as Teams answers a create for an
   * existing 1:1 chat with the same conversation.
   */
  private async openChat(userId: string): Promise<ConversationRecord> {
    const address = await this.repos.conversations.getRoster(userId);
    if (!address) throw new DeliveryFailed({ code: 'NO_CONVERSATION' });
    await this.limiter.take({ conversation: `create:${address.rosterId}`, tenant: address.tenantId }, this.sleep);
    let conversationId = '';
    try {
      // The audience is left to the adapter's authentication (the Bot Framework's, or the configured cloud's).
      await this.adapter.createConversationAsync(
        this.appId,
        'msteams',
        address.serviceUrl,
        undefined as unknown as string,
        personalConversationParameters(address),
        async (context) => {
          conversationId = context.activity.conversation?.id ?? '';
        },
      );
    } catch (e) {
      throw DeliveryFailed.from(e);
    }
    if (!conversationId) throw new DeliveryFailed({ code: 'NO_CONVERSATION_ID' });
    this.log.info({ kind: 'createConversation' }, '1:1 chat started from the team roster');
    return this.repos.conversations.saveIfAbsent({
      userId,
      conversationId,
      reference: {
        channelId: 'msteams',
        serviceUrl: address.serviceUrl,
        bot: { id: address.botId, name: 'Leerbudget' },
        user: { id: address.rosterId, aadObjectId: userId, name: '' },
        conversation: { id: conversationId, conversationType: 'personal', isGroup: false, tenantId: address.tenantId, name: '' },
      } satisfies Partial<ConversationReference>,
      updatedAt: new Date().toISOString(),
    });
  }

  private channelReference(serviceUrl: string, tenantId: string, botId: string, conversationId: string): Partial<ConversationReference> {
    return {
      channelId: 'msteams',
      serviceUrl,
      bot: { id: botId, name: 'Leerbudget' },
      conversation: { id: conversationId, isGroup: true, conversationType: 'channel', tenantId, name: '' },
    };
  }

  /** Posts a card as a new thread in a channel. */
  async postToChannel(channel: ChannelLink, card: object): Promise<{ threadId: string; activityId: string }> {
    let activityId = '';
    await this.continue(this.channelReference(channel.serviceUrl, channel.tenantId, channel.botId, channel.channelId), async (context) => {
      const sent = await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
      activityId = sent?.id ?? '';
    });
    if (!activityId) throw new Error('channel post returned no id');
    return { threadId: `${channel.channelId};messageid=${activityId}`, activityId };
  }

  async updateCard(thread: ThreadRef, activityId: string, card: object): Promise<void> {
    await this.continue(this.channelReference(thread.serviceUrl, thread.tenantId, thread.botId, thread.threadId), async (context) => {
      await context.updateActivity({ ...MessageFactory.attachment(CardFactory.adaptiveCard(card)), id: activityId });
    });
  }

  async replyInThread(thread: ThreadRef, text: string): Promise<void> {
    await this.continue(this.channelReference(thread.serviceUrl, thread.tenantId, thread.botId, thread.threadId), async (context) => {
      await context.sendActivity(MessageFactory.text(text));
    });
  }

  /** Sends a card to a person's 1:1 chat (started from the team roster if need be); false when they cannot be reached. */
  async sendToUser(userId: string, card: object): Promise<boolean> {
    let record: ConversationRecord;
    try {
      record = (await this.repos.conversations.get(userId)) ?? (await this.openChat(userId));
    } catch (e) {
      this.log.warn({ kind: 'sendToUser', err: errorFacts(e) }, 'no 1:1 chat with this person');
      return false;
    }
    try {
      await this.sendOnce(record.reference as ConversationReference, MessageFactory.attachment(CardFactory.adaptiveCard(card)), false);
      return true;
    } catch (e) {
      this.log.warn({ kind: 'sendToUser', err: errorFacts(e) }, 'proactive message failed');
      return false;
    }
  }

  /** The locale stored with a person's 1:1 conversation, for proactive cards in their language. */
  async localeOf(userId: string): Promise<string | undefined> {
    return (await this.repos.conversations.get(userId))?.locale;
  }
}

/** Why a delivery failed, in terms a retry policy needs; no message text, so nothing personal. */
export class DeliveryFailed extends Error {
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly code: string;

  constructor(facts: { status?: number; retryAfterMs?: number; code: string }) {
    super(facts.status ? `delivery failed with HTTP ${facts.status}` : `delivery failed: ${facts.code}`);
    this.name = 'DeliveryFailed';
    this.code = facts.code;
    if (facts.status !== undefined) this.status = facts.status;
    if (facts.retryAfterMs !== undefined) this.retryAfterMs = facts.retryAfterMs;
  }

  /** For errorFacts() in logs. */
  get statusCode(): number | undefined {
    return this.status;
  }

  /**
   * Normalises what botbuilder throws. The connector client (botframework-connector over
   * @azure/core-client) throws a RestError: `statusCode` for HTTP failures with the response in
   * `response` (headers with `get()`), or `code` such as ECONNRESET for network failures.
   */
  static from(e: unknown, now = Date.now()): DeliveryFailed {
    if (e instanceof DeliveryFailed) return e;
    const x = (e ?? {}) as { statusCode?: unknown; code?: unknown; response?: { status?: unknown; headers?: unknown } };
    const status = typeof x.statusCode === 'number' ? x.statusCode : typeof x.response?.status === 'number' ? x.response.status : undefined;
    const retryAfterMs = retryAfterFrom(x.response?.headers, now);
    const code = status !== undefined ? `HTTP_${status}` : typeof x.code === 'string' && /^[A-Z][A-Z0-9_]{0,40}$/.test(x.code) ? x.code : 'UNKNOWN';
    return new DeliveryFailed({ code, ...(status !== undefined ? { status } : {}), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
  }
}

function header(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  const h = headers as { get?: (n: string) => unknown } & Record<string, unknown>;
  const v = typeof h.get === 'function' ? h.get(name) : (h[name] ?? Object.entries(h).find(([k]) => k.toLowerCase() === name)?.[1]);
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

/** Retry-After as ms: the millisecond variants Azure uses, then Retry-After in seconds or as an HTTP date. */
export function retryAfterFrom(headers: unknown, now = Date.now()): number | undefined {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const v = Number(header(headers, name));
    if (header(headers, name) !== undefined && Number.isFinite(v) && v >= 0) return v;
  }
  return parseRetryAfter(header(headers, 'retry-after'), now);
}

/** RFC 9110 Retry-After: delay-seconds or an HTTP date (a date in the past means now). */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** Takes the connector client's retry policy out of this turn's client (created per continueConversationAsync). */
function withoutClientRetries(context: TurnContext): void {
  const client = context.turnState.get(context.adapter.ConnectorClientKey) as
    { client?: { pipeline?: { removePolicy?(p: { name: string }): unknown } } } | undefined;
  client?.client?.pipeline?.removePolicy?.({ name: 'defaultRetryPolicy' });
}
