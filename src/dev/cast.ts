/**
 * The Playground page always acts as its config's `currentUser`, and a Playground keeps its
 * conversations in memory. So that one person can play every role of the demo without losing
 * anything, `npm run dev` starts one Playground per cast member against the one bot, each from a
 * copy of the checked-in config with that member as `currentUser` and a personal chat of their
 * own (`a:leerbudget-personal-<first name>`); the team and its channels are the same in all of
 * them. Development only.
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
  personalChat?: { id: string };
  [key: string]: unknown;
}

/** Who gets a Playground in `npm run dev`, on which port (the first is the README's 56150). */
export const DEV_CAST: readonly { who: string; port: number }[] = [
  { who: 'anouk', port: 56150 },
  { who: 'ingrid', port: 56151 },
  { who: 'sanne', port: 56152 },
  { who: 'mohamed', port: 56153 },
  { who: 'peter', port: 56154 },
];

const firstName = (m: CastMember) => (m.givenName ?? m.name.split(' ')[0] ?? m.id).toLowerCase();

/** The personal chat of one cast member: their own, in every Playground and every run. */
export const personalChatOf = (m: CastMember) => `a:leerbudget-personal-${firstName(m).replace(/[^a-z0-9]+/g, '-')}`;

/** Reads `--as <name>` / `--as=<name>` (a first name, full name or user id) from the arguments. */
export function personaArgument(argv: readonly string[]): string | undefined {
  const i = argv.findIndex((a) => a === '--as' || a.startsWith('--as='));
  if (i < 0) return undefined;
  const value = argv[i]!.includes('=') ? argv[i]!.split('=')[1] : argv[i + 1];
  return value?.trim() || undefined;
}

/**
 * The config with `who` as current user and their own personal chat; returns the path to use and
 * the persona's name. Without `who`, the checked-in file as it is (its current user, Anouk).
 */
export function castAs(baseConfig: string, who: string | undefined, outDir: string): { path: string; name: string; personalChat: string } {
  const cast = parse(readFileSync(baseConfig, 'utf8')) as PlaygroundCast;
  const own = (m: CastMember) => ({ path: baseConfig, name: m.name, personalChat: cast.personalChat?.id ?? personalChatOf(m) });
  if (!who) return own(cast.currentUser);
  const wanted = who.toLowerCase();
  const matches = (m: CastMember) => [m.id, m.name, firstName(m)].some((x) => x?.toLowerCase() === wanted);
  if (matches(cast.currentUser) && cast.personalChat?.id === personalChatOf(cast.currentUser)) return own(cast.currentUser);
  const chosen = matches(cast.currentUser) ? cast.currentUser : cast.users.find(matches);
  if (!chosen) {
    const names = [cast.currentUser, ...cast.users].map((m) => m.givenName ?? m.name).join(', ');
    throw new Error(`no cast member "${who}"; choose one of: ${names}`);
  }
  const personalChat = personalChatOf(chosen);
  const swapped: PlaygroundCast = {
    ...cast,
    currentUser: chosen,
    users: cast.users.map((m) => (m === chosen ? cast.currentUser : m)),
    personalChat: { id: personalChat },
  };
  const path = join(outDir, `cast-${chosen.id.replace(/[^a-z0-9]+/gi, '-')}.yml`);
  writeFileSync(path, stringify(swapped));
  return { path, name: chosen.name, personalChat };
}
