import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Notifier, ThreadRef } from '../../src/app/proactive/notifier';
import { ReviewPublisher } from '../../src/app/proactive/review-publisher';
import { newDraft } from '../../src/domain/application';
import type { PanelMember } from '../../src/domain/panel';
import type { ScoreSheet } from '../../src/domain/scoring';
import { createLogger } from '../../src/log';
import { memoryRepos } from '../../src/store/memory-repos';
import { ReviewContext, reviewContextFrom } from '../../src/usecases/load-review';
import { fixedClock, NOW, round } from '../fixtures';

/**
 * The shared review card is updated after each save, from that save's context; saves in quick
 * succession on one card are merged. What must hold: every card ends drawn from the newest
 * context it was given (never an older one), cards are never mixed up, a failed update does not
 * stop the next.
 */

const r = round();
const panel: PanelMember[] = Array.from({ length: 6 }, (_, i) => ({
  userId: `m${i}`,
  mri: `29:m${i}`,
  name: `Lid ${i}`,
  role: 'gemeente',
  addedBy: 'x',
  addedAt: NOW.toISOString(),
}));
const sheet = (memberId: string): ScoreSheet => ({
  memberId,
  criteriaVersion: r.criteria.version,
  scores: Object.fromEntries(r.criteria.items.map((c) => [c.id, c.scaleMin])),
  comments: {},
  overall: '',
  at: NOW.toISOString(),
});

/** The context a save on application `n` returns when `scored` members have scored. */
function ctxOf(n: number, scored: number): ReviewContext {
  const id = String(n).padStart(20, '0');
  const app = {
    ...newDraft({ id, roundId: r.id, applicantId: 'a', now: NOW }),
    status: 'in_review' as const,
    reference: `LB-2026-00${n}`,
    fields: { title: `Plan ${n}` },
  };
  const review = {
    applicationId: id,
    state: 'posted' as const,
    claimedAt: '',
    serviceUrl: 'https://smba.example/',
    tenantId: 't',
    botId: '28:bot',
    threadId: `19:c;messageid=card-${n}`,
    activityId: `card-${n}`,
    changes: scored,
  };
  const bundle = {
    review: { value: review, etag: 'e' },
    sheets: panel.slice(0, scored).map((m) => ({ value: sheet(m.userId), etag: 'e' })),
    recusals: [],
    questions: [],
  };
  return reviewContextFrom({ value: r, etag: 'e' }, { value: app, etag: 'e' }, panel, bundle);
}

interface Update {
  activityId: string;
  text: string;
}

/** A Notifier that records card updates; each update waits for `gate` when one is set, and can be made to fail. */
function recordingNotifier() {
  const updates: Update[] = [];
  const state: { gate?: Promise<void>; failNext: boolean } = { failNext: false };
  const notifier = {
    async updateCard(_thread: ThreadRef, activityId: string, card: object) {
      updates.push({ activityId, text: JSON.stringify(card) });
      if (state.gate) await state.gate;
      if (state.failNext) {
        state.failNext = false;
        throw Object.assign(new Error('connector said no'), { statusCode: 502 });
      }
    },
  } as unknown as Notifier;
  return { notifier, updates, state };
}

function publisherWith(notifier: Notifier) {
  const lines: string[] = [];
  const log = createLogger('info', new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }));
  return { publisher: new ReviewPublisher({ repos: memoryRepos(), clock: fixedClock() }, notifier, log, 0), lines };
}

const tick = () => new Promise((res) => setImmediate(res));
async function settled(p: ReviewPublisher) {
  for (let i = 0; i < 100 && p.pendingSharedUpdates > 0; i++) await tick();
  expect(p.pendingSharedUpdates).toBe(0);
}
const progress = (u: Update | undefined) => /"(\d) van 6 beoordeeld"/.exec(u?.text ?? '')?.[1];

