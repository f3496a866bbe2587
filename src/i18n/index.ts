import { en } from './en';
import { Messages, nl } from './nl';

export type Lang = 'nl' | 'en';
export type { Messages };

/**
 * The user's language from the Teams locale: Dutch for nl-*, English for any other locale the
 * client names (English is the better guess for a non-Dutch speaker), Dutch when none is sent.
 */
export function langFor(locale: string | undefined): Lang {
  if (!locale) return 'nl';
  return locale.toLowerCase().startsWith('nl') ? 'nl' : 'en';
}

export function messages(lang: Lang): Messages {
  return lang === 'en' ? en : nl;
}

/** Fills {name} placeholders. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
}

const LOCALE: Record<Lang, string> = { nl: 'nl-NL', en: 'en-GB' };

/** A text that depends on a count: `{n}` is the count; other placeholders are left for `fill`. */
export interface Plural {
  one: string;
  other: string;
}
const PLURAL_RULES: Record<Lang, Intl.PluralRules> = { nl: new Intl.PluralRules(LOCALE.nl), en: new Intl.PluralRules(LOCALE.en) };

/** The form of `forms` the language uses for `n` (Intl.PluralRules), with `{n}` filled in. */
export function plural(lang: Lang, n: number, forms: Plural): string {
  return fill(PLURAL_RULES[lang].select(n) === 'one' ? forms.one : forms.other, { n });
}
const ZONE = 'Europe/Amsterdam';

/** Intl formatters are costly to build and safe to share: one per language and kind. */
const FORMATTERS = Object.fromEntries(
  (Object.keys(LOCALE) as Lang[]).map((lang) => [
    lang,
    {
      euro: new Intl.NumberFormat(LOCALE[lang], { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 }),
      decimal: new Intl.NumberFormat(LOCALE[lang], { maximumFractionDigits: 1 }),
      date: new Intl.DateTimeFormat(LOCALE[lang], { dateStyle: 'long', timeZone: ZONE }),
      dateTime: new Intl.DateTimeFormat(LOCALE[lang], { dateStyle: 'long', timeStyle: 'short', timeZone: ZONE }),
      day: new Intl.DateTimeFormat(LOCALE[lang], { dateStyle: 'long', timeZone: 'UTC' }),
    },
  ]),
) as Record<Lang, { euro: Intl.NumberFormat; decimal: Intl.NumberFormat; date: Intl.DateTimeFormat; dateTime: Intl.DateTimeFormat; day: Intl.DateTimeFormat }>;

export function formatEuro(lang: Lang, amount: number): string {
  return FORMATTERS[lang].euro.format(amount);
}

/** A mean or score with at most one decimal ("3,5" in Dutch, "3.5" in English). */
export function formatDecimal(lang: Lang, n: number): string {
  return FORMATTERS[lang].decimal.format(n);
}

export function formatDate(lang: Lang, iso: string): string {
  return FORMATTERS[lang].date.format(new Date(iso));
}

export function formatDateTime(lang: Lang, iso: string): string {
  return FORMATTERS[lang].dateTime.format(new Date(iso));
}

/** A calendar date (YYYY-MM-DD) as words, without shifting it through a time zone. */
export function formatDay(lang: Lang, day: string): string {
  return FORMATTERS[lang].day.format(new Date(`${day}T00:00:00Z`));
}
