import { connect, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { startHarness } from '../support/harness';
import { ANOUK, personalMessage } from '../support/teams';

/**
 * A client that sends its headers and then dribbles (or never sends) the body is disconnected
 * after REQUEST_TIMEOUT_MS. Short here (500 ms); the wait for the close is bounded generously
 * (10 s) and nothing else about time is asserted.
 */
let h: Awaited<ReturnType<typeof startHarness>>;
beforeAll(async () => {
  h = await startHarness({ env: { REQUEST_TIMEOUT_MS: '500' } });
});
afterAll(() => h?.stop());

/** Opens a raw connection, writes `first`, then (optionally) one more byte every `dribbleMs`; resolves with what came back once the server closes it. */
function rawRequest(first: string, dribbleMs?: number): Promise<{ closed: boolean; received: string }> {
  return new Promise((resolve) => {
    const socket: Socket = connect(h.bot.port, '127.0.0.1');
    let received = '';
    let dribble: NodeJS.Timeout | undefined;
    const giveUp = setTimeout(() => {
      clearInterval(dribble);
      socket.destroy();
      resolve({ closed: false, received });
    }, 10_000);
    socket.on('data', (d) => (received += d.toString('utf8')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(giveUp);
      clearInterval(dribble);
      resolve({ closed: true, received });
    });
    socket.write(first);
    if (dribbleMs) dribble = setInterval(() => socket.writable && socket.write(' '), dribbleMs);
  });
}

const headers = (length: number) => `POST /api/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;

describe('slow requests', () => {
  it('headers, then part of the body, then nothing: 408 and the connection is closed', async () => {
    const { closed, received } = await rawRequest(`${headers(2000)}{"type":"message",`);
    expect(closed).toBe(true);
    expect(received).toMatch(/^HTTP\/1\.1 408/);
  });

  it('a body dribbled one byte at a time is closed too, though bytes keep coming', async () => {
    const { closed, received } = await rawRequest(`${headers(100_000)}{"type":"message","text":"`, 50);
    expect(closed).toBe(true);
    expect(received).toMatch(/^HTTP\/1\.1 408/);
  });

  it('headers that never end: the connection is closed', async () => {
    const { closed } = await rawRequest('POST /api/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    expect(closed).toBe(true);
  });

  it('the bot keeps serving, and nothing reached the turn', async () => {
    expect((await fetch(`${h.bot.url}/healthz`)).status).toBe(200);
    const res = await h.send(personalMessage(h.connector.url, ANOUK, 'hallo'));
    expect(res.status).toBe(200);
    expect(h.connector.posted).toHaveLength(1);
  });

  it('the timeout is configurable, 20 s by default', () => {
    const base = { STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true', APP_ENV: 'local' };
    expect(loadConfig(base).requestTimeoutMs).toBe(20_000);
    expect(loadConfig({ ...base, REQUEST_TIMEOUT_MS: '15000' }).requestTimeoutMs).toBe(15_000);
    expect(() => loadConfig({ ...base, REQUEST_TIMEOUT_MS: '0' })).toThrow(/REQUEST_TIMEOUT_MS/);
  });
});
