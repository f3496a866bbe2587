import closeConfirmTemplate from '../../cards/round-close-confirm.json';
import criteriaTemplate from '../../cards/criteria.json';
import roundNoneTemplate from '../../cards/round-none.json';
import roundSettingsTemplate from '../../cards/round-settings.json';
import type { Criterion } from '../domain/criteria';
import {
  CRITERIA_LIMITS,
  CriteriaErrors,
  CRITERION_FIELDS,
  CriterionField,
  NEW_ROW,
  RawCriteriaEdit,
  RawCriterion,
  toRawCriterion,
} from '../domain/criteria-edit';
import type { Round } from '../domain/round';
import {
  FROZEN_AFTER_SUBMISSION,
  nextStatuses,
  RawSettings,
  RETENTION_INPUT_NAMES,
  RetentionInput,
  SETTINGS_FIELDS,
  SETTINGS_LIMITS,
  SettingsErrors,
  SettingsField,
  toRawSettings,
} from '../domain/round-settings';
import { fill, formatEuro, Lang, messages } from '../i18n';
import { adminMessages } from '../i18n/admin';
import { privacyMessages } from '../i18n/privacy';
import { roundMessages } from '../i18n/rounds';
import type { Versioned } from '../domain/versioned';
import { Card, render, withError } from './render';

export type NoticeKind = 'info' | 'error';
const COLOR: Record<NoticeKind, string> = { info: 'accent', error: 'attention' };

const SETTINGS_KIND: Record<SettingsField, 'text' | 'multiline' | 'number' | 'date'> = {
  name: 'text',
  budget: 'number',
  maxPerApplication: 'number',
  opensAt: 'date',
  submissionDeadline: 'date',
  reviewDeadline: 'date',
  councilAllocationReportDue: 'date',
  councilResultsReportDue: 'date',
  wijken: 'multiline',
  quorum: 'number',
};

export interface SettingsView {
  /** What the user typed (after an error); otherwise the stored values are shown. */
  raw?: RawSettings;
  errors?: SettingsErrors;
  notice?: string;
  noticeKind?: NoticeKind;
  /** Offer "Nieuwe ronde {year}" (only on the newest round). */
  nextYear?: number;
  /** An application was submitted: the settings in FROZEN_AFTER_SUBMISSION say they are fixed. */
  frozen?: boolean;
  /** What was already awarded (for the "budget below awarded" message). */
  spent?: number;
}

/** The accounthouder's round-settings card: every setting with its label, the status, and the steps the status allows. */
export function roundSettingsCard(lang: Lang, round: Versioned<Round>, view: SettingsView = {}): Card {
  const a = adminMessages(lang);
  const { common } = messages(lang);
  const r = round.value;
  const raw = { ...toRawSettings(r), ...(view.raw ?? {}) };
  const errors = view.errors ?? {};
  const p = privacyMessages(lang);
  const fixed = new Set<SettingsField | RetentionInput>(FROZEN_AFTER_SUBMISSION);
  const label = (id: SettingsField | RetentionInput) =>
    id in p.settings.fields ? p.settings.fields[id as RetentionInput] : a.settings.fields[id as SettingsField];
  // The retention terms follow the dates: whole numbers, changeable at any time (a change is audited).
  const fields = [...SETTINGS_FIELDS, ...RETENTION_INPUT_NAMES].map((id) => {
    const error = errors[id];
    const errorText = !error
      ? ''
      : error === 'retentionTerm'
        ? p.settings.termError
        : fill(a.settingsErrors[error], { year: r.year, spent: formatEuro(lang, view.spent ?? 0) });
    return {
      id,
      kind: id in SETTINGS_KIND ? SETTINGS_KIND[id as SettingsField] : 'number',
      label: withError(`${label(id)} ${view.frozen && fixed.has(id) ? a.settings.fixedField : common.required}`, errorText),
      // The same rule as the server (round.save refuses an empty field): Teams says so before sending.
      required: !(view.frozen && fixed.has(id)),
      requiredText: a.settingsErrors.required,
      value: raw[id] ?? '',
      maxLength: id === 'name' ? SETTINGS_LIMITS.name : 0,
      error: errorText,
    };
  });
  const next = nextStatuses(r.status);
  const hasErrors = Object.keys(errors).length > 0;
  const notice = view.notice ?? (hasErrors ? a.fixBelow : '');
  return render(roundSettingsTemplate, {
    t: a.settings,
    notice,
    noticeColor: COLOR[view.noticeKind ?? (hasErrors ? 'error' : 'info')],
    round: { id: r.id, etag: round.etag, status: r.status, statusText: a.settings.status[r.status], yearText: `${r.year} (${a.settings.yearFixed})` },
    fields,
    canOpen: next.includes('open'),
    canPause: next.includes('paused'),
    canClose: next.includes('closed'),
    canCreate: view.nextYear !== undefined,
    nextYear: view.nextYear ?? 0,
    newRoundTitle: fill(a.settings.newRound, { year: view.nextYear ?? '' }),
    startTitle: roundMessages(lang).start.title,
  });
}

export function roundCloseConfirmCard(lang: Lang, round: Round): Card {
  const a = adminMessages(lang);
  return render(closeConfirmTemplate, {
    t: a.settings,
    text: fill(a.settings.closeConfirm, { name: round.name }),
    round: { id: round.id, status: round.status },
  });
}

