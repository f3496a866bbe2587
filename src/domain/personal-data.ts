import type { LocalText } from './form-types';
import type { Answer, ApplicationDecision, ApplicationFields, ApplicationStatus, OrganisationLinks } from './application';
import type { AuditAction } from './audit';
import type { CriterionResponse, NewCriterionProposal } from './consultation';
import type { EligibilityAnswers } from './eligibility';
import type { PanelRole, RecusalReason } from './panel';
import type { ResultsReport } from './results';
import type { ScoreValue } from './scoring';
import type { AttachmentKind } from './attachments';

/**
 * Everything the bot stores about one person (AVG art. 15, *inzage*), grouped by the kinds of
 * data the privacy page lists (`src/http/stored-data.ts`: one section per entry, same ids). Only
 * this person's data: other people's remarks are left out, other people appear as a role
 * ("panellid", "accounthouder") or as "someone else", never by name or id.
 */
export interface PersonalData {
  /** The person's Entra object id (their own). */
  userId: string;
  generatedAt: string;
  sections: PersonalSections;
}

export interface PersonalSections {
  contact: ContactEntry[];
  application: ApplicationEntry[];
  review: ReviewEntry;
  consultation: ConsultationEntry[];
  people: PeopleEntry;
  organisations: OrganisationEntry[];
  audit: AuditEntry[];
  messages: MessageEntry[];
  requests: RequestEntry[];
  attachments: AttachmentEntry[];
}

export type SectionId = keyof PersonalSections;
export const SECTION_IDS: readonly SectionId[] = [
  'contact',
  'application',
  'review',
  'consultation',
  'people',
  'organisations',
  'audit',
  'messages',
  'requests',
  'attachments',
];

export interface ContactEntry {
  roundId: string;
  reference?: string;
  title?: string;
  contactName?: string;
  contactEmail?: string;
  contactPhone?: string;
}

export interface ApplicationEntry {
  roundId: string;
  applicationId: string;
  reference?: string;
  status: ApplicationStatus;
  createdAt: string;
  updatedAt: string;
  submittedAt?: string;
  withdrawnAt?: string;
  /** Every field as typed, contact details included (also in `contact`). */
  fields: ApplicationFields & OrganisationLinks;
  /** The answers to the round's own questions (`fields.answers`) with each question's label, in the form's order. */
  formAnswers?: { question: string; label: LocalText; answer: Answer }[];
  eligibility?: EligibilityAnswers;
  decision?: ApplicationDecision;
  results?: ResultsReport;
  /** The panel's result as the council report uses it (overall, per criterion). */
  overall?: number;
  /** Questions the panel asked about this application and the answers given (who asked is left out). */
  questions: { text: string; askedAt: string; answer?: string; answeredAt?: string }[];
  /** The change request (aanvulling) on it, if any; who asked is left out. */
  changeRequest?: ChangeRequestEntry;
}

export interface ChangeRequestEntry {
  note: string;
  requestedAt: string;
  /** The instant it had to be back by (00:00 Amsterdam time after the day named on the card). */
  dueBy: string;
  /** A panel member proposed it (not who). */
  proposedByPanel: boolean;
  resubmittedAt?: string;
  expiredAt?: string;
  /** The keys of the fields that changed: when it came back, or so far while it is away. */
  changed: string[];
  /** The fields as they were when the changes were asked (kept until anonymisation). */
  fieldsWhenAsked: ApplicationFields & OrganisationLinks;
}

export interface ReviewEntry {
  /** This person's own score sheets, with the application's reference (not its texts). */
  sheets: {
    roundId: string;
    reference?: string;
    scores: Record<string, ScoreValue>;
    comments: Record<string, string>;
    overall: string;
    at: string;
  }[];
  recusals: { roundId: string; reference?: string; reason: RecusalReason; note?: string; at: string }[];
  /** Questions this person asked; whether they were answered (the answer is the applicant's). */
  questions: { roundId: string; reference?: string; text: string; askedAt: string; answered: boolean }[];
  marks: { roundId: string; agree: boolean; remark?: string; at: string }[];
}

export interface ConsultationEntry {
  roundId: string;
  role: string;
  perCriterion: Record<string, CriterionResponse>;
  newCriteria: NewCriterionProposal[];
  updatedAt: string;
  /** The accounthouder's replies to this person's proposals (who replied is left out). */
  replies: { proposalId: string; accepted: boolean; reply: string; decidedAt: string }[];
}

export interface PeopleEntry {
  userId: string;
  /** Names the bot holds for this person: as Teams passed it on (roster), on a panel, as accounthouder. */
  names: string[];
  accounthouder?: { since: string; byConfig: boolean };
  panel: { roundId: string; name: string; role: PanelRole; organisation?: string; addedAt: string }[];
  conversation?: { conversationId: string; locale?: string; updatedAt: string };
  roster?: { name: string; tenantId: string; updatedAt: string };
}

export interface OrganisationEntry {
  id: string;
  name: string;
  kvk?: string;
  aliases: string[];
  createdAt: string;
  source: string;
}

export interface AuditEntry {
  roundId: string;
  at: string;
  action: AuditAction;
  /** Who did it: this person, the bot itself, or someone else (not named). */
  actor: 'self' | 'system' | 'other';
  /** The application's reference when the subject is one of this person's applications or one they reviewed. */
  reference?: string;
  details?: Record<string, string | number | boolean>;
}

export interface MessageEntry {
  roundId: string;
  kind: string;
  state: string;
  createdAt: string;
  sentAt?: string;
  /** The message's text (plain text, or the texts of its card), with other people's names removed. */
  text: string[];
}

/** A file the person attached to one of their applications (its bytes come with the application; the export lists them). */
export interface AttachmentEntry {
  roundId: string;
  reference?: string;
  name: string;
  kind: AttachmentKind;
  size: number;
  addedAt: string;
}

export interface RequestEntry {
  kind: 'deletion';
  state: string;
  requestedAt: string;
  decidedAt?: string;
  reason?: string;
}

/** The texts of a card (TextBlocks, facts, button titles), in order: what the person read. */
export function cardTexts(card: unknown): string[] {
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (o.type === 'TextBlock' && typeof o.text === 'string') out.push(o.text);
    if (typeof o.title === 'string' && typeof o.value === 'string' && !o.type) out.push(`${o.title}: ${o.value}`);
    for (const [k, v] of Object.entries(o)) if (k !== 'refresh' && k !== 'data' && typeof v === 'object') walk(v);
  };
  walk(card);
  return out.filter((t) => t.trim() !== '');
}

/** Replaces each of `names` (other people's, at least 3 characters) in `text` with `placeholder`. */
export function withoutNames(text: string, names: readonly string[], placeholder: string): string {
  let out = text;
  for (const name of [...names].filter((n) => n.trim().length >= 3).sort((a, b) => b.length - a.length)) out = out.split(name).join(placeholder);
  return out;
}

/** An Entra object id as the bot stores it (lower case). */
export const entraIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
