import { describe, expect, it } from 'vitest';
import {
  addAlias,
  duplicateOf,
  findOrganisation,
  isOrganisationId,
  newOrganisation,
  newOrganisationId,
  normaliseOrganisation,
  Organisation,
  ORGANISATION_LIMITS,
  organisationIndex,
  organisationKeys,
  validateOrganisationInput,
} from '../../src/domain/organisation';

const org = (id: string, name: string, aliases: string[] = [], kvk?: string): Organisation => ({
  id,
  name,
  aliases,
  ...(kvk ? { kvk } : {}),
  createdBy: 'boss',
  createdAt: '2026-01-05T09:00:00.000Z',
  source: 'accounthouder',
});

const buurtkracht = org('org-000000000001', 'Stichting Buurtkracht Zwolle', ['Buurtkracht Zuid'], '12345678');
const sportbedrijf = org('org-000000000002', 'Sportbedrijf Zwolle', []);
const deKern = org('org-000000000003', 'Vereniging De Kern', ['Kern']);
const registry = [buurtkracht, sportbedrijf, deKern];

describe('normaliseOrganisation', () => {
  it.each([
    ['Stichting Buurtkracht Zwolle', 'buurtkracht zwolle'],
    ['  BUURTKRACHT   zwolle ', 'buurtkracht zwolle'],
    ['Buurtkracht Zwolle B.V.', 'buurtkracht zwolle'],
    ['Coöperatie Zorg-Dichtbij U.A.', 'zorg dichtbij u a'],
    ['Stichting Café Ôns', 'cafe ons'],
    // Zero-width space and soft hyphen inside a word do not split it (no look-alike spelling).
    ['Buurt\u200bkracht', 'buurtkracht'],
    ['Buurt\u00adkracht', 'buurtkracht'],
    // Full-width letters are folded.
    ['Ｂｕｕｒｔｋｒａｃｈｔ', 'buurtkracht'],
    // A legal form inside a word stays.
    ['Stichtingenhuis', 'stichtingenhuis'],
    ["Stichting 't Hoekje", 't hoekje'],
    ['Stichting', ''],
    // Letters of other scripts are kept, not dropped.
    ['Σύλλογος Ζβόλε', 'συλλογος ζβολε'],
  ])('%j is %j', (name, normal) => {
    expect(normaliseOrganisation(name)).toBe(normal);
  });
});

