import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as ACTypes from 'adaptivecards';
import { describe, expect, it } from 'vitest';
import { cardBytes, Card, MESSAGE_LIMIT_BYTES } from '../../src/cards/render';
import type { Lang } from '../../src/i18n';
import { allFixtures, MODULES } from './card-fixtures';

/**
 * Microsoft's Adaptive Cards library, as the official renderers use it. Its `lib/` build is ES
 * modules with extensionless imports, which Node cannot load; `dist/` is the same code bundled
 * (UMD). Parsing needs no DOM: only rendering does, and that is not what this test checks.
 */
const AC = createRequire(__filename)('adaptivecards/dist/adaptivecards.js') as typeof ACTypes;

interface Checked {
  /** The library's own parse and validation events (errors and warnings). */
  events: string[];
  /** Properties the library drops while parsing: the official renderer would not show them. */
  ignored: string[];
  /** Of those, Input.Number values given as strings (a known problem, see below). */
  numbersAsStrings: string[];
}

/** Teams shows up to six actions in a set (the library's default host config allows five). */
const TEAMS_HOST_CONFIG = new AC.HostConfig({ actions: { maxActions: 6 } });

/** Parses a card as the official renderer does, for the schema version the card declares. */
function check(card: Card): Checked {
  const context = new AC.SerializationContext(AC.Version.parse(card.version, new AC.SerializationContext()) ?? AC.Versions.v1_5);
  const parsed = new AC.AdaptiveCard();
  parsed.hostConfig = TEAMS_HOST_CONFIG;
  parsed.parse(card, context);
  const events: string[] = [];
  for (let i = 0; i < context.eventCount; i++) {
    const e = context.getEventAt(i);
    events.push(`parse ${AC.ValidationEvent[e.event]}: ${e.message}`);
  }
  for (const e of parsed.validateProperties().validationEvents) events.push(`validate ${AC.ValidationEvent[e.event]}: ${e.message}`);
  const lost = dropped(card, parsed.toJSON() ?? {});
  return {
    events,
    ignored: lost.filter((l) => !l.numberAsString).map((l) => l.path),
    numbersAsStrings: lost.filter((l) => l.numberAsString).map((l) => l.path),
  };
}

const isDefault = (key: string, v: unknown) =>
  v === false ||
  v === '' ||
  (Array.isArray(v) && v.length === 0) ||
  (key === 'valueOn' && v === 'true') ||
  (key === 'valueOff' && v === 'false') ||
  (key === 'isVisible' && v === true);

/** Paths present in the card but not in what the library writes back after parsing it. */
function dropped(input: unknown, output: unknown, path = ''): { path: string; numberAsString: boolean }[] {
  if (Array.isArray(input)) return input.flatMap((v, i) => dropped(v, Array.isArray(output) ? output[i] : undefined, `${path}[${i}]`));
  if (!input || typeof input !== 'object') return [];
  const node = input as Record<string, unknown>;
  const out = (output ?? {}) as Record<string, unknown>;
  return Object.entries(node).flatMap(([k, v]) => {
    const p = path ? `${path}.${k}` : k;
    // An action's data is the bot's own payload; the library keeps it as is.
    if (k === 'data') return [];
    // Defaults are not written back; nothing is lost.
    if (!(k in out))
      return isDefault(k, v)
        ? []
        : [
            {
              path: `${p} (${String(node.type ?? '')} ${JSON.stringify(v).slice(0, 40)})`,
              numberAsString: node.type === 'Input.Number' && typeof v === 'string',
            },
          ];
    return dropped(v, out[k], p);
  });
}

describe('every card the bot can send, parsed by the official Adaptive Cards library', () => {
  it('every exported card builder has fixtures', async () => {
    const all = await allFixtures('nl');
    const modules: Record<string, Record<string, unknown>> = { ...MODULES };
    // Every card module on disk, including ones added after this test was written, needs fixtures here.
    for (const file of readdirSync('src/cards').filter((f) => f.endsWith('.ts') && f !== 'render.ts')) {
      const name = file.replace(/\.ts$/, '');
      modules[name] ??= (await import(`../../src/cards/${name}`)) as Record<string, unknown>;
    }
    for (const [name, mod] of Object.entries(modules)) {
      const builders = Object.entries(mod)
        .filter(([k, v]) => typeof v === 'function' && /Card$/.test(k))
        .map(([k]) => k)
        .sort();
      expect(Object.keys(all[name] ?? {}).sort(), name).toEqual(builders);
      for (const b of builders) expect(all[name]![b]!.length, `${name}.${b}`).toBeGreaterThan(0);
    }
  });

  it('Action.Execute (Universal Actions) is a known action type in this library version', () => {
    expect(AC.GlobalRegistry.actions.findByName('Action.Execute')).toBeDefined();
  });

  it('an unknown element and a missing required property are reported (the check is not blind)', () => {
    const bad = check({
      type: 'AdaptiveCard',
      version: '1.5',
      body: [{ type: 'Input.Fancy', id: 'x' }, { type: 'Input.Text' }],
      actions: [{ type: 'Action.Execute', title: 'Go', verb: 'x' }],
    } as Card);
    expect(bad.events.join('\n')).toMatch(/Input\.Fancy/);
    expect(bad.events.join('\n')).toMatch(/id/i);
  });

  async function checkAll() {
    const rows: { card: string; lang: Lang; bytes: number }[] = [];
    const problems: string[] = [];
    const numbersAsStrings: string[] = [];
    for (const lang of ['nl', 'en'] as const) {
      const all = await allFixtures(lang);
      for (const [mod, builders] of Object.entries(all)) {
        for (const [builder, list] of Object.entries(builders)) {
          for (const [name, build] of list) {
            const card = build();
            const label = `${mod}.${builder}: ${name}`;
            const checked = check(card);
            for (const e of [...checked.events, ...checked.ignored.map((p) => `ignored property ${p}`)]) problems.push(`${lang} ${label}: ${e}`);
            for (const p of checked.numbersAsStrings) numbersAsStrings.push(`${lang} ${label}: ${p}`);
            rows.push({ card: label, lang, bytes: cardBytes(card) });
          }
        }
      }
    }
    return { rows, problems, numbersAsStrings };
  }

  it('no card has parse errors, validation warnings or properties the library drops; sizes recorded', async () => {
    const { rows, problems } = await checkAll();
    console.table(
      rows
        .filter((row) => row.lang === 'nl')
        .map(({ card, bytes }) => ({
          card,
          'nl bytes': bytes,
          'en bytes': rows.find((x) => x.lang === 'en' && x.card === card)?.bytes,
          KB: (Math.max(bytes, rows.find((x) => x.lang === 'en' && x.card === card)?.bytes ?? 0) / 1024).toFixed(1),
        })),
    );
    expect(problems).toEqual([]);
    for (const row of rows) expect(row.bytes, row.card).toBeLessThanOrEqual(MESSAGE_LIMIT_BYTES);
  });

  /**
   * The official library reads an Input.Number `value` only as a JSON number and drops a string:
   * the field would start empty instead of prefilled. `render()` turns numeric text into numbers.
   */
  it('Input.Number values are JSON numbers, which the official library keeps', async () => {
    const { numbersAsStrings } = await checkAll();
    if (numbersAsStrings.length) console.warn(`Input.Number values given as strings (dropped by the official parser):\n${numbersAsStrings.join('\n')}`);
    expect(numbersAsStrings).toEqual([]);
  });
});
