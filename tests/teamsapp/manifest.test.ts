import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { crc32, inflateRawSync, inflateSync } from 'node:zlib';
import { AppManifestUtils } from '@microsoft/app-manifest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot } from '../../src/app/core/bot';
import { loadConfig } from '../../src/config';
import { APP_PACKAGE_DIR, fillPlaceholders, LOCAL_DEFAULTS, packageApp, PackageError, packageVars } from '../../src/dev/package-app';
import { createServer } from '../../src/http/server';
import { messages } from '../../src/i18n';
import { createLogger } from '../../src/log';
import { memoryRepos } from '../../src/store/memory-repos';
import { seedDemoRound } from '../../src/usecases/seed-demo-round';
import { fixedClock } from '../fixtures';
import { startConnector } from '../support/connector';
import { ANOUK, channelMessage, INGRID, personalMessage } from '../support/teams';

const SCHEMAS = 'node_modules/@microsoft/app-manifest/build/json-schemas/teams';
const template = JSON.parse(readFileSync(join(APP_PACKAGE_DIR, 'manifest.json'), 'utf8'));
const english = JSON.parse(readFileSync(join(APP_PACKAGE_DIR, 'en.json'), 'utf8')) as Record<string, string>;

type Schema = Parameters<typeof AppManifestUtils.validateAgainstSchema>[1];
const schemaFile = (version: string, name: string) => JSON.parse(readFileSync(`${SCHEMAS}/v${version}/${name}`, 'utf8')) as Schema;

/**
 * Microsoft's localization schema has patterns with an unescaped `]` (`\b]\.description`), valid in
 * JavaScript's legacy regular expressions but not with the `u` flag ajv compiles with. Escaping
 * it changes nothing about what the pattern matches.
 */
function loneBrackets<T>(schema: T): T {
  return JSON.parse(JSON.stringify(schema).replace(/\\\\b\]/g, '\\\\b\\\\]')) as T;
}

// ---- a small zip reader (central directory first, as unzip does) ----
interface Unzipped {
  name: string;
  data: Buffer;
}
function unzip(buf: Buffer): Unzipped[] {
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('no end of central directory');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out: Unzipped[] = [];
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`bad central header ${i}`);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    if (buf.readUInt32LE(local) !== 0x04034b50) throw new Error(`bad local header ${name}`);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + size);
    const data = method === 8 ? inflateRawSync(raw) : method === 0 ? Buffer.from(raw) : undefined;
    if (!data) throw new Error(`${name}: compression method ${method}`);
    if (crc32(data) >>> 0 !== crc) throw new Error(`${name}: CRC mismatch`);
    out.push({ name, data });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

// ---- a small PNG decoder (8-bit RGB/RGBA, all five filters) ----
interface Image {
  width: number;
  height: number;
  colorType: number;
  rgba: Buffer;
}
function decodePng(buf: Buffer): Image {
  expect(buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), 'PNG signature').toBe(true);
  let p = 8;
  let width = 0,
    height = 0,
    depth = 0,
    colorType = 0,
    interlace = 0;
  const idat: Buffer[] = [];
  while (p < buf.length) {
    const len = buf.readUInt32BE(p);
    const type = buf.toString('ascii', p + 4, p + 8);
    const data = buf.subarray(p + 8, p + 8 + len);
    expect(crc32(buf.subarray(p + 4, p + 8 + len)) >>> 0, `${type} CRC`).toBe(buf.readUInt32BE(p + 8 + len));
    if (type === 'IHDR')
      ({ width, height, depth, colorType, interlace } = {
        width: data.readUInt32BE(0),
        height: data.readUInt32BE(4),
        depth: data[8]!,
        colorType: data[9]!,
        interlace: data[12]!,
      });
    if (type === 'IDAT') idat.push(data);
    if (type === 'IEND') break;
    p += 12 + len;
  }
  if (depth !== 8 || interlace !== 0 || (colorType !== 6 && colorType !== 2))
    throw new Error(`unsupported PNG: depth ${depth}, colour type ${colorType}, interlace ${interlace}`);
  const bpp = colorType === 6 ? 4 : 3;
  const stride = width * bpp;
  const raw = inflateSync(Buffer.concat(idat));
  const px = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x]!;
      const a = x >= bpp ? px[y * stride + x - bpp]! : 0;
      const b = y > 0 ? px[(y - 1) * stride + x]! : 0;
      const c = x >= bpp && y > 0 ? px[(y - 1) * stride + x - bpp]! : 0;
      const paeth = () => {
        const q = a + b - c,
          pa = Math.abs(q - a),
          pb = Math.abs(q - b),
          pc = Math.abs(q - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      };
      const pred = [0, a, b, (a + b) >> 1, filter === 4 ? paeth() : 0][filter];
      if (pred === undefined) throw new Error(`filter ${filter}`);
      px[y * stride + x] = (v + pred) & 0xff;
    }
  }
  const rgba = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    for (let ch = 0; ch < 3; ch++) rgba[i * 4 + ch] = px[i * bpp + ch]!;
    rgba[i * 4 + 3] = bpp === 4 ? px[i * bpp + 3]! : 255;
  }
  return { width, height, colorType, rgba };
}