describe('validateOrganisationInput', () => {
  it('accepts a name, a KvK number with spaces, and aliases one per line', () => {
    expect(
      validateOrganisationInput({ name: '  Stichting Buurtkracht\tZwolle ', kvk: '1234 5678', aliases: 'Buurtkracht\r\n\nBuurtkracht Zuid; buurtkracht ' }),
    ).toEqual({
      ok: true,
      value: { name: 'Stichting Buurtkracht Zwolle', kvk: '12345678', aliases: ['Buurtkracht', 'Buurtkracht Zuid'] },
    });
  });

  it('drops aliases that are the name again', () => {
    expect(validateOrganisationInput({ name: 'Sportbedrijf Zwolle', aliases: ['Stichting Sportbedrijf Zwolle', 'SBZ'] })).toEqual({
      ok: true,
      value: { name: 'Sportbedrijf Zwolle', aliases: ['SBZ'] },
    });
  });

  it.each([
    [{}, 'name', 'required'],
    [{ name: '   ' }, 'name', 'required'],
    [{ name: '\u200b\u200d\ufeff' }, 'name', 'required'],
    [{ name: ' \u200b \n\t' }, 'name', 'required'],
    [{ name: 'x'.repeat(ORGANISATION_LIMITS.name + 1) }, 'name', 'tooLong'],
    [{ name: 'Buurt\u0000kracht' }, 'name', 'controlCharacters'],
    [{ name: 'Buurtkracht\u001b[2J' }, 'name', 'controlCharacters'],
    [{ name: 'Buurtkracht\rZwolle' }, 'name', 'controlCharacters'],
    [{ name: 'Buurt\u202ethcark' }, 'name', 'controlCharacters'],
    [{ name: 'Stichting' }, 'name', 'noName'],
    [{ name: 'B.V.' }, 'name', 'noName'],
    [{ name: '!!!' }, 'name', 'noName'],
    [{ name: 'Buurtkracht', kvk: '1234567' }, 'kvk', 'kvkFormat'],
    [{ name: 'Buurtkracht', kvk: '123456789' }, 'kvk', 'kvkFormat'],
    [{ name: 'Buurtkracht', kvk: 'KVK12345678' }, 'kvk', 'kvkFormat'],
    [{ name: 'Buurtkracht', kvk: '1234\u00005678' }, 'kvk', 'controlCharacters'],
    [{ name: 'Buurtkracht', aliases: Array.from({ length: ORGANISATION_LIMITS.aliases + 1 }, (_, i) => `Alias ${i}`) }, 'aliases', 'tooMany'],
    [{ name: 'Buurtkracht', aliases: ['y'.repeat(ORGANISATION_LIMITS.alias + 1)] }, 'aliases', 'tooLong'],
    [{ name: 'Buurtkracht', aliases: 'z\n'.repeat(5000) }, 'aliases', 'tooLong'],
    [{ name: 'Buurtkracht', aliases: ['BK\u0007'] }, 'aliases', 'controlCharacters'],
    [{ name: 'Buurtkracht', aliases: ['Vereniging'] }, 'aliases', 'noName'],
  ] as const)('refuses %j: %s %s', (raw, field, code) => {
    const r = validateOrganisationInput(raw);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error[field]).toBe(code);
  });

  it('ten aliases that differ only in spelling are one alias', () => {
    const r = validateOrganisationInput({ name: 'X', aliases: Array.from({ length: 12 }, (_, i) => (i % 2 ? 'Buurtkracht' : 'BUURTKRACHT')) });
    expect(r.ok && r.value.aliases).toEqual(['BUURTKRACHT']);
  });

  it('builds the entry from validated input', () => {
    const v = validateOrganisationInput({ name: 'Buurtkracht', kvk: '12345678' });
    expect(v.ok).toBe(true);
    const id = newOrganisationId((n) => new Uint8Array(n).fill(0xab));
    expect(id).toBe('org-abababababab');
    expect(isOrganisationId(id)).toBe(true);
    expect(isOrganisationId('org-ABABABABABAB')).toBe(false);
    expect(newOrganisation(v.ok ? v.value : undefined!, { id, createdBy: 'anouk', now: new Date('2026-02-01T10:00:00Z'), source: 'applicant' })).toEqual({
      id,
      name: 'Buurtkracht',
      kvk: '12345678',
      aliases: [],
      createdBy: 'anouk',
      createdAt: '2026-02-01T10:00:00.000Z',
      source: 'applicant',
    });
  });
});

