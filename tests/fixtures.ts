import { Round } from '../src/domain/round';
import { demoRound } from '../src/domain/demo-round';
import type { RawInput } from '../src/domain/validation';
import type { Step } from '../src/domain/application';
import type { Clock } from '../src/clock';

/** Monday 23 November 2026, 10:00 in Zwolle. */
export const NOW = new Date('2026-11-23T09:00:00Z');

export function fixedClock(at: Date = NOW): Clock & { set(d: Date): void; advance(ms: number): void } {
  let now = at;
  return {
    now: () => now,
    set: (d) => (now = d),
    advance: (ms) => (now = new Date(now.getTime() + ms)),
  };
}

export function round(overrides: Partial<Round> = {}): Round {
  return { ...demoRound(NOW), ...overrides };
}

/** A complete, valid application, step by step, as a partner would type it. */
export const VALID_INPUT: Record<Step, RawInput> = {
  organisation: {
    organisation: 'Stichting Buurtkracht Zwolle',
    contactName: 'Anouk Bakker',
    contactEmail: 'anouk@buurtkracht.example',
    contactPhone: '038 123 4567',
    coApplicants: 'Travers Welzijn\nSportbedrijf Zwolle',
  },
  question: { wijk: 'Holtenbroek', title: 'Samen sterk in Holtenbroek', question: 'Jongeren met somberheid die nu naar de jeugd-GGZ gaan.' },
  approach: {
    approach: 'Wekelijkse groep met jongerenwerk en sport.',
    livedExperience: 'Twee ervaringsdeskundigen leiden de groep mee.',
    ambitions: 'contact,kansen',
  },
  budget: {
    amount: '12500',
    // The budget lines as the card's inputs (`line_<i>_<part>`): together the requested amount.
    line_0_description: 'Begeleiding',
    line_0_amount: '8000',
    line_1_description: 'Ruimte',
    line_1_amount: '2500',
    line_1_own: '500',
    line_2_description: 'Materiaal',
    line_2_amount: '2000',
    budgetBreakdown: 'Begeleiding 8000, ruimte 2500, materiaal 2000.',
    periodStart: '2027-01-01',
    periodEnd: '2027-12-31',
  },
  results: { expectedResults: '40 jongeren doen mee; minder verwijzingen.', evidence: 'Deelnemerslijsten en een verhaal per kwartaal.' },
};
