import { err, ok, Result } from './result';
import type { CriteriaSet } from './criteria';
import { Round, roundIdFor, ROUND_PREFIX, RoundStatus, STADSBREED } from './round';
import { hasControlCharacters, isBlank, withNewlines } from './text';
import { DEFAULT_RETENTION, RETENTION_LIMITS, RetentionTerms } from './retention-terms';

/** The parts of a round the accounthouder sets on the round-settings card. */
export const SETTINGS_FIELDS = [
  'name',
  'budget',
  'maxPerApplication',
  'opensAt',
  'submissionDeadline',
  'reviewDeadline',
  'councilAllocationReportDue',
  'councilResultsReportDue',
  'wijken',
  'quorum',
] as const;
export type SettingsField = (typeof SETTINGS_FIELDS)[number];
/** The retention terms on the card (whole numbers): each names the term of `RetentionTerms` it sets. */
export const RETENTION_INPUTS = {
  retentionNotAwardedMonths: 'notAwardedMonths',
  retentionDraftMonths: 'draftMonths',
  retentionAwardedYears: 'awardedYears',
} as const satisfies Record<string, keyof RetentionTerms>;
export type RetentionInput = keyof typeof RETENTION_INPUTS;
export const RETENTION_INPUT_NAMES = Object.keys(RETENTION_INPUTS) as RetentionInput[];
/**
 * What the card sets. The retention terms may change at any time (audited): a new term applies to
 * what is not anonymised yet, and never brings back what was removed.
 */
export type RoundSettings = Pick<Round, SettingsField> & { retention?: RetentionTerms };

export const DATE_FIELDS = ['opensAt', 'submissionDeadline', 'reviewDeadline', 'councilAllocationReportDue', 'councilResultsReportDue'] as const;
export type DateField = (typeof DATE_FIELDS)[number];

/** Local time (Europe/Amsterdam) at which a day entered on the card takes effect. */
export const TIME_OF: Record<DateField, string> = {
  opensAt: '00:00',
  submissionDeadline: '17:00',
  reviewDeadline: '17:00',
  councilAllocationReportDue: '17:00',
  councilResultsReportDue: '17:00',
};

export const SETTINGS_LIMITS = {
  name: 120,
  budget: 10_000_000,
  wijk: 60,
  wijken: 40,
  quorumMin: 1,
  quorumMax: 20,
} as const;

/** Why a settings field was refused; the app layer words it in the user's language. */
export type SettingsErrorCode =
  | 'required'
  | 'tooLong'
  | 'wholeEuros'
  | 'positive'
  | 'budgetTooHigh'
  | 'aboveBudget'
  | 'date'
  | 'dateOutOfRange'
  /** submissionDeadline not after opensAt */
  | 'notAfterOpening'
  /** reviewDeadline before submissionDeadline */
  | 'beforeSubmissionDeadline'
  /** councilAllocationReportDue before reviewDeadline */
  | 'beforeReviewDeadline'
  /** councilResultsReportDue not after councilAllocationReportDue */
  | 'notAfterAllocationReport'
  | 'wijkTooLong'
  /** A control character other than newline and tab (see `text.ts`). */
  | 'controlCharacters'
  | 'tooManyWijken'
  | 'quorum'
  /** Fixed since the first submission: applicants are judged by the rules they applied under. */
  | 'frozen'
  /** The budget would be less than what has already been awarded. */
  | 'belowAwarded'
  /** A retention term outside its limits or not a whole number. */
  | 'retentionTerm';

/**
 * Settings that may not change once an application was submitted: what an applicant could ask
 * for, where, and how many judgements make a result. Dates and the budget stay editable (a budget
 * never below what was awarded).
 */
export const FROZEN_AFTER_SUBMISSION = ['maxPerApplication', 'wijken', 'quorum'] as const satisfies readonly SettingsField[];

/** The frozen settings a change would alter. */
export function frozenChanges(current: RoundSettings, next: RoundSettings): SettingsField[] {
  return FROZEN_AFTER_SUBMISSION.filter((f) => JSON.stringify(current[f]) !== JSON.stringify(next[f]));
}

