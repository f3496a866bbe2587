import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request that reached storage: its method and path with query (decoded), e.g. "GET /devstoreaccount1/Rounds()?$filter=…". */
export interface SeenRequest {
  method: string;
  url: string;
  /** The request body's size, counted as it passes (complete once the response has come). */
  bytes: number;
}

/**
 * An HTTP proxy in front of Azurite that records every request passing through: tests count the
 * storage round trips an operation makes, the way a real storage account would bill them.
 */
export async function startCountingProxy(targetUrl: string) {
  const target = new URL(targetUrl);
  const seen: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const entry: SeenRequest = { method: req.method ?? '', url: decodeURIComponent(req.url ?? ''), bytes: 0 };
    seen.push(entry);
    req.on('data', (chunk: Buffer) => (entry.bytes += chunk.length));
    const upstream = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    /** The requests made while `work` ran. */
    async during<T>(work: () => Promise<T>): Promise<{ value: T; requests: SeenRequest[] }> {
      const from = seen.length;
      const value = await work();
      return { value, requests: seen.slice(from) };
    },
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
