import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { filesOf, REPORT_FILES, ReportFile, ReportKind } from './file-names';

/** How long a download link in a card works. Pressing "Vernieuwen" on the card makes new links. */
export const LINK_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export interface ReportLinkOptions {
  /** The bot's public base URL, without a trailing slash. */
  publicUrl: string;
  /** Signs the links; empty: a random secret for this process (links then end with a restart). */
  linkSecret: string;
  ttlMs?: number;
}

export type ReportUrls = Partial<Record<ReportFile, string>>;

/**
 * Signed, expiring download links. A Teams card can only carry a URL, not the user's identity, so
 * the link itself is the permission: an HMAC over the round, the file and the expiry, made with a
 * secret only the bot knows, so it cannot be altered to reach another round or file or to live longer.
 */
export interface ReportLinker {
  /** The signed URLs of one report's files (e.g. allocation: Markdown, CSV, Woo CSV, PNG, SVG). */
  links(roundId: string, kind: ReportKind, now: Date): ReportUrls & { expiresAt: string };
  /** The signed URL of one file. */
  url(roundId: string, file: ReportFile, now: Date): string;
  /** True when `exp` and `sig` were made by this bot for this round and file and have not expired. */
  verify(roundId: string, file: ReportFile, exp: string | undefined, sig: string | undefined, now: Date): boolean;
}

export const REPORT_PATH = '/api/reports';

export function reportLinker(options: ReportLinkOptions): ReportLinker {
  const secret = options.linkSecret ? Buffer.from(options.linkSecret, 'utf8') : randomBytes(32);
  const ttl = options.ttlMs ?? LINK_TTL_MS;
  const base = options.publicUrl.replace(/\/+$/, '');
  const sign = (roundId: string, file: ReportFile, exp: number) => createHmac('sha256', secret).update(`report-link/v1\n${roundId}\n${file}\n${exp}`).digest();
  const expiryOf = (now: Date) => Math.floor((now.getTime() + ttl) / 1000);
  const url = (roundId: string, file: ReportFile, exp: number) =>
    `${base}${REPORT_PATH}/${encodeURIComponent(roundId)}/${file}?exp=${exp}&sig=${sign(roundId, file, exp).toString('base64url')}`;
  return {
    links(roundId, kind, now) {
      const exp = expiryOf(now);
      return { ...Object.fromEntries(filesOf(kind).map((f) => [f, url(roundId, f, exp)])), expiresAt: new Date(exp * 1000).toISOString() };
    },
    url: (roundId, file, now) => url(roundId, file, expiryOf(now)),
    verify(roundId, file, exp, sig, now) {
      if (!exp || !sig || !/^\d{1,12}$/.test(exp) || !/^[A-Za-z0-9_-]{43}$/.test(sig) || !(file in REPORT_FILES)) return false;
      const expected = sign(roundId, file, Number(exp));
      const given = Buffer.from(sig, 'base64url');
      // Constant time: how much of a guessed signature is right must not show in the response time.
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
      return now.getTime() <= Number(exp) * 1000;
    },
  };
}
