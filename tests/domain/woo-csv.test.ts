import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { allocationReportData } from '../../src/domain/council-report';
import type { RoundSnapshot } from '../../src/domain/snapshot';
import { BOM, csvField, toCsv, WOO_COLUMNS, wooCsv } from '../../src/reports/csv';
import { NOW } from '../fixtures';
import { PERSONAL_TITLE, personalValues, reportRound } from '../support/report-round';
import { applicantId } from '../support/rounds';

let snapshot: RoundSnapshot;
let csv: string;
beforeAll(async () => {
  snapshot = await (await reportRound()).snapshot();
  csv = wooCsv(allocationReportData(snapshot, NOW));
});

const rows = (text: string) => parse(text.slice(BOM.length), { columns: true, relax_column_count: false, skip_empty_lines: false }) as Record<string, string>[];

describe('the Woo CSV', () => {
  it('holds no name, e-mail address, phone number or id of a person from the fixture', () => {
    const values = personalValues(snapshot);
    expect(values).toEqual(
      expect.arrayContaining(['Fatima Yilmaz', 'f.yilmaz@buurtkracht.example', '06 1234 5678', 'Sanne de Vries', applicantId(0), '29:sanne']),
    );
    const lower = csv.toLowerCase();
    for (const v of values) expect(lower, v).not.toContain(v.toLowerCase());
  });

  it('has no e-mail addresses, phone numbers, GUIDs or Teams ids by pattern either, and no titles', () => {
    expect(csv).not.toMatch(/[^\s@,]+@[^\s@,]+\.[a-z]{2,}/i);
    expect(csv).not.toMatch(/(\+31|0)[\s-]?\d{1,3}[\s-]?\d{3}[\s-]?\d{2,4}/);
    expect(csv).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i);
    expect(csv).not.toMatch(/\b(28|29):/);
    expect(csv).not.toContain(PERSONAL_TITLE);
    for (const a of snapshot.applications) if (a.value.fields.title) expect(csv).not.toContain(a.value.fields.title);
  });

  it('parses back as valid CSV: a UTF-8 BOM, the agreed columns, one row per award, plain integers', () => {
    expect(csv.startsWith(BOM)).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    const parsed = rows(csv);
    expect(Object.keys(parsed[0]!)).toEqual([...WOO_COLUMNS]);
    expect(parsed).toHaveLength(5);
    expect(parsed[0]).toEqual({
      ronde: 'LB-2026',
      kenmerk: 'LB-2026-001',
      organisatie: 'Stichting Buurtkracht Zwolle',
      wijk: 'Holtenbroek',
      toegekend_eur: '15000',
      gevraagd_eur: '15000',
      uitkomst: 'volledig',
      score_procent: '100',
      besluitdatum: '2026-11-23',
    });
    expect(parsed.reduce((s, r) => s + Number(r.toegekend_eur), 0)).toBe(49_000);
  });
});

describe('CSV fields (RFC 4180)', () => {
  it('quotes commas, quotes and line breaks; neutralises formulas; numbers stay plain', () => {
    expect(csvField('Stichting "De Brug", Zwolle')).toBe('"Stichting ""De Brug"", Zwolle"');
    expect(csvField('regel 1\nregel 2')).toBe('"regel 1\nregel 2"');
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField('-5')).toBe("'-5");
    expect(csvField(12500)).toBe('12500');
    expect(csvField(-500)).toBe('-500');
    expect(csvField(undefined)).toBe('');
    const text = toCsv(
      ['a', 'b'],
      [
        ['Stichting "De Brug", Zwolle', 'x\r\ny'],
        ['ë€', 3],
      ],
    );
    expect(parse(text.slice(1), { columns: true })).toEqual([
      { a: 'Stichting "De Brug", Zwolle', b: 'x\r\ny' },
      { a: 'ë€', b: '3' },
    ]);
  });
});
