import type { Logger } from '../../log';
import type { Clock } from '../../clock';
import type { OutboxEntry, OutboxTarget } from '../../domain/outbox';
import type { Repos } from '../../ports';
import type { Versioned } from '../../domain/versioned';
import { DeliveryFailed, Notifier } from './notifier';
import { realSleep } from './rate-limiter';
import { errorFacts } from '../core/turn';
import { auditEvent, type AuditEvent } from '../../domain/audit';

/**
 * The audit record of a message's final state (sent, given up), written in the same transaction
 * as that state: who it went to (a person by id, or a thread or channel by the message's id), its kind and attempts.
 */
export function deliveryAudit(entry: OutboxEntry, action: 'outbox.delivered' | 'outbox.failed', at: Date): AuditEvent {
  const subject = entry.target.type === 'user' ? entry.target.userId : entry.id;
  return auditEvent(entry.roundId, 'system', action, subject, at, {
    outboxId: entry.id,
    kind: entry.kind,
    target: entry.target.type,
    attempts: entry.attempts,
    ...(entry.lastError ? { code: entry.lastError } : {}),
  });
}

export interface OutboxDispatcherOptions {
  /** A 'sending' claim older than this is taken over: its dispatcher is presumed dead. */
  staleClaimMs?: number;
  /** Attempts (failed sends and taken-over claims) after which an entry is given up as 'failed'. */
  maxAttempts?: number;
  /** Backoff before retry n (0-based): a random delay in [0, min(maxDelayMs, baseDelayMs · 2^n)). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A Retry-After longer than this is not believed. */
  maxRetryAfterMs?: number;
  /** Entries read per query. */
  batchSize?: number;
  /** Conversations served at once; one conversation's entries always go one after the other. */
  concurrency?: number;
  /** Timer: the longest wait while retries are pending, and the wait when all is quiet. */
  busyIntervalMs?: number;
  idleIntervalMs?: number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Told about an entry given up on (after it was marked failed), e.g. to tell accounthouders who could not be reached. */
  onUndeliverable?: (entry: OutboxEntry, failure: DeliveryFailed) => Promise<void>;
}

export interface DrainResult {
  sent: number;
  retried: number;
  failed: number;
}

/** Statuses Teams asks bots to retry (rate limit, precondition, gateway), plus plain unavailability. */
const RETRY_STATUS = new Set([408, 412, 429, 500, 502, 503, 504]);
/** Network failures worth another try; the connection may have dropped before or after Teams got it. */
const RETRY_CODE = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'UNKNOWN']);

/**
 * Whether trying again can help. Any other HTTP status (400, 401, 403, 404, …) will answer the
 * same the next time; no status and an unknown error is retried, within maxAttempts, because a
 * lost decision message is worse than a few useless attempts.
 */
export function isRetryable(failure: DeliveryFailed): boolean {
  if (failure.status !== undefined) return RETRY_STATUS.has(failure.status);
  return RETRY_CODE.has(failure.code);
}

/** When to try again after the `attempt`-th (0-based) failure: full-jitter exponential backoff, never before Retry-After. */
export function retryDelayMs(
  attempt: number,
  failure: Pick<DeliveryFailed, 'retryAfterMs'>,
  options: { baseDelayMs: number; maxDelayMs: number; maxRetryAfterMs: number },
  random: () => number,
): number {
  const backoff = Math.floor(random() * Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** attempt));
  const retryAfter = Math.min(failure.retryAfterMs ?? 0, options.maxRetryAfterMs);
  return Math.max(retryAfter, backoff);
}

/** Which entries must go one after the other (and share Teams' per-conversation limit). */
export function conversationOf(target: OutboxTarget): string {
  if (target.type === 'user') return `user:${target.userId}`;
  if (target.type === 'thread') return `thread:${target.threadId}`;
  return `channel:${target.channelId}`;
}

const DEFAULTS: Required<Omit<OutboxDispatcherOptions, 'random' | 'sleep' | 'onUndeliverable'>> = {
  staleClaimMs: 60_000,
  maxAttempts: 12,
  baseDelayMs: 1000,
  maxDelayMs: 5 * 60_000,
  maxRetryAfterMs: 60 * 60_000,
  batchSize: 100,
  concurrency: 8,
  busyIntervalMs: 5000,
  idleIntervalMs: 30_000,
};

/**
 * Sends the outbox: messages stored in the same transaction as the decision they announce.
 *
 * Each due entry is claimed with an ETag-guarded update to 'sending' (a dispatcher that loses the
 * race skips it), sent through the Notifier, then marked 'sent'. A retryable failure puts it back
 * to 'pending' with a later notBefore; a hopeless one, or too many attempts, marks it 'failed'.
 *
 * Delivery is exactly-once except in one window: if the process dies (or storage fails) after
 * Teams accepted the message but before 'sent' is stored, the claim goes stale and after
 * staleClaimMs another dispatcher sends it again — at-least-once there. It is never lost: an
 * entry stored but not yet claimed, or claimed by a process that died, is picked up by the next
 * drain of any instance.
 */
