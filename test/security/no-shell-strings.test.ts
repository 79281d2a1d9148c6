// The brief's rule: never build a shell command string from data. These checks
// read every source file: processes are spawned only in main/core/run.ts, with
// an argv array, and nothing asks for a shell.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (name === 'dist' || name === 'node_modules') return [];
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return /\.(ts|mjs|cjs|js)$/.test(name) ? [p] : [];
  });
}

const product = ['main', 'preload', 'renderer'].flatMap(sourceFiles);

describe('process spawning', () => {
  it('finds the product sources', () => {
    expect(product.length).toBeGreaterThan(10);
    expect(product).toContain(path.join('main', 'core', 'run.ts'));
  });

  it('never passes shell: true', () => {
    const offenders = product.filter((f) => /shell\s*:\s*true/.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('spawns processes only in main/core/run.ts', () => {
    const spawners = product.filter((f) => {
      const src = readFileSync(f, 'utf8');
      return /from\s+['"](node:)?child_process['"]|require\(['"](node:)?child_process['"]\)|from\s+['"]execa['"]/.test(src);
    });
    expect(spawners).toEqual([path.join('main', 'core', 'run.ts')]);
  });

  it('never uses exec/execSync/execaCommand (which take a command string)', () => {
    const offenders = product.filter((f) => /\b(execSync|execaCommand|execaCommandSync)\s*\(|\bexec\s*\(\s*[`'"]/.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('never hands nix-shell --run a string built from data', () => {
    // `--run` must be followed by a constant (an identifier naming a fixed script), never a template or concatenation.
    const offenders = product.filter((f) => /['"]--run['"]\s*,\s*(`[^`]*\$\{|[^,\]\n]*\+)/.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
