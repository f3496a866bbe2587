import { describe, expect, it } from 'vitest';
import { STEP_FIELDS, STEPS } from '../../src/domain/application';
import { NEW_ROW, toRawCriterion, validateCriteriaEdit } from '../../src/domain/criteria-edit';
import { validateResults } from '../../src/domain/results';
import { toRawSettings, validateRoundSettings } from '../../src/domain/round-settings';
import { commentField, OVERALL_FIELD, scoreField, validateSheet } from '../../src/domain/scoring';
import { acceptableText, isBlank, readText } from '../../src/domain/text';
import { LIMITS, validateStep } from '../../src/domain/validation';
import { round, VALID_INPUT } from '../fixtures';

/** Every control character a card could carry but newline and tab, and a lone surrogate half. */
const CONTROLS = ['\u0000', '\u0001', '\u0008', '\u000b', '\u000c', '\u001b', '\u001f', '\u007f', '\u0085', '\u009f', '\u202e', '\u2066', '\ud800', '\udfff'];
const INVISIBLE_ONLY = ['\u200b', '\u200c\u200d', ' \u2060 ', '\ufeff', '\u00ad', '\u200b\n\t\u200b', '\u2062\u180e'];
const VISIBLE = 'Zó "goed" \\ 😀 👩‍👩‍👧 l\u200bang\n\ttab';

