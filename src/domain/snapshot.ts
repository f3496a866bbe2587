import type { Application } from './application';
import type { Consultation } from './consultation';
import type { DecisionRecord } from './decision';
import type { PanelMember } from './panel';
import type { ReviewBundle } from './review';
import type { Round } from './round';
import type { Versioned } from './versioned';

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