describe('findOrganisation', () => {
  it.each([
    ['12345678', buurtkracht, 'kvk'],
    ['1234 5678', buurtkracht, 'kvk'],
    ['Stichting Buurtkracht Zwolle', buurtkracht, 'name'],
    ['buurtkracht zwolle', buurtkracht, 'name'],
    ['BUURTKRACHT ZWOLLE B.V.', buurtkracht, 'name'],
    ['Buurtkracht Zuid', buurtkracht, 'alias'],
    ['Kern', deKern, 'alias'],
    // The case: the short name finds the registered one when it is the only buurtkracht.
    ['Buurtkracht', buurtkracht, 'words'],
    ['Stichting Buurtkracht', buurtkracht, 'words'],
    ['Sportbedrijf', sportbedrijf, 'words'],
    // "Vereniging De Kern" is "de kern": an exact name.
    ['De Kern', deKern, 'name'],
    // The legal form is left out wherever it stands.
    ['Kern Vereniging', deKern, 'alias'],
  ] as const)('%j finds %s by %s', (text, expected, by) => {
    expect(findOrganisation(registry, text)).toEqual({ kind: 'found', organisation: expected, by });
  });

  it.each([
    ['kracht', 'part of a word is no match'],
    ['Zwolle Buurtkracht', 'the words in another order'],
    ['Buurtkracht Kampen', 'a word the entry does not have'],
    ['Buurtkracht Zwolle Noord', 'more words than the entry'],
    ['De', 'a function word alone'],
    ['Stichting', 'only a legal form'],
    ['', 'nothing'],
    ['87654321', 'an unknown KvK number'],
  ])('%j finds nothing (%s)', (text) => {
    expect(findOrganisation(registry, text)).toEqual({ kind: 'none' });
  });

  it('two entries that fit: ambiguous, both returned (by normalised name) so the UI can ask', () => {
    const kampen = org('org-000000000004', 'Buurtkracht Kampen');
    const r = findOrganisation([...registry, kampen], 'Buurtkracht');
    expect(r).toEqual({ kind: 'ambiguous', candidates: [kampen, buurtkracht] });
    // An exact name still decides, even when its words also occur elsewhere.
    expect(findOrganisation([...registry, kampen, org('org-000000000005', 'Buurtkracht')], 'Buurtkracht')).toMatchObject({ kind: 'found', by: 'name' });
    // "Zwolle" is in two names.
    expect(findOrganisation(registry, 'Zwolle')).toMatchObject({ kind: 'ambiguous', candidates: [buurtkracht, sportbedrijf] });
  });

  it('a prepared index answers the same', () => {
    const index = organisationIndex(registry);
    for (const text of ['Buurtkracht', 'Kern', 'nope', '12345678']) expect(findOrganisation(index, text)).toEqual(findOrganisation(registry, text));
  });
});

describe('duplicateOf and addAlias', () => {
  it.each([
    [{ name: 'Buurtkracht Zwolle' }, buurtkracht, 'the same normalised name'],
    [{ name: 'BUURTKRACHT ZUID' }, buurtkracht, 'another entry’s alias'],
    [{ name: 'Iets Anders', kvk: '12345678' }, buurtkracht, 'the same KvK number'],
    [{ name: 'Nieuw', aliases: ['Vereniging Kern'] }, deKern, 'an alias that is another entry’s alias'],
    [{ name: 'Buurtkracht' }, undefined, 'a shorter name is no duplicate (findOrganisation offers it)'],
  ] as const)('%j duplicates %s: %s', (input, expected, _why) => {
    expect(duplicateOf(registry, input)).toBe(expected);
  });

  it('leaves the entry itself out when it changes', () => {
    expect(duplicateOf(registry, buurtkracht, buurtkracht.id)).toBeUndefined();
  });

  it('keys: normalised names and aliases, and the KvK number, each once', () => {
    expect(organisationKeys({ name: 'Stichting Buurtkracht Zwolle', aliases: ['Buurtkracht Zwolle', 'BK'], kvk: '12345678' })).toEqual([
      'name:buurtkracht zwolle',
      'name:bk',
      'kvk:12345678',
    ]);
  });

  it('adds an alias; its own names again change nothing; another entry’s name is refused with that entry', () => {
    const r = addAlias(sportbedrijf, ' SBZ ', registry);
    expect(r).toEqual({ ok: true, value: { ...sportbedrijf, aliases: ['SBZ'] } });
    expect(addAlias(buurtkracht, 'buurtkracht zuid', registry)).toEqual({ ok: true, value: buurtkracht });
    expect(addAlias(sportbedrijf, 'Stichting Buurtkracht Zuid', registry)).toEqual({ ok: false, error: { code: 'DUPLICATE', existing: buurtkracht } });
    expect(addAlias(sportbedrijf, '\u200b', registry)).toEqual({ ok: false, error: { code: 'INVALID', error: 'required' } });
    expect(addAlias(sportbedrijf, 'B.V.', registry)).toEqual({ ok: false, error: { code: 'INVALID', error: 'noName' } });
    expect(addAlias(sportbedrijf, 'S\u0000', registry)).toEqual({ ok: false, error: { code: 'INVALID', error: 'controlCharacters' } });
    const full = { ...sportbedrijf, aliases: Array.from({ length: ORGANISATION_LIMITS.aliases }, (_, i) => `A${i}`) };
    expect(addAlias(full, 'Een te veel', registry)).toEqual({ ok: false, error: { code: 'INVALID', error: 'tooMany' } });
  });
});
