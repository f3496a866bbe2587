// Stages what App Service runs into teamsapp/build/deploy: the compiled app (dist/) and the
// files `npm ci --omit=dev` needs. Run after `npm run build`; cross-platform, node built-ins only.
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const target = resolve(root, 'teamsapp/build/deploy');
if (!existsSync(resolve(root, 'dist/src/index.js'))) {
  console.error('dist/src/index.js is missing: run `npm run build` first');
  process.exit(1);
}
rmSync(target, { recursive: true, force: true });
mkdirSync(target, { recursive: true });
// .npmrc lets botbuilder-dialogs' postinstall run unprompted during `npm ci`.
for (const file of ['package.json', 'package-lock.json', '.npmrc']) cpSync(resolve(root, file), resolve(target, file));
const tests = resolve(root, 'dist/tests');
cpSync(resolve(root, 'dist'), resolve(target, 'dist'), { recursive: true, filter: (src) => !src.startsWith(tests) && !src.endsWith('.map') });
console.log(`staged ${target}`);