export class OutboxDispatcher {
  private readonly o: typeof DEFAULTS;
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly onUndeliverable: OutboxDispatcherOptions['onUndeliverable'];
  /** Direct drain() calls queue behind each other: at most one drain at a time. */
  private chain: Promise<unknown> = Promise.resolve();
  private looping: Promise<void> | undefined;
  private kicked = false;
  private started = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  /** Learned during a drain: the earliest retry, and whether other dispatchers hold claims. */
  private nextDueAt: number | undefined;
  private contended = false;

  constructor(
    private readonly deps: { repos: Pick<Repos, 'outbox'>; clock: Clock },
    private readonly notifier: Pick<Notifier, 'deliver'>,
    private readonly log: Logger,
    options: OutboxDispatcherOptions = {},
  ) {
    const { onUndeliverable, ...rest } = options;
    this.o = { ...DEFAULTS, ...stripUndefined(rest) };
    this.onUndeliverable = onUndeliverable;
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? realSleep;
  }

  /** One pass over what is due now. Runs after any drain already under way, never beside it. */
  drain(): Promise<DrainResult> {
    const run = this.chain.then(() => this.drainOnce());
    this.chain = run.catch(() => undefined);
    return run;
  }

  /**
   * Asks for a drain soon, e.g. right after a decision and its outbox entries committed. Kicks
   * coalesce: while a drain runs, any number of kicks make exactly one more pass after it.
   */
  kick(): void {
    if (this.stopped) return;
    this.kicked = true;
    this.looping ??= this.loop();
  }

  /** Resolves when no kicked drain is running or waiting (for tests and shutdown). */
  async idle(): Promise<void> {
    while (this.looping) await this.looping;
  }

  /** Drains now (catching up after a restart) and then on a timer until stop(). */
  start(): void {
    this.started = true;
    this.stopped = false;
    this.kick();
  }

