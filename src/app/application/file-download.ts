/**
 * Fetches a file Teams offers a bot (`application/vnd.microsoft.teams.file.download.info`: a
 * pre-authorised download URL). Only https (plain http only to this machine, outside
 * production: tests serve files from 127.0.0.1); at most `maxBytes`, counted while streaming, so a
 * larger file is cut off rather than read whole; and within `timeoutMs` altogether.
 */
export type Download = { ok: true; bytes: Uint8Array } | { ok: false; code: 'TOO_LARGE' | 'FAILED' | 'REFUSED_URL' };

export const DOWNLOAD_TIMEOUT_MS = 30_000;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function downloadAllowed(url: string, allowLoopback: boolean): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.username || u.password) return false;
  if (u.protocol === 'https:') return true;
  return allowLoopback && u.protocol === 'http:' && LOOPBACK.has(u.hostname);
}

export async function downloadFile(url: string, options: { maxBytes: number; timeoutMs?: number; allowLoopback: boolean }): Promise<Download> {
  if (!downloadAllowed(url, options.allowLoopback)) return { ok: false, code: 'REFUSED_URL' };
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? DOWNLOAD_TIMEOUT_MS);
  try {
    const res = await fetch(url, { signal: controller.signal, redirect: 'error' });
    if (!res.ok || !res.body) return { ok: false, code: 'FAILED' };
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > options.maxBytes) {
      controller.abort();
      return { ok: false, code: 'TOO_LARGE' };
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      total += chunk.length;
      if (total > options.maxBytes) {
        controller.abort();
        return { ok: false, code: 'TOO_LARGE' };
      }
      chunks.push(chunk);
    }
    const bytes = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      bytes.set(c, at);
      at += c.length;
    }
    return { ok: true, bytes };
  } catch {
    return { ok: false, code: 'FAILED' };
  } finally {
    clearTimeout(timer);
  }
}
