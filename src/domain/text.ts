/**
 * What every free text a person types must be before it is stored: line ends read as `\n`; no
 * control character but newline and tab (nor a lone surrogate half, nor a bidi embedding, override
 * or isolate), since they cannot be shown and would grow sixfold in JSON; and text that is only
 * whitespace and invisible format characters (zero-width space and joiners, word joiner, BOM, all
 * of `\p{Cf}`) counts as empty. Emoji, quotes, accents and zero-width joiners inside real text stay.
 */
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]|\p{Cs}/u;
const INVISIBLE = /[\s\p{Cf}]/gu;

export type TextError = 'tooLong' | 'controlCharacters';

/** CRLF and a lone CR (older devices, pasted text) as newline. */
export const withNewlines = (raw: string): string => raw.replace(/\r\n?/g, '\n');

export const hasControlCharacters = (text: string): boolean => CONTROL.test(text);

/** Nothing visible: only whitespace and format characters (U+200B–U+200D, U+2060, U+FEFF, …). */
export const isBlank = (text: string): boolean => text.replace(INVISIBLE, '') === '';

/**
 * One free text as typed: `''` when blank, else trimmed and at most `max` characters (UTF-16 code
 * units, what the store counts), without control characters.
 */
export function readText(raw: string | undefined, max: number): { value: string; error?: undefined } | { error: TextError } {
  const text = withNewlines(raw ?? '');
  if (isBlank(text)) return { value: '' };
  if (hasControlCharacters(text)) return { error: 'controlCharacters' };
  const value = text.trim();
  return value.length > max ? { error: 'tooLong' } : { value };
}

/** Whether a typed text may be stored: at most `max` characters, no control characters, and (when `required`) not blank. */
export function acceptableText(raw: string | undefined, max: number, required = true): boolean {
  const text = readText(raw, max);
  return !text.error && (!required || text.value !== '');
}
