import type { Application } from './domain/application';
import type { AttachmentRecord } from './domain/attachments';
import type { AuditEvent } from './domain/audit';
import type { Consultation, ConsultationResponse, ConsultationState, ProposalDecision } from './domain/consultation';
import type { DecisionRecord, PanelMark, ProposalPost } from './domain/decision';
import type { ConversationRecord, RosterAddress } from './domain/conversation';
import type { OutboxEntry } from './domain/outbox';
import type { DeletionRequest } from './domain/privacy-request';
import type { PanelMember, Recusal } from './domain/panel';
import type { ReminderRecord } from './domain/reminders';
import type { Result } from './domain/result';
import type { Question, ReviewBundle, ReviewRecord, ReviewScene } from './domain/review';
import type { Organisation } from './domain/organisation';
import type { AnonymisationMarker } from './domain/retention';
import type { AccounthouderRecord } from './domain/roles';
import type { Round } from './domain/round';
import type { ScoreSheet } from './domain/scoring';
import type { RoundSnapshot, SnapshotWithReviews } from './domain/snapshot';
import type { Versioned } from './domain/versioned';

/** The repositories the use cases need; the records they hold live with their domain in src/domain. */
export type Conflict = { code: 'CONFLICT' };

/** The round's criteria may no longer change: an application has been submitted. */
export type Frozen = { code: 'FROZEN' };

export type AlreadyExists = { code: 'ALREADY_EXISTS' };
/** A round's budget may not go below what its decisions already spent. */
export type Overspent = { code: 'OVERSPENT'; spent: number };

export interface RoundRepo {
  get(roundId: string): Promise<Versioned<Round> | undefined>;
  list(): Promise<Round[]>;
  create(round: Round, audit: AuditEvent): Promise<Result<Versioned<Round>, AlreadyExists>>;
  /**
   * Replaces the round if unchanged since read. With `whileNoSubmissions`, only while no
   * application of the round was ever submitted — checked in the same transaction, so a
   * submission at the same moment either sees the new version or makes this update fail.
   * With `budgetCoversSpent`, only while the budget ledger's spent amount is at most the new
   * budget — the ledger is guarded in the same transaction, so an approval at the same moment
   * either counts against the new budget or makes this update fail.
   */
  update(
    current: Versioned<Round>,
    next: Round,
    audit: AuditEvent,
    options?: { whileNoSubmissions?: boolean; budgetCoversSpent?: boolean },
  ): Promise<Result<Versioned<Round>, Conflict | Frozen | Overspent>>;
  /** How many references the round has issued (submitted applications, withdrawn ones included). */
  submissionCount(roundId: string): Promise<number>;
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
    /** FORM_CHANGED: the round's form changed after `next` was validated (its `formVersion`); validate again. */
  ): Promise<Result<Versioned<Application>, Conflict | { code: 'FORM_CHANGED' }>>;
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
  /** ETag-guarded; with `audit`, the audit record in the same transaction. */
  updateReview(roundId: string, current: Versioned<ReviewRecord>, next: ReviewRecord, audit?: AuditEvent): Promise<Result<Versioned<ReviewRecord>, Conflict>>;
  /** Writes the review record and the application's new status together (posted → in review, closed → reviewed). */
  transition(
    roundId: string,
    review: { current: Versioned<ReviewRecord>; next: ReviewRecord },
    application: { current: Versioned<Application>; next: Application },
    audit: AuditEvent[],
    outbox?: OutboxEntry[],
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
  addRecusal(
    roundId: string,
    applicationId: string,
    recusal: Recusal,
    audit: AuditEvent,
    review: Versioned<ReviewRecord>,
  ): Promise<Result<void, AlreadyExists | Conflict>>;
  addQuestion(roundId: string, question: Question, audit: AuditEvent): Promise<void>;
  answerQuestion(roundId: string, current: Versioned<Question>, next: Question, audit: AuditEvent): Promise<Result<void, Conflict>>;
}

