import { createServer, Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy in front of a service, to take it away and bring it back: 'down' resets every
 * connection (service unreachable), 'hang' accepts and never answers (service stuck).
 */
export async function startProxy(targetUrl: string) {
  const target = new URL(targetUrl);
  let mode: 'up' | 'down' | 'hang' = 'up';
  const open = new Set<Socket>();
  const server = createServer((client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => undefined);
    if (mode === 'down') return client.destroy();
    if (mode === 'hang') return;
    const upstream = new Socket();
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    upstream.connect(Number(target.port), target.hostname, () => {
      client.pipe(upstream).pipe(client);
    });
    open.add(upstream);
    upstream.on('close', () => open.delete(upstream));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    set(next: 'up' | 'down' | 'hang') {
      mode = next;
      // Pooled keep-alive connections would otherwise keep working (or keep hanging).
      for (const s of open) s.destroy();
    },
    stop: () =>
      new Promise<void>((r) => {
        for (const s of open) s.destroy();
        server.close(() => r());
      }),
  };
}
