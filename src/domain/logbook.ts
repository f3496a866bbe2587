import type { AuditEvent } from './audit';

/** One audit record as the accounthouder reads it: names from the store, never ids. */
export interface LogbookRow {
  at: string;
  roundId: string;
  action: AuditEvent['action'];
  /** 'system' for the bot; a person's name when the bot knows it; a pseudonym (an actor that is no Entra id) as it is; else undefined: "onbekend". */
  who: { kind: 'system' } | { kind: 'person'; name?: string } | { kind: 'pseudonym'; label: string };
  subject?: { kind: 'application'; reference: string } | { kind: 'person'; name: string };
  details?: AuditEvent['details'];
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