export interface AllocationRepo {
  /** The round, its panel, applications (closed reviews' results on them), ledger, decisions and consultation. */
  snapshot(roundId: string): Promise<RoundSnapshot | undefined>;
  /** The same and every review row (records, sheets, recusals, questions): many more rows, needed for open reviews and review threads. */
  snapshotWithReviews(roundId: string): Promise<SnapshotWithReviews | undefined>;
  /** The round's decision records only (one key-range read). */
  decisions(roundId: string): Promise<Versioned<DecisionRecord>[]>;
  /**
   * One transaction: the round (ETag-guarded: the budget it had), the budget ledger (ETag-guarded,
   * created on the first decision), every decided application (ETag-guarded), the decision record
   * and its audit record. All or nothing.
   */
  approve(input: {
    roundId: string;
    /** The round as the proposal was computed from it: its ETag guards the budget (a settings change at the same moment makes this fail). */
    round: Versioned<Round>;
    ledger?: Versioned<{ spent: number }>;
    spentAfter: number;
    applications: { current: Versioned<Application>; next: Application }[];
    decision: DecisionRecord;
    audit: AuditEvent;
  }): Promise<Result<void, Conflict>>;
  markAnnounced(roundId: string, current: Versioned<DecisionRecord>): Promise<void>;
  putMark(roundId: string, mark: PanelMark, audit: AuditEvent): Promise<void>;
  listMarks(roundId: string, fingerprint: string): Promise<PanelMark[]>;
  /** Every mark of the round, on any version of the proposal (for a person's inzage). */
  listAllMarks(roundId: string): Promise<PanelMark[]>;
  getProposalPost(roundId: string, fingerprint: string): Promise<ProposalPost | undefined>;
  /** Refused when this version was already posted (by another click or instance). */
  claimProposalPost(roundId: string, post: ProposalPost, audit: AuditEvent): Promise<Result<void, AlreadyExists>>;
}

export interface OutboxRepo {
  /** Stores messages to send (one round's entries commit together). */
  enqueue(entries: OutboxEntry[]): Promise<void>;
  /** Entries due now: pending with notBefore ≤ now, or 'sending' claimed longer ago than `staleClaimMs` (a crash mid-send). */
  due(now: Date, staleClaimMs: number, limit?: number): Promise<Versioned<OutboxEntry>[]>;
  /** ETag-guarded state change, with its audit record in the same transaction when given; CONFLICT when another dispatcher changed it first. */
  update(current: Versioned<OutboxEntry>, next: OutboxEntry, audit?: AuditEvent): Promise<Result<Versioned<OutboxEntry>, Conflict>>;
  list(roundId: string): Promise<OutboxEntry[]>;
}

export interface AuditRepo {
  list(roundId: string): Promise<AuditEvent[]>;
  /** Records something that changed no other row (a refusal worth keeping, e.g. an eligibility answer that closed the door). */
  record(event: AuditEvent): Promise<void>;
}

export interface ConversationRepo {
  save(record: ConversationRecord): Promise<void>;
  get(userId: string): Promise<ConversationRecord | undefined>;
  /** Every stored 1:1 conversation: everyone who ever wrote to the bot in their own chat (one per person). */
  list(): Promise<ConversationRecord[]>;
  /**
   * Stores a 1:1 conversation the bot created, unless one is stored already (insert-if-absent):
   * of two creates at once one is kept, and both senders use the kept one.
   */
  saveIfAbsent(record: ConversationRecord): Promise<ConversationRecord>;
  /** Stores (replaces) team members' roster addresses, each person once. */
  saveRoster(addresses: RosterAddress[]): Promise<void>;
  getRoster(userId: string): Promise<RosterAddress | undefined>;
  listRoster(): Promise<RosterAddress[]>;
}

export interface ReminderRepo {
  list(roundId: string): Promise<ReminderRecord[]>;
  /**
   * One transaction in the round's partition: the record (created, never replaced), its outbox
   * messages and its audit record. ALREADY_EXISTS when the record is there: someone else dealt with it.
   */
  record(roundId: string, record: ReminderRecord, outbox: OutboxEntry[], audit: AuditEvent): Promise<Result<void, AlreadyExists>>;
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
  attachments: AttachmentRepo;
  privacy: PrivacyRepo;
  retention: RetentionRepo;
  /** Answers whether storage is reachable (health check). */
  ping(): Promise<boolean>;
}

