import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reminderMoments } from '../../src/domain/reminders';
import { demoRound } from '../../src/domain/demo-round';
import { fixedClock, NOW } from '../fixtures';
import { startAzurite, RunningAzurite } from '../support/azurite';
import { startHarness } from '../support/harness';
import { ANOUK, personalMessage } from '../support/teams';
import { until } from '../support/until';

const SECRET = 'a-long-random-job-secret-for-tests';
let azurite: RunningAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(() => azurite?.stop());

const trigger = (url: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/api/jobs/run`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });

describe('POST /api/jobs/run without a configured secret', () => {
  let h: Awaited<ReturnType<typeof startHarness>>;
  beforeAll(async () => {
    h = await startHarness({ azurite });
  });
  afterAll(() => h?.stop());

  it('does not exist (404), whatever header is sent', async () => {
    expect((await trigger(h.bot.url)).status).toBe(404);
    expect((await trigger(h.bot.url, { 'x-job-secret': '' })).status).toBe(404);
    expect((await trigger(h.bot.url, { 'x-job-secret': 'guess' })).status).toBe(404);
  });
});

describe('POST /api/jobs/run with a secret', () => {
  const clock = fixedClock(NOW);
  let h: Awaited<ReturnType<typeof startHarness>>;
  beforeAll(async () => {
    h = await startHarness({ azurite, clock, env: { JOB_TRIGGER_SECRET: SECRET, ACCOUNTHOUDER_IDS: ANOUK.aadObjectId } });
  });
  afterAll(() => h?.stop());

  it('refuses a missing or wrong secret (401) and runs nothing', async () => {
    expect((await trigger(h.bot.url)).status).toBe(401);
    expect((await trigger(h.bot.url, { 'x-job-secret': 'wrong' })).status).toBe(401);
    expect((await trigger(h.bot.url, { 'x-job-secret': `${SECRET}x` })).status).toBe(401);
    expect((await trigger(h.bot.url, { 'x-job-secret': SECRET.slice(0, -1) })).status).toBe(401);
  });

  it('runs the jobs with the right secret and answers with counts; a due reminder reaches the accounthouder', async () => {
    const quiet = await trigger(h.bot.url, { 'x-job-secret': SECRET });
    expect(quiet.status).toBe(200);
    expect(await quiet.json()).toMatchObject({ posted: 0, closed: 0, announced: 0, reminders: { ran: true, sent: 0, messages: 0 } });

    // The accounthouder has talked to the bot (so it can write to her), and the clock reaches the
    // four-weeks-ahead reminder of the council's allocation report.
    await h.send(personalMessage(h.connector.url, ANOUK, 'hallo'));
    const d28 = reminderMoments(demoRound(NOW).councilAllocationReportDue).find((m) => m.offsetDays === 28)!;
    clock.set(new Date(Date.parse(d28.at) + 60_000));
    h.connector.clear();

    const res = await trigger(h.bot.url, { 'x-job-secret': SECRET });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ reminders: { ran: true, sent: 1, messages: 1, alreadyRecorded: 0 } });
    // Not there in time: the assertions below say so.
    await until(() => h.connector.posted.length || undefined, { timeoutMs: 5000, everyMs: 50 }).catch(() => undefined);
    const card = JSON.stringify(h.connector.posted[0]?.activity);
    expect(card).toContain('Herinnering: de raad informeren over de verdeling');
    expect(card).toContain('"verb":"report.allocation"');

    // A second trigger (another instance's timer) sends nothing again.
    const again = await trigger(h.bot.url, { 'x-job-secret': SECRET });
    expect(await again.json()).toMatchObject({ reminders: { sent: 0, messages: 0 } });
    await new Promise((r) => setTimeout(r, 300));
    expect(h.connector.posted).toHaveLength(1);
  });
});
