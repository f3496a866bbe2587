import type { AttachmentRecord } from './attachments';
import type { AuditEvent } from './audit';
import type { Consultation, ConsultationResponse } from './consultation';
import type { ConversationRecord, RosterAddress } from './conversation';
import type { DecisionRecord, PanelMark } from './decision';
import type { Organisation } from './organisation';
import type { OutboxEntry } from './outbox';
import type { PanelMember } from './panel';
import type { ReminderRecord } from './reminders';
import type { FieldClass, KeptReason } from './retention';
import type { DeletionRequest } from './privacy-request';
import type { AccounthouderRecord } from './roles';

/**
 * What each field of the stored records around applications is, and what happens to it at the end
 * of its term (the application and review rows are in `retention.ts`). Typed `Record<keyof T, …>`:
 * a field added to one of these records does not compile until it is classified here. The term of
 * each record is in `RECORD_TERMS` (the processing register words it, `http/stored-data.ts`).
 *
 * Fates as the code applies them: `removed` texts are blanked, `pseudonymised` ids become the
 * person's pseudonym and names the pseudonym label (`usecases/anonymise.ts`), `deleted` records go
 * whole, `kept` fields stay (why).
 */

const removed: FieldClass = { category: 'freeText', end: { fate: 'removed' } };
const psn: FieldClass = { category: 'identity', end: { fate: 'pseudonymised' } };
const deleted = (category: FieldClass['category']): FieldClass => ({ category, end: { fate: 'deleted' } });
const kept = (category: FieldClass['category'], why: KeptReason): FieldClass => ({ category, end: { fate: 'kept', why } });
const tech = kept('technical', 'notPersonal');
const fact = (why: KeptReason = 'subsidyFile') => kept('facts', why);

/** The term each record follows (the register's sentence per term is computed in stored-data.ts). */
export type RecordTerm =
  | 'application' // the application's own term (retention per round)
  | 'people' // the round's people term: 12 months after the year-end report
  | 'consultation' // 12 months after the consultation was published
  | 'sentMessage' // 30 days after sending
  | 'address' // 24 months unused, or when the person is anonymised (after their last message)
  | 'whileRole' // while the person holds the role (an administrator removes it)
  | 'registry' // while a round names the organisation
  | 'proof'; // kept as the proof that a request was handled (AVG art. 5(2)); no typed text of the person's

export const CONSULTATION_RESPONSE_CLASS: Record<keyof ConsultationResponse, FieldClass> = {
  userId: psn, // the key holds it too (see anonymise.ts: keys with Entra ids stay)
  role: fact('councilReport'),
  perCriterion: removed, // reasons and changed texts go; endorse/change and weights stay
  newCriteria: removed, // titles, descriptions, reasons go; the count and weights stay
  updatedAt: fact(),
};

export const CONSULTATION_CLASS: Record<keyof Consultation, FieldClass> = {
  roundId: tech,
  draft: fact('councilReport'),
  closesAt: fact(),
  status: fact(),
  invited: psn, // ids stay as keys of the responses; names go
  channel: tech,
  audience: fact(),
  notReached: fact(),
  unreachableNames: { category: 'identity', end: { fate: 'removed' } },
  invitationsQueuedAt: tech,
  startedBy: psn,
  startedAt: fact(),
  publishedAt: fact(),
  publishedVersion: fact(),
  changes: fact('councilReport'),
  participation: fact('councilReport'),
};

export const PANEL_MEMBER_CLASS: Record<keyof PanelMember, FieldClass> = {
  userId: kept('identity', 'subsidyFile'), // in the row key; a random directory id, no name
  mri: kept('identity', 'subsidyFile'), // the card's refresh list needs it while the round lives
  name: psn,
  role: fact('councilReport'),
  organisation: kept('organisation', 'councilReport'),
  organisationId: kept('organisation', 'councilReport'),
  addedBy: psn, // in the audit; the row's copy follows the round's record
  addedAt: fact(),
};

export const PANEL_MARK_CLASS: Record<keyof PanelMark, FieldClass> = {
  fingerprint: tech,
  memberId: kept('identity', 'subsidyFile'), // in the row key
  name: psn,
  role: fact('councilReport'),
  agree: fact('councilReport'),
  remark: removed,
  at: fact(),
};

export const CONVERSATION_CLASS: Record<keyof ConversationRecord, FieldClass> = {
  userId: deleted('identity'),
  conversationId: deleted('identity'),
  reference: deleted('identity'),
  locale: deleted('technical'),
  updatedAt: deleted('technical'),
};

export const ROSTER_CLASS: Record<keyof RosterAddress, FieldClass> = {
  userId: deleted('identity'),
  rosterId: deleted('identity'),
  tenantId: deleted('technical'),
  serviceUrl: deleted('technical'),
  botId: deleted('technical'),
  name: deleted('identity'),
  updatedAt: deleted('technical'),
};

