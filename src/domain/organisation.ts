import { hasControlCharacters } from './text';
import { err, ok, Result } from './result';

/**
 * The municipality's registry of partner organisations (*partnerorganisaties*). Partners are
 * organisations, not spellings: applicants, co-applicants and partner panel members point at an
 * entry by id, so recusal and the concentration shares count by id, not by how a name was typed.
 * A name can be personal data (an eenmanszaak): keep it out of audit details and logs.
 */
export type OrganisationSource = 'accounthouder' | 'applicant';

export interface Organisation {
  /** 'org-' + 12 lowercase hex digits. */
  id: string;
  name: string;
  /** KvK number: exactly 8 digits. */
  kvk?: string;
  /** Other names the organisation goes by ("Buurtkracht" for "Stichting Buurtkracht Zwolle"). */
  aliases: string[];
  /** Entra object id of who registered it. */
  createdBy: string;
  createdAt: string;
  /** Registered by the accounthouder, or by an applicant while applying. */
  source: OrganisationSource;
}

export const ORGANISATION_LIMITS = {
  name: 150,
  aliases: 10,
  alias: 150,
  /** Digits of a KvK number (spaces and dots between them are allowed as well). */
  kvk: 8,
} as const;

export const ORGANISATION_ID = /^org-[0-9a-f]{12}$/;
export const isOrganisationId = (id: string) => ORGANISATION_ID.test(id);

