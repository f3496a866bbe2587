import { describe, expect, it } from 'vitest';
import {
  checkLimits,
  classify,
  DEFAULT_ATTACHMENT_RULES as RULES,
  documentOf,
  MIB,
  missingDocuments,
  safeFileName,
  sniffKind,
} from '../../src/domain/attachments';
import { SAMPLES, types, zip } from '../support/files';

describe('attachments: the kind of a file by its content', () => {
  it('recognises each allowed kind', () => {
    for (const [kind, bytes] of Object.entries(SAMPLES)) expect(sniffKind(bytes), kind).toBe(kind);
  });

  it('tells the zip-based office formats apart by what is inside, not by name', () => {
    expect(sniffKind(zip({ '[Content_Types].xml': types('application/vnd.ms-word.document.macroEnabled.main+xml') }))).toBeUndefined();
    expect(sniffKind(zip({ 'readme.txt': 'just a zip', 'word/document.xml': '<w/>' }))).toBeUndefined();
    expect(sniffKind(zip({ mimetype: 'application/epub+zip' }))).toBeUndefined();
    // Stored (not deflated) [Content_Types].xml is read too.
    expect(sniffKind(zip({ '[Content_Types].xml': types('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml') }, false))).toBe('xlsx');
  });

  it('refuses a renamed .exe, an HTML page, a truncated zip and an empty file', () => {
    const exe = new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00]);
    const html = new Uint8Array(Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>'));
    expect(classify(RULES, exe)).toEqual({ ok: false, error: { code: 'WRONG_TYPE' } });
    expect(classify(RULES, html)).toEqual({ ok: false, error: { code: 'WRONG_TYPE' } });
    expect(classify(RULES, SAMPLES.docx.subarray(0, 40))).toEqual({ ok: false, error: { code: 'WRONG_TYPE' } });
    expect(classify(RULES, new Uint8Array())).toEqual({ ok: false, error: { code: 'EMPTY' } });
    expect(classify(RULES, SAMPLES.pdf)).toEqual({ ok: true, value: 'pdf' });
  });
});

describe('attachments: limits', () => {
  const file = (size: number) => ({ size });
  it('a file of exactly the maximum is accepted, one byte more is not', () => {
    expect(checkLimits(RULES, [], 10 * MIB).ok).toBe(true);
    expect(checkLimits(RULES, [], 10 * MIB + 1)).toEqual({ ok: false, error: { code: 'TOO_LARGE', max: 10 * MIB } });
    expect(checkLimits(RULES, [], 0)).toEqual({ ok: false, error: { code: 'EMPTY' } });
  });

  it('the total up to exactly the maximum is accepted, one byte more is not', () => {
    const existing = [file(10 * MIB), file(10 * MIB)];
    expect(checkLimits(RULES, existing, 5 * MIB).ok).toBe(true);
    expect(checkLimits(RULES, existing, 5 * MIB + 1)).toEqual({ ok: false, error: { code: 'TOTAL_EXCEEDED', max: 25 * MIB, used: 20 * MIB } });
  });

  it('the tenth file is accepted, the eleventh is not', () => {
    expect(
      checkLimits(
        RULES,
        Array.from({ length: 9 }, () => file(1)),
        1,
      ).ok,
    ).toBe(true);
    expect(
      checkLimits(
        RULES,
        Array.from({ length: 10 }, () => file(1)),
        1,
      ),
    ).toEqual({ ok: false, error: { code: 'TOO_MANY', max: 10 } });
  });
});

describe('attachments: names and documents', () => {
  it('keeps the last path segment, drops control characters, and ends in the extension of the content', () => {
    expect(safeFileName('C:\\Users\\x\\Begroting 2026.pdf', 'pdf')).toBe('Begroting 2026.pdf');
    expect(safeFileName('../../etc/plan\u0000\u202e.docx', 'pdf')).toBe('plan.docx.pdf');
    expect(safeFileName('foto.JPG', 'jpeg')).toBe('foto.jpg');
    expect(safeFileName('', 'png')).toBe('bijlage.png');
    expect(safeFileName('a'.repeat(500) + '.pdf', 'pdf')).toHaveLength(120);
  });

  it('names the form’s document by words in the file name; required ones are reported missing', () => {
    expect(documentOf(RULES, 'Begroting-v2.xlsx')).toBe('begroting');
    expect(documentOf(RULES, 'Projectplan.docx')).toBe('plan');
    expect(documentOf(RULES, 'foto.png')).toBeUndefined();
    expect(missingDocuments(RULES, [])).toEqual([]);
    const rules = { ...RULES, documents: RULES.documents.map((d) => ({ ...d, required: true })) };
    expect(missingDocuments(rules, [{ document: 'plan' }])).toEqual(['begroting']);
  });
});