export const ACCOUNTHOUDER_CLASS: Record<keyof AccounthouderRecord, FieldClass> = {
  userId: kept('identity', 'subsidyFile'),
  name: kept('identity', 'subsidyFile'),
  addedBy: kept('identity', 'subsidyFile'),
  addedAt: fact(),
};

export const ORGANISATION_CLASS: Record<keyof Organisation, FieldClass> = {
  id: tech,
  name: kept('organisation', 'woo'),
  kvk: kept('organisation', 'woo'),
  aliases: kept('organisation', 'councilReport'),
  createdBy: psn,
  createdAt: fact(),
  source: tech,
};

export const OUTBOX_CLASS: Record<keyof OutboxEntry, FieldClass> = {
  id: deleted('technical'),
  roundId: deleted('technical'),
  kind: deleted('technical'),
  target: deleted('identity'),
  card: deleted('freeText'),
  text: deleted('freeText'),
  state: deleted('technical'),
  attempts: deleted('technical'),
  notBefore: deleted('technical'),
  createdAt: deleted('technical'),
  claimedAt: deleted('technical'),
  sentAt: deleted('technical'),
  lastError: deleted('technical'),
};

export const AUDIT_CLASS: Record<keyof AuditEvent, FieldClass> = {
  roundId: tech,
  at: fact(),
  actorId: psn,
  action: fact(),
  subjectId: psn, // when it is a person; else an application or round id
  details: fact(), // counts and codes, never text
};

export const DECISION_CLASS: Record<keyof DecisionRecord, FieldClass> = {
  id: tech,
  roundId: tech,
  approvedBy: kept('identity', 'subsidyFile'), // the accounthouder who decided, part of the subsidy file
  approvedAt: fact('woo'),
  fingerprint: tech,
  budget: fact('councilReport'),
  spentBefore: fact('councilReport'),
  total: fact('councilReport'),
  lines: fact('woo'), // reference, title, organisation, wijk, amounts, score: what the council is told
  marks: fact('councilReport'),
  announced: tech,
};

export const REMINDER_CLASS: Record<keyof ReminderRecord, FieldClass> = {
  id: tech,
  reminderId: tech,
  part: tech,
  roundId: tech,
  kind: fact(),
  at: fact(),
  deadline: fact(),
  state: fact(),
  reason: fact(),
  recipients: kept('identity', 'subsidyFile'), // ids of whom it went to; the audit's copies become pseudonyms
  unreachable: kept('identity', 'subsidyFile'),
  recordedAt: fact(),
  recordedBy: tech,
};

export const ATTACHMENT_CLASS: Record<keyof AttachmentRecord, FieldClass> = {
  id: deleted('technical'),
  roundId: deleted('technical'),
  applicationId: deleted('technical'),
  sha256: deleted('technical'),
  blobName: deleted('technical'),
  name: deleted('freeText'),
  kind: deleted('technical'),
  document: deleted('technical'),
  size: deleted('technical'),
  addedBy: deleted('identity'),
  addedAt: deleted('technical'),
  sourceId: deleted('technical'),
};

/** A deletion request: kept as proof it was handled; it names the person by id, never by name. */
export const DELETION_REQUEST_CLASS: Record<keyof DeletionRequest, FieldClass> = {
  userId: kept('identity', 'subsidyFile'),
  rev: tech,
  state: fact(),
  requestedAt: fact(),
  lang: tech,
  decidedBy: kept('identity', 'subsidyFile'),
  decidedAt: fact(),
  reason: kept('freeText', 'subsidyFile'),
  outcome: fact(),
};

/** Every record type above with its class and its term. */
export const RECORD_CLASSES = {
  consultationResponse: { cls: CONSULTATION_RESPONSE_CLASS, term: 'consultation' },
  consultation: { cls: CONSULTATION_CLASS, term: 'consultation' },
  panelMember: { cls: PANEL_MEMBER_CLASS, term: 'people' },
  panelMark: { cls: PANEL_MARK_CLASS, term: 'people' },
  conversation: { cls: CONVERSATION_CLASS, term: 'address' },
  rosterAddress: { cls: ROSTER_CLASS, term: 'address' },
  accounthouder: { cls: ACCOUNTHOUDER_CLASS, term: 'whileRole' },
  organisation: { cls: ORGANISATION_CLASS, term: 'registry' },
  outbox: { cls: OUTBOX_CLASS, term: 'sentMessage' },
  audit: { cls: AUDIT_CLASS, term: 'people' },
  decision: { cls: DECISION_CLASS, term: 'application' },
  reminder: { cls: REMINDER_CLASS, term: 'people' },
  attachment: { cls: ATTACHMENT_CLASS, term: 'application' },
  deletionRequest: { cls: DELETION_REQUEST_CLASS, term: 'proof' },
} as const satisfies Record<string, { cls: Record<string, FieldClass>; term: RecordTerm }>;
