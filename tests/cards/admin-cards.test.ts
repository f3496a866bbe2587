import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { criteriaCard, noRoundCard, roundCloseConfirmCard, roundSettingsCard } from '../../src/cards/admin-cards';
import { cardBytes, Card } from '../../src/cards/render';
import { CriteriaSet } from '../../src/domain/criteria';
import { CRITERIA_LIMITS, NEW_ROW } from '../../src/domain/criteria-edit';
import { RETENTION_INPUT_NAMES, SETTINGS_FIELDS } from '../../src/domain/round-settings';
import { round } from '../fixtures';
import { readCard } from '../support/teams';
import { VERBS } from '../../src/app/core/verbs';

const ADMIN_TEMPLATES = ['round-settings.json', 'round-close-confirm.json', 'round-none.json', 'criteria.json', 'round-new.json', 'round-choose.json'];

function walk(node: unknown, visit: (o: Record<string, unknown>) => void) {
  if (Array.isArray(node)) node.forEach((n) => walk(n, visit));
  else if (node && typeof node === 'object') {
    visit(node as Record<string, unknown>);
    Object.values(node).forEach((v) => walk(v, visit));
  }
}

const longest = (n: number) => 'Lange tekst met woorden. '.repeat(Math.ceil(n / 25)).slice(0, n);
const twelve: CriteriaSet = {
  version: 9,
  items: Array.from({ length: CRITERIA_LIMITS.maxCount }, (_, i) => ({
    id: `uitgangspunt-${i}-${'x'.repeat(30)}`,
    title: longest(CRITERIA_LIMITS.title),
    description: longest(CRITERIA_LIMITS.description),
    weight: 1.5,
    scaleMin: 0,
    scaleMax: 10,
    minimum: 5,
  })),
};
const r = round();
const big = { ...round({ criteria: twelve, wijken: Array.from({ length: 40 }, (_, i) => `${i} ${longest(57)}`) }) };
const v = (x = r) => ({ value: x, etag: `W/"datetime'2026-11-23T09%3A00%3A00.1234567Z'"` });
const allErrors = Object.fromEntries(SETTINGS_FIELDS.map((f) => [f, 'required' as const]));
const rowErrors = Object.fromEntries(twelve.items.map((c) => [c.id, { title: 'tooLong' as const, weight: 'weight' as const, minimum: 'minimum' as const }]));

const all: [string, Card][] = (['nl', 'en'] as const).flatMap((lang) => [
  [`${lang} settings`, roundSettingsCard(lang, v(), { nextYear: 2027, notice: 'x' })],
  [`${lang} settings with every error`, roundSettingsCard(lang, v(big), { errors: allErrors })],
  [`${lang} settings of a draft`, roundSettingsCard(lang, v(round({ status: 'draft' })))],
  [`${lang} settings of a closed round`, roundSettingsCard(lang, v(round({ status: 'closed' })))],
  [`${lang} close confirm`, roundCloseConfirmCard(lang, r)],
  [`${lang} no round`, noRoundCard(lang, 2026, 'x')],
  [`${lang} criteria`, criteriaCard(lang, r, false)],
  [
    `${lang} 12 long criteria with errors`,
    criteriaCard(lang, big, false, { errors: { rows: { ...rowErrors, [NEW_ROW]: { title: 'required' } }, set: 'tooMany' } }),
  ],
  [
    `${lang} 11 long criteria and the new row`,
    criteriaCard(lang, round({ criteria: { ...twelve, items: twelve.items.slice(1) } }), false, {
      errors: { rows: { [NEW_ROW]: { title: 'required', description: 'tooLong' } } },
    }),
  ],
  [`${lang} 12 long criteria frozen`, criteriaCard(lang, big, true, { notice: 'x' })],
]);

