import type { Application } from './domain/application';
import type { AuditEvent } from './domain/audit';
import type { Result } from './domain/result';
import type { Round } from './domain/round';

/** A stored value with the ETag it was read with; updates are conditioned on it. */
export interface Versioned<T> {
  value: T;
  etag: string;
}

export type Conflict = { code: 'CONFLICT' };
/** The round's criteria may no longer change: an application has been submitted. */
export type Frozen = { code: 'FROZEN' };
export type AlreadyExists = { code: 'ALREADY_EXISTS' };

export interface RoundRepo {
  get(roundId: string): Promise<Versioned<Round> | undefined>;
  list(): Promise<Round[]>;
  create(round: Round, audit: AuditEvent): Promise<Result<Versioned<Round>, AlreadyExists>>;
  /**
   * Replaces the round if unchanged since read. With `whileNoSubmissions`, only while no
   * application of the round was ever submitted — checked in the same transaction, so a
   * submission at the same moment either sees the new version or makes this update fail.
   */
  update(
    current: Versioned<Round>,
    next: Round,
    audit: AuditEvent,
    options?: { whileNoSubmissions?: boolean },
  ): Promise<Result<Versioned<Round>, Conflict | Frozen>>;
  /** How many references the round has issued (submitted applications, withdrawn ones included). */
  submissionCount(roundId: string): Promise<number>;
}

export interface AccounthouderRecord {
  userId: string;
  name: string;
  addedBy: string;
  addedAt: string;
}

/** Roles are held by the bot's own store (plus the accounthouders bootstrapped from config). */
export interface RoleRepo {
  isAccounthouder(userId: string): Promise<boolean>;
  addAccounthouder(record: AccounthouderRecord, audit: AuditEvent): Promise<void>;
  listAccounthouders(): Promise<AccounthouderRecord[]>;
}

export interface ApplicationRepo {
  get(roundId: string, applicationId: string): Promise<Versioned<Application> | undefined>;
  listByApplicant(applicantId: string): Promise<Versioned<Application>[]>;
  /** Inserts a new application; a second insert of the same id is refused. */
  create(application: Application, audit: AuditEvent): Promise<Result<Versioned<Application>, AlreadyExists>>;
  /** Replaces `current` with `next` if nobody changed it since it was read. */
  update(current: Versioned<Application>, next: Application, audit: AuditEvent): Promise<Result<Versioned<Application>, Conflict>>;
  /**
   * Saves `next` (a submitted application) with the round's next reference sequence, in one
   * transaction with the round's counter: references are unique and gap-free per round.
   */
  submit(
    current: Versioned<Application>,
    next: Application,
    audit: AuditEvent,
    reference: (sequence: number) => string,
  ): Promise<Result<Versioned<Application>, Conflict>>;
}

export interface AuditRepo {
  list(roundId: string): Promise<AuditEvent[]>;
}

/** What proactive messages need to reach a person later. */
export interface ConversationRecord {
  userId: string;
  conversationId: string;
  /** The serialised botbuilder ConversationReference. */
  reference: unknown;
  locale?: string;
  updatedAt: string;
}

export interface ConversationRepo {
  save(record: ConversationRecord): Promise<void>;
  get(userId: string): Promise<ConversationRecord | undefined>;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface Repos {
  rounds: RoundRepo;
  roles: RoleRepo;
  applications: ApplicationRepo;
  audit: AuditRepo;
  conversations: ConversationRepo;
  /** Answers whether storage is reachable (health check). */
  ping(): Promise<boolean>;
}
