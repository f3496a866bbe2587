import { inflateRawSync } from 'node:zlib';
import { ApplicationForm, documentWordsOf, fileQuestionsOf, formOf } from './form';
import { err, ok, Result } from './result';

/**
 * Attachments to an application (issue 15, item 3): which files a partner may send, how large,
 * and which documents the form asks for. One place, so that a round's form definition can later
 * supply its own rules (`AttachmentRules`) instead of `DEFAULT_ATTACHMENT_RULES`.
 */
import { ATTACHMENT_KINDS, AttachmentKind } from './attachment-kinds';

export { ATTACHMENT_KINDS, type AttachmentKind } from './attachment-kinds';

export const CONTENT_TYPES: { readonly [K in AttachmentKind]: string } = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  png: 'image/png',
  jpeg: 'image/jpeg',
};

/** The file name extensions of each kind; a stored name always ends in one of its kind's. */
const EXTENSIONS: { readonly [K in AttachmentKind]: readonly string[] } = {
  pdf: ['pdf'],
  docx: ['docx'],
  xlsx: ['xlsx'],
  odt: ['odt'],
  ods: ['ods'],
  png: ['png'],
  jpeg: ['jpg', 'jpeg'],
};

/** A document the form asks for (a begroting, a plan); a file counts as one when its name says so. */
export interface DocumentSlot {
  id: string;
  required: boolean;
  /** Lower-case words in a file name that make the file this document. */
  matches: readonly string[];
  /** The kinds a file may be to count as this document (absent: any the round takes). */
  kinds?: readonly AttachmentKind[];
}

export interface AttachmentRules {
  kinds: readonly AttachmentKind[];
  maxFileBytes: number;
  maxTotalBytes: number;
  maxFiles: number;
  documents: readonly DocumentSlot[];
}

export const MIB = 1024 * 1024;

export const DEFAULT_ATTACHMENT_RULES: AttachmentRules = {
  kinds: ATTACHMENT_KINDS,
  maxFileBytes: 10 * MIB,
  maxTotalBytes: 25 * MIB,
  maxFiles: 10,
  documents: [
    { id: 'begroting', required: false, matches: ['begroting', 'budget', 'kosten'] },
    { id: 'plan', required: false, matches: ['plan', 'aanpak', 'projectplan'] },
  ],
};

/** The id of one attachment (its blob's name ends in it): 16 hex characters, drawn fresh per upload. */
export const ATTACHMENT_ID = /^[a-f0-9]{16}$/;
/** A stored file name is at most this long (Teams allows longer; the card and the header stay small). */
export const FILE_NAME_LIMIT = 120;

export interface AttachmentRecord {
  id: string;
  roundId: string;
  applicationId: string;
  /** SHA-256 of the content, hex: the same file twice on one application is stored once. */
  sha256: string;
  /** Where the bytes are: `<round>/<application>/<id>`. */
  blobName: string;
  /** The file's name as the partner sent it, made safe (no path, no control characters, the kind's extension). */
  name: string;
  kind: AttachmentKind;
  /** The form's document this file is (by its name), or undefined: an extra attachment. */
  document?: string;
  size: number;
  addedBy: string;
  addedAt: string;
  /** The activity and Teams file that delivered it: a re-delivered activity is recognised. */
  sourceId: string;
}

export const blobNameOf = (roundId: string, applicationId: string, id: string) => `${roundId}/${applicationId}/${id}`;

// ---------------------------------------------------------------- what a file is, by its content

const startsWith = (bytes: Uint8Array, sig: readonly number[], at = 0) => bytes.length >= at + sig.length && sig.every((b, i) => bytes[at + i] === b);

const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const ZIP = [0x50, 0x4b, 0x03, 0x04];

/**
 * The kind of a file by its content (magic bytes), never by its name: PDF, PNG, JPEG, and the
 * zip-based office formats told apart by what is inside the zip — OpenDocument by its `mimetype`
 * entry, Office Open XML by the main part's content type in `[Content_Types].xml` (so a zip, a
 * macro-enabled .docm or any other zip is none of them). Undefined: not an allowed kind.
 */
export function sniffKind(bytes: Uint8Array): AttachmentKind | undefined {
  if (startsWith(bytes, PDF)) return 'pdf';
  if (startsWith(bytes, PNG)) return 'png';
  if (startsWith(bytes, JPEG)) return 'jpeg';
  if (!startsWith(bytes, ZIP)) return undefined;
  const zip = zipEntries(bytes);
  if (!zip) return undefined;
  const mimetype = zip.read('mimetype');
  if (mimetype !== undefined) {
    const m = mimetype.trim();
    if (m === CONTENT_TYPES.odt) return 'odt';
    if (m === CONTENT_TYPES.ods) return 'ods';
    return undefined;
  }
  const types = zip.read('[Content_Types].xml');
  if (types === undefined) return undefined;
  const overrides = [...types.matchAll(/<Override\b[^>]*>/g)].map((m) => ({
    part: /PartName="([^"]*)"/.exec(m[0])?.[1] ?? '',
    type: /ContentType="([^"]*)"/.exec(m[0])?.[1] ?? '',
  }));
  const has = (type: string) => overrides.some((o) => o.type === type);
  if (has('application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml')) return 'docx';
  if (has('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml')) return 'xlsx';
  return undefined;
}

/** The most a zip entry we look into may inflate to: `[Content_Types].xml` and `mimetype` are small. */
const ENTRY_LIMIT = 1024 * 1024;

