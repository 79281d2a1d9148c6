// Bundles the ESM TypeScript sources into what Electron and Node load:
// dist/main.cjs (Electron main), dist/cli.cjs (headless CLI), dist/preload.cjs
// (sandboxed preload: CJS and self-contained) and renderer/dist/picker.js (IIFE).
// ESM-only dependencies (execa, electron-store) are inlined, so the packaged app
// needs no node_modules. See reference/electron-stack.md §4.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { chmod, cp, mkdir } from 'node:fs/promises';

const node = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  external: ['electron'],
  sourcemap: true,
  logLevel: 'warning',
  // import.meta is empty in CJS output; our code uses __dirname instead.
  define: { 'import.meta.dirname': '__dirname' },
};

// The CLI runs in plain Node, where require('electron') would try to download
// Electron (electron-stack.md §3). electron-store only needs an empty module when
// given an absolute cwd (§5), so the CLI bundle gets one instead.
const noElectron = {
  name: 'no-electron',
  setup(b) {
    b.onResolve({ filter: /^electron$/ }, () => ({ path: 'electron', namespace: 'no-electron' }));
    b.onLoad({ filter: /.*/, namespace: 'no-electron' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

// The CLI checks the Node version before any bundled module loads (execa crashes
// at import on Node 20): node-version.cjs, wrapped so that it only guards.
const nodeGuard = `(function (module) {\n${readFileSync('build/node-version.cjs', 'utf8')}\nmodule.exports.guard();\n})({ exports: {} });`;

await Promise.all([
  build({ ...node, entryPoints: ['main/index.ts'], outfile: 'dist/main.cjs' }),
  build({ ...node, entryPoints: ['main/cli.ts'], outfile: 'dist/cli.cjs', banner: { js: `#!/usr/bin/env node\n${nodeGuard}` }, external: [], plugins: [noElectron] }),
  build({ ...node, entryPoints: ['preload/index.ts'], outfile: 'dist/preload.cjs', sourcemap: false }),
  build({ ...node, entryPoints: ['main/app/windows/quit-window/preload.ts'], outfile: 'dist/quit-preload.cjs', sourcemap: false }),
  ...(process.argv.includes('--bench') ? [build({ ...node, entryPoints: ['test/bench/main.ts'], outfile: 'dist/bench.cjs' })] : []),
  build({
    entryPoints: ['renderer/main.ts'],
    outfile: 'renderer/dist/picker.js',
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome140',
    logLevel: 'warning',
  }),
]);
await chmod('dist/cli.cjs', 0o755);
// The quit window's static page (it runs no script; dist/quit-preload.cjs draws it).
await mkdir('dist/quit-window', { recursive: true });
await Promise.all(['quit.html', 'quit.css'].map((f) => cp(`main/app/windows/quit-window/${f}`, `dist/quit-window/${f}`)));
