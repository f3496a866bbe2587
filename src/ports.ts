import type { Application } from './domain/application';
import type { CriteriaSet } from './domain/criteria';
import type { ConsultationResponse, ConsultationRole, Participation, ProposalDecision } from './domain/consultation';
import type { AuditEvent } from './domain/audit';
import type { Result } from './domain/result';
import type { Round } from './domain/round';
import type { PanelMember, Recusal } from './domain/panel';
import type { ScoreSheet } from './domain/scoring';
import type { DecisionLine, Exclusion } from './domain/allocation';
import type { PanelRole } from './domain/panel';

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
  listByRound(roundId: string): Promise<Versioned<Application>[]>;
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

/** Where an application's review card lives in Teams, and how far its review is. */
export interface ReviewRecord {
  applicationId: string;
  state: 'pending' | 'posted' | 'closed';
  claimedAt: string;
  teamId?: string;
  channelId?: string;
  serviceUrl?: string;
  tenantId?: string;
  botId?: string;
  /** The thread's conversation id ("<channel>;messageid=<id>") and the card's activity id. */
  threadId?: string;
  activityId?: string;
  postedAt?: string;
  closedAt?: string;
  /**
   * Raised by every sheet saved and every recusal, in the same transaction: two panel members
   * saving at the same moment cannot both commit from the same read, so the one that commits knows
   * the review exactly as it is (whether it is complete and closes; what the shared card shows).
   */
  changes?: number;
}

export interface Question {
  id: string;
  applicationId: string;
  askedBy: string;
  text: string;
  askedAt: string;
  answer?: string;
  answeredAt?: string;
}

/** Everything about one application's review, read in one query. */
export interface ReviewBundle {
  review?: Versioned<ReviewRecord>;
  sheets: Versioned<ScoreSheet>[];
  recusals: Recusal[];
  questions: Versioned<Question>[];
}

/** One application's review with everything around it: the round, its panel, the application. */
export interface ReviewScene {
  round?: Versioned<Round>;
  panel: PanelMember[];
  app?: Versioned<Application>;
  bundle: ReviewBundle;
}

export interface ReviewRepo {
  /** The round with its panel and the application with its review, in two reads (a scoring turn's whole read). */
  scene(roundId: string, applicationId: string): Promise<ReviewScene>;
  listPanel(roundId: string): Promise<PanelMember[]>;
  putPanelMember(roundId: string, member: PanelMember, audit: AuditEvent): Promise<void>;
  removePanelMember(roundId: string, userId: string, audit: AuditEvent): Promise<void>;
  bundle(roundId: string, applicationId: string): Promise<ReviewBundle>;
  listReviews(roundId: string): Promise<Versioned<ReviewRecord>[]>;
  /** Claims the posting of a review card; refused when someone else already claimed it. */
  claim(roundId: string, record: ReviewRecord): Promise<Result<Versioned<ReviewRecord>, AlreadyExists>>;
  updateReview(roundId: string, current: Versioned<ReviewRecord>, next: ReviewRecord): Promise<Result<Versioned<ReviewRecord>, Conflict>>;
  /** Writes the review record and the application's new status together (posted → in review, closed → reviewed). */
  transition(
    roundId: string,
    review: { current: Versioned<ReviewRecord>; next: ReviewRecord },
    application: { current: Versioned<Application>; next: Application },
    audit: AuditEvent[],
  ): Promise<Result<void, Conflict>>;
  /**
   * Creates (etag undefined) or replaces a member's score sheet, ETag-guarded, and raises the
   * review record's `changes` (ETag-guarded too): CONFLICT when the sheet or anything else of the
   * review changed since `review` was read.
   */
  saveSheet(
    roundId: string,
    applicationId: string,
    sheet: ScoreSheet,
    etag: string | undefined,
    audit: AuditEvent,
    review: Versioned<ReviewRecord>,
  ): Promise<Result<{ sheet: Versioned<ScoreSheet>; review: Versioned<ReviewRecord> }, Conflict>>;
  /** Records a recusal and raises the review record's `changes` (ETag-guarded): ALREADY_EXISTS for a second one, CONFLICT when the review changed since read. */
  addRecusal(roundId: string, applicationId: string, recusal: Recusal, audit: AuditEvent, review: Versioned<ReviewRecord>): Promise<Result<void, AlreadyExists | Conflict>>;
  addQuestion(roundId: string, question: Question, audit: AuditEvent): Promise<void>;
  answerQuestion(roundId: string, current: Versioned<Question>, next: Question, audit: AuditEvent): Promise<Result<void, Conflict>>;
}

/** One line of an approved decision, with what the people reading the record need. */
export interface DecidedLine extends DecisionLine {
  reference: string;
  title: string;
  organisation: string;
  wijk: string;
  requested: number;
  proposed: number;
  score?: number;
  excluded?: Exclusion;
}

/** The record of one approval: who, when, what, on which proposal, with the panel's marks. */
export interface DecisionRecord {
  id: string;
  roundId: string;
  approvedBy: string;
  approvedAt: string;
  fingerprint: string;
  budget: number;
  spentBefore: number;
  total: number;
  lines: DecidedLine[];
  marks: { agree: number; disagree: number };
  /** The decision's messages have been put in the outbox. */
  announced: boolean;
}

