import { Agent, request } from 'node:http';

/** One HTTP POST of an activity; resolves with status, body and the time it took (ms). */
export function post(agent: Agent, url: string, body: string): Promise<{ status: number; text: string; ms: number }> {
  const target = new URL(url);
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), ms: Number(process.hrtime.bigint() - started) / 1e6 }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export interface LoadResult {
  turns: number;
  ok: number;
  failures: string[];
  latencies: number[];
  wallMs: number;
}

/**
 * Closed-loop load: `concurrency` workers over one keep-alive agent, worker w sending its own
 * list `work[w]` in order (so a worker owns its items: two requests for the same item are never
 * in flight at once). `check` says whether an answer is the one expected.
 */
export async function runLoad(url: string, work: string[][], check: (status: number, text: string) => string | undefined): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: work.length });
  const latencies: number[] = [];
  const failures: string[] = [];
  let ok = 0;
  const started = performance.now();
  await Promise.all(
    work.map(async (items) => {
      for (const body of items) {
        const res = await post(agent, url, body);
        latencies.push(res.ms);
        const problem = check(res.status, res.text);
        if (problem) failures.push(problem);
        else ok++;
      }
    }),
  );
  const wallMs = performance.now() - started;
  agent.destroy();
  return { turns: latencies.length, ok, failures, latencies, wallMs };
}

/**
 * Open-loop load: item i is sent at `i / rate` seconds after the start whether or not earlier ones
 * were answered, the way people clicking do (a slow answer does not slow the next click down).
 * Latency counts from the planned send time, so a load generator that falls behind shows up as
 * latency instead of hiding it. Items that must not overlap should be far apart in the list.
 */
export async function runOpenLoop(
  url: string,
  items: string[],
  ratePerSecond: number,
  check: (status: number, text: string) => string | undefined,
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const latencies: number[] = [];
  const failures: string[] = [];
  let ok = 0;
  const started = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < items.length; i++) {
    const due = started + (i * 1000) / ratePerSecond;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    pending.push(
      post(agent, url, items[i]!).then((res) => {
        const lateBy = Math.max(0, performance.now() - res.ms - due);
        latencies.push(res.ms + lateBy);
        const problem = check(res.status, res.text);
        if (problem) failures.push(problem);
        else ok++;
      }),
    );
  }
  await Promise.all(pending);
  const wallMs = performance.now() - started;
  agent.destroy();
  return { turns: latencies.length, ok, failures, latencies, wallMs };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export interface LatencySummary {
  turns: number;
  ok: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
  throughput: number;
}

export function summarise(r: LoadResult): LatencySummary {
  const sorted = [...r.latencies].sort((a, b) => a - b);
  return {
    turns: r.turns,
    ok: r.ok,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    mean: sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length),
    throughput: (r.turns / r.wallMs) * 1000,
  };
}

/** Splits items over `workers` lists, round robin: item i goes to worker i mod workers. */
export function deal<T>(items: T[], workers: number): T[][] {
  const out: T[][] = Array.from({ length: workers }, () => []);
  items.forEach((item, i) => out[i % workers]!.push(item));
  return out;
}
