import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { castAs, DEV_CAST, personaArgument } from '../../src/dev/cast';

describe('npm run dev: one Playground per cast member', () => {
  const out = mkdtempSync(join(tmpdir(), 'cast-'));

  it('reads the persona from the arguments', () => {
    expect(personaArgument(['--as', 'ingrid'])).toBe('ingrid');
    expect(personaArgument(['--as=Sanne'])).toBe('Sanne');
    expect(personaArgument([])).toBeUndefined();
  });

  it('swaps the chosen cast member into currentUser and keeps exactly five others', () => {
    const { path, name } = castAs('.m365agentsplayground.yml', 'ingrid', out);
    expect(name).toBe('Ingrid Jansen');
    const cast = parse(readFileSync(path, 'utf8'));
    expect(cast.currentUser.aadObjectId).toBe('b0818d37-6b48-4398-b3e7-c618a1404916');
    expect(cast.users).toHaveLength(5);
    expect(cast.users.map((u: { name: string }) => u.name)).toContain('Anouk Bakker');
    expect(cast.users.map((u: { name: string }) => u.name)).not.toContain('Ingrid Jansen');
    expect(cast.team.name).toBe('Leerbudget');
  });

  it('gives every member a personal chat of their own and the same team and channels', () => {
    const base = parse(readFileSync('.m365agentsplayground.yml', 'utf8'));
    const chats = DEV_CAST.map(({ who }) => parse(readFileSync(castAs('.m365agentsplayground.yml', who, out).path, 'utf8')));
    expect(new Set(chats.map((c) => c.personalChat.id)).size).toBe(DEV_CAST.length);
    expect(chats.map((c) => c.personalChat.id)).toContain('a:leerbudget-personal-ingrid');
    expect(new Set(chats.map((c) => c.currentUser.id)).size).toBe(DEV_CAST.length);
    for (const c of chats) expect(c.team).toEqual(base.team);
    expect(new Set(DEV_CAST.map((c) => c.port)).size).toBe(DEV_CAST.length);
    expect(DEV_CAST[0]).toEqual({ who: 'anouk', port: 56150 });
  });

  it('uses the checked-in file as it is by default, and names the cast on a typo', () => {
    expect(castAs('.m365agentsplayground.yml', undefined, out).path).toBe('.m365agentsplayground.yml');
    expect(() => castAs('.m365agentsplayground.yml', 'bob', out)).toThrow(/Anouk, Ingrid, Sanne, Mohamed, Peter, Lotte/);
  });
});