/** A panel member's eens/oneens on one version of the proposal. */
export interface PanelMark {
  fingerprint: string;
  memberId: string;
  name: string;
  role: PanelRole;
  agree: boolean;
  remark?: string;
  at: string;
}

/** Where a version of the proposal was put before the panel. */
export interface ProposalPost {
  fingerprint: string;
  threadId: string;
  activityId: string;
  serviceUrl: string;
  tenantId: string;
  botId: string;
  postedAt: string;
}

/** A whole round, read at once: what the allocation, the reports and the reminders work from. */
export interface RoundSnapshot {
  round: Versioned<Round>;
  applications: Versioned<Application>[];
  panel: PanelMember[];
  /** Every application's review rows: only from `snapshotWithReviews` (closed reviews keep their result on the application). */
  bundles?: Map<string, ReviewBundle>;
  ledger?: Versioned<{ spent: number }>;
  decisions: Versioned<DecisionRecord>[];
  /** The criteria consultation of the round, if one was held. */
  consultation?: Consultation;
}

export type SnapshotWithReviews = RoundSnapshot & { bundles: Map<string, ReviewBundle> };

export interface AllocationRepo {
  /** The round, its panel, applications (closed reviews' results on them), ledger, decisions and consultation. */
  snapshot(roundId: string): Promise<RoundSnapshot | undefined>;
  /** The same and every review row (records, sheets, recusals, questions): many more rows, needed for open reviews and review threads. */
  snapshotWithReviews(roundId: string): Promise<SnapshotWithReviews | undefined>;
  /** The round's decision records only (one key-range read). */
  decisions(roundId: string): Promise<Versioned<DecisionRecord>[]>;
  /**
   * One transaction: the budget ledger (ETag-guarded, created on the first decision), every decided
   * application (ETag-guarded), the decision record and its audit record. All or nothing.
   */
  approve(input: {
    roundId: string;
    ledger?: Versioned<{ spent: number }>;
    spentAfter: number;
    applications: { current: Versioned<Application>; next: Application }[];
    decision: DecisionRecord;
    audit: AuditEvent;
  }): Promise<Result<void, Conflict>>;
  markAnnounced(roundId: string, current: Versioned<DecisionRecord>): Promise<void>;
  putMark(roundId: string, mark: PanelMark, audit: AuditEvent): Promise<void>;
  listMarks(roundId: string, fingerprint: string): Promise<PanelMark[]>;
  getProposalPost(roundId: string, fingerprint: string): Promise<ProposalPost | undefined>;
  /** Refused when this version was already posted (by another click or instance). */
  claimProposalPost(roundId: string, post: ProposalPost, audit: AuditEvent): Promise<Result<void, AlreadyExists>>;
}

/** Where a proactive message goes. */
export type OutboxTarget =
  | { type: 'user'; userId: string }
  | { type: 'thread'; serviceUrl: string; tenantId: string; botId: string; threadId: string }
  | { type: 'channel'; serviceUrl: string; tenantId: string; botId: string; channelId: string };

/**
 * A proactive message stored in the same transaction as the change it announces (a decision), so
 * it is never lost; the dispatcher sends it and marks it sent.
 */
export interface OutboxEntry {
  id: string;
  roundId: string;
  /** What it announces, for logs and tests: e.g. 'decision.applicant', 'decision.thread', 'decision.summary'. */
  kind: string;
  target: OutboxTarget;
  /** An Adaptive Card, or plain text. */
  card?: object;
  text?: string;
  state: 'pending' | 'sending' | 'sent' | 'failed';
  attempts: number;
  /** ISO time before which it is not (re)tried. */
  notBefore: string;
  createdAt: string;
  claimedAt?: string;
  sentAt?: string;
  lastError?: string;
}

