import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatCycle, importCycles, importEdges, importGraph, tsFiles } from '../support/import-graph';

const FORBIDDEN =
  /from\s+['"](botbuilder[^'"]*|@microsoft\/[^'"]+|restify|@azure\/[^'"]+|adaptivecards[^'"]*|pino)['"]|require\(\s*['"](botbuilder|@azure|restify)/;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
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

  it('src has no import cycles (type-only imports count)', () => {
    // Each cycle as a chain, e.g. "domain/a.ts → domain/b.ts → domain/a.ts".
    expect(importCycles(importGraph('src')).map((c) => formatCycle(c))).toEqual([]);
  });

  it('src/domain imports nothing outside src/domain', () => {
    const outside = importEdges(tsFiles('src/domain'))
      .filter((e) => e.to === undefined || !e.to.startsWith('src/domain/'))
      .map((e) => `${e.from} imports '${e.specifier}'${e.to ? ` (${e.to})` : ' (no such file)'}`);
    expect(outside).toEqual([]);
  });

  it('route modules in src/app reach storage only through use cases (no deps.repos, no .repos.)', () => {
    const routes = tsFiles('src/app').filter((f) => basename(f).endsWith('routes.ts'));
    expect(routes.length).toBeGreaterThan(0);
    const offenders = routes.flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .flatMap((line, i) => (/deps\.repos|\.repos\./.test(line) ? [`${f}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(offenders).toEqual([]);
  });

  it('the cycle finder itself: type-only imports, re-exports, index.ts and every cycle of a tangle, each once', () => {
    const root = mkdtempSync(join(tmpdir(), 'leerbudget-imports-'));
    const cwd = process.cwd();
    try {
      const write = (file: string, text: string) => {
        mkdirSync(dirname(join(root, file)), { recursive: true });
        writeFileSync(join(root, file), text);
      };
      write('a.ts', "import type { B } from './b';\nexport type A = B;\n");
      write('b.ts', "export * from './c';\nimport { d } from './lib';\nimport type { A } from './a';\nexport type B = string;\n");
      write('c.ts', "export { a } from './a.js';\nimport 'node:fs';\nimport 'zod';\n");
      write('lib/index.ts', "export const d = import('../b');\n");
      write('x.ts', "import './x';\n");
      write('leaf.ts', "import { B } from './a';\n");
      process.chdir(root);
      const graph = importGraph('.');
      expect([...graph.get('lib/index.ts')!]).toEqual(['b.ts']);
      expect(importCycles(graph).map((c) => formatCycle(c, '.'))).toEqual([
        'a.ts → b.ts → a.ts',
        'a.ts → b.ts → c.ts → a.ts',
        'b.ts → lib/index.ts → b.ts',
        'x.ts → x.ts',
      ]);
    } finally {
      process.chdir(cwd);
      rmSync(root, { recursive: true, force: true });
    }
  });
});