describe('shared review card updates', () => {
  it('saves in one burst on one card give one update, from the newest context', async () => {
    const { notifier, updates } = recordingNotifier();
    const { publisher } = publisherWith(notifier);
    for (let scored = 1; scored <= 4; scored++) publisher.refreshSharedLater(ctxOf(1, scored));
    expect(updates).toEqual([]); // after the turn's answer, not during it
    await settled(publisher);
    expect(updates.map(progress)).toEqual(['4']);
  });

  it('with a delay: the saves of one moment go out as one update, and updates of one card keep the delay between them', async () => {
    const { notifier, updates } = recordingNotifier();
    const lines: string[] = [];
    const log = createLogger('info', new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }));
    const publisher = new ReviewPublisher({ repos: memoryRepos(), clock: fixedClock() }, notifier, log, 60);
    const sentAt: number[] = [];
    const started = performance.now();
    const record = notifier.updateCard.bind(notifier);
    notifier.updateCard = async (...args: Parameters<Notifier['updateCard']>) => (sentAt.push(performance.now() - started), record(...args));
    publisher.refreshSharedLater(ctxOf(1, 1));
    publisher.refreshSharedLater(ctxOf(1, 2));
    await new Promise((r) => setTimeout(r, 20));
    expect(updates).toEqual([]); // still waiting for the rest of the moment
    publisher.refreshSharedLater(ctxOf(1, 3));
    await new Promise((r) => setTimeout(r, 70));
    expect(updates.map(progress)).toEqual(['3']);
    publisher.refreshSharedLater(ctxOf(1, 4));
    await new Promise((r) => setTimeout(r, 200));
    expect(updates.map(progress)).toEqual(['3', '4']);
    expect(sentAt[0]).toBeGreaterThanOrEqual(55);
    expect(sentAt[1]! - sentAt[0]!).toBeGreaterThanOrEqual(55);
    expect(publisher.pendingSharedUpdates).toBe(0);
  });

  it('saves handed in out of order (two turns finishing in the other order): the later state of the review wins', async () => {
    const { notifier, updates } = recordingNotifier();
    const { publisher } = publisherWith(notifier);
    publisher.refreshSharedLater(ctxOf(1, 2));
    publisher.refreshSharedLater(ctxOf(1, 4));
    publisher.refreshSharedLater(ctxOf(1, 3));
    await settled(publisher);
    expect(updates.map(progress)).toEqual(['4']);
  });

  it('a save while an update is under way is sent after it, from the newest context; then the card is free again', async () => {
    const { notifier, updates, state } = recordingNotifier();
    const { publisher } = publisherWith(notifier);
    let open!: () => void;
    state.gate = new Promise<void>((res) => (open = res));
    publisher.refreshSharedLater(ctxOf(1, 1));
    await tick();
    expect(updates.map(progress)).toEqual(['1']);
    publisher.refreshSharedLater(ctxOf(1, 2));
    publisher.refreshSharedLater(ctxOf(1, 3));
    expect(updates.map(progress)).toEqual(['1']); // one update per card at a time
    state.gate = undefined;
    open();
    await settled(publisher);
    expect(updates.map(progress)).toEqual(['1', '3']);
    // Later saves are not swallowed by the earlier burst.
    publisher.refreshSharedLater(ctxOf(1, 5));
    await settled(publisher);
    expect(updates.map(progress)).toEqual(['1', '3', '5']);
  });

  it('saves on different cards are not merged: each card gets its own newest context', async () => {
    const { notifier, updates } = recordingNotifier();
    const { publisher } = publisherWith(notifier);
    publisher.refreshSharedLater(ctxOf(1, 1));
    publisher.refreshSharedLater(ctxOf(2, 2));
    publisher.refreshSharedLater(ctxOf(1, 3));
    publisher.refreshSharedLater(ctxOf(2, 4));
    await settled(publisher);
    expect(updates.map((u) => [u.activityId, progress(u), /Plan (\d)/.exec(u.text)?.[1]])).toEqual([
      ['card-1', '3', '1'],
      ['card-2', '4', '2'],
    ]);
  });

  it('a failed update is logged and the queued one still goes out', async () => {
    const { notifier, updates, state } = recordingNotifier();
    const { publisher, lines } = publisherWith(notifier);
    let open!: () => void;
    state.gate = new Promise<void>((res) => (open = res));
    state.failNext = true;
    publisher.refreshSharedLater(ctxOf(1, 1));
    await tick();
    publisher.refreshSharedLater(ctxOf(1, 2));
    state.gate = undefined;
    open();
    await settled(publisher);
    expect(updates.map(progress)).toEqual(['1', '2']);
    expect(lines.filter((l) => l.includes('shared card update failed'))).toHaveLength(1);
  });
});
