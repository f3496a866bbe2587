import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const FORBIDDEN = /from\s+['"](botbuilder[^'"]*|@microsoft\/[^'"]+|restify|@azure\/[^'"]+|adaptivecards[^'"]*|pino)['"]|require\(\s*['"](botbuilder|@azure|restify)/;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('architecture', () => {
  it('src/domain imports no SDK, storage or transport package', () => {
    const offenders = files('src/domain').filter((f) => FORBIDDEN.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('src/domain and src/usecases import nothing from the app, store or http layers', () => {
    const layered = [...files('src/domain'), ...files('src/usecases')].filter((f) => /from\s+['"]\.\.\/(app|store|http|cards)\//.test(readFileSync(f, 'utf8')));
    expect(layered).toEqual([]);
  });

  it('only src/config reads process.env', () => {
    const readers = files('src').filter((f) => !f.startsWith(join('src', 'config')) && /process\.env/.test(readFileSync(f, 'utf8')));
    expect(readers).toEqual([]);
  });
});