describe('free text', () => {
  it('control characters other than newline and tab are refused; emoji, quotes, accents and inner zero-width characters are kept', () => {
    for (const c of CONTROLS) expect(readText(`Plan ${c} x`, 100), JSON.stringify(c)).toEqual({ error: 'controlCharacters' });
    expect(readText(`  ${VISIBLE}  `, 100)).toEqual({ value: VISIBLE });
    // CRLF and a lone CR are newlines, not control characters.
    expect(readText('a\r\nb\rc', 100)).toEqual({ value: 'a\nb\nc' });
    expect(readText('x'.repeat(101), 100)).toEqual({ error: 'tooLong' });
  });

  it('only spaces and zero-width or other format characters is empty', () => {
    for (const t of INVISIBLE_ONLY) {
      expect(isBlank(t), JSON.stringify(t)).toBe(true);
      expect(readText(t, 100)).toEqual({ value: '' });
      expect(acceptableText(t, 100)).toBe(false);
    }
    expect(isBlank('\u200bA')).toBe(false);
  });

  const r = round();

  it('every free-text field of an application refuses control characters, with the typed values of the other fields still valid', () => {
    for (const step of STEPS) {
      for (const field of STEP_FIELDS[step]) {
        // Budget lines are rows of inputs, not one text: their descriptions are checked in budget-lines.test.ts.
        if (field === 'budgetLines') continue;
        const raw = { ...VALID_INPUT[step], [field]: `${VALID_INPUT[step][field] ?? 'x'}\u0007` };
        const res = validateStep(step, raw, r, 'complete');
        expect(res.ok, field).toBe(false);
        expect(!res.ok && res.error[field], field).toBe('controlCharacters');
        expect(!res.ok && Object.keys(res.error), field).toEqual([field]);
      }
    }
  });

  it('a title or answer of only zero-width characters is refused like an empty one', () => {
    for (const t of INVISIBLE_ONLY) {
      const res = validateStep('question', { ...VALID_INPUT.question, title: t, question: t }, r, 'complete');
      expect(!res.ok && res.error).toEqual({ title: 'required', question: 'required' });
    }
  });

  it('a co-applicant of only zero-width characters is no co-applicant', () => {
    const res = validateStep(
      'organisation',
      { ...VALID_INPUT.organisation, coApplicants: 'Travers Welzijn\n\u200b\n\u2060\ufeff, Sportbedrijf' },
      r,
      'complete',
    );
    expect(res.ok && res.value.coApplicants).toEqual(['Travers Welzijn', 'Sportbedrijf']);
  });

  it('hostile text at the maximum length is accepted as typed', () => {
    const text = (n: number) => `A${'"\\😀\u200bé\n'.repeat(n)}`.slice(0, n - 1) + 'Z';
    const res = validateStep('approach', { ...VALID_INPUT.approach, approach: text(LIMITS.approach) }, r, 'complete');
    expect(res.ok && res.value.approach).toBe(text(LIMITS.approach));
    expect(validateStep('approach', { ...VALID_INPUT.approach, approach: text(LIMITS.approach) + 'x' }, r, 'complete').ok).toBe(false);
  });

  it('results, criteria, round settings and score sheets refuse control characters and treat zero-width-only text as empty', () => {
    expect(validateResults({ done: 'a\u0000', reached: 'b', learned: 'c', indicators: 'd', spent: '1' }, 10, 'submit')).toMatchObject({
      ok: false,
      error: { done: 'controlCharacters' },
    });
    expect(validateResults({ done: '\u200b', reached: 'b', learned: 'c', indicators: 'd', spent: '1' }, 10, 'submit')).toMatchObject({
      ok: false,
      error: { done: 'required' },
    });

    const current = r.criteria;
    const rows = Object.fromEntries(current.items.map((c) => [c.id, toRawCriterion(c)]));
    const first = current.items[0]!;
    const edit = (row: Record<string, string>) => validateCriteriaEdit(current, { rows: { ...rows, [first.id]: { ...toRawCriterion(first), ...row } } });
    expect(edit({ title: 'Goed\u001b[31m' })).toMatchObject({ ok: false, error: { rows: { [first.id]: { title: 'controlCharacters' } } } });
    expect(edit({ description: 'x\u0001' })).toMatchObject({ ok: false, error: { rows: { [first.id]: { description: 'controlCharacters' } } } });
    expect(edit({ title: '\u200b\u200d' })).toMatchObject({ ok: false, error: { rows: { [first.id]: { title: 'required' } } } });
    // A new row of only zero-width characters is an empty row, not a criterion without a title.
    expect(validateCriteriaEdit(current, { rows, added: { title: '\u200b', description: '\ufeff', weight: '1', scaleMin: '1', scaleMax: '5' } })).toMatchObject(
      {
        ok: true,
        value: { items: current.items },
      },
    );
    expect(validateCriteriaEdit(current, { rows, added: { ...toRawCriterion(first), title: 'Nieuw\u0000' } })).toMatchObject({
      ok: false,
      error: { rows: { [NEW_ROW]: { title: 'controlCharacters' } } },
    });

    const settings = toRawSettings(r);
    expect(validateRoundSettings({ ...settings, name: 'Ronde\u0007' }, { year: r.year })).toMatchObject({ ok: false, error: { name: 'controlCharacters' } });
    expect(validateRoundSettings({ ...settings, name: '\ufeff\u200b' }, { year: r.year })).toMatchObject({ ok: false, error: { name: 'required' } });
    expect(validateRoundSettings({ ...settings, wijken: 'Assendorp\nDiezer\u0000poort' }, { year: r.year })).toMatchObject({
      ok: false,
      error: { wijken: 'controlCharacters' },
    });

    const scores = Object.fromEntries(current.items.map((c) => [scoreField(c.id), '3']));
    expect(validateSheet(current.items, { ...scores, [commentField(first.id)]: 'ok\u0008' })).toMatchObject({
      ok: false,
      error: { [commentField(first.id)]: 'controlCharacters' },
    });
    expect(validateSheet(current.items, { ...scores, [OVERALL_FIELD]: 'ok\u009b' })).toMatchObject({
      ok: false,
      error: { [OVERALL_FIELD]: 'controlCharacters' },
    });
    const zeroWidth = validateSheet(current.items, { ...scores, [commentField(first.id)]: '\u200b', [OVERALL_FIELD]: '\u2060' });
    expect(zeroWidth.ok && [zeroWidth.value.comments, zeroWidth.value.overall]).toEqual([{}, '']);
  });
});
