/**
 * Fetches a file Teams offers a bot (`application/vnd.microsoft.teams.file.download.info`: a
 * pre-authorised download URL). Only https, and only from the allowed hosts (FILE_DOWNLOAD_HOSTS:
 * SharePoint and OneDrive by default), never following a redirect; this machine (http or https)
 * only in local and test runs, where tests serve files from 127.0.0.1. At most `maxBytes`, counted
 * while streaming, so a larger file is cut off rather than read whole; and within `timeoutMs` altogether.
 */
export type Download = { ok: true; bytes: Uint8Array } | { ok: false; code: 'TOO_LARGE' | 'FAILED' | 'REFUSED_URL' };

export const DOWNLOAD_TIMEOUT_MS = 30_000;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Whether `host` is one of `hosts` (`*.example.com`: any subdomain of example.com, not example.com itself). */
export function hostAllowed(host: string, hosts: readonly string[]): boolean {
  const h = host.toLowerCase();
  return hosts.some((pattern) => (pattern.startsWith('*.') ? h.endsWith(pattern.slice(1)) && h.length > pattern.length - 1 : h === pattern));
}

export interface DownloadPolicy {
  /** FILE_DOWNLOAD_HOSTS. */
  hosts: readonly string[];
  /** Local and test runs: this machine too, over http or https. */
  allowLoopback: boolean;
}

export function downloadAllowed(url: string, policy: DownloadPolicy): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.username || u.password) return false;
  if (policy.allowLoopback && LOOPBACK.has(u.hostname) && (u.protocol === 'http:' || u.protocol === 'https:')) return true;
  // A port other than https's own is not where SharePoint serves files.
  return u.protocol === 'https:' && u.port === '' && hostAllowed(u.hostname, policy.hosts);
}

export async function downloadFile(url: string, options: { maxBytes: number; timeoutMs?: number } & DownloadPolicy): Promise<Download> {
  if (!downloadAllowed(url, options)) return { ok: false, code: 'REFUSED_URL' };
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
