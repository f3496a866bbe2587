/**
 * The Playground page always acts as its config's `currentUser`. To let one person play every
 * role of the demo (partner, accounthouder, panel member) `npm run dev -- --as ingrid` swaps the
 * chosen cast member into `currentUser` in a copy of the checked-in config. Development only.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

interface CastMember {
  id: string;
  name: string;
  givenName?: string;
}

interface PlaygroundCast {
  currentUser: CastMember;
  users: CastMember[];
  [key: string]: unknown;
}

/** Reads `--as <name>` / `--as=<name>` (a first name, full name or user id) from the arguments. */
export function personaArgument(argv: readonly string[]): string | undefined {
  const i = argv.findIndex((a) => a === '--as' || a.startsWith('--as='));
  if (i < 0) return undefined;
  const value = argv[i]!.includes('=') ? argv[i]!.split('=')[1] : argv[i + 1];
  return value?.trim() || undefined;
}

/** The config with `who` as current user; returns the path to use and the persona's name. */
export function castAs(baseConfig: string, who: string | undefined, outDir: string): { path: string; name: string } {
  const cast = parse(readFileSync(baseConfig, 'utf8')) as PlaygroundCast;
  if (!who) return { path: baseConfig, name: cast.currentUser.name };
  const wanted = who.toLowerCase();
  const matches = (m: CastMember) => [m.id, m.name, m.givenName ?? m.name.split(' ')[0]].some((x) => x?.toLowerCase() === wanted);
  if (matches(cast.currentUser)) return { path: baseConfig, name: cast.currentUser.name };
  const chosen = cast.users.find(matches);
  if (!chosen) {
    const names = [cast.currentUser, ...cast.users].map((m) => m.givenName ?? m.name).join(', ');
    throw new Error(`no cast member "${who}"; choose one of: ${names}`);
  }
  const swapped: PlaygroundCast = { ...cast, currentUser: chosen, users: cast.users.map((m) => (m === chosen ? cast.currentUser : m)) };
  const path = join(outDir, `cast-${chosen.id.replace(/[^a-z0-9]+/gi, '-')}.yml`);
  writeFileSync(path, stringify(swapped));
  return { path, name: chosen.name };
}