export interface ConsultationRepo {
  /** The consultation, its responses and decisions, in one query. */
  state(roundId: string): Promise<ConsultationState | undefined>;
  /** The consultation row alone (one point read): no responses, no decisions. */
  get(roundId: string): Promise<Versioned<Consultation> | undefined>;
  start(consultation: Consultation, audit: AuditEvent): Promise<Result<Versioned<Consultation>, AlreadyExists>>;
  /** Replaces the consultation if unchanged since read (ETag), with its audit record. */
  update(current: Versioned<Consultation>, next: Consultation, audit: AuditEvent): Promise<Result<Versioned<Consultation>, Conflict>>;
  /** Creates (etag undefined) or replaces a person's response, ETag-guarded. */
  saveResponse(roundId: string, response: ConsultationResponse, etag: string | undefined, audit: AuditEvent): Promise<Result<void, Conflict>>;
  /** A proposal is decided once. */
  decide(roundId: string, proposalId: string, decision: ProposalDecision, audit: AuditEvent): Promise<Result<void, AlreadyExists>>;
  /**
   * Publishes: the consultation (ETag) and the round with its new criteria (ETag) in one
   * transaction, and only while no application was submitted (the counter, ETag-guarded).
   */
  publish(input: {
    consultation: Versioned<Consultation>;
    next: Consultation;
    round: Versioned<Round>;
    nextRound: Round;
    audit: AuditEvent;
  }): Promise<Result<void, Conflict | Frozen>>;
}

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
  /**
   * The list as it was at most `REGISTRY_COPY_MS` ago (this process's own writes are seen at once),
   * for linking a typed name at submission: an entry registered meanwhile by another instance is
   * still found by `create`, which refuses a taken key and names the entry that has it. Not for
   * the accounthouder's registry card or a duplicate check: those use `list`. Do not change what it returns.
   */
  listRecent(): Promise<Versioned<Organisation>[]>;
  get(id: string): Promise<Versioned<Organisation> | undefined>;
  /** Refused (ALREADY_EXISTS) when the id or any of its keys is taken. */
  create(org: Organisation, audit: AuditEvent): Promise<Result<Versioned<Organisation>, OrganisationExists>>;
  /** Replaces the entry if unchanged since read (CONFLICT), with its keys; ALREADY_EXISTS when a new key belongs to another entry. */
  update(current: Versioned<Organisation>, next: Organisation, audit: AuditEvent): Promise<Result<Versioned<Organisation>, Conflict | OrganisationExists>>;
}

/** ALREADY_EXISTS for an attachment: the same content is on the application already (that record). */
export type AttachmentExists = AlreadyExists & { existing?: AttachmentRecord };

/**
 * The metadata rows of an application's attachments, in the round's partition under the
 * application (`app_<id>_a_<sha256>`): one per content, so the review card's range read carries
 * them. Every add and remove is one transaction with the application row (ETag-guarded: still
 * the draft that was read) and the audit record; the bytes are in the `BlobStore`.
 */
export interface AttachmentRepo {
  list(roundId: string, applicationId: string): Promise<Versioned<AttachmentRecord>[]>;
  /** Every attachment of a round (the sweep's view of which blobs are referenced). */
  listRound(roundId: string): Promise<AttachmentRecord[]>;
  /** CONFLICT when the application changed since read; ALREADY_EXISTS when its content is attached already. */
  add(application: Versioned<Application>, record: AttachmentRecord, audit: AuditEvent): Promise<Result<void, Conflict | AttachmentExists>>;
  /** CONFLICT when the application or the row changed since read (or the row is gone). */
  remove(application: Versioned<Application>, record: Versioned<AttachmentRecord>, audit: AuditEvent): Promise<Result<void, Conflict>>;
  /** Removes every attachment row of an application (retention, anonymisation) with one audit record; returns what it removed. */
  removeAll(roundId: string, applicationId: string, audit: AuditEvent): Promise<AttachmentRecord[]>;
}

/** A stored blob, as a listing shows it. */
export interface BlobInfo {
  name: string;
  createdAt: Date;
}

