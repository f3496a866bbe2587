import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** How long an attachment's link on a card works; the card made again (or refreshed) has new links. */
export const ATTACHMENT_LINK_TTL_MS = 7 * 24 * 60 * 60 * 1000;
export const ATTACHMENT_PATH = '/api/files';

/**
 * Signed, expiring links to one attachment: an HMAC over round, application, attachment and
 * expiry with a secret only the bot knows (as `reports/links.ts` does for reports). A card cannot
 * carry who clicks, so the link is the permission; it is handed only on cards of people who may
 * see the application (the applicant, the panel's review card).
 */
export interface AttachmentLinker {
  url(roundId: string, applicationId: string, attachmentId: string, now: Date): string;
  verify(roundId: string, applicationId: string, attachmentId: string, exp: string | undefined, sig: string | undefined, now: Date): boolean;
}

export function attachmentLinker(options: { publicUrl: string; linkSecret: string; ttlMs?: number }): AttachmentLinker {
  const secret = options.linkSecret ? Buffer.from(options.linkSecret, 'utf8') : randomBytes(32);
  const ttl = options.ttlMs ?? ATTACHMENT_LINK_TTL_MS;
  const base = options.publicUrl.replace(/\/+$/, '');
  const sign = (r: string, a: string, f: string, exp: number) => createHmac('sha256', secret).update(`attachment-link/v1\n${r}\n${a}\n${f}\n${exp}`).digest();
  return {
    url(roundId, applicationId, attachmentId, now) {
      const exp = Math.floor((now.getTime() + ttl) / 1000);
      const sig = sign(roundId, applicationId, attachmentId, exp).toString('base64url');
      return `${base}${ATTACHMENT_PATH}/${encodeURIComponent(roundId)}/${applicationId}/${attachmentId}?exp=${exp}&sig=${sig}`;
    },
    verify(roundId, applicationId, attachmentId, exp, sig, now) {
      if (!exp || !sig || !/^\d{1,12}$/.test(exp) || !/^[A-Za-z0-9_-]{43}$/.test(sig)) return false;
      const expected = sign(roundId, applicationId, attachmentId, Number(exp));
      const given = Buffer.from(sig, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
      return now.getTime() <= Number(exp) * 1000;
    },
  };
}