/** A minimal reader of a zip's central directory: the named entry's text (stored or deflated), or undefined. */
function zipEntries(bytes: Uint8Array): { read(name: string): string | undefined } | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-central-directory record is in the last 64 KiB + 22 bytes.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return undefined;
  const count = view.getUint16(eocd + 10, true);
  let p = view.getUint32(eocd + 16, true);
  const entries = new Map<string, { method: number; size: number; local: number }>();
  for (let n = 0; n < count; n++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== 0x02014b50) return undefined;
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    if (p + 46 + nameLen > bytes.length) return undefined;
    const name = new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLen));
    entries.set(name, { method: view.getUint16(p + 10, true), size: view.getUint32(p + 20, true), local: view.getUint32(p + 42, true) });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return {
    read(name) {
      const e = entries.get(name);
      if (!e || e.local + 30 > bytes.length || view.getUint32(e.local, true) !== 0x04034b50) return undefined;
      const start = e.local + 30 + view.getUint16(e.local + 26, true) + view.getUint16(e.local + 28, true);
      const data = bytes.subarray(start, Math.min(bytes.length, start + e.size));
      try {
        if (e.method === 0) return new TextDecoder().decode(data.subarray(0, ENTRY_LIMIT));
        if (e.method === 8) return new TextDecoder().decode(inflateRawSync(data, { maxOutputLength: ENTRY_LIMIT }));
      } catch {
        return undefined;
      }
      return undefined;
    },
  };
}

// ---------------------------------------------------------------- limits and names

export type AttachmentRefusal =
  | { code: 'EMPTY' }
  | { code: 'WRONG_TYPE' }
  | { code: 'TOO_LARGE'; max: number }
  | { code: 'TOTAL_EXCEEDED'; max: number; used: number }
  | { code: 'TOO_MANY'; max: number };

/** Whether a file of `size` bytes may be added next to `existing`: each file, the total and the count have a maximum. */
export function checkLimits(rules: AttachmentRules, existing: readonly Pick<AttachmentRecord, 'size'>[], size: number): Result<void, AttachmentRefusal> {
  if (size <= 0) return err({ code: 'EMPTY' });
  if (size > rules.maxFileBytes) return err({ code: 'TOO_LARGE', max: rules.maxFileBytes });
  if (existing.length >= rules.maxFiles) return err({ code: 'TOO_MANY', max: rules.maxFiles });
  const used = existing.reduce((n, a) => n + a.size, 0);
  if (used + size > rules.maxTotalBytes) return err({ code: 'TOTAL_EXCEEDED', max: rules.maxTotalBytes, used });
  return ok(undefined);
}

/** The kind of a file as received: empty, or an allowed kind by content, or refused. */
export function classify(rules: AttachmentRules, bytes: Uint8Array): Result<AttachmentKind, { code: 'EMPTY' } | { code: 'WRONG_TYPE' }> {
  if (bytes.length === 0) return err({ code: 'EMPTY' });
  const kind = sniffKind(bytes);
  return kind && rules.kinds.includes(kind) ? ok(kind) : err({ code: 'WRONG_TYPE' });
}

/**
 * A file name safe to show and to send in a Content-Disposition: the last path segment, without
 * control or format characters, at most `FILE_NAME_LIMIT` characters, ending in an extension of
 * the kind the content is (a PDF renamed to .docx is stored as "….docx.pdf").
 */
export function safeFileName(raw: string, kind: AttachmentKind): string {
  const last = raw.split(/[\\/]/).pop() ?? '';
  const cleaned = last
    .replace(/[\p{Cc}\p{Cf}"<>|*?:]/gu, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '');
  const dot = cleaned.lastIndexOf('.');
  const ext = dot > 0 ? cleaned.slice(dot + 1).toLowerCase() : '';
  const base = (EXTENSIONS[kind].includes(ext) ? cleaned.slice(0, dot) : cleaned) || 'bijlage';
  const suffix = `.${EXTENSIONS[kind].includes(ext) ? ext : EXTENSIONS[kind][0]}`;
  return (
    Array.from(base)
      .slice(0, FILE_NAME_LIMIT - suffix.length)
      .join('') + suffix
  );
}

/** Which of the form's documents a file is, by words in its name (the first that matches and takes its kind). */
export function documentOf(rules: AttachmentRules, name: string, kind?: AttachmentKind): string | undefined {
  const lower = name.toLowerCase();
  return rules.documents.find((d) => (!kind || !d.kinds || d.kinds.includes(kind)) && d.matches.some((m) => lower.includes(m)))?.id;
}

/** The required documents no attachment is yet. */
export function missingDocuments(rules: AttachmentRules, attachments: readonly Pick<AttachmentRecord, 'document'>[]): string[] {
  return rules.documents.filter((d) => d.required && !attachments.some((a) => a.document === d.id)).map((d) => d.id);
}

/**
 * The attachment rules of a round: its form's file questions are the documents (each required or
 * not, recognised by the words of its label in a file's name, of the kinds it names); a form
 * without file questions (the default form) keeps the default documents (begroting, plan: optional).
 */
export function attachmentRulesOf(round: { id: string; form?: ApplicationForm }): AttachmentRules {
  const files = fileQuestionsOf(formOf(round));
  if (files.length === 0) return DEFAULT_ATTACHMENT_RULES;
  return {
    ...DEFAULT_ATTACHMENT_RULES,
    documents: files.map((q) => ({ id: q.id, required: q.required, matches: documentWordsOf(q), ...(q.kinds ? { kinds: q.kinds } : {}) })),
  };
}
