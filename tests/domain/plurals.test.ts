import { describe, expect, it } from 'vitest';
import { decisionSummaryCard } from '../../src/cards/allocation-cards';
import { panelCard } from '../../src/cards/review-cards';
import type { PanelMember } from '../../src/domain/panel';
import { fill, Lang, messages, plural, Plural } from '../../src/i18n';
import { adminMessages } from '../../src/i18n/admin';
import { reminderMessages } from '../../src/i18n/reminders';
import { reportMessages } from '../../src/i18n/reports';
import { privacyMessages } from '../../src/i18n/privacy';

const LANGS: Lang[] = ['nl', 'en'];
const trees = (lang: Lang) => ({
  messages: messages(lang),
  admin: adminMessages(lang),
  reminders: reminderMessages(lang),
  reports: reportMessages(lang),
  privacy: privacyMessages(lang),
});

const isPlural = (v: unknown): v is Plural =>
  typeof v === 'object' && v !== null && Object.keys(v).sort().join() === 'one,other' && Object.values(v).every((x) => typeof x === 'string');

/** Every text of a message tree with its path; plural forms as one entry. */
function walk(v: unknown, path: string, out: { path: string; text?: string; forms?: Plural }[] = []) {
  if (typeof v === 'string') out.push({ path, text: v });
  else if (isPlural(v)) out.push({ path, forms: v });
  else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`, out);
  return out;
}
const entries = (lang: Lang) => walk(trees(lang), lang);

/**
 * Placeholders that hold a count (the convention: `{n}` in plural forms, `{count}`, `{xCount}`
 * and the few named ones below). A fixed text may put such a count only before a word that does
 * not change with it; a counted noun ("{count} aanvragen") must be a plural form instead.
 */
const COUNT = /\{(n|m|count|\w+Count|days|invited|responded|scored|quorum|agree|disagree)\}\s*(\p{L}+)/gu;
const INVARIANT_AFTER_COUNT = new Set([
  'van', // "Stap {n} van {total}", "{scored} van de {quorum}"
  'of',
  'tot',
  'to',
  'more', // "and {count} more"
  'andere',
  'zonder',
  'without',
  'boven',
  'above',
  'eens', // "{agree} eens" — a verdict, not a noun
  'oneens',
  'agree',
  'disagree',
  'toegekend', // participles do not change with the count
  'awarded',
  'beoordeeld',
  'reviewed',
  'niet',
  'not',
]);
/** Plural forms that legitimately read the same for 1 and 2: no word after the number changes with it. */
const SAME_FOR_ONE_AND_TWO: Record<Lang, string[]> = {
  nl: ['messages.consult.roleCounts.gemeente', 'messages.consult.roleCounts.onbekend', 'messages.panel.roleCounts.gemeente', 'messages.review.naPart'], // "2 keer"
  en: ['messages.consult.roleCounts.gemeente', 'messages.consult.roleCounts.onbekend', 'messages.panel.roleCounts.gemeente'],
};

describe('plurals through Intl.PluralRules', () => {
  it('plural() picks the language’s form: one for 1, other for 0, 2 and 21 (in Dutch and English alike)', () => {
    const forms = { one: '{n} aanvraag', other: '{n} aanvragen' };
    for (const lang of LANGS) {
      expect([0, 1, 2, 21, 1.5].map((n) => plural(lang, n, forms))).toEqual(['0 aanvragen', '1 aanvraag', '2 aanvragen', '21 aanvragen', '1.5 aanvragen']);
    }
  });

  for (const lang of LANGS) {
    it(`${lang}: no fixed text puts a counted noun after a count`, () => {
      const offenders: string[] = [];
      for (const e of entries(lang)) {
        for (const text of e.text !== undefined ? [e.text] : [e.forms!.one, e.forms!.other]) {
          for (const m of text.matchAll(COUNT)) {
            if (m[1] === 'n' && e.forms) continue; // the plural form's own count
            if (!INVARIANT_AFTER_COUNT.has(m[2]!.toLowerCase())) offenders.push(`${e.path}: "${m[0]}"`);
          }
        }
      }
      expect(offenders).toEqual([]);
    });

    it(`${lang}: every plural text names its count in the other form, used for 0 and 2`, () => {
      const forms = entries(lang).filter((e) => e.forms);
      expect(forms.length).toBeGreaterThan(10);
      for (const { path, forms: f } of forms) {
        expect(f!.other, `${path}: the other form names its count`).toContain('{n}');
        for (const n of [0, 2]) expect(plural(lang, n, f!), path).toBe(fill(f!.other, { n }));
      }
    });
  }

  for (const lang of LANGS) {
    it(`${lang}: for 1 and 2 the two forms differ in words wherever the language needs it (a fixed plural fails here)`, () => {
      const same = entries(lang)
        .filter((e) => e.forms && plural(lang, 1, e.forms).replace(/\d+/g, '#') === plural(lang, 2, e.forms).replace(/\d+/g, '#'))
        .map((e) => e.path.slice(lang.length + 1));
      expect(same.sort()).toEqual(SAME_FOR_ONE_AND_TWO[lang]);
    });
  }

  it('Dutch and English have the same plural texts', () => {
    const paths = (lang: Lang) =>
      entries(lang)
        .flatMap((e) => (e.forms ? [e.path.slice(lang.length + 1)] : []))
        .sort();
    expect(paths('nl')).toEqual(paths('en'));
  });

  it('cards count right: "2 partners", "1 panellid", "1 aanvraag besloten" (the texts that were wrong)', () => {
    const member = (i: number, role: PanelMember['role']): PanelMember => ({
      userId: `u${i}`,
      mri: `29:u${i}`,
      name: `Lid ${i}`,
      role,
      addedBy: 'x',
      addedAt: '2026-01-01T00:00:00Z',
    });
    const textOf = (card: unknown) => JSON.stringify(card);
    const two = textOf(panelCard('nl', { roundName: 'R', members: [member(1, 'partner'), member(2, 'partner')], accounthouders: new Set(), candidates: [] }));
    expect(two).toContain('2 panelleden: 0 van de gemeente, 2 partners, 0 ervaringsdeskundigen');
    const one = textOf(panelCard('en', { roundName: 'R', members: [member(1, 'ervaringsdeskundige')], accounthouders: new Set(), candidates: [] }));
    expect(one).toContain('1 panel member: 0 from the municipality, 0 partners, 1 lived-experience expert');

    const decision = {
      id: 'd1',
      roundId: 'r',
      approvedBy: 'x',
      approvedAt: '2026-05-01T10:00:00Z',
      fingerprint: 'f',
      budget: 10000,
      spentBefore: 0,
      total: 1500,
      lines: [{ applicationId: 'a', reference: 'LB-2026-001', title: 'T', organisation: 'O', requested: 1500, proposed: 1500, awarded: 1500 }],
      marks: { agree: 0, disagree: 0 },
      announced: false,
    } as unknown as Parameters<typeof decisionSummaryCard>[1];
    expect(textOf(decisionSummaryCard('nl', decision))).toContain('1 aanvraag besloten: 1 toegekend, 0 niet toegekend');
    expect(textOf(decisionSummaryCard('en', decision))).toContain('1 application decided: 1 awarded, 0 not awarded');
  });
});
