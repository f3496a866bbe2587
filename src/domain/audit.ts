/** The partition for what belongs to no round: roles and their audit trail. */
export const GLOBAL = 'global';

/** An append-only record of a state change: who did what, when, to which subject. */
export interface AuditEvent {
  roundId: string;
  at: string;
  /** Entra object id of the person, or 'system' for the clock and seeding. */
  actorId: string;
  action: AuditAction;
  subjectId: string;
  /** Small, non-personal facts about the change (status, step, reference). */
  details?: Record<string, string | number | boolean>;
}

export type AuditAction =
  | 'round.created'
  | 'application.created'
  | 'application.not-eligible'
  | 'application.step-saved'
  | 'application.submitted'
  | 'application.withdrawn'
  | 'application.changes-requested'
  | 'application.changes-proposed'
  | 'application.resubmitted'
  | 'application.changes-expired'
  | 'application.attachment-added'
  | 'application.attachment-removed'
  | 'application.attachments-deleted'
  | 'role.accounthouder-added'
  | 'round.updated'
  | 'round.status-changed'
  | 'round.criteria-changed'
  | 'round.formChanged'
  | 'round.channel-linked'
  | 'panel.member-added'
  | 'panel.member-removed'
  | 'review.posted'
  | 'review.reposted'
  | 'review.scored'
  | 'review.recused'
  | 'review.closed'
  | 'review.stuck'
  | 'review.extended'
  | 'review.settled'
  | 'review.question-asked'
  | 'review.question-answered'
  | 'allocation.shared'
  | 'allocation.marked'
  | 'allocation.approved'
  | 'consultation.started'
  | 'consultation.invited'
  | 'consultation.responded'
  | 'consultation.decided'
  | 'consultation.published'
  | 'results.saved'
  | 'results.submitted'
  | 'reminder.sent'
  | 'reminder.skipped'
  | 'organisation.registered'
  | 'organisation.updated'
  | 'outbox.delivered'
  | 'outbox.failed'
  | 'privacy.export-requested'
  | 'privacy.deletion-requested'
  | 'privacy.deletion-decided'
  | 'logbook.exported'
  | 'application.anonymised'
  | 'person.anonymised'
  | 'consultation.texts-removed'
  | 'round.people-pseudonymised'
  | 'round.retention-changed';

export function auditEvent(roundId: string, actorId: string, action: AuditAction, subjectId: string, now: Date, details?: AuditEvent['details']): AuditEvent {
  return { roundId, at: now.toISOString(), actorId, action, subjectId, ...(details ? { details } : {}) };
}
