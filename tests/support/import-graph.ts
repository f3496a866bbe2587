import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/**
 * The module graph of a TypeScript tree: every relative import, re-export, dynamic import and
 * require, type-only ones included (a type-only cycle still ties the modules together), resolved
 * the way the compiler does for this project: `./x` is `x.ts` or `x/index.ts`.
 *
 *   npx tsx tests/support/import-graph.ts [dir]   prints the cycles in dir (default src)
 */

/** Every .ts file under `dir` (declaration files left out), as paths relative to the working directory with forward slashes. */
export function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [join(dir, e.name)] : []))
    .map(normal)
    .sort();
}

const normal = (p: string) => relative(process.cwd(), resolve(p)).split(sep).join('/');

/** The relative specifiers a file imports (packages and node: builtins left out). */
export function relativeImports(text: string): string[] {
  return ts
    .preProcessFile(text, true, true)
    .importedFiles.map((f) => f.fileName)
    .filter((s) => s.startsWith('./') || s.startsWith('../') || s === '.' || s === '..');
}

/** The file a relative specifier means, or undefined when there is none. */
export function resolveImport(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  const stem = base.replace(/\.(js|ts)$/, '');
  for (const candidate of [`${stem}.ts`, join(base, 'index.ts')]) if (existsSync(candidate) && statSync(candidate).isFile()) return normal(candidate);
  return undefined;
}

export interface ImportEdge {
  from: string;
  specifier: string;
  /** Undefined when the specifier names no file. */
  to?: string;
}

/** Every relative import of every file in `files`. */
export function importEdges(files: string[]): ImportEdge[] {
  return files.flatMap((from) =>
    relativeImports(readFileSync(from, 'utf8')).map((specifier) => {
      const to = resolveImport(from, specifier);
      return { from, specifier, ...(to ? { to } : {}) };
    }),
  );
}

/** Adjacency: each file and the files it imports. */
export function importGraph(dir: string): Map<string, Set<string>> {
  const files = tsFiles(dir);
  const graph = new Map(files.map((f) => [f, new Set<string>()]));
  for (const e of importEdges(files)) if (e.to) graph.get(e.from)!.add(e.to);
  return graph;
}

/**
 * Every elementary cycle, each as a chain that starts and ends at its smallest file
 * (`a → b → a`), sorted. Found per strongly connected component (Tarjan), then by a DFS that
 * only walks the component from its smallest node, so each cycle comes out once; `limit` keeps
 * a badly tangled tree from listing thousands.
 */
export function importCycles(graph: Map<string, Set<string>>, limit = 200): string[][] {
  const cycles: string[][] = [];
  for (const component of stronglyConnected(graph)) {
    const inside = new Set(component);
    const selfLoop = component.length === 1 && graph.get(component[0]!)?.has(component[0]!);
    if (component.length === 1 && !selfLoop) continue;
    // Johnson-style: cycles through the smallest node, then without it, and so on.
    const nodes = [...component].sort();
    for (let i = 0; i < nodes.length && cycles.length < limit; i++) {
      const start = nodes[i]!;
      const allowed = new Set(nodes.slice(i));
      const path = [start];
      const onPath = new Set([start]);
      const walk = (node: string) => {
        for (const next of [...(graph.get(node) ?? [])].sort()) {
          if (cycles.length >= limit || !inside.has(next) || !allowed.has(next)) continue;
          if (next === start) cycles.push([...path, start]);
          else if (!onPath.has(next)) {
            path.push(next);
            onPath.add(next);
            walk(next);
            path.pop();
            onPath.delete(next);
          }
        }
      };
      walk(start);
    }
  }
  return cycles.sort((a, b) => a.join('\u0000').localeCompare(b.join('\u0000')));
}

/** Tarjan's strongly connected components. */
function stronglyConnected(graph: Map<string, Set<string>>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    indices.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indices.get(w)!));
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      out.push(component);
    }
  };
  for (const v of [...graph.keys()].sort()) if (!indices.has(v)) visit(v);
  return out;
}

/** A cycle as people read it, paths relative to `root`: `domain/a.ts → domain/b.ts → domain/a.ts`. */
export function formatCycle(cycle: string[], root = 'src'): string {
  const prefix = `${normal(root)}/`;
  return cycle.map((f) => (f.startsWith(prefix) ? f.slice(prefix.length) : f)).join(' → ');
}

if (require.main === module) {
  const dir = process.argv[2] ?? 'src';
  const cycles = importCycles(importGraph(dir));
  for (const c of cycles) console.log(formatCycle(c, dir));
  console.log(cycles.length ? `${cycles.length} import cycle(s) in ${dir}` : `no import cycles in ${dir}`);
  process.exitCode = cycles.length ? 1 : 0;
}
