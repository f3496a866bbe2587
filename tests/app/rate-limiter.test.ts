import { describe, expect, it } from 'vitest';
import { RateLimiter, TEAMS_RATE_RULES } from '../../src/app/proactive/rate-limiter';
import { fixedClock } from '../fixtures';

const conv = (c: string, tenant = 't1') => ({ conversation: c, tenant });

describe('rate limiter (sliding windows, injected clock)', () => {
  it('lets 7 messages a second into one conversation, then says how long to wait', () => {
    const clock = fixedClock();
    const limiter = new RateLimiter(TEAMS_RATE_RULES, clock, 0);
    for (let i = 0; i < 7; i++) expect(limiter.tryTake(conv('a'))).toBe(0);
    expect(limiter.tryTake(conv('a'))).toBe(1000);
    clock.advance(999);
    expect(limiter.tryTake(conv('a'))).toBe(1);
    clock.advance(1);
    expect(limiter.tryTake(conv('a'))).toBe(0);
  });

  it('a refused attempt is not counted', () => {
    const clock = fixedClock();
    const limiter = new RateLimiter([{ scope: 'conversation', limit: 1, windowMs: 1000 }], clock, 0);
    expect(limiter.tryTake(conv('a'))).toBe(0);
    for (let i = 0; i < 5; i++) expect(limiter.tryTake(conv('a'))).toBeGreaterThan(0);
    clock.advance(1000);
    expect(limiter.tryTake(conv('a'))).toBe(0);
  });

  it('never more than 7 in any second, also right after an idle spell (no bucket burst)', () => {
    const clock = fixedClock();
    const limiter = new RateLimiter(TEAMS_RATE_RULES, clock, 0);
    const sent: number[] = [];
    // Try every 10 ms for 5 s.
    for (let t = 0; t < 5000; t += 10) {
      if (limiter.tryTake(conv('a')) === 0) sent.push(t);
      clock.advance(10);
    }
    for (let i = 0; i < sent.length; i++) expect(sent.filter((s) => s >= sent[i]! && s < sent[i]! + 1000).length).toBeLessThanOrEqual(7);
    expect(sent.length).toBe(35);
  });

  it('conversations have their own windows; the tenant caps them together at 50 a second', () => {
    const clock = fixedClock();
    const limiter = new RateLimiter(TEAMS_RATE_RULES, clock, 0);
    let granted = 0;
    for (let c = 0; c < 10; c++) for (let i = 0; i < 7; i++) if (limiter.tryTake(conv(`c${c}`)) === 0) granted++;
    expect(granted).toBe(50);
    // Another tenant is not affected.
    expect(limiter.tryTake(conv('x', 't2'))).toBe(0);
    clock.advance(1000);
    expect(limiter.tryTake(conv('c9'))).toBe(0);
  });

  it('a margin widens the window (requests are counted where they arrive)', () => {
    const clock = fixedClock();
    const limiter = new RateLimiter(TEAMS_RATE_RULES, clock, 50);
    for (let i = 0; i < 7; i++) limiter.tryTake(conv('a'));
    clock.advance(1000);
    expect(limiter.tryTake(conv('a'))).toBe(50);
  });

  it('take() waits with the injected sleep and forgets quiet conversations', async () => {
    const clock = fixedClock();
    const limiter = new RateLimiter(TEAMS_RATE_RULES, clock, 0);
    const slept: number[] = [];
    const sleep = async (ms: number) => {
      slept.push(ms);
      clock.advance(ms);
    };
    for (let i = 0; i < 15; i++) await limiter.take(conv('a'), sleep);
    expect(slept).toEqual([1000, 1000]);
    clock.advance(5000);
    limiter.tryTake(conv('b'));
    expect(limiter.size).toBe(2); // b's conversation and tenant windows; a's are gone
  });
});
