import { PANEL_ROLES, PanelRole } from './panel';

/**
 * The motion: the accounthouder judges *together with* partners and ervaringsdeskundigen. A review
 * may only start when the panel has at least one member who is a partner or an
 * ervaringsdeskundige; the municipality alone never judges.
 */
export const MOTION_ROLES: readonly PanelRole[] = ['partner', 'ervaringsdeskundige'];

export interface PanelComposition {
  counts: Record<PanelRole, number>;
  /** The panel has a partner or an ervaringsdeskundige. */
  meetsMotion: boolean;
}

export function panelComposition(panel: readonly { role: PanelRole }[]): PanelComposition {
  const counts = Object.fromEntries(PANEL_ROLES.map((r) => [r, panel.filter((m) => m.role === r).length])) as Record<PanelRole, number>;
  return { counts, meetsMotion: MOTION_ROLES.some((r) => counts[r] > 0) };
}

/** The panel's eens / oneens per role. */
export function marksByRole(marks: readonly { role: PanelRole; agree: boolean }[]): Record<PanelRole, { agree: number; disagree: number }> {
  return Object.fromEntries(
    PANEL_ROLES.map((r) => {
      const own = marks.filter((m) => m.role === r);
      return [r, { agree: own.filter((m) => m.agree).length, disagree: own.filter((m) => !m.agree).length }];
    }),
  ) as Record<PanelRole, { agree: number; disagree: number }>;
}