let outDir: string;
beforeAll(() => {
  outDir = mkdtempSync(join(tmpdir(), 'leerbudget-package-'));
});
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('the app package', () => {
  it('`npm run package` (src/dev/package-app.ts) writes a zip with the manifest, the two icons and the English strings at its root', () => {
    // The script itself, as npm runs it, for an environment whose ids come from the process environment.
    const env = {
      ...process.env,
      TEAMS_APP_ID: '3f1b6c1e-0d6a-4c55-9a57-5d1f4b7c2e10',
      BOT_ID: '8d2e7a44-1b7f-4f0e-a3c2-6e9b0c5d4f21',
      BOT_DOMAIN: 'leerbudget-test.azurewebsites.net',
    };
    const zipPath = resolve('teamsapp/build/appPackage.vitestcheck.zip');
    try {
      const out = execFileSync(process.execPath, ['--import', 'tsx', 'src/dev/package-app.ts', '--env', 'vitestcheck'], { env, encoding: 'utf8' });
      expect(out).toContain('appPackage.vitestcheck.zip');
      const files = unzip(readFileSync(zipPath));
      expect(files.map((f) => f.name)).toEqual(['manifest.json', 'color.png', 'outline.png', 'en.json']);
      const manifest = JSON.parse(files[0]!.data.toString('utf8'));
      expect(manifest.id).toBe(env.TEAMS_APP_ID);
      expect(manifest.bots[0].botId).toBe(env.BOT_ID);
      expect(manifest.validDomains).toEqual([env.BOT_DOMAIN]);
      expect(manifest.developer.privacyUrl).toBe(`https://${env.BOT_DOMAIN}/privacy`);
      expect(files[1]!.data.equals(readFileSync(join(APP_PACKAGE_DIR, 'color.png')))).toBe(true);
    } finally {
      rmSync(zipPath, { force: true });
    }
  });

  it('a local package gets obviously fake ids; any other environment must have real ones; the zip is reproducible', () => {
    const a = packageApp('local', packageVars('local', {}), outDir);
    expect(a.manifest.id).toBe(LOCAL_DEFAULTS.TEAMS_APP_ID);
    const first = readFileSync(a.path);
    packageApp('local', packageVars('local', {}), outDir);
    expect(readFileSync(a.path).equals(first)).toBe(true);
    expect(() => packageApp('acc', packageVars('acc', {}, outDir), outDir)).toThrow(PackageError);
    expect(() => fillPlaceholders('{"id":"${{TEAMS_APP_ID}}"}', {})).toThrow(/TEAMS_APP_ID/);
    // Values are JSON-escaped: a stray quote cannot break the manifest.
    expect(JSON.parse(fillPlaceholders('{"x":"${{X}}"}', { X: 'a"b' })).x).toBe('a"b');
  });

  it('the template uses only the placeholders the Agents Toolkit fills after provisioning', () => {
    const text = readFileSync(join(APP_PACKAGE_DIR, 'manifest.json'), 'utf8');
    expect([...new Set([...text.matchAll(/\$\{\{(\w+)\}\}/g)].map((m) => m[1]))].sort()).toEqual(['BOT_DOMAIN', 'BOT_ID', 'TEAMS_APP_ID']);
  });
});