describe('accounthouder cards stay within Teams limits', () => {
  it.each(all)('%s: under 80 KB, version 1.5, every binding resolved', (_name, card) => {
    expect(cardBytes(card)).toBeLessThan(80 * 1024);
    expect(JSON.stringify(card)).not.toMatch(/\$\{|\$data|\$when|undefined/);
    expect(card.version).toBe('1.5');
  });

  it.each(all)('%s: every input labelled, at most 6 actions per set, only Action.Execute, text wraps', (_name, card) => {
    const { inputs } = readCard(card);
    for (const input of inputs) expect(input.label, String(input.id)).toMatch(/\S/);
    walk(card, (o) => {
      if (Array.isArray(o.actions)) expect(o.actions.length).toBeLessThanOrEqual(6);
      if (typeof o.type === 'string' && o.type.startsWith('Action.')) expect(o.type).toBe('Action.Execute');
      if (o.type === 'TextBlock') expect(o.wrap).toBe(true);
    });
    expect(new Set(inputs.map((i) => i.id)).size).toBe(inputs.length);
  });
});

describe('accounthouder card contents', () => {
  it('settings: all fields with a "(verplicht)" label and the stored values; the status and its steps', () => {
    const card = readCard(roundSettingsCard('nl', v(), { nextYear: 2027 }));
    expect(card.inputs.map((i) => i.id)).toEqual([...SETTINGS_FIELDS, ...RETENTION_INPUT_NAMES]);
    for (const i of card.inputs) expect(i.label).toMatch(/\(verplicht\)$/);
    // The retention terms: the defaults when the round set none, as numbers, required like the rest.
    expect(RETENTION_INPUT_NAMES.map((n) => card.input(n)?.value)).toEqual([12, 12, 7]);
    expect(card.input('retentionAwardedYears')).toMatchObject({ type: 'Input.Number', isRequired: true });
    expect(card.input('retentionAwardedYears')?.label).toContain('in jaren na de eindejaarsrapportage');
    const own = readCard(roundSettingsCard('nl', v(round({ retention: { notAwardedMonths: 6, draftMonths: 3, awardedYears: 10 } }))));
    expect(RETENTION_INPUT_NAMES.map((n) => own.input(n)?.value)).toEqual([6, 3, 10]);
    expect(card.input('budget')?.value).toBe(50000);
    expect(card.input('wijken')?.value).toContain('Holtenbroek\n');
    expect(card.text).toContain('LB-2026');
    expect(card.text).toContain('2026 (het jaar ligt vast)');
    expect(card.text).toContain('Status: Open');
    expect(card.actions.map((a) => a.title)).toEqual(['Opslaan', 'Pauzeren', 'Sluiten', 'Uitgangspunten', 'Nieuwe ronde 2027', 'Nieuwe ronde starten']);
    expect(readCard(roundSettingsCard('nl', v(round({ status: 'paused' })))).actions.map((a) => a.title)).toEqual([
      'Opslaan',
      'Openen',
      'Sluiten',
      'Uitgangspunten',
      'Nieuwe ronde starten',
    ]);
    expect(readCard(roundSettingsCard('nl', v(round({ status: 'draft' })))).actions.map((a) => a.title)).toEqual([
      'Opslaan',
      'Openen',
      'Uitgangspunten',
      'Nieuwe ronde starten',
    ]);
    expect(readCard(roundSettingsCard('nl', v(round({ status: 'closed' })))).actions.map((a) => a.title)).toEqual([
      'Opslaan',
      'Uitgangspunten',
      'Nieuwe ronde starten',
    ]);
  });

  it('settings: an error is shown under its field and the typed value is kept', () => {
    const card = readCard(roundSettingsCard('nl', v(), { raw: { maxPerApplication: '99999' }, errors: { maxPerApplication: 'aboveBudget' } }));
    expect(card.input('maxPerApplication')?.value).toBe(99999);
    expect(card.text).toContain('Dit is meer dan het budget van de ronde.');
    expect(card.text).toContain('Er klopt nog iets niet');
  });

  it('criteria: one block per criterion, the version, a new row; frozen: read-only with the reason', () => {
    const card = readCard(criteriaCard('nl', r, false));
    expect(card.text).toContain('Versie 1');
    expect(card.text).toContain('Nieuw uitgangspunt');
    expect(card.input('integraal.title')?.value).toBe('Integraal, duurzaam en collectief');
    expect(card.input('integraal.title')?.label).toMatch(/\(verplicht\)$/);
    expect(card.input('integraal.minimum')?.label).toMatch(/\(niet verplicht\)$/);
    expect(card.input('licht-dichtbij.weight')?.value).toBe('1.5');
    expect(card.input('regie.remove')).toMatchObject({ type: 'Input.Toggle', value: 'false' });
    expect(card.input('_new.title')?.value).toBe('');
    expect(card.actions.map((a) => a.title)).toEqual(['Opslaan', 'Ronde instellen']);

    const frozen = readCard(criteriaCard('nl', r, true));
    expect(frozen.inputs).toEqual([]);
    expect(frozen.text).toContain('Er is al een aanvraag ingediend; iedereen wordt met dezelfde uitgangspunten beoordeeld.');
    expect(frozen.text).toContain('Weging 1,5 · score 1 tot 5');
    expect(frozen.text).toContain('Weging 2 · score 1 tot 5 · minimaal 3');
    expect(frozen.actions.map((a) => a.title)).toEqual(['Ronde instellen']);
  });

  it('every verb on an accounthouder card is an admin verb, and every admin verb is on a card', () => {
    const verbs = new Set<string>();
    for (const f of ADMIN_TEMPLATES) walk(JSON.parse(readFileSync(`cards/${f}`, 'utf8')), (o) => o.type === 'Action.Execute' && verbs.add(String(o.verb)));
    expect([...verbs].sort()).toEqual(Object.values(VERBS.round).sort());
  });
});
