import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The config lives in tests/, but paths (src/, cards/, .m365agentsplayground.yml) are repo-relative.
  root: resolve(__dirname, '..'),
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    // Separate processes: tests spawn servers and child processes and must not share globals.
    pool: 'forks',
    // Unit tests finish in milliseconds; end-to-end tests (Azurite + bot + Playground) need room.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    teardownTimeout: 20_000,
  },
});
