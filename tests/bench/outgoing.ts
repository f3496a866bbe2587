import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { performance } from 'node:perf_hooks';

/** One thing a process did while a turn was traced: the turn arrived, the answer left, or a request went out. */
export interface TraceEntry {
  kind: 'turn' | 'answer' | 'storage' | 'other';
  at: number;
  end?: number;
  method?: string;
  path?: string;
}

export interface Outgoing {
  storage: number;
  other: number;
  /** Time during which at least one storage request was in flight. */
  storageBusyMs: number;
  inFlight: number;
}

/**
 * What a bench child asks of storage, seen through Node's HTTP diagnostics channels: every
 * outgoing request to Azurite's port, the time during which at least one was in flight (the
 * storage wait on a turn's critical path when turns come one at a time), and, while tracing, when
 * each turn arrived, each request went and came back, and when the answer left. The bot and the
 * storage floor count the same way.
 */
export function outgoingCounter(storageUrl: string) {
  const storagePort = new URL(storageUrl).port;
  let out = { storage: 0, other: 0, storageBusyMs: 0 };
  let trace: TraceEntry[] | undefined;
  const traced = new WeakMap<ClientRequest, TraceEntry>();
  subscribe('http.server.request.start', () => trace?.push({ kind: 'turn', at: performance.now() }));
  subscribe('http.server.response.finish', () => trace?.push({ kind: 'answer', at: performance.now() }));
  let inFlight = 0;
  let busySince = 0;
  const storageRequests = new WeakSet<ClientRequest>();
  subscribe('http.client.request.start', (m) => {
    const request = (m as { request: ClientRequest }).request;
    const storage = String(request.getHeader('host') ?? '').endsWith(`:${storagePort}`);
    if (trace) {
      const entry: TraceEntry = { kind: storage ? 'storage' : 'other', at: performance.now(), method: request.method, path: request.path };
      trace.push(entry);
      traced.set(request, entry);
    }
    if (storage) {
      out.storage++;
      storageRequests.add(request);
      if (inFlight++ === 0) busySince = performance.now();
    } else out.other++;
  });
  const done = (request: ClientRequest) => {
    const entry = traced.get(request);
    if (entry) entry.end = performance.now();
    if (!storageRequests.delete(request)) return;
    if (--inFlight === 0) out.storageBusyMs += performance.now() - busySince;
  };
  subscribe('http.client.response.finish', (m) => done((m as { request: ClientRequest }).request));
  subscribe('http.client.request.error', (m) => done((m as { request: ClientRequest }).request));
  return {
    reset() {
      out = { storage: 0, other: 0, storageBusyMs: 0 };
      if (inFlight > 0) busySince = performance.now();
    },
    now(): Outgoing {
      return { ...out, storageBusyMs: out.storageBusyMs + (inFlight > 0 ? performance.now() - busySince : 0), inFlight };
    },
    startTrace() {
      trace = [];
    },
    takeTrace(): TraceEntry[] {
      const taken = trace ?? [];
      trace = [];
      return taken;
    },
  };
}
