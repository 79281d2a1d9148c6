import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // electron-store imports 'electron'; inlining lets vi.mock('electron') reach it
    // instead of Node loading the real stub, which would try to download Electron.
    server: { deps: { inline: ['electron-store'] } },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Tests spawn nix-shell and simulators; two cores, so keep the pool small.
    maxWorkers: 2,
    globalSetup: ['test/global-setup.ts'],
  },
});
