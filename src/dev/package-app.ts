/**
 * `npm run package [-- --env <name>]`: the Teams app package, teamsapp/build/appPackage.<env>.zip.
 *
 * The manifest template's `${{NAME}}` placeholders are filled the way the Microsoft 365 Agents
 * Toolkit fills them: from the process environment over `env/.env.<env>` (where
 * `teamsapp provision --env <env>` writes TEAMS_APP_ID, BOT_ID and BOT_DOMAIN). For the `local`
 * environment, ids nobody has are used when none are set, so the package can be built and checked
 * without a tenant; any other environment must have real values. The zip is written with node
 * built-ins: the package holds four small files and needs no archive library.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { crc32, deflateRawSync } from 'node:zlib';
import { processEnvironment } from '../config';

const ROOT = resolve(__dirname, '../..');
export const APP_PACKAGE_DIR = resolve(ROOT, 'teamsapp/appPackage');
export const BUILD_DIR = resolve(ROOT, 'teamsapp/build');

/** Obviously fake values for a local package: never registered anywhere. */
export const LOCAL_DEFAULTS: Readonly<Record<string, string>> = {
  TEAMS_APP_ID: '00000000-0000-4000-8000-00000000a991',
  BOT_ID: '00000000-0000-4000-8000-00000000b071',
  BOT_DOMAIN: 'leerbudget.example.invalid',
};

const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

export class PackageError extends Error {
  override name = 'PackageError';
}

/** Fills `${{NAME}}` placeholders; every placeholder must have a value. */
export function fillPlaceholders(template: string, vars: Readonly<Record<string, string | undefined>>): string {
  const missing = new Set<string>();
  const filled = template.replace(PLACEHOLDER, (_m, name: string) => {
    const value = vars[name];
    if (value === undefined || value === '') {
      missing.add(name);
      return '';
    }
    // Values land inside JSON strings.
    return JSON.stringify(value).slice(1, -1);
  });
  if (missing.size)
    throw new PackageError(`No value for ${[...missing].join(', ')}: set them in the environment or in env/.env.<env> (teamsapp provision writes them there).`);
  return filled;
}

/** The values for an environment: process env over env/.env.<env>, over the local defaults for `local`. */
export function packageVars(
  envName: string,
  processEnv: Record<string, string | undefined> = processEnvironment(),
  envDir = resolve(ROOT, 'env'),
): Record<string, string | undefined> {
  const file = resolve(envDir, `.env.${envName}`);
  const fromFile = existsSync(file) ? parseEnv(readFileSync(file, 'utf8')) : {};
  const defaults = envName === 'local' ? LOCAL_DEFAULTS : {};
  const vars: Record<string, string | undefined> = { ...defaults };
  for (const [k, v] of Object.entries({ ...fromFile, ...processEnv })) if (v !== undefined && v !== '') vars[k] = v;
  return vars;
}

export interface ZipEntry {
  name: string;
  data: Buffer;
}

/** DOS date of 1980-01-01 00:00: a fixed time keeps the zip byte-for-byte reproducible. */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

/** A zip archive (deflated entries, no directories, no extras) from node built-ins. */
export function zip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const compressed = deflateRawSync(entry.data, { level: 9 });
    const crc = crc32(entry.data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(0x0800, 6); // names are UTF-8
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, compressed);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, 2.0
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38); // external attributes: a regular file, rw-r--r--
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

interface ManifestFiles {
  icons?: { color?: string; outline?: string };
  localizationInfo?: { defaultLanguageFile?: string; additionalLanguages?: { file: string }[] };
}

/** The files the manifest names (icons, language files), which must sit next to it at the zip's root. */
export function referencedFiles(manifest: ManifestFiles): string[] {
  const files = [
    manifest.icons?.color,
    manifest.icons?.outline,
    manifest.localizationInfo?.defaultLanguageFile,
    ...(manifest.localizationInfo?.additionalLanguages ?? []).map((l) => l.file),
  ].filter((f): f is string => Boolean(f));
  for (const f of files) if (/[\\/]|^\.\.?$/.test(f)) throw new PackageError(`${f}: files in the app package must sit at its root`);
  return [...new Set(files)];
}

export interface Packaged {
  path: string;
  files: string[];
  manifest: Record<string, unknown>;
}

/** Builds the package for one environment and writes it to teamsapp/build. */
export function packageApp(envName: string, vars: Record<string, string | undefined> = packageVars(envName), outDir = BUILD_DIR): Packaged {
  if (!/^[A-Za-z0-9_-]+$/.test(envName)) throw new PackageError(`${envName}: an environment name is letters, digits, - and _`);
  const fill = (file: string) => fillPlaceholders(readFileSync(resolve(APP_PACKAGE_DIR, file), 'utf8'), vars);
  const manifestText = fill('manifest.json');
  const manifest = JSON.parse(manifestText) as Record<string, unknown> & ManifestFiles;
  const entries: ZipEntry[] = [{ name: 'manifest.json', data: Buffer.from(manifestText, 'utf8') }];
  for (const file of referencedFiles(manifest)) {
    const data = file.endsWith('.json') ? Buffer.from(fill(file), 'utf8') : readFileSync(resolve(APP_PACKAGE_DIR, file));
    entries.push({ name: file, data });
  }
  mkdirSync(outDir, { recursive: true });
  const path = resolve(outDir, `appPackage.${envName}.zip`);
  writeFileSync(path, zip(entries));
  return { path, files: entries.map((e) => e.name), manifest };
}

function envFromArgs(argv: string[]): string {
  const i = argv.findIndex((a) => a === '--env' || a.startsWith('--env='));
  if (i === -1) return processEnvironment().TEAMSFX_ENV || 'local';
  const arg = argv[i]!;
  return arg.includes('=') ? arg.slice('--env='.length) : (argv[i + 1] ?? '');
}

if (require.main === module) {
  try {
    const env = envFromArgs(process.argv.slice(2));
    const { path, files, manifest } = packageApp(env);
    const fake = env === 'local' ? ' (local: placeholder ids, for checks and sideloading tests only)' : '';
    process.stdout.write(`${path}${fake}\n  app id ${String(manifest.id)}, files: ${files.join(', ')}\n`);
  } catch (e) {
    process.stderr.write(`Packaging failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}
