// `npm start`: build, then run the tray app in the Electron binary. The
// electron package downloads that binary on first use and, offline, fails with
// a `fetch failed` trace and advice of its own (electron-stack.md §3); this
// looks first and says what to do in one line instead.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Where node_modules/electron says its binary is, or why there is none. */
export function electronBinary(root = process.cwd(), env = process.env) {
  const pkg = path.join(root, 'node_modules', 'electron');
  if (!existsSync(path.join(pkg, 'package.json'))) return { missing: 'the electron package is not installed: run `npm ci` first' };
  const version = JSON.parse(readFileSync(path.join(pkg, 'package.json'), 'utf8')).version;
  const pathTxt = path.join(pkg, 'path.txt');
  const relative = existsSync(pathTxt) ? readFileSync(pathTxt, 'utf8').trim() : undefined;
  const dist = env.ELECTRON_OVERRIDE_DIST_PATH || path.join(pkg, 'dist');
  const file = relative ? path.join(dist, relative) : undefined;
  if (file && existsSync(file)) return { file };
  return {
    missing:
      `the Electron ${version} binary is not downloaded yet: run \`npx install-electron\` once (it fetches about 100 MB from ` +
      'GitHub; set ELECTRON_MIRROR to use a mirror), then `npm start` again. Without it, `node dist/cli.cjs` runs the same core from a terminal.',
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const found = electronBinary();
  if (found.missing) {
    console.error(`npm start: ${found.missing}`);
    process.exit(1);
  }
  const run = spawnSync(found.file, ['.', ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(run.status ?? 1);
}