describe('the manifest against the official schema (offline, from @microsoft/app-manifest)', () => {
  const built = () => {
    const { path } = packageApp('local', packageVars('local', {}), outDir);
    return Object.fromEntries(unzip(readFileSync(path)).map((f) => [f.name, f.data]));
  };

  it('uses the newest manifest version the package ships, with the matching $schema URL', () => {
    const numbered = readdirSync(SCHEMAS)
      .filter((d) => /^v\d+\.\d+$/.test(d))
      .map((d) => d.slice(1))
      .sort((x, y) => Number(x.split('.')[1]) - Number(y.split('.')[1]));
    expect(template.manifestVersion, `newest schema shipped: ${numbered.at(-1)}`).toBe(numbered.at(-1));
    expect(template.$schema).toBe(`https://developer.microsoft.com/json-schemas/teams/v${template.manifestVersion}/MicrosoftTeams.schema.json`);
    expect(english.$schema).toBe(`https://developer.microsoft.com/json-schemas/teams/v${template.manifestVersion}/MicrosoftTeams.Localization.schema.json`);
  });

  it('the filled manifest passes the schema, and the validator does catch a broken one', async () => {
    const manifest = JSON.parse(built()['manifest.json']!.toString('utf8'));
    const schema = schemaFile(manifest.manifestVersion, 'MicrosoftTeams.schema.json');
    expect(await AppManifestUtils.validateAgainstSchema(manifest, schema)).toEqual([]);
    const broken = { ...manifest, bots: [{ ...manifest.bots[0], botId: 'not-a-guid', scopes: ['personal', 'everywhere'] }] };
    const errors = await AppManifestUtils.validateAgainstSchema(broken, schema);
    expect(errors.join('\n')).toMatch(/botId/);
    expect(errors.join('\n')).toMatch(/scopes/);
  });

  it('the English strings pass the localization schema and translate every command', async () => {
    const strings = JSON.parse(built()['en.json']!.toString('utf8'));
    const schema = loneBrackets(schemaFile(template.manifestVersion, 'MicrosoftTeams.Localization.schema.json'));
    expect(await AppManifestUtils.validateAgainstSchema(strings, schema)).toEqual([]);
    template.bots[0].commandLists.forEach((list: { commands: unknown[] }, l: number) =>
      list.commands.forEach((_c, c) => {
        expect(strings[`bots[0].commandLists[${l}].commands[${c}].title`], `list ${l} command ${c}`).toMatch(/\S/);
        expect(strings[`bots[0].commandLists[${l}].commands[${c}].description`], `list ${l} command ${c}`).toMatch(/\S/);
      }),
    );
  });

  it('what Teams checks beyond the schema: bot in personal and team only, files in the 1:1 chat (attachments), Teams limits on names and commands', () => {
    const bot = template.bots[0];
    expect(bot.scopes).toEqual(['personal', 'team']);
    expect(bot.supportsFiles).toBe(true);
    expect(template.webApplicationInfo).toBeUndefined();
    expect(template.validDomains).toEqual(['${{BOT_DOMAIN}}']);
    for (const url of Object.values(template.developer).filter((v) => String(v).startsWith('http')))
      expect(String(url)).toMatch(/^https:\/\/\$\{\{BOT_DOMAIN\}\}\//);
    for (const list of bot.commandLists) {
      expect(list.scopes).toHaveLength(1);
      expect(list.commands.length).toBeLessThanOrEqual(10);
      // Teams shows at most 32 characters of a title and 128 of a description.
      for (const c of list.commands) {
        expect(c.title.length, c.title).toBeLessThanOrEqual(32);
        expect(c.description.length, c.title).toBeLessThanOrEqual(128);
      }
    }
    for (const [k, v] of Object.entries(english)) {
      if (k.endsWith('.title')) expect(v.length, k).toBeLessThanOrEqual(32);
      if (/commands\[\d+\]\.description$/.test(k)) expect(v.length, k).toBeLessThanOrEqual(128);
    }
  });
});

describe('the icons', () => {
  it('color.png is 192×192 and opaque; outline.png is 32×32, white on transparent only', () => {
    const color = decodePng(readFileSync(join(APP_PACKAGE_DIR, 'color.png')));
    expect([color.width, color.height]).toEqual([192, 192]);
    for (let i = 3; i < color.rgba.length; i += 4) expect(color.rgba[i]).toBe(255);

    const outline = decodePng(readFileSync(join(APP_PACKAGE_DIR, 'outline.png')));
    expect([outline.width, outline.height]).toEqual([32, 32]);
    expect(outline.colorType, 'an outline icon needs an alpha channel').toBe(6);
    let opaque = 0,
      transparent = 0;
    for (let i = 0; i < outline.rgba.length; i += 4) {
      const [r, g, b, a] = [outline.rgba[i]!, outline.rgba[i + 1]!, outline.rgba[i + 2]!, outline.rgba[i + 3]!];
      if (a === 0) transparent++;
      else expect([r, g, b], `pixel ${i / 4} is not white`).toEqual([255, 255, 255]);
      if (a === 255) opaque++;
    }
    // Corners are background; the mark is solid, not a faint shadow.
    for (const corner of [0, 31, 32 * 31, 32 * 32 - 1]) expect(outline.rgba[corner * 4 + 3]).toBe(0);
    expect(opaque).toBeGreaterThan(200);
    expect(transparent).toBeGreaterThan(300);
  });
});

describe('the command lists are what the bot understands', () => {
  let stop: () => Promise<void> = async () => undefined;
  let send: (activity: object) => Promise<{ text?: string; card?: unknown }>;

  beforeAll(async () => {
    const connector = await startConnector();
    const deps = { repos: memoryRepos(), clock: fixedClock(), accounthouders: [INGRID.aadObjectId] };
    await seedDemoRound(deps);
    const log = createLogger('silent');
    const bot = createBot(
      loadConfig({ APP_ENV: 'test', STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true', ACCOUNTHOUDER_IDS: INGRID.aadObjectId }),
      deps,
      log,
    );
    const server = createServer(bot, async () => true, log);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`;
    send = async (activity) => {
      connector.clear();
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
      expect(res.status).toBe(200);
      const last = connector.posted.at(-1)?.activity;
      return { text: last?.text, card: last?.attachments?.[0]?.content };
    };
    stop = async () => {
      server.close();
      await connector.stop();
    };
    Object.assign(globalThis, { __connectorUrl: connector.url });
  });
  afterAll(() => stop());

  /** Every text on a card, unescaped. */
  const textsOf = (card: unknown): string[] => {
    const out: string[] = [];
    JSON.stringify(card, (k, v) => (k === 'text' && typeof v === 'string' ? (out.push(v), v) : v));
    return out;
  };
  const serviceUrl = () => (globalThis as unknown as { __connectorUrl: string }).__connectorUrl;
  const personal = template.bots[0].commandLists.find((l: { scopes: string[] }) => l.scopes.includes('personal'));
  const team = template.bots[0].commandLists.find((l: { scopes: string[] }) => l.scopes.includes('team'));
  const titles = (listIndex: number, count: number, lang: 'nl' | 'en', list: { commands: { title: string }[] }) =>
    list.commands.slice(0, count).map((c, i) => (lang === 'nl' ? c.title : english[`bots[0].commandLists[${listIndex}].commands[${i}].title`]!));
  const personalIndex = template.bots[0].commandLists.indexOf(personal);
  const teamIndex = template.bots[0].commandLists.indexOf(team);

  it('has the commands the README promises', () => {
    expect(personal.commands.map((c: { title: string }) => c.title)).toEqual([
      'hallo',
      'nieuwe aanvraag',
      'mijn aanvragen',
      'resultaten',
      'ronde',
      'uitgangspunten',
      'toekenning',
      'overzicht',
      'organisaties',
      'mijn gegevens',
    ]);
    expect(team.commands.map((c: { title: string }) => c.title)).toEqual(['koppel beoordeling', 'panel']);
  });

  for (const [lang, locale] of [
    ['nl', 'nl-NL'],
    ['en', 'en-US'],
  ] as const) {
    it(`every personal command (${lang}) gets its own card, not "I did not understand"`, async () => {
      const notUnderstood = messages(lang).welcome.notUnderstood;
      const control = await send(personalMessage(serviceUrl(), INGRID, 'blablabla', locale));
      expect(textsOf(control.card)).toContain(notUnderstood);
      for (const title of titles(personalIndex, personal.commands.length, lang, personal)) {
        const reply = await send(personalMessage(serviceUrl(), INGRID, title, locale));
        expect(reply.card, title).toBeDefined();
        expect(textsOf(reply.card), title).not.toContain(notUnderstood);
      }
    });

    it(`every team command (${lang}) is understood in a channel, not answered with the channel help`, async () => {
      const help = messages(lang).link.help;
      expect((await send(channelMessage(serviceUrl(), INGRID, 'blablabla', locale))).text).toBe(help);
      for (const title of titles(teamIndex, team.commands.length, lang, team)) {
        const reply = await send(channelMessage(serviceUrl(), INGRID, title, locale));
        expect(reply.text ?? reply.card, title).toBeDefined();
        expect(reply.text, title).not.toBe(help);
      }
    });
  }

  it('someone who is not an accounthouder sees the accounthouder commands refused, not misunderstood', async () => {
    const reply = await send(personalMessage(serviceUrl(), ANOUK, 'ronde'));
    expect(reply.card).toBeDefined();
    expect(textsOf(reply.card)).not.toContain(messages('nl').welcome.notUnderstood);
  });
});

describe('the Azure deployment', () => {
  it('runs on Node 22 LTS (Node 20 reached end of life on 30 April 2026), and package.json still allows this machine’s Node 20', () => {
    const bicep = readFileSync(resolve('teamsapp/infra/main.bicep'), 'utf8');
    expect(bicep).toContain("linuxFxVersion: 'NODE|22-lts'");
    expect(bicep).not.toMatch(/NODE\|20/);
    const engines = JSON.parse(readFileSync(resolve('package.json'), 'utf8')).engines.node as string;
    expect(engines).toBe('>=20.19');
  });
});