  /** Stops the timer and waits for the pass under way; entries not yet claimed stay pending for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.idle();
    await this.chain;
  }

  private async loop(): Promise<void> {
    let delay = this.o.idleIntervalMs;
    try {
      // Let kicks from the same tick (several decisions committed together) join this pass.
      await Promise.resolve();
      while (this.kicked && !this.stopped) {
        this.kicked = false;
        if (this.timer) clearTimeout(this.timer);
        this.timer = undefined;
        try {
          const result = await this.drain();
          delay = this.nextDelay(result);
        } catch (e) {
          this.log.warn({ err: errorFacts(e) }, 'outbox drain failed; retrying soon');
          delay = this.o.busyIntervalMs;
        }
      }
    } finally {
      this.looping = undefined;
      if (this.started && !this.stopped) {
        this.timer = setTimeout(() => this.kick(), delay);
        this.timer.unref?.();
      }
    }
  }

  private nextDelay(result: DrainResult): number {
    if (this.nextDueAt !== undefined) {
      return Math.min(this.o.busyIntervalMs, Math.max(50, this.nextDueAt - this.deps.clock.now().getTime()));
    }
    return result.sent || result.retried || this.contended ? this.o.busyIntervalMs : this.o.idleIntervalMs;
  }

  private async drainOnce(): Promise<DrainResult> {
    const result: DrainResult = { sent: 0, retried: 0, failed: 0 };
    this.nextDueAt = undefined;
    this.contended = false;
    const seen = new Set<string>();
    // Bounded: an entry retried with a zero delay is due again at once, and must wait for the next pass.
    for (let batch = 0; batch < 50 && !this.stopped; batch++) {
      const due = await this.deps.repos.outbox.due(this.deps.clock.now(), this.o.staleClaimMs, this.o.batchSize);
      const fresh = due.filter((e) => !seen.has(keyOf(e.value)));
      if (!fresh.length) break;
      for (const e of fresh) seen.add(keyOf(e.value));
      const byConversation = new Map<string, Versioned<OutboxEntry>[]>();
      for (const e of fresh) {
        const k = conversationOf(e.value.target);
        byConversation.set(k, [...(byConversation.get(k) ?? []), e]);
      }
      await forEachLimit([...byConversation.values()], this.o.concurrency, async (entries) => {
        for (const entry of entries) {
          if (this.stopped) return;
          try {
            const outcome = await this.dispatch(entry);
            if (outcome) result[outcome === 'throttled' ? 'retried' : outcome]++;
            // Teams throttles this conversation: its other entries wait for the next pass.
            if (outcome === 'throttled') return;
          } catch (e) {
            // Storage failed around this entry: it stays pending or its claim goes stale, and is taken again.
            this.log.warn({ outboxId: entry.value.id, roundId: entry.value.roundId, err: errorFacts(e) }, 'outbox entry not settled; next drain retries');
            this.contended = true;
          }
        }
      });
      if (due.length < this.o.batchSize) break;
    }
    if (result.sent || result.retried || result.failed) this.log.info({ ...result }, 'outbox drained');
    return result;
  }

  private async dispatch(current: Versioned<OutboxEntry>): Promise<keyof DrainResult | 'throttled' | undefined> {
    const entry = current.value;
    const ids = { outboxId: entry.id, roundId: entry.roundId, kind: entry.kind };
    // A claim gone stale means a dispatcher died mid-send; counting it stops a message that
    // kills the process every time from doing so forever.
    const takenOver = entry.state === 'sending';
    const attempts = entry.attempts + (takenOver ? 1 : 0);
    if (takenOver) this.log.warn({ ...ids, attempts }, 'outbox claim went stale; sending again (may arrive twice)');
    const now = this.deps.clock.now();
    if (attempts >= this.o.maxAttempts) {
      const failed: OutboxEntry = { ...entry, state: 'failed', attempts, lastError: entry.lastError ?? 'STALE_CLAIM' };
      const gaveUp = await this.deps.repos.outbox.update(current, failed, deliveryAudit(failed, 'outbox.failed', now));
      if (!gaveUp.ok) return undefined;
      this.log.error({ ...ids, attempts, code: entry.lastError }, 'outbox message given up');
      return 'failed';
    }
    const claimed = await this.deps.repos.outbox.update(current, {
      ...entry,
      state: 'sending',
      attempts,
      claimedAt: now.toISOString(),
      ...(takenOver ? { lastError: 'STALE_CLAIM' } : {}),
    });
    if (!claimed.ok) {
      this.contended = true;
      return undefined;
    }

    let failure: DeliveryFailed | undefined;
    try {
      await this.notifier.deliver(entry.target, { ...(entry.card ? { card: entry.card } : {}), ...(entry.text !== undefined ? { text: entry.text } : {}) });
    } catch (e) {
      failure = DeliveryFailed.from(e);
    }
    const { claimedAt: _claimedAt, ...unclaimed } = claimed.value.value;
    const at = this.deps.clock.now();

    if (!failure) {
      const { lastError: _lastError, ...rest } = unclaimed;
      await this.settle(claimed.value, { ...rest, state: 'sent', sentAt: at.toISOString() }, ids);
      return 'sent';
    }
    const next = attempts + 1;
    if (isRetryable(failure) && next < this.o.maxAttempts) {
      const delay = retryDelayMs(attempts, failure, this.o, this.random);
      const notBefore = at.getTime() + delay;
      await this.settle(
        claimed.value,
        { ...unclaimed, state: 'pending', attempts: next, lastError: failure.code, notBefore: new Date(notBefore).toISOString() },
        ids,
      );
      this.nextDueAt = Math.min(this.nextDueAt ?? Infinity, notBefore);
      this.log.info({ ...ids, attempts: next, code: failure.code, delayMs: delay }, 'outbox message will be retried');
      return failure.status === 429 ? 'throttled' : 'retried';
    }
    // Reported before 'failed' is stored: the report is idempotent, and a crash in between sends it again rather than never.
    await this.onUndeliverable?.(entry, failure).catch((e) => this.log.warn({ ...ids, err: errorFacts(e) }, 'undeliverable message not reported'));
    await this.settle(claimed.value, { ...unclaimed, state: 'failed', attempts: next, lastError: failure.code }, ids);
    this.log.error({ ...ids, attempts: next, code: failure.code, status: failure.status }, 'outbox message failed');
    return 'failed';
  }

  /**
   * Stores the outcome. A conflict means our claim was taken over (we were slower than
   * staleClaimMs) — the other dispatcher owns it now. A storage error is retried briefly,
   * because a 'sent' that is not stored makes the message go out again later.
   */
  private async settle(claimed: Versioned<OutboxEntry>, next: OutboxEntry, ids: Record<string, string>): Promise<void> {
    const final = next.state === 'sent' ? 'outbox.delivered' : next.state === 'failed' ? 'outbox.failed' : undefined;
    const audit = final && deliveryAudit(next, final, this.deps.clock.now());
    for (let attempt = 0; ; attempt++) {
      try {
        const saved = await this.deps.repos.outbox.update(claimed, next, audit);
        if (!saved.ok) this.log.warn({ ...ids, state: next.state }, 'outbox claim was taken over before the outcome was stored');
        return;
      } catch (e) {
        if (attempt >= 2) throw e;
        await this.sleep(200 * (attempt + 1));
      }
    }
  }
}

const keyOf = (e: OutboxEntry) => `${e.roundId}/${e.id}`;

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

async function forEachLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
