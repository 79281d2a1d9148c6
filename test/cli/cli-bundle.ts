// Bundles main/cli.ts into a temp folder the way build/bundle.mjs builds
// dist/cli.cjs (CJS, node target, `electron` replaced by an empty module), so
// tests can run the CLI as its own process without depending on a fresh
// `npm run build` (and without racing other tests that read dist/).
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';

const noElectron: Plugin = {
  name: 'no-electron',
  setup(b) {
    b.onResolve({ filter: /^electron$/ }, () => ({ path: 'electron', namespace: 'no-electron' }));
    b.onLoad({ filter: /.*/, namespace: 'no-electron' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

/** Returns the path of a freshly bundled cli.cjs. */
export async function bundleCli(): Promise<string> {
  const outfile = path.join(mkdtempSync(path.join(os.tmpdir(), 'ck8s-cli-')), 'dist', 'cli.cjs');
  await build({
    entryPoints: [path.resolve(process.cwd(), 'main', 'cli.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    logLevel: 'warning',
    define: { 'import.meta.dirname': '__dirname' },
    plugins: [noElectron],
  });
  return outfile;
}