/** The attachments' bytes (Azure Blob Storage; Azurite locally; a memory twin for use-case tests). */
export interface BlobStore {
  put(name: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** The blob's bytes as a stream with its size, or undefined when there is none. */
  open(name: string): Promise<{ size: number; contentType: string; stream: AsyncIterable<Uint8Array> } | undefined>;
  /** Deletes the blob; nothing happens when there is none. */
  delete(name: string): Promise<void>;
  /** Blobs whose names start with `prefix` ('' for all). */
  list(prefix: string): Promise<BlobInfo[]>;
}

/**
 * Deletion requests (AVG art. 17), one row per person in the global partition. Each write is one
 * transaction with its audit record and the messages it sends (accounthouders told of a new
 * request, the person told of the decision), so a request is never stored without them.
 */
export interface PrivacyRepo {
  get(userId: string): Promise<Versioned<DeletionRequest> | undefined>;
  list(): Promise<Versioned<DeletionRequest>[]>;
  /** Creates (etag undefined) or replaces the person's request, ETag-guarded: CONFLICT when it changed since read (or exists). */
  save(request: DeletionRequest, etag: string | undefined, audit: AuditEvent, outbox: OutboxEntry[]): Promise<Result<Versioned<DeletionRequest>, Conflict>>;
}

/** One application's anonymisation as the store writes it (see `RetentionRepo.anonymise`). */
export interface AnonymiseWrite {
  roundId: string;
  applicationId: string;
  /** Absent when the application row was anonymised already (a run resuming the review rows). */
  application?: { current: Versioned<Application>; next: Application };
  review?: { current: Versioned<ReviewRecord>; next: ReviewRecord };
  sheets: { current: Versioned<ScoreSheet>; next: ScoreSheet }[];
  /** Recusals are written once and never changed, so their replacement needs no ETag. */
  recusals: Recusal[];
  questions: { current: Versioned<Question>; next: Question }[];
  /** The done-marker: created by the first write (a second one is refused), `current` when resuming. */
  marker: { current?: Versioned<AnonymisationMarker>; next: AnonymisationMarker };
  audit?: AuditEvent;
}

/**
 * Anonymisation's storage: per application one transaction in the round's partition (the
 * application row, its review rows, the marker and the audit record), or — when its review rows
 * do not fit one transaction — the application row with a 'rows-pending' marker first and the
 * review rows after, until the marker says 'done' (readers never see half an application row).
 */
export interface RetentionRepo {
  markers(roundId: string): Promise<Versioned<AnonymisationMarker>[]>;
  /** ALREADY_EXISTS when another writer created the marker first; CONFLICT when a row changed since read. */
  anonymise(write: AnonymiseWrite): Promise<Result<AnonymisationMarker, AlreadyExists | Conflict>>;
  /**
   * Replaces `actorId` (as actor and as subject) by `pseudonym` in the audit records of these
   * partitions (a round id, or GLOBAL): rewritten in place, each row ETag-guarded. Returns how many.
   */
  pseudonymiseAudit(partitions: readonly string[], actorId: string, pseudonym: string): Promise<number>;
  /** Deletes outbox entries sent before `sentBefore` (ISO): the rendered cards they hold are not kept. Returns how many. */
  purgeSentOutbox(sentBefore: string): Promise<number>;
  /** Deletes stored 1:1 chats and roster addresses last updated before `updatedBefore` (a new message or roster read stores them again). */
  purgeAddresses(updatedBefore: string): Promise<number>;
  /**
   * One person's texts in one application's review rows (their sheet's comments and remark, their
   * recusal note, the questions they asked), each row ETag-guarded, with the audit record, in the
   * round's partition. CONFLICT when a row changed since read (nothing written).
   */
  scrubReviewRows(write: ReviewRowsWrite): Promise<Result<void, Conflict>>;
  /** Deletes a person's 1:1 chat record and roster address; returns how many rows went. */
  deleteAddresses(userId: string): Promise<number>;
  /**
   * Marks a person's chat record and roster address (`forgetAt`) to be deleted once no message to
   * them waits in the outbox; returns how many rows were marked. A new message or roster read
   * stores the address again, unmarked.
   */
  forgetAddresses(userId: string, at: string): Promise<number>;
  /** The people whose addresses are marked, with the earliest mark. */
  forgottenAddresses(): Promise<{ userId: string; at: string }[]>;
}

/** One person's review rows in one application as `RetentionRepo.scrubReviewRows` writes them. */
export interface ReviewRowsWrite {
  roundId: string;
  applicationId: string;
  sheets: { current: Versioned<ScoreSheet>; next: ScoreSheet }[];
  recusals: Recusal[];
  questions: { current: Versioned<Question>; next: Question }[];
  audit: AuditEvent;
}
