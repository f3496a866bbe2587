import type { DecisionLine, Exclusion } from './allocation';
import type { PanelRole } from './panel';

/** One line of an approved decision, with what the people reading the record need. */
export interface DecidedLine extends DecisionLine {
  reference: string;
  title: string;
  organisation: string;
  /** The registry entry of the organisation, when the application was linked to one. */
  organisationId?: string;
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

/** A panel member's remark with their eens/oneens. */
export const MARK_REMARK_LIMIT = 500;

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
