import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { LINK_TTL_MS } from './links';

/**
 * Signed, expiring links whose permission is bound to named parameters (a person, a filter):
 * an HMAC over the purpose, every parameter (sorted by name) and the expiry, with a secret only
 * the bot knows. Changing any parameter, adding one or moving the expiry breaks the signature,
 * so an altered link is refused before anything is read.
 */
export interface SignedLinker {
  /** The URL of `path` with `params`, `exp` and `sig` in the query. */
  url(purpose: string, path: string, params: Record<string, string>, now: Date): { url: string; expiresAt: string };
  /** The signed parameters when `query` carries a valid, unexpired signature for `purpose`; undefined otherwise. */
  verify(purpose: string, query: URLSearchParams, now: Date): Record<string, string> | undefined;
}

const PARAM = /^[a-z]{1,12}$/;

export function signedLinker(options: { publicUrl: string; linkSecret: string; ttlMs?: number }): SignedLinker {
  const secret = options.linkSecret ? Buffer.from(options.linkSecret, 'utf8') : randomBytes(32);
  const ttl = options.ttlMs ?? LINK_TTL_MS;
  const base = options.publicUrl.replace(/\/+$/, '');
  const sign = (purpose: string, params: Record<string, string>, exp: string) => {
    const lines = Object.keys(params)
      .sort()
      .map((k) => `${k}=${params[k]}`);
    return createHmac('sha256', secret)
      .update(`signed-link/v1\n${purpose}\n${lines.join('\n')}\nexp=${exp}`)
      .digest();
  };
  return {
    url(purpose, path, params, now) {
      for (const k of Object.keys(params)) if (!PARAM.test(k) || k === 'exp' || k === 'sig') throw new RangeError(`bad link parameter ${k}`);
      const exp = String(Math.floor((now.getTime() + ttl) / 1000));
      const query = new URLSearchParams({ ...params, exp, sig: sign(purpose, params, exp).toString('base64url') });
      return { url: `${base}${path}?${query.toString()}`, expiresAt: new Date(Number(exp) * 1000).toISOString() };
    },
    verify(purpose, query, now) {
      const exp = query.get('exp') ?? '';
      const sig = query.get('sig') ?? '';
      if (!/^\d{1,12}$/.test(exp) || !/^[A-Za-z0-9_-]{43}$/.test(sig)) return undefined;
      const params: Record<string, string> = {};
      for (const [k, v] of query) {
        if (k === 'exp' || k === 'sig') continue;
        // A parameter twice, or one no link of ours has: not a link we made.
        if (!PARAM.test(k) || k in params) return undefined;
        params[k] = v;
      }
      const expected = sign(purpose, params, exp);
      const given = Buffer.from(sig, 'base64url');
      // Constant time: how much of a guessed signature is right must not show in the response time.
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      return now.getTime() <= Number(exp) * 1000 ? params : undefined;
    },
  };
}

/** Where a person's inzage files are served; the link is signed over the person and the language. */
export const PERSONAL_PATH = '/api/my-data';
export const PERSONAL_PURPOSE = 'personal-data';
/** Where the accounthouder's logboek CSV is served; the link is signed over the filter. */
export const LOGBOOK_PATH = '/api/logbook/logboek.csv';
export const LOGBOOK_PURPOSE = 'logbook';
