import type { AuditEvent } from './audit';

/** One audit record as the accounthouder reads it: names from the store, never ids. */
export interface LogbookRow {
  at: string;
  roundId: string;
  action: AuditEvent['action'];
  /**
   * 'system' for the bot; a person's name when the bot knows it (an accounthouder without a stored
   * name: the word for the role), else undefined ("onbekend"); a person anonymised since by the
   * first characters of their pseudonym (`tag`), so lines of one person stay recognisable.
   */
  who: { kind: 'system' } | { kind: 'person'; name?: string } | { kind: 'pseudonym'; tag: string };
  subject?: { kind: 'application'; reference: string } | { kind: 'person'; name: string } | { kind: 'pseudonym'; tag: string };
  details?: AuditEvent['details'];
}

/** The short tag a logboek shows for a pseudonym (`psn_3f2a…` → `3f2a`); undefined for anything else. */
export function pseudonymTag(id: string): string | undefined {
  return /^psn_([0-9a-f]{4})[0-9a-f]*$/.exec(id)?.[1];
}

export interface LogbookFilter {
  lang: 'nl' | 'en';
  roundId?: string;
  /** An application, as the store knows it (resolved from a typed reference). */
  applicationId?: string;
  /** A person the bot knows (chosen from the list, checked against the store). */
  personId?: string;
  /** Calendar days (YYYY-MM-DD), inclusive, in Amsterdam time. */
  from?: string;
  to?: string;
}
