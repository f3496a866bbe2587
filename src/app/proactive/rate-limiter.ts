import { Clock, systemClock } from '../../clock';

/** Which key a rule counts against: the conversation (chat, channel or thread) or the tenant. */
export type RateScope = 'conversation' | 'tenant';

export interface RateRule {
  scope: RateScope;
  /** At most `limit` messages in any window of `windowMs`. */
  limit: number;
  windowMs: number;
}

/**
 * Teams' documented limits for a bot: 7 messages per second per conversation (thread) and
 * 50 requests per second per app per tenant. Sliding windows, not token buckets: a bucket of 7
 * refilled at 7/s lets 13 through in one second after an idle spell.
 */
export const TEAMS_RATE_RULES: readonly RateRule[] = [
  { scope: 'conversation', limit: 7, windowMs: 1000 },
  { scope: 'tenant', limit: 50, windowMs: 1000 },
];

export interface RateKeys {
  conversation: string;
  tenant: string;
}

/**
 * Sliding-window log per key. Pure apart from the injected clock: `tryTake` either records the
 * send and answers 0, or records nothing and answers how long to wait. Synchronous, so callers in
 * one process never race between checking and recording.
 *
 * `marginMs` widens every window a little: Teams counts requests when they arrive, and two sends
 * exactly a window apart can arrive closer together than they left.
 *
 * Per process: with several instances each keeps its own log, and a 429 from Teams (handled by
 * the outbox's backoff) is what keeps them honest together.
 */
export class RateLimiter {
  private readonly logs = new Map<string, number[]>();
  private lastSweep = 0;

  constructor(
    private readonly rules: readonly RateRule[] = TEAMS_RATE_RULES,
    private readonly clock: Clock = systemClock,
    private readonly marginMs = 50,
  ) {}

  /** 0 when a message to these keys may go now (and it is counted); otherwise the ms to wait first. */
  tryTake(keys: RateKeys): number {
    const now = this.clock.now().getTime();
    this.sweep(now);
    const windows = this.rules.map((rule) => ({ rule, ...this.window(rule, keys, now) }));
    let wait = 0;
    for (const { rule, log } of windows) {
      // The oldest send that still counts must leave the window before another may go.
      if (log.length >= rule.limit) wait = Math.max(wait, log[log.length - rule.limit]! + rule.windowMs + this.marginMs - now);
    }
    for (const { key, log } of windows) {
      if (wait === 0) log.push(now);
      if (log.length) this.logs.set(key, log);
      else this.logs.delete(key);
    }
    return wait;
  }

  /** Waits (with `sleep`) until a message to these keys may go, and counts it. */
  async take(keys: RateKeys, sleep: (ms: number) => Promise<void> = realSleep): Promise<void> {
    for (let wait = this.tryTake(keys); wait > 0; wait = this.tryTake(keys)) await sleep(wait);
  }

  /** Keys of conversations gone quiet are dropped now and then, so the map does not grow without end. */
  private sweep(now: number): void {
    const longest = Math.max(0, ...this.rules.map((r) => r.windowMs)) + this.marginMs;
    if (now - this.lastSweep < longest) return;
    this.lastSweep = now;
    for (const [key, log] of this.logs) if (log[log.length - 1]! <= now - longest) this.logs.delete(key);
  }

  private window(rule: RateRule, keys: RateKeys, now: number): { key: string; log: number[] } {
    const key = `${rule.scope}|${rule.windowMs}|${keys[rule.scope]}`;
    const horizon = now - rule.windowMs - this.marginMs;
    return { key, log: (this.logs.get(key) ?? []).filter((t) => t > horizon) };
  }

  /** How many keys hold sends still inside a window (for tests). */
  get size(): number {
    return this.logs.size;
  }
}

export const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
