import { describe, expect, it } from 'vitest';
import { CriteriaSet, defaultCriteria } from '../../src/domain/criteria';
import { NEW_ROW, RawCriteriaEdit, RawCriterion, sameCriteria, slugify, toRawCriterion, validateCriteriaEdit } from '../../src/domain/criteria-edit';

const current = defaultCriteria();
/** The card as drawn: every criterion with its stored values, remove off, the new row with its prefilled numbers. */
function asDrawn(set: CriteriaSet = current): RawCriteriaEdit {
  return {
    rows: Object.fromEntries(set.items.map((c) => [c.id, { ...toRawCriterion(c), remove: 'false' }])),
    added: { title: '', description: '', weight: '1', scaleMin: '1', scaleMax: '5', minimum: '' },
  };
}
const withRow = (id: string, row: RawCriterion): RawCriteriaEdit => {
  const raw = asDrawn();
  raw.rows[id] = { ...raw.rows[id], ...row };
  return raw;
};
const errorsOf = (raw: RawCriteriaEdit) => {
  const res = validateCriteriaEdit(current, raw);
  return res.ok ? undefined : res.error;
};

describe('validateCriteriaEdit', () => {
  it('the card saved as drawn gives the same criteria as the next version', () => {
    const res = validateCriteriaEdit(current, asDrawn());
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(res.value.version).toBe(current.version + 1);
    expect(res.value.items).toEqual(current.items);
    expect(sameCriteria(res.value, current)).toBe(true);
  });

  it.each<[string, RawCriterion, Record<string, string>]>([
    ['title empty', { title: '  ' }, { title: 'required' }],
    ['title of 81 characters', { title: 'x'.repeat(81) }, { title: 'tooLong' }],
    ['description of 501 characters', { description: 'x'.repeat(501) }, { description: 'tooLong' }],
    ['weight empty', { weight: '' }, { weight: 'required' }],
    ['weight 0', { weight: '0' }, { weight: 'weight' }],
    ['weight negative', { weight: '-1' }, { weight: 'weight' }],
    ['weight above 10', { weight: '10.5' }, { weight: 'weight' }],
    ['weight not a number', { weight: 'veel' }, { weight: 'weight' }],
    ['weight with three decimals', { weight: '1.125' }, { weight: 'weight' }],
    ['scale min 11', { scaleMin: '11' }, { scaleMin: 'scale' }],
    ['scale min negative', { scaleMin: '-1' }, { scaleMin: 'scale' }],
    ['scale max with decimals', { scaleMax: '4.5' }, { scaleMax: 'scale' }],
    ['scale min equal to max', { scaleMin: '5', scaleMax: '5', minimum: '' }, { scaleMax: 'scaleOrder' }],
    ['scale min above max', { scaleMin: '6', scaleMax: '5', minimum: '' }, { scaleMax: 'scaleOrder' }],
    ['minimum above the scale', { minimum: '6' }, { minimum: 'minimum' }],
    ['minimum below the scale', { minimum: '0' }, { minimum: 'minimum' }],
    ['minimum not whole', { minimum: '2.5' }, { minimum: 'minimum' }],
  ])('%s', (_name, row, expected) => {
    expect(errorsOf(withRow('integraal', row))).toEqual({ rows: { integraal: expected } });
  });

  it.each<[string, RawCriterion, Partial<Record<string, unknown>>]>([
    ['weight with a decimal comma', { weight: '1,5' }, { weight: 1.5 }],
    ['weight 10', { weight: '10' }, { weight: 10 }],
    ['weight 0.25', { weight: '0.25' }, { weight: 0.25 }],
    ['scale 0 to 10', { scaleMin: '0', scaleMax: '10', minimum: '' }, { scaleMin: 0, scaleMax: 10 }],
    ['minimum on the edge of the scale', { minimum: '5' }, { minimum: 5 }],
    ['minimum removed', { minimum: '' }, { minimum: undefined }],
  ])('accepts %s', (_name, row, expected) => {
    const res = validateCriteriaEdit(current, withRow('integraal', row));
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    const item = res.value.items.find((c) => c.id === 'integraal')!;
    for (const [k, v] of Object.entries(expected)) expect(item[k as keyof typeof item], k).toBe(v);
    if (expected.minimum === undefined && 'minimum' in expected) expect('minimum' in item).toBe(false);
  });

  it('removes a criterion marked for removal, even when its fields are invalid', () => {
    const res = validateCriteriaEdit(current, withRow('regie', { remove: 'true', title: '' }));
    expect(res.ok && res.value.items.map((c) => c.id)).toEqual(current.items.map((c) => c.id).filter((id) => id !== 'regie'));
  });

  it('adds the new row only when a title is filled, with an id from its title', () => {
    const raw = asDrawn();
    raw.added = { title: 'Samen met scholen', description: 'Scholen doen mee.', weight: '1,5', scaleMin: '1', scaleMax: '5', minimum: '2' };
    const res = validateCriteriaEdit(current, raw);
    expect(res.ok && res.value.items.at(-1)).toEqual({
      id: 'samen-met-scholen',
      title: 'Samen met scholen',
      description: 'Scholen doen mee.',
      weight: 1.5,
      scaleMin: 1,
      scaleMax: 5,
      minimum: 2,
    });
    const empty = validateCriteriaEdit(current, asDrawn());
    expect(empty.ok && empty.value.items).toHaveLength(current.items.length);
  });

  it('a new row with a description but no title is refused, not silently dropped', () => {
    const raw = asDrawn();
    raw.added = { ...raw.added, description: 'Iets belangrijks' };
    expect(errorsOf(raw)).toEqual({ rows: { [NEW_ROW]: { title: 'required' } } });
  });

  it('new ids are unique, also against criteria removed in the same edit', () => {
    const raw = withRow('regie', { remove: 'true' });
    raw.added = { title: 'Régie!', description: '', weight: '1', scaleMin: '1', scaleMax: '5', minimum: '' };
    const res = validateCriteriaEdit(current, raw);
    expect(res.ok && res.value.items.at(-1)?.id).toBe('regie-2');
  });

  it('keeps at least one criterion', () => {
    const raw = asDrawn();
    for (const id of Object.keys(raw.rows)) raw.rows[id]!.remove = 'true';
    expect(errorsOf(raw)).toEqual({ rows: {}, set: 'tooFew' });
    raw.added = { title: 'Eén nieuw uitgangspunt', weight: '1', scaleMin: '1', scaleMax: '5' };
    const res = validateCriteriaEdit(current, raw);
    expect(res.ok && res.value.items.map((c) => c.id)).toEqual(['een-nieuw-uitgangspunt']);
  });

  it('allows at most 12 criteria', () => {
    const twelve: CriteriaSet = {
      version: 3,
      items: Array.from({ length: 12 }, (_, i) => ({ id: `c${i}`, title: `C ${i}`, description: '', weight: 1, scaleMin: 1, scaleMax: 5 })),
    };
    const raw = asDrawn(twelve);
    expect(validateCriteriaEdit(twelve, raw).ok).toBe(true);
    raw.added = { title: 'Dertiende', weight: '1', scaleMin: '1', scaleMax: '5' };
    expect(validateCriteriaEdit(twelve, raw)).toEqual({ ok: false, error: { rows: {}, set: 'tooMany' } });
  });

  it('reports errors per criterion, several at once', () => {
    const raw = withRow('integraal', { title: '' });
    raw.rows.regie = { ...raw.rows.regie, scaleMin: '3', scaleMax: '2', minimum: '' };
    expect(errorsOf(raw)).toEqual({ rows: { integraal: { title: 'required' }, regie: { scaleMax: 'scaleOrder' } } });
  });
});

describe('slugify', () => {
  it.each([
    ['Integraal, duurzaam en collectief', 'integraal-duurzaam-en-collectief'],
    ['Ervaringsdeskundigen doen mee', 'ervaringsdeskundigen-doen-mee'],
    ['Café & één', 'cafe-een'],
    ['!!!', 'uitgangspunt'],
    ['x'.repeat(80), 'x'.repeat(40)],
  ])('%s → %s', (title, slug) => {
    expect(slugify(title)).toBe(slug);
  });
});