export interface OutboxRepo {
  /** Stores messages to send (one round's entries commit together). */
  enqueue(entries: OutboxEntry[]): Promise<void>;
  /** Entries due now: pending with notBefore ≤ now, or 'sending' claimed longer ago than `staleClaimMs` (a crash mid-send). */
  due(now: Date, staleClaimMs: number, limit?: number): Promise<Versioned<OutboxEntry>[]>;
  /** ETag-guarded state change; CONFLICT when another dispatcher changed it first. */
  update(current: Versioned<OutboxEntry>, next: OutboxEntry): Promise<Result<Versioned<OutboxEntry>, Conflict>>;
  list(roundId: string): Promise<OutboxEntry[]>;
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

/** A clock that starts at `start` and runs on in real time (local and test runs near a deadline). */
export function clockFrom(start: Date, real: Clock = systemClock): Clock {
  const offset = start.getTime() - real.now().getTime();
  return { now: () => new Date(real.now().getTime() + offset) };
}

/**
 * The record that a reminder (or one part of its fan-out) was dealt with: sent (its outbox
 * messages were stored with it) or skipped. Its id is the reminder's deterministic id, so a
 * second record of the same reminder is refused.
 */
export interface ReminderRecord {
  /** The reminder's id, with `~<part>` for parts after the first. */
  id: string;
  reminderId: string;
  part: number;
  roundId: string;
  kind: string;
  at: string;
  deadline: string;
  state: 'sent' | 'skipped';
  reason?: 'deadlinePassed' | 'superseded';
  /** Recipient keys this record covers ('u:<id>', 'channel'). */
  recipients: string[];
  /** Covered, but no message stored: the bot has no conversation with them yet. */
  unreachable?: string[];
  recordedAt: string;
  /** The instance that recorded it (for logs). */
  recordedBy: string;
}

export interface ReminderRepo {
  list(roundId: string): Promise<ReminderRecord[]>;
  /**
   * One transaction in the round's partition: the record (created, never replaced) and its
   * outbox messages. ALREADY_EXISTS when the record is there: someone else dealt with it.
   */
  record(roundId: string, record: ReminderRecord, outbox: OutboxEntry[]): Promise<Result<void, AlreadyExists>>;
}

/** A named, time-limited claim on work that one instance at a time should do. */
export interface LeaseRepo {
  /** True when `owner` holds the lease until now + ttlMs (free, expired, or already its own). */
  acquire(name: string, owner: string, ttlMs: number, now: Date): Promise<boolean>;
  /** Gives the lease up if `owner` still holds it. */
  release(name: string, owner: string): Promise<void>;
}

export interface Repos {
  rounds: RoundRepo;
  roles: RoleRepo;
  applications: ApplicationRepo;
  reviews: ReviewRepo;
  outbox: OutboxRepo;
  allocation: AllocationRepo;
  consultations: ConsultationRepo;
  audit: AuditRepo;
  conversations: ConversationRepo;
  reminders: ReminderRepo;
  leases: LeaseRepo;
  organisations: OrganisationRepo;
  /** Answers whether storage is reachable (health check). */
  ping(): Promise<boolean>;
}

/** A round's criteria consultation (the motion: criteria drafted with partners and ervaringsdeskundigen). */
export interface Consultation {
  roundId: string;
  draft: CriteriaSet;
  closesAt: string;
  status: 'open' | 'published';
  /** People invited in their chat, with the role they were invited in. */
  invited: { userId: string; name: string; role: ConsultationRole }[];
  /** The channel invited as a whole (anyone in it may respond), if any. */
  channel?: { channelId: string; threadId?: string };
  startedBy: string;
  startedAt: string;
  publishedAt?: string;
  publishedVersion?: number;
  changes?: { proposalId: string; criterionId: string; kind: 'changed' | 'added' }[];
  participation?: Participation;
}

export interface ConsultationState {
  consultation: Versioned<Consultation>;
  responses: Versioned<ConsultationResponse>[];
  decisions: Record<string, ProposalDecision>;
}

export interface ConsultationRepo {
  /** The consultation, its responses and decisions, in one query. */
  state(roundId: string): Promise<ConsultationState | undefined>;
  start(consultation: Consultation, audit: AuditEvent): Promise<Result<Versioned<Consultation>, AlreadyExists>>;
  /** Creates (etag undefined) or replaces a person's response, ETag-guarded. */
  saveResponse(roundId: string, response: ConsultationResponse, etag: string | undefined, audit: AuditEvent): Promise<Result<void, Conflict>>;
  /** A proposal is decided once. */
  decide(roundId: string, proposalId: string, decision: ProposalDecision, audit: AuditEvent): Promise<Result<void, AlreadyExists>>;
  /**
   * Publishes: the consultation (ETag) and the round with its new criteria (ETag) in one
   * transaction, and only while no application was submitted (the counter, ETag-guarded).
   */
  publish(input: { consultation: Versioned<Consultation>; next: Consultation; round: Versioned<Round>; nextRound: Round; audit: AuditEvent }): Promise<Result<void, Conflict | Frozen>>;
}

type Organisation = import('./domain/organisation').Organisation;

/** ALREADY_EXISTS for an organisation, with the entry that has the id, name, alias or KvK number (when it could be read). */
export type OrganisationExists = AlreadyExists & { existingId?: string };

/**
 * The municipality's organisation registry (one per deployment). No two entries share an id or a
 * key (normalised name, normalised alias, KvK number: `organisationKeys`): the store refuses the
 * second in the same transaction that would write it, so two registrations of "Buurtkracht" at the
 * same moment cannot both succeed. Audit events belong to the global partition (roundId GLOBAL).
 */
export interface OrganisationRepo {
  list(): Promise<Versioned<Organisation>[]>;
  get(id: string): Promise<Versioned<Organisation> | undefined>;
  /** Refused (ALREADY_EXISTS) when the id or any of its keys is taken. */
  create(org: Organisation, audit: AuditEvent): Promise<Result<Versioned<Organisation>, OrganisationExists>>;
  /** Replaces the entry if unchanged since read (CONFLICT), with its keys; ALREADY_EXISTS when a new key belongs to another entry. */
  update(current: Versioned<Organisation>, next: Organisation, audit: AuditEvent): Promise<Result<Versioned<Organisation>, Conflict | OrganisationExists>>;
}