export type SettingsErrors = Partial<Record<SettingsField | RetentionInput, SettingsErrorCode>>;
export type RawSettings = Partial<Record<SettingsField | RetentionInput, string | undefined>>;

/** The retention terms from the card; a term the card did not send stays as it was. */
function parseRetention(raw: RawSettings, current: RetentionTerms, errors: SettingsErrors): RetentionTerms {
  const out = { ...current };
  for (const name of RETENTION_INPUT_NAMES) {
    const typed = raw[name];
    if (typed === undefined) continue;
    const term = RETENTION_INPUTS[name];
    const v = typed.trim();
    const { min, max } = RETENTION_LIMITS[term];
    if (v === '') errors[name] = 'required';
    else if (!/^\d{1,3}$/.test(v) || Number(v) < min || Number(v) > max) errors[name] = 'retentionTerm';
    else out[term] = Number(v);
  }
  return out;
}

const ZONE = 'Europe/Amsterdam';
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

const wallClock = new Intl.DateTimeFormat('en-US', {
  timeZone: ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** Milliseconds Amsterdam is ahead of UTC at instant `t` (+1 h in winter, +2 h in summer). */
function amsterdamOffset(t: number): number {
  const p = Object.fromEntries(wallClock.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return wall - Math.floor(t / 1000) * 1000;
}

export function isRealDay(day: string): boolean {
  const m = DAY.exec(day);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().startsWith(day);
}

/**
 * The instant (ISO, UTC) of a local Amsterdam wall-clock time on a day, correct across the DST
 * changes. A time that does not exist (the skipped hour in March) lands just after the jump.
 */
export function amsterdamInstant(day: string, time: string): string {
  const d = DAY.exec(day);
  const hm = HHMM.exec(time);
  if (!d || !hm || !isRealDay(day)) throw new RangeError(`not a day and time: ${day} ${time}`);
  const wall = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(hm[1]), Number(hm[2]));
  // Guess with the offset at the wall time read as UTC, then correct once with the offset at the guess.
  const first = wall - amsterdamOffset(wall);
  const second = wall - amsterdamOffset(first);
  return new Date(second).toISOString();
}

/** The Amsterdam calendar day (YYYY-MM-DD) of an instant. */
export function amsterdamDay(iso: string): string {
  const p = Object.fromEntries(wallClock.formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}`;
}

/** "50.000", "€ 50 000" and "50000" are the same amount; cents are refused. */
function parseWholeEuros(raw: string): { value?: number; error?: SettingsErrorCode } {
  const cleaned = raw.replace(/^€\s*/, '').replace(/[\s.](?=\d{3}(\D|$))/g, '');
  if (!/^-?\d+$/.test(cleaned)) return { error: 'wholeEuros' };
  const n = Number(cleaned);
  if (!Number.isSafeInteger(n)) return { error: 'wholeEuros' };
  if (n <= 0) return { error: 'positive' };
  return { value: n };
}

/** One wijk per line; duplicates (ignoring case) dropped; Stadsbreed always last. */
function parseWijken(raw: string): { value?: string[]; error?: SettingsErrorCode } {
  if (hasControlCharacters(withNewlines(raw))) return { error: 'controlCharacters' };
  const lines = withNewlines(raw)
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .filter((l) => !isBlank(l));
  if (lines.some((l) => l.length > SETTINGS_LIMITS.wijk)) return { error: 'wijkTooLong' };
  const seen = new Set<string>([STADSBREED.toLowerCase()]);
  const wijken: string[] = [];
  for (const l of lines) {
    if (seen.has(l.toLowerCase())) continue;
    seen.add(l.toLowerCase());
    wijken.push(l);
  }
  const all = [...wijken, STADSBREED];
  return all.length > SETTINGS_LIMITS.wijken ? { error: 'tooManyWijken' } : { value: all };
}

/** The order the dates must keep, checked on days; the later field carries the error. */
const ORDER: { later: DateField; earlier: DateField; strict: boolean; code: SettingsErrorCode }[] = [
  { later: 'submissionDeadline', earlier: 'opensAt', strict: true, code: 'notAfterOpening' },
  { later: 'reviewDeadline', earlier: 'submissionDeadline', strict: false, code: 'beforeSubmissionDeadline' },
  { later: 'councilAllocationReportDue', earlier: 'reviewDeadline', strict: false, code: 'beforeReviewDeadline' },
  { later: 'councilResultsReportDue', earlier: 'councilAllocationReportDue', strict: true, code: 'notAfterAllocationReport' },
];

export interface SettingsContext {
  /** The round's year, fixed at creation: dates must lie in the year before, of, or after it. */
  year: number;
  /** The stored round: a date whose day is unchanged keeps its exact stored time. */
  current?: RoundSettings;
}

/**
 * Validates the round-settings card. On success the normalised round fields (days become
 * instants: opening at 00:00, deadlines at 17:00 Amsterdam time); on failure one error per field,
 * and nothing is to be stored.
 */
export function validateRoundSettings(raw: RawSettings, ctx: SettingsContext): Result<RoundSettings, SettingsErrors> {
  const errors: SettingsErrors = {};
  // Only spaces and zero-width characters is empty.
  const input = (f: SettingsField) => {
    const typed = withNewlines(raw[f] ?? '');
    return isBlank(typed) ? '' : typed.trim();
  };
  for (const f of SETTINGS_FIELDS) if (input(f) === '') errors[f] = 'required';

  const name = input('name');
  if (!errors.name && hasControlCharacters(name)) errors.name = 'controlCharacters';
  else if (!errors.name && name.length > SETTINGS_LIMITS.name) errors.name = 'tooLong';

  const budget = errors.budget ? {} : parseWholeEuros(input('budget'));
  if (budget.error) errors.budget = budget.error;
  else if (budget.value !== undefined && budget.value > SETTINGS_LIMITS.budget) errors.budget = 'budgetTooHigh';

  const max = errors.maxPerApplication ? {} : parseWholeEuros(input('maxPerApplication'));
  if (max.error) errors.maxPerApplication = max.error;
  else if (max.value !== undefined && budget.value !== undefined && !errors.budget && max.value > budget.value) errors.maxPerApplication = 'aboveBudget';

  const days: Partial<Record<DateField, string>> = {};
  for (const f of DATE_FIELDS) {
    if (errors[f]) continue;
    const day = input(f);
    if (!isRealDay(day)) errors[f] = 'date';
    else if (Number(day.slice(0, 4)) < ctx.year - 1 || Number(day.slice(0, 4)) > ctx.year + 1) errors[f] = 'dateOutOfRange';
    else days[f] = day;
  }
  for (const rule of ORDER) {
    const later = days[rule.later];
    const earlier = days[rule.earlier];
    if (!later || !earlier || errors[rule.later]) continue;
    if (rule.strict ? later <= earlier : later < earlier) errors[rule.later] = rule.code;
  }

  const wijken = errors.wijken ? {} : parseWijken(raw.wijken ?? '');
  if (wijken.error) errors.wijken = wijken.error;

  const quorum = input('quorum');
  if (!errors.quorum && !(/^\d{1,2}$/.test(quorum) && Number(quorum) >= SETTINGS_LIMITS.quorumMin && Number(quorum) <= SETTINGS_LIMITS.quorumMax)) {
    errors.quorum = 'quorum';
  }

  const currentTerms = { ...DEFAULT_RETENTION, ...(ctx.current?.retention ?? {}) };
  const retention = parseRetention(raw, currentTerms, errors);

  if (Object.keys(errors).length > 0) return err(errors);
  const instant = (f: DateField) => {
    const kept = ctx.current?.[f];
    return kept && amsterdamDay(kept) === days[f] ? kept : amsterdamInstant(days[f]!, TIME_OF[f]);
  };
  return ok({
    name,
    budget: budget.value!,
    maxPerApplication: max.value!,
    opensAt: instant('opensAt'),
    submissionDeadline: instant('submissionDeadline'),
    reviewDeadline: instant('reviewDeadline'),
    councilAllocationReportDue: instant('councilAllocationReportDue'),
    councilResultsReportDue: instant('councilResultsReportDue'),
    wijken: wijken.value!,
    quorum: Number(quorum),
    // Only a changed term is part of the result: unchanged terms stay as stored (or the defaults).
    ...(JSON.stringify(retention) !== JSON.stringify(currentTerms) ? { retention } : {}),
  });
}

/** The stored settings in the raw shape the card shows (days, one wijk per line). */
export function toRawSettings(round: RoundSettings): Required<RawSettings> {
  return {
    name: round.name,
    budget: String(round.budget),
    maxPerApplication: String(round.maxPerApplication),
    opensAt: amsterdamDay(round.opensAt),
    submissionDeadline: amsterdamDay(round.submissionDeadline),
    reviewDeadline: amsterdamDay(round.reviewDeadline),
    councilAllocationReportDue: amsterdamDay(round.councilAllocationReportDue),
    councilResultsReportDue: amsterdamDay(round.councilResultsReportDue),
    wijken: round.wijken.join('\n'),
    quorum: String(round.quorum),
    ...(Object.fromEntries(RETENTION_INPUT_NAMES.map((n) => [n, String(termsOf(round)[RETENTION_INPUTS[n]])])) as Record<RetentionInput, string>),
  };
}

const termsOf = (s: Pick<RoundSettings, 'retention'>): RetentionTerms => ({ ...DEFAULT_RETENTION, ...(s.retention ?? {}) });

/** Whether the retention terms differ (absent means the defaults). */
export function retentionChanged(a: Pick<RoundSettings, 'retention'>, b: Pick<RoundSettings, 'retention'>): boolean {
  return JSON.stringify(termsOf(a)) !== JSON.stringify(termsOf(b));
}

/** `next` as `validateRoundSettings` returns it: with `retention` only when a term changed. */
export function sameSettings(current: RoundSettings, next: RoundSettings): boolean {
  return (
    SETTINGS_FIELDS.every((f) => JSON.stringify(current[f]) === JSON.stringify(next[f])) && (next.retention === undefined || !retentionChanged(current, next))
  );
}

/** The Amsterdam wall-clock time (HH:MM) of an instant. */
export function amsterdamTime(iso: string): string {
  const p = Object.fromEntries(wallClock.formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
  return `${p.hour}:${p.minute}`;
}

/** The same local day and time `years` later (29 February becomes 28 February). */
export function shiftYears(iso: string, years: number): string {
  const [y, m, d] = amsterdamDay(iso).split('-').map(Number) as [number, number, number];
  const pad = (n: number) => String(n).padStart(2, '0');
  let day = `${y + years}-${pad(m)}-${pad(d)}`;
  if (!isRealDay(day)) day = `${y + years}-${pad(m)}-${pad(d - 1)}`;
  return amsterdamInstant(day, amsterdamTime(iso));
}

/** Which status a round may move to: closed is final. */
const TRANSITIONS: Record<RoundStatus, readonly RoundStatus[]> = {
  draft: ['open'],
  open: ['paused', 'closed'],
  paused: ['open', 'closed'],
  closed: [],
};

export function nextStatuses(from: RoundStatus): readonly RoundStatus[] {
  return TRANSITIONS[from];
}

export function canChangeStatus(from: RoundStatus, to: RoundStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export const YEAR_RANGE = { min: 2020, max: 2100 } as const;

/** What the accounthouder types to start another round: its name and its reference prefix (the year comes with it). */
export interface NewRoundInput {
  name: string;
  prefix: string;
}

export type NewRoundErrorCode = 'required' | 'tooLong' | 'controlCharacters' | 'prefixLetters' | 'prefixTaken' | 'year';
export type NewRoundErrors = Partial<Record<'name' | 'prefix' | 'year', NewRoundErrorCode>>;

/**
 * The typed name, prefix and year of a new round, or why not. The prefix is letters only (upper
 * case, at most 6: `LB`, `LBN`); it must not be taken by another round of that year, since the
 * round id (`LBN-2026`) and every reference (`LBN-2026-007`) are made of it.
 */
export function validateNewRound(
  raw: { name?: string; prefix?: string; year?: string },
  takenIds: ReadonlySet<string>,
): Result<NewRoundInput & { year: number }, NewRoundErrors> {
  const errors: NewRoundErrors = {};
  const name = withNewlines(raw.name ?? '').trim();
  if (hasControlCharacters(name) || name.includes('\n')) errors.name = 'controlCharacters';
  else if (isBlank(name)) errors.name = 'required';
  else if (name.length > SETTINGS_LIMITS.name) errors.name = 'tooLong';
  const prefix = (raw.prefix ?? '').trim().toUpperCase();
  if (!prefix) errors.prefix = 'required';
  else if (!ROUND_PREFIX.test(prefix)) errors.prefix = 'prefixLetters';
  const yearText = (raw.year ?? '').trim();
  const year = Number(yearText);
  if (!/^\d{4}$/.test(yearText) || year < YEAR_RANGE.min || year > YEAR_RANGE.max) errors.year = 'year';
  if (!errors.prefix && !errors.year && takenIds.has(roundIdFor(prefix, year))) errors.prefix = 'prefixTaken';
  return Object.keys(errors).length ? err(errors) : ok({ name, prefix, year });
}

/**
 * A new round for `year`, in draft, with the default criteria. Everything else is copied from the
 * latest round (dates moved by the difference in years, the year in the name replaced), or, when
 * there is none, set to a calendar the accounthouder can adjust: open in January, submissions until
 * April, reviews by mid-May, the council hears about the allocation before the summer and about the
 * results at the end of the year.
 */
export function newRoundFor(year: number, latest: Round | undefined, criteria: CriteriaSet, named?: NewRoundInput): Round {
  const round = newRoundFrom(year, latest, criteria, named?.prefix ?? latest?.referencePrefix ?? 'LB');
  return named ? { ...round, name: named.name } : round;
}

function newRoundFrom(year: number, latest: Round | undefined, criteria: CriteriaSet, prefix: string): Round {
  const base = { id: roundIdFor(prefix, year), referencePrefix: prefix, year, status: 'draft' as const, criteria };
  if (!latest) {
    return {
      ...base,
      name: `Wijkgericht leerbudget ${year}`,
      budget: 50_000,
      maxPerApplication: 15_000,
      opensAt: amsterdamInstant(`${year}-01-15`, TIME_OF.opensAt),
      submissionDeadline: amsterdamInstant(`${year}-04-01`, TIME_OF.submissionDeadline),
      reviewDeadline: amsterdamInstant(`${year}-05-15`, TIME_OF.reviewDeadline),
      councilAllocationReportDue: amsterdamInstant(`${year}-07-01`, TIME_OF.councilAllocationReportDue),
      councilResultsReportDue: amsterdamInstant(`${year}-12-01`, TIME_OF.councilResultsReportDue),
      wijken: [STADSBREED],
      quorum: 3,
      allowPartialAwards: true,
      concentrationLimit: 0.4,
      routing: { byWijk: {} },
    };
  }
  const years = year - latest.year;
  const name = latest.name.split(String(latest.year)).join(String(year));
  return {
    ...base,
    name: name.length <= SETTINGS_LIMITS.name ? name : latest.name,
    budget: latest.budget,
    maxPerApplication: latest.maxPerApplication,
    opensAt: shiftYears(latest.opensAt, years),
    submissionDeadline: shiftYears(latest.submissionDeadline, years),
    reviewDeadline: shiftYears(latest.reviewDeadline, years),
    councilAllocationReportDue: shiftYears(latest.councilAllocationReportDue, years),
    councilResultsReportDue: shiftYears(latest.councilResultsReportDue, years),
    wijken: [...latest.wijken],
    quorum: latest.quorum,
    allowPartialAwards: latest.allowPartialAwards,
    concentrationLimit: latest.concentrationLimit,
    routing: structuredClone(latest.routing),
    // The application form goes along (a copy: the new round's own to change until its first submission).
    ...(latest.form ? { form: structuredClone(latest.form) } : {}),
  };
}