/** No round yet: one button to create the first. */
export function noRoundCard(lang: Lang, year: number, notice = ''): Card {
  const a = adminMessages(lang);
  return render(roundNoneTemplate, {
    t: a.settings,
    notice,
    text: fill(a.settings.noRound, { year }),
    createTitle: fill(a.settings.createFirst, { year }),
    year,
  });
}

export interface CriteriaView {
  raw?: RawCriteriaEdit;
  errors?: CriteriaErrors;
  notice?: string;
  noticeKind?: NoticeKind;
}

type FieldKind = 'text' | 'multiline' | 'decimal' | 'number' | 'toggle';
const CRITERION_KIND: Record<CriterionField, FieldKind> = {
  title: 'text',
  description: 'multiline',
  weight: 'decimal',
  scaleMin: 'number',
  scaleMax: 'number',
  minimum: 'number',
};
const MAX_LENGTH: Partial<Record<CriterionField, number>> = { title: CRITERIA_LIMITS.title, description: CRITERIA_LIMITS.description };
const REQUIRED: Record<CriterionField, boolean> = { title: true, description: false, weight: true, scaleMin: true, scaleMax: true, minimum: false };

/** Input id of a criterion's field on the card, e.g. `integraal.weight`; the new row is `_new.title`. */
export const inputId = (rowKey: string, field: CriterionField | 'remove') => `${rowKey}.${field}`;

const NEW_ROW_DEFAULTS: RawCriterion = { title: '', description: '', weight: '1', scaleMin: '1', scaleMax: '5', minimum: '' };

/**
 * The criteria card: one block per criterion to edit (or remove) and a row for a new one; once an
 * application is submitted, a read-only list that says why it can no longer change.
 */
export function criteriaCard(lang: Lang, round: Round, frozen: boolean, view: CriteriaView = {}): Card {
  const a = adminMessages(lang);
  const { common } = messages(lang);
  const set = round.criteria;
  const errors = view.errors ?? { rows: {} };
  const number = new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'nl-NL', { maximumFractionDigits: 2 });

  const fieldsOf = (rowKey: string, values: RawCriterion, rowErrors: Partial<Record<CriterionField, string>> = {}) =>
    CRITERION_FIELDS.map((f) => ({
      id: inputId(rowKey, f),
      kind: CRITERION_KIND[f],
      label: withError(
        `${a.criteria.fields[f]} ${REQUIRED[f] ? common.required : common.optional}`,
        rowErrors[f] ? a.criteriaErrors[rowErrors[f] as keyof typeof a.criteriaErrors] : '',
      ),
      value: values[f] ?? '',
      maxLength: MAX_LENGTH[f] ?? 0,
      toggleTitle: '',
      error: rowErrors[f] ? a.criteriaErrors[rowErrors[f] as keyof typeof a.criteriaErrors] : '',
    }));

  const rows = frozen
    ? []
    : set.items.map((c: Criterion, i) => {
        const typed = view.raw?.rows[c.id];
        const values = { ...toRawCriterion(c), ...(typed ?? {}) };
        return {
          heading: fill(a.criteria.item, { n: i + 1 }),
          intro: '',
          fields: [
            ...fieldsOf(c.id, values, errors.rows[c.id]),
            {
              id: inputId(c.id, 'remove'),
              kind: 'toggle' as const,
              label: a.criteria.remove,
              toggleTitle: a.criteria.removeTitle,
              value: typed?.remove === 'true' ? 'true' : 'false',
              maxLength: 0,
              error: '',
            },
          ],
        };
      });
  const hasRoom = set.items.length < CRITERIA_LIMITS.maxCount;
  if (!frozen && hasRoom) {
    rows.push({
      heading: a.criteria.newTitle,
      intro: a.criteria.newIntro,
      fields: fieldsOf(NEW_ROW, { ...NEW_ROW_DEFAULTS, ...(view.raw?.added ?? {}) }, errors.rows[NEW_ROW]),
    });
  }
  const readonly = frozen
    ? set.items.map((c) => ({
        title: c.title,
        description: c.description,
        line: fill(c.minimum === undefined ? a.criteria.line : a.criteria.lineMinimum, {
          weight: number.format(c.weight),
          min: c.scaleMin,
          max: c.scaleMax,
          minimum: c.minimum ?? '',
        }),
      }))
    : [];

  const hasErrors = Boolean(errors.set) || Object.keys(errors.rows).length > 0;
  const setError = errors.set ? a.criteriaErrors[errors.set] : '';
  const notice = view.notice ?? (hasErrors ? [setError, a.fixBelow].filter(Boolean).join(' ') : '');
  return render(criteriaTemplate, {
    t: a.criteria,
    title: `${a.criteria.title}: ${round.name}`,
    versionText: fill(a.criteria.version, { version: set.version }),
    notice,
    noticeColor: COLOR[view.noticeKind ?? (hasErrors ? 'error' : 'info')],
    frozen,
    readonly,
    rows,
    fullText: !frozen && !hasRoom ? a.criteria.full : '',
    roundId: round.id,
    version: set.version,
  });
}
