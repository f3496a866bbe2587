import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import type * as RenderModule from '../../src/cards/render';
import { isCompiled, renderWithLibrary } from '../../src/cards/render';
import { reviewCard } from '../../src/cards/review-cards';
import { newDraft } from '../../src/domain/application';
import { computeResult, reviewProgress } from '../../src/domain/scoring';
import type { Lang } from '../../src/i18n';
import { NOW, round } from '../fixtures';
import { allFixtures } from './card-fixtures';

/**
 * render() expands the templates in /cards with a compiled form of each template instead of
 * adaptivecards-templating's own expansion, and falls back to the library for anything the
 * compiler does not cover. The promise: for the same template and data, the same card JSON as the
 * library, byte for byte (key order included). Checked here over every card builder's fixtures in
 * both languages (each render is done both ways), over review cards in many states, and over a
 * template made of the library's corner cases.
 */

interface Rendered {
  compiled: string;
  library: string;
  fellBack: boolean;
}
const recorded = vi.hoisted(() => ({ renders: [] as Rendered[], renderTraced: undefined as undefined | typeof RenderModule.renderTraced }));
const renders = recorded.renders;

// Every render the card builders do is done both ways and recorded; the builders get the compiled card.
vi.mock('../../src/cards/render', async (importOriginal) => {
  const actual = await importOriginal<typeof RenderModule>();
  recorded.renderTraced = actual.renderTraced;
  return {
    ...actual,
    render: (template: object, data: object) => {
      const library = JSON.stringify(actual.renderWithLibrary(template, data));
      const { card, path } = actual.renderTraced(template, data);
      renders.push({ compiled: JSON.stringify(card), library, fellBack: path === 'library' });
      return card;
    },
  };
});

const templates = readdirSync('cards')
  .filter((f) => f.endsWith('.json'))
  .map((f) => [f, JSON.parse(readFileSync(`cards/${f}`, 'utf8')) as object] as const);

/** Renders `data` both ways; says whether the compiled path fell back to the library. */
function both(template: object, data: object) {
  const library = JSON.stringify(renderWithLibrary(template, data));
  const { card, path } = recorded.renderTraced!(template, data);
  return { library, compiled: JSON.stringify(card), fellBack: path === 'library' };
}

