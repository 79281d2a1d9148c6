// The layout the README's Architecture section draws, checked from the code's
// own imports (type-only ones included): no import cycle among main/, preload/
// and renderer/; each layer imports only the layers below it; every product
// file has at most 300 lines.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOTS = ['main', 'preload', 'renderer'];
const SOURCE = /\.(ts|css|html)$/;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (name === 'dist' || name === 'node_modules') return [];
    return statSync(file).isDirectory() ? walk(file) : SOURCE.test(name) ? [file] : [];
  });
}

const files = ROOTS.flatMap((r) => walk(r)).sort();
const tsFiles = files.filter((f) => f.endsWith('.ts'));

/** Every relative import (static, type-only, re-export, dynamic) of `file`, as repository paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]!);
  return specs.map((s) => path.normalize(path.join(path.dirname(file), s)).replace(/\.js$/, '.ts'));
}

const graph = new Map(tsFiles.map((f) => [f, importsOf(f)]));

function findCycle(): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string): string[] | undefined => {
    if (state.get(f) === 'done') return undefined;
    if (state.get(f) === 'open') return [...stack.slice(stack.indexOf(f)), f];
    state.set(f, 'open');
    stack.push(f);
    for (const next of graph.get(f) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(f, 'done');
    return undefined;
  };
  for (const f of graph.keys()) {
    const cycle = visit(f);
    if (cycle) return cycle;
  }
  return undefined;
}

/** Which imports break a rule: `from` files (prefix) must not import `to` files (prefix). */
function violations(from: string, to: readonly string[]): string[] {
  return [...graph].filter(([f]) => f.startsWith(from)).flatMap(([f, deps]) => deps.filter((d) => to.some((t) => d.startsWith(t))).map((d) => `${f} -> ${d}`));
}

describe('the layout', () => {
  it('reads the tree (a guard against a rule that checks nothing)', () => {
    expect(tsFiles.length).toBeGreaterThan(120);
    expect([...graph.values()].flat().length).toBeGreaterThan(400);
  });

  it('has no import cycle, type-only imports included', () => {
    expect(findCycle()).toBeUndefined();
  });

  it('imports downwards only: core never reaches up into the Electron app, the CLI or the entry points', () => {
    expect(violations('main/core/', ['main/app/', 'main/cli/', 'main/index.ts', 'main/cli.ts', 'preload/', 'renderer/'])).toEqual([]);
    expect(violations('main/app/', ['main/cli/', 'main/index.ts', 'main/cli.ts'])).toEqual([]);
    expect(violations('main/cli/', ['main/app/', 'main/index.ts'])).toEqual([]);
  });

  it('keeps the ledger below teardown, and both below the lifecycle', () => {
    expect(violations('main/core/ledger/', ['main/core/teardown/', 'main/core/lifecycle/'])).toEqual([]);
    expect(violations('main/core/teardown/', ['main/core/lifecycle/'])).toEqual([]);
  });

  it('keeps the window apart from Node: what renderer/ and preload/ reach imports no Node module and no Electron at run time', () => {
    expect(violations('renderer/', ['main/app/', 'main/cli/', 'preload/index.ts'])).toEqual([]);
    expect(violations('preload/', ['main/app/', 'main/cli/', 'renderer/'])).toEqual([]);
    const reached = new Set<string>();
    const reach = (f: string): void => {
      if (reached.has(f)) return;
      reached.add(f);
      for (const d of graph.get(f) ?? []) reach(d);
    };
    for (const f of tsFiles.filter((f) => f.startsWith('renderer/') || f.startsWith('preload/'))) reach(f);
    // They share core's pure model, errors and validation (bundled into the page), nothing else.
    expect([...reached].filter((f) => f.startsWith('main/')).sort()).toEqual(['main/core/colima/argv.ts', 'main/core/errors.ts', 'main/core/model.ts', 'main/core/profiles/validate.ts']);
    const runtimeImport = (f: string, module: string): boolean => new RegExp(`^import\\s+(?!type\\b)[^;]*from\\s+['"]${module}['"]`, 'm').test(readFileSync(f, 'utf8'));
    expect([...reached].filter((f) => runtimeImport(f, 'node:[^\'"]+'))).toEqual([]);
    // Only the sandboxed preload itself takes Electron's contextBridge and ipcRenderer.
    expect([...reached].filter((f) => runtimeImport(f, 'electron'))).toEqual(['preload/index.ts']);
  });

  it('core imports no Electron at run time (type-only imports are erased)', () => {
    const electron = tsFiles.filter((f) => f.startsWith('main/core/') && /^import\s+(?!type\b)[^;]*from\s+['"]electron['"]/m.test(readFileSync(f, 'utf8')));
    expect(electron).toEqual([]);
  });

  it('has no product file over 300 lines', () => {
    const long = files.map((f) => [f, readFileSync(f, 'utf8').split('\n').length - 1] as const).filter(([, n]) => n > 300);
    expect(long).toEqual([]);
  });
});
