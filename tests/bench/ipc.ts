import { ChildProcess, fork } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * A small request/answer protocol over Node's IPC channel, so the bench can put Azurite, the bot
 * and the bare app each in their own process (own event loop, own heap) and still ask them for
 * counters and memory figures.
 */
export type Handler = (args: Record<string, unknown>) => unknown | Promise<unknown>;

interface Ask {
  kind: 'ask';
  id: number;
  op: string;
  args: Record<string, unknown>;
}
interface Answer {
  kind: 'answer';
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}

/** In a child: answers the parent's questions; `ready` is sent once everything has started. */
export function serve(handlers: Record<string, Handler>, ready: unknown): void {
  if (!process.send) throw new Error('not started with an IPC channel');
  process.on('message', async (raw: unknown) => {
    const m = raw as Ask;
    if (m?.kind !== 'ask') return;
    let answer: Answer;
    try {
      const handler = handlers[m.op];
      if (!handler) throw new Error(`unknown op ${m.op}`);
      answer = { kind: 'answer', id: m.id, ok: true, value: await handler(m.args) };
    } catch (e) {
      answer = { kind: 'answer', id: m.id, ok: false, error: e instanceof Error ? e.message : String(e) };
    }
    process.send!(answer);
  });
  // The parent going away (Ctrl-C, crash) takes the child with it: nothing is left running.
  process.on('disconnect', () => process.exit(0));
  // A normal exit on SIGTERM, so that --cpu-prof can write its profile.
  process.on('SIGTERM', () => process.exit(0));
  process.send({ kind: 'ready', value: ready });
}

export interface Child<R> {
  process: ChildProcess;
  ready: R;
  ask<T = unknown>(op: string, args?: Record<string, unknown>): Promise<T>;
  kill(): Promise<void>;
}

/** Starts a TypeScript module of tests/bench in a child process (through tsx) and waits for its `ready`. */
export async function spawnChild<R>(module: string, env: Record<string, string> = {}, timeoutMs = 30_000): Promise<Child<R>> {
  const child = fork(resolve(__dirname, module), [], {
    // BENCH_PROFILE_DIR=/some/dir: every child writes a V8 CPU profile there (open it in Chrome DevTools).
    execArgv: ['--import', 'tsx', ...(process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [])],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let seq = 0;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const ready = await new Promise<R>((resolveReady, rejectReady) => {
    const timer = setTimeout(() => rejectReady(new Error(`${module} did not start within ${timeoutMs} ms`)), timeoutMs);
    child.on('message', (raw: unknown) => {
      const m = raw as { kind: string; value?: unknown; id?: number; ok?: boolean; error?: string };
      if (m.kind === 'ready') {
        clearTimeout(timer);
        resolveReady(m.value as R);
      } else if (m.kind === 'answer' && m.id !== undefined) {
        const w = waiting.get(m.id);
        waiting.delete(m.id);
        if (m.ok) w?.resolve(m.value);
        else w?.reject(new Error(`${module}: ${m.error}`));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      rejectReady(new Error(`${module} exited with ${code}`));
      for (const w of waiting.values()) w.reject(new Error(`${module} exited with ${code}`));
      waiting.clear();
    });
  });
  return {
    process: child,
    ready,
    ask<T>(op: string, args: Record<string, unknown> = {}) {
      const id = ++seq;
      return new Promise<T>((res, rej) => {
        waiting.set(id, { resolve: res as (v: unknown) => void, reject: rej });
        child.send({ kind: 'ask', id, op, args } satisfies Ask);
      });
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}
