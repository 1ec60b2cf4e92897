import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const alias = {
  '@sixty/core': fileURLToPath(new URL('./packages/core/src/index.ts', import.meta.url)),
  '@sixty/agent': fileURLToPath(new URL('./packages/agent/src/index.ts', import.meta.url)),
};

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['packages/*/test/**/*.test.ts', 'plugins/*/test/**/*.test.ts', 'tools/test/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['tools/test-setup/fast-check-seed.ts'],
          // property tests and real processes: a busy machine may be 10x slower, never a failure
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // End-to-end: the real nx CLI on temporary synthetic workspaces, using the built packages.
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