describe('compiled templates render exactly what adaptivecards-templating renders', () => {
  it('every template in /cards is covered by the compiler', () => {
    for (const [file, template] of templates) expect(isCompiled(template), file).toBe(true);
  });

  it('every card builder, every fixture, both languages: the same JSON, and never through the fallback', async () => {
    for (const lang of ['nl', 'en'] as const) {
      const all = await allFixtures(lang);
      for (const [mod, builders] of Object.entries(all)) {
        for (const [builder, list] of Object.entries(builders)) {
          for (const [name, build] of list) {
            renders.length = 0;
            build();
            expect(renders.length, `${lang} ${mod}.${builder}: ${name}`).toBeGreaterThan(0);
            for (const r of renders) {
              expect(r.compiled, `${lang} ${mod}.${builder}: ${name}`).toBe(r.library);
              expect(r.fellBack, `${lang} ${mod}.${builder}: ${name} fell back to the library`).toBe(false);
            }
          }
        }
      }
    }
  });

  it('review cards in many states, one after the other (no card carries over another viewer, language or state)', () => {
    const long = (n: number) => 'Een lange uitleg over wat we verwachten. '.repeat(Math.ceil(n / 41)).slice(0, n);
    const criteria = Array.from({ length: 6 }, (_, i) => ({
      id: `c${i}`,
      title: `Criterium ${i}`,
      description: long(90),
      weight: 1 + (i % 3),
      scaleMin: i % 2,
      scaleMax: 4 + (i % 3),
      ...(i === 2 ? { minimum: 3 } : {}),
    }));
    const r = { ...round(), criteria: { version: 2, items: criteria } };
    const panel = Array.from({ length: 7 }, (_, i) => ({
      userId: `u${i}`,
      mri: `29:u${i}`,
      name: `Lid ${i}`,
      role: (['gemeente', 'partner', 'ervaringsdeskundige'] as const)[i % 3]!,
      ...(i % 3 === 1 ? { organisation: i === 4 ? 'Stichting Aanvrager' : `Org ${i}` } : {}),
      addedBy: 'x',
      addedAt: '',
    }));
    const app = {
      ...newDraft({ id: 'f'.repeat(20), roundId: r.id, applicantId: 'x', now: NOW }),
      status: 'in_review' as const,
      reference: 'LB-2026-001',
      fields: {
        title: 'Plan',
        organisation: 'Stichting Aanvrager',
        wijk: 'Diezerpoort',
        amount: 12_345,
        ambitions: ['contact' as const],
        question: long(400),
        approach: long(100),
        livedExperience: '',
        expectedResults: long(281),
        coApplicants: [],
      },
    };
    const seen = new Set<string>();
    let n = 0;
    for (const lang of ['nl', 'en'] as Lang[]) {
      for (const scored of [0, 2, 3, 6]) {
        const sheets = panel.slice(0, scored).map((m, k) => ({
          memberId: m.userId,
          criteriaVersion: 2,
          scores: Object.fromEntries(
            criteria.map((c, j) => [c.id, (j + k) % 4 === 0 ? ('na' as const) : c.scaleMin + ((j * 3 + k) % (c.scaleMax - c.scaleMin + 1))]),
          ),
          comments: Object.fromEntries(criteria.map((c, j) => [c.id, j % 2 ? long(30 + k) : ''])),
          overall: k % 2 ? long(150) : '',
          at: '',
        }));
        const recusals = scored === 3 ? [{ memberId: 'u5', reason: 'declared' as const, note: 'x', at: '' }] : [];
        const progress = reviewProgress(panel, app.fields, recusals, sheets);
        for (const open of [true, false]) {
          const review = { applicationId: app.id, state: open ? ('posted' as const) : ('closed' as const), claimedAt: '' };
          const ctx = {
            round: { value: r, etag: '' },
            app: { value: app, etag: '' },
            panel,
            bundle: { review: { value: review, etag: '' }, sheets: sheets.map((s) => ({ value: s, etag: '' })), recusals, questions: [] },
            progress,
            sheets,
            result: computeResult(criteria, sheets, 3),
            open,
          };
          const viewers = [
            { kind: 'other' as const },
            { kind: 'member' as const, member: panel[6]! },
            ...sheets.slice(0, 2).map((s, i) => ({ kind: 'member' as const, member: panel[i]!, sheet: { value: s, etag: '' } })),
            ...progress.recused.map((p) => ({ kind: 'recused' as const, member: p.member, recusal: p.recusal })),
          ];
          for (const viewer of viewers) {
            for (const view of [
              {},
              { notice: 'Opgeslagen' },
              { raw: { score_c1: '9', comment_c1: 'getypt', overall: 'o' }, errors: { score_c1: 'outOfScale' as const } },
            ]) {
              renders.length = 0;
              const card = JSON.stringify(reviewCard(lang, ctx, viewer, view));
              expect(renders).toHaveLength(1);
              expect(renders[0]!.compiled).toBe(renders[0]!.library);
              expect(renders[0]!.fellBack).toBe(false);
              expect(card).toBe(renders[0]!.library);
              seen.add(card);
              n++;
            }
          }
        }
      }
    }
    // The states really differ: a cache serving one card for another would have shown up above.
    expect(seen.size).toBeGreaterThan(n / 2);
  });

  it("the library's corner cases: case-insensitive keys, $index, $root, repeats of one and none, dropped properties, comparisons", () => {
    const template = {
      type: 'AdaptiveCard',
      version: '1.5',
      $schema: 'kept as is',
      title: '${Title}',
      exact: '${title}',
      mixed: 'n=${count} (${flag}) ${name}!',
      numberValue: '${count}',
      boolValue: '${flag}',
      list: '${list}',
      object: '${nested}',
      deep: '${nested.inner.Value}',
      plain: 'no expression',
      number: 3,
      nothing: null,
      dropped: { $when: '${!flag}', text: 'x' },
      single: { $data: '${one}', text: '${label}' },
      several: { $data: '${items}', text: '${label}' },
      noneAtAll: { $data: '${none}', text: 'x' },
      kept: { $when: '${flag && count > 2}', text: '${$root.title}' },
      body: [
        { type: 'TextBlock', $data: '${items}', text: '${$index}: ${label} of ${$root.count}', $when: "${label != 'skip'}" },
        { type: 'TextBlock', $data: '${one}', text: '${label}' },
        { type: 'TextBlock', $data: '${none}', text: '${label}' },
        {
          type: 'Container',
          $data: '${groups}',
          items: [
            { type: 'TextBlock', $data: '${rows}', text: '${$data.label}/${$index}' },
            { type: 'TextBlock', $data: '${meta}', text: '${name} in group ${$index}' },
          ],
        },
        { type: 'TextBlock', $when: '${count(name) == 5}', text: 'five letters' },
        { type: 'TextBlock', $when: '${count(items) > 1}', text: 'several' },
        { type: 'TextBlock', $when: '${ratio == 0.3}', text: 'float equality' },
        { type: 'TextBlock', $when: '${name}', text: 'a string is not true' },
        { type: 'TextBlock', $when: '${!name}', text: 'but not false either' },
        { type: 'TextBlock', $when: '${name && flag}', text: 'and counts it as true' },
        { type: 'TextBlock', $when: '${count(items) > 3}', text: 'more than three' },
        { type: 'TextBlock', $when: "${name == 'Alice'}", text: 'equal' },
        { type: 'TextBlock', $when: '${count == 3}', text: 'number equal' },
        { type: 'TextBlock', $when: "${count != '3'}", text: 'number is not text' },
        [{ type: 'nested array' }],
      ],
    };
    const data = {
      title: 'first (lower case)',
      Title: 'second (upper case)',
      count: 3,
      flag: true,
      name: 'Alice',
      ratio: 0.1 + 0.2,
      list: ['a', 'b'],
      nested: { inner: { value: 'deep' } },
      items: [{ label: 'a' }, { label: 'skip' }, { label: 'c' }],
      one: [{ label: 'only' }],
      none: [],
      groups: [
        { rows: [{ label: 'r1' }, { label: 'r2' }], meta: { name: 'g0' } },
        { rows: [{ label: 'r3' }], meta: { name: 'g1' } },
      ],
    };
    expect(isCompiled(template)).toBe(true);
    const r = both(template, data);
    expect(r.fellBack).toBe(false);
    expect(r.compiled).toBe(r.library);
    // Not vacuous: the corner cases are in the output.
    expect(JSON.parse(r.compiled)).toMatchObject({
      title: 'first (lower case)',
      exact: 'first (lower case)',
      deep: 'deep',
      dropped: null,
      kept: { text: 'first (lower case)' },
      single: { text: 'only' },
      noneAtAll: null,
    });
    expect(r.compiled).toContain('"g1 in group 1"');
  });

  it('what the compiler leaves to the library still comes out as the library makes it', () => {
    const template = {
      type: 'AdaptiveCard',
      version: '1.5',
      a: '${missing}',
      b: 'x ${alsoMissing} y',
      c: '${empty.inner}',
      body: [{ type: 'TextBlock', $data: '${items}', text: '${label}' }],
    };
    const cases: object[] = [
      { empty: null, items: [] }, // a missing value becomes "${missing}" in the library
      { missing: 'm', alsoMissing: 'a', empty: { inner: 'i' }, items: [{ label: 'one' }, undefined] }, // an undefined item keeps the previous one as $data
      { missing: 'm', alsoMissing: { o: 1 }, empty: { inner: 'i' }, items: [] }, // an object in text
      { missing: 'm', alsoMissing: 'a', empty: { inner: null }, items: [] }, // null
    ];
    for (const data of cases) {
      const r = both(template, data);
      expect(r.fellBack).toBe(true);
      expect(r.compiled).toBe(r.library);
    }
    // A template with an expression the compiler does not know is rendered by the library every time.
    const unknown = { type: 'AdaptiveCard', version: '1.5', text: '${formatNumber(amount, 2)}', when: { $when: '${amount >= 1}', text: 'x' } };
    expect(isCompiled(unknown)).toBe(false);
    const r = both(unknown, { amount: 1234.5 });
    expect(r.compiled).toBe(r.library);
  });

  it('data changed between two renders of one template shows in the second (nothing is cached per data)', () => {
    const template = templates.find(([f]) => f === 'notice.json')![1];
    const data: Record<string, unknown> = { title: 'Eerste', text: 'Een', t: {} };
    const first = both(template, data);
    data.title = 'Tweede';
    data.TITLE = 'ignored: the first key matching ignoring case wins';
    const second = both(template, data);
    expect(second.compiled).toBe(second.library);
    expect(second.compiled).not.toBe(first.compiled);
    expect(second.compiled).toContain('Tweede');
  });
});
