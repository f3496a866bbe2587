import { SECTION_IDS, type PersonalData, type SectionId } from '../domain/personal-data';
import { fill, formatDateTime, type Lang } from '../i18n';
import { privacyMessages } from '../i18n/privacy-requests';

/** The files of a person's inzage download. */
export const PERSONAL_FILES = {
  'mijn-gegevens.md': { contentType: 'text/markdown; charset=utf-8' },
  'mijn-gegevens.json': { contentType: 'application/json; charset=utf-8' },
} as const;
export type PersonalFile = keyof typeof PERSONAL_FILES;
export const isPersonalFile = (f: string): f is PersonalFile => f in PERSONAL_FILES;

/** The person's data as JSON: every section by its id (the ids of the privacy page), nothing left out. */
export function personalDataJson(data: PersonalData): string {
  return `${JSON.stringify(data, null, 2)}\n`;
}

/** Markdown special characters in typed text are escaped: what someone typed reads as typed, never as markup. */
const md = (s: string) => s.replace(/([\\`*_[\]#<>|])/g, '\\$1').replace(/\n/g, '  \n  ');

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/**
 * One value as Markdown lines, nested objects and lists indented. Keys are shown as they are in
 * the JSON (so both files can be read side by side), times in Amsterdam time.
 */
function lines(lang: Lang, value: unknown, depth: number): string[] {
  const t = privacyMessages(lang).file;
  const pad = '  '.repeat(depth);
  const scalar = (v: unknown): string =>
    typeof v === 'boolean' ? (v ? t.yes : t.no) : typeof v === 'string' && ISO.test(v) ? formatDateTime(lang, v) : md(String(v));
  if (Array.isArray(value)) {
    if (!value.length) return [`${pad}- ${t.none}`];
    return value.flatMap((v) => (v !== null && typeof v === 'object' ? [`${pad}-`, ...lines(lang, v, depth + 1)] : [`${pad}- ${scalar(v)}`]));
  }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
      v !== null && typeof v === 'object' ? [`${pad}- **${md(k)}**`, ...lines(lang, v, depth + 1)] : [`${pad}- **${md(k)}**: ${scalar(v)}`],
    );
  }
  return [`${pad}- ${scalar(value)}`];
}

const actorWord = (lang: Lang, actor: 'self' | 'system' | 'other') => privacyMessages(lang).file[actor];

/** The readable file: one heading per kind of data (as the privacy page lists them), everything in it. */
export function personalDataMarkdown(lang: Lang, data: PersonalData): string {
  const t = privacyMessages(lang).file;
  const out = [`# ${t.title}`, '', fill(t.generated, { date: formatDateTime(lang, data.generatedAt) }), ''];
  for (const id of SECTION_IDS) {
    out.push(`## ${t.sections[id]}`, '');
    const value = id === 'audit' ? data.sections.audit.map((a) => ({ ...a, actor: actorWord(lang, a.actor) })) : data.sections[id];
    out.push(...(isEmpty(id, data) ? [t.none] : lines(lang, value, 0)), '');
  }
  return out.join('\n');
}

function isEmpty(id: SectionId, data: PersonalData): boolean {
  const v = data.sections[id];
  if (Array.isArray(v)) return v.length === 0;
  if (id === 'review') return Object.values(data.sections.review).every((x) => x.length === 0);
  return false;
}