/** A new id: pass node's `crypto.randomBytes` (the domain draws no randomness itself). */
export function newOrganisationId(randomBytes: (n: number) => Uint8Array): string {
  return `org-${[...randomBytes(6)].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

// ---------------------------------------------------------------------------------------------
// Normalisation

const LEGAL_FORMS = /(?<![\p{L}\p{N}])(stichting|vereniging|cooperatie|b\.?v\.?|n\.?v\.?|v\.?o\.?f\.?|gemeente)(?![\p{L}\p{N}])/gu;

/**
 * Organisation names as people write them: "Stichting Buurtkracht Zwolle" is "buurtkracht zwolle".
 * Lower case, compatibility forms folded (NFKD), accents and invisible format characters (zero-width
 * space, soft hyphen, bidi controls) dropped, the legal forms stichting / vereniging / coöperatie /
 * B.V. / N.V. / V.O.F. / gemeente left out, and every run of other non-letter, non-digit characters
 * one space. Letters of any script are kept.
 */
export function normaliseOrganisation(name: string): string {
  let normal = NORMALISED.get(name);
  if (normal === undefined) {
    normal = name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[\p{M}\p{Cf}]/gu, '')
      .replace(LEGAL_FORMS, ' ')
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
    // The same few names (the panel's, the applicant's) come back on every review turn: remembered, within a bound.
    if (NORMALISED.size >= NORMALISED_MAX) NORMALISED.clear();
    NORMALISED.set(name, normal);
  }
  return normal;
}
const NORMALISED = new Map<string, string>();
const NORMALISED_MAX = 10_000;

/**
 * The keys an entry claims in the registry: its normalised name, each normalised alias
 * ('name:…') and its KvK number ('kvk:…'). No two entries may share a key: the store keeps one
 * index row per key, written in the same transaction as the entry.
 */
export function organisationKeys(org: { name: string; aliases?: readonly string[]; kvk?: string | undefined }): string[] {
  const names = [org.name, ...(org.aliases ?? [])].map(normaliseOrganisation).filter(Boolean);
  return [...new Set([...names.map((n) => `name:${n}`), ...(org.kvk ? [`kvk:${org.kvk}`] : [])])];
}

// ---------------------------------------------------------------------------------------------
// Input

export type OrganisationField = 'name' | 'kvk' | 'aliases';
/**
 * Why a field was refused: `required` (empty, or only spaces and zero-width characters),
 * `tooLong`, `tooMany` (aliases), `kvkFormat` (not 8 digits), `controlCharacters` (a control
 * character other than newline or tab, or a bidi override), `noName` (nothing left once the legal
 * form and punctuation are taken out: "Stichting", "B.V.", "!!!").
 */
export type OrganisationErrorCode = 'required' | 'tooLong' | 'tooMany' | 'kvkFormat' | 'controlCharacters' | 'noName';
export type OrganisationErrors = Partial<Record<OrganisationField, OrganisationErrorCode>>;

export interface OrganisationInput {
  name: string;
  kvk?: string;
  aliases: string[];
}

/** Raw card input; aliases as one text (one per line, or separated by ';') or a list. */
export interface RawOrganisationInput {
  name?: string;
  kvk?: string;
  aliases?: string | readonly string[];
}

const EDGE_INVISIBLE = /^[\s\p{Cf}]+|[\s\p{Cf}]+$/gu;
const INVISIBLE = /[\s\p{Cf}]/gu;

type Cleaned = { value: string } | { error: OrganisationErrorCode } | { empty: true };

/** One name or alias: CRLF read as newline, control characters refused, edges trimmed, inner whitespace one space. */
function cleanName(raw: string, max: number): Cleaned {
  const text = raw.replace(/\r\n/g, '\n');
  if (hasControlCharacters(text)) return { error: 'controlCharacters' };
  if (text.replace(INVISIBLE, '') === '') return { empty: true };
  const value = text.replace(EDGE_INVISIBLE, '').replace(/\s+/g, ' ');
  if (value.length > max) return { error: 'tooLong' };
  if (!normaliseOrganisation(value)) return { error: 'noName' };
  return { value };
}

/**
 * Reads a registration: name required (≤ 150), KvK optional (8 digits; spaces and dots between
 * them are allowed and dropped), at most 10 aliases of ≤ 150 each. Empty alias lines are skipped,
 * and aliases that normalise to the name or to an earlier alias are dropped as repeats.
 */
export function validateOrganisationInput(raw: RawOrganisationInput): Result<OrganisationInput, OrganisationErrors> {
  const errors: OrganisationErrors = {};
  const name = cleanName(raw.name ?? '', ORGANISATION_LIMITS.name);
  if ('error' in name) errors.name = name.error;
  else if ('empty' in name) errors.name = 'required';

  let kvk: string | undefined;
  const kvkRaw = (raw.kvk ?? '').replace(/\r\n/g, '\n');
  if (hasControlCharacters(kvkRaw)) errors.kvk = 'controlCharacters';
  else {
    const digits = kvkRaw.replace(INVISIBLE, '').replace(/\./g, '');
    if (digits && !/^[0-9]{8}$/.test(digits)) errors.kvk = 'kvkFormat';
    else if (digits) kvk = digits;
  }

  const lines = typeof raw.aliases === 'string' ? raw.aliases.replace(/\r\n/g, '\n').split(/[\n;]/) : [...(raw.aliases ?? [])];
  const aliases: string[] = [];
  const seen = new Set<string>('value' in name ? [normaliseOrganisation(name.value)] : []);
  // Beyond what ten aliases and their separators can be, do not read on.
  const rawLength = lines.reduce((n, l) => n + l.length + 1, 0);
  if (rawLength > ORGANISATION_LIMITS.aliases * (ORGANISATION_LIMITS.alias + 2)) errors.aliases = 'tooLong';
  else {
    for (const line of lines) {
      const alias = cleanName(line, ORGANISATION_LIMITS.alias);
      if ('empty' in alias) continue;
      if ('error' in alias) {
        errors.aliases = alias.error;
        break;
      }
      const key = normaliseOrganisation(alias.value);
      if (seen.has(key)) continue;
      seen.add(key);
      aliases.push(alias.value);
    }
    if (!errors.aliases && aliases.length > ORGANISATION_LIMITS.aliases) errors.aliases = 'tooMany';
  }

  if (Object.keys(errors).length || !('value' in name)) return err(errors);
  return ok({ name: name.value, ...(kvk ? { kvk } : {}), aliases });
}

/** A registry entry from validated input. */
export function newOrganisation(input: OrganisationInput, meta: { id: string; createdBy: string; now: Date; source: OrganisationSource }): Organisation {
  return {
    id: meta.id,
    name: input.name,
    ...(input.kvk ? { kvk: input.kvk } : {}),
    aliases: [...input.aliases],
    createdBy: meta.createdBy,
    createdAt: meta.now.toISOString(),
    source: meta.source,
  };
}

// ---------------------------------------------------------------------------------------------
// Lookup

/** Short words that alone do not identify an organisation ("de", "van", …). */
const FUNCTION_WORDS = new Set([
  'de',
  'het',
  'een',
  'van',
  'voor',
  'en',
  'in',
  'op',
  'te',
  'ter',
  'der',
  'den',
  't',
  's',
  'aan',
  'bij',
  'met',
  'of',
  'the',
  'and',
  'for',
]);

interface Prepared {
  org: Organisation;
  /** Token lists of the normalised name (first) and of each alias. */
  names: string[][];
}

/** A registry prepared for many lookups (one review card resolves every panel member and party). */
export class OrganisationIndex {
  readonly entries: readonly Prepared[];
  private readonly byKey = new Map<string, Organisation[]>();
  private readonly memo = new Map<string, OrganisationLookup>();

  constructor(registry: readonly Organisation[]) {
    this.entries = registry.map((org) => ({
      org,
      names: [org.name, ...org.aliases]
        .map(normaliseOrganisation)
        .filter(Boolean)
        .map((n) => n.split(' ')),
    }));
    for (const org of registry) {
      for (const key of organisationKeys(org)) this.byKey.set(key, [...(this.byKey.get(key) ?? []), org]);
    }
  }

  withKey(key: string): Organisation[] {
    return this.byKey.get(key) ?? [];
  }

  find(text: string): OrganisationLookup {
    let found = this.memo.get(text);
    if (!found) this.memo.set(text, (found = lookup(this, text)));
    return found;
  }
}

export type OrganisationRegistry = readonly Organisation[] | OrganisationIndex;

export const organisationIndex = (registry: OrganisationRegistry): OrganisationIndex =>
  registry instanceof OrganisationIndex ? registry : new OrganisationIndex(registry);

export type OrganisationLookup =
  | { kind: 'found'; organisation: Organisation; by: 'kvk' | 'name' | 'alias' | 'words' }
  /** More than one entry fits: the UI asks which one is meant. */
  | { kind: 'ambiguous'; candidates: Organisation[] }
  | { kind: 'none' };

/** Candidates in the order people look for them: by normalised name ("Stichting …" not under S). */
const byName = (a: Organisation, b: Organisation) =>
  normaliseOrganisation(a.name).localeCompare(normaliseOrganisation(b.name), 'nl') || a.id.localeCompare(b.id);

function containsSequence(hay: readonly string[], needle: readonly string[]): boolean {
  for (let i = 0; i + needle.length <= hay.length; i++) {
    if (needle.every((t, j) => hay[i + j] === t)) return true;
  }
  return false;
}

function oneOrMany(orgs: Organisation[], by: 'kvk' | 'name' | 'alias' | 'words'): OrganisationLookup {
  const unique = [...new Map(orgs.map((o) => [o.id, o])).values()];
  if (unique.length === 1) return { kind: 'found', organisation: unique[0]!, by };
  return unique.length ? { kind: 'ambiguous', candidates: unique.sort(byName) } : { kind: 'none' };
}

/**
 * Finds the registry entry a typed organisation means. In this order, the first step that finds
 * anything decides:
 *
 * 1. **KvK**: the text, without spaces and dots, is 8 digits and equals an entry's KvK number.
 * 2. **Name or alias**: the normalised text (see `normaliseOrganisation`) equals an entry's
 *    normalised name (`by: 'name'`) or one of its normalised aliases (`by: 'alias'`).
 * 3. **Words**: the normalised text's words occur, whole and in the same order with nothing
 *    between them, in an entry's normalised name or in one of its normalised aliases:
 *    "Buurtkracht" and "buurtkracht zwolle" find "Stichting Buurtkracht Zwolle"; "kracht",
 *    "Zwolle Buurtkracht" and "Buurtkracht Kampen" do not. Only when at least one of the words
 *    has 3 or more characters and is not a function word (de, het, van, en, …): "De" alone finds
 *    nothing this way.
 *
 * One entry: `found` (with how). Two or more in the deciding step: `ambiguous`, with all of them
 * sorted by normalised name, so the UI can ask. Nothing: `none`. A `words` match is a guess the UI should
 * confirm with the person ("Bedoelt u Stichting Buurtkracht Zwolle?").
 */
export function findOrganisation(registry: OrganisationRegistry, text: string): OrganisationLookup {
  return organisationIndex(registry).find(text);
}

function lookup(index: OrganisationIndex, text: string): OrganisationLookup {
  const digits = text.replace(/[\s.]/g, '');
  if (/^[0-9]{8}$/.test(digits)) {
    const byKvk = oneOrMany(index.withKey(`kvk:${digits}`), 'kvk');
    if (byKvk.kind !== 'none') return byKvk;
  }
  const normal = normaliseOrganisation(text);
  if (!normal) return { kind: 'none' };
  const exact = index.withKey(`name:${normal}`);
  if (exact.length) {
    const found = oneOrMany(exact, 'name');
    if (found.kind === 'found' && normaliseOrganisation(found.organisation.name) !== normal) return { ...found, by: 'alias' };
    return found;
  }
  const words = normal.split(' ');
  if (!words.some((w) => w.length >= 3 && !FUNCTION_WORDS.has(w))) return { kind: 'none' };
  return oneOrMany(
    index.entries.filter((e) => e.names.some((n) => containsSequence(n, words))).map((e) => e.org),
    'words',
  );
}

/**
 * The existing entry a new registration (or an entry's new names) would duplicate: one with the
 * same KvK number, or whose normalised name or alias equals the input's normalised name or one of
 * its aliases. `except` leaves an entry out (the one being changed). The bot refuses the second
 * entry and offers this one.
 */
export function duplicateOf(
  registry: OrganisationRegistry,
  input: { name: string; aliases?: readonly string[]; kvk?: string | undefined },
  except?: string,
): Organisation | undefined {
  const index = organisationIndex(registry);
  for (const key of organisationKeys(input)) {
    const other = index.withKey(key).find((o) => o.id !== except);
    if (other) return other;
  }
  return undefined;
}

export type AliasError =
  | { code: 'INVALID'; error: OrganisationErrorCode }
  /** Another entry already has this name, alias or KvK. */
  | { code: 'DUPLICATE'; existing: Organisation };

/**
 * The entry with one more alias. An alias that normalises to the entry's own name or one of its
 * aliases changes nothing (the entry comes back as it was).
 */
export function addAlias(org: Organisation, alias: string, registry: OrganisationRegistry): Result<Organisation, AliasError> {
  const cleaned = cleanName(alias, ORGANISATION_LIMITS.alias);
  if ('empty' in cleaned) return err({ code: 'INVALID', error: 'required' });
  if ('error' in cleaned) return err({ code: 'INVALID', error: cleaned.error });
  const key = normaliseOrganisation(cleaned.value);
  if ([org.name, ...org.aliases].some((n) => normaliseOrganisation(n) === key)) return ok(org);
  const existing = duplicateOf(registry, { name: cleaned.value }, org.id);
  if (existing) return err({ code: 'DUPLICATE', existing });
  if (org.aliases.length >= ORGANISATION_LIMITS.aliases) return err({ code: 'INVALID', error: 'tooMany' });
  return ok({ ...org, aliases: [...org.aliases, cleaned.value] });
}
