// Who installed a global tool, so the doctor's fix is that installer's own
// uninstall command instead of a blind delete: Homebrew (a link into its
// Cellar or Caskroom), MacPorts (/opt/local), a nix profile (a link into the
// store), Docker Desktop (a link into Docker.app), or a Debian package
// (`dpkg-query -S`, e.g. google-cloud-cli's /usr/bin/kubectl: nix-env.md §2).
import { existsSync } from 'node:fs';
import { canWriteIn } from '../files.js';
import path from 'node:path';
import { shellCommand } from '../maintenance/shell-quote.js';
import { runCommand } from '../run.js';
import { realPathOf } from '../executables.js';
import type { RunCommandFn } from './types.js';

export type ToolOwner =
  | { readonly kind: 'homebrew'; readonly formula: string; readonly cask: boolean }
  | { readonly kind: 'macports'; readonly port: string }
  | { readonly kind: 'nix-profile'; readonly pkg: string }
  | { readonly kind: 'docker-desktop' }
  | { readonly kind: 'debian-package'; readonly pkg: string }
  | { readonly kind: 'unknown' };

export interface OwnerLookup {
  readonly storeDir: string;
  readonly platform: NodeJS.Platform;
  readonly run?: RunCommandFn;
  readonly signal?: AbortSignal;
  /** dpkg-query, when this is a Debian-like system (default /usr/bin/dpkg-query if present). */
  readonly dpkgQuery?: string;
}

export async function toolOwner(file: string, o: OwnerLookup): Promise<ToolOwner> {
  const real = realPathOf(file);
  const name = path.basename(file);
  const cellar = /\/Cellar\/([^/]+)\//.exec(real);
  if (cellar) return { kind: 'homebrew', formula: cellar[1]!, cask: false };
  const cask = /\/Caskroom\/([^/]+)\//.exec(real);
  if (cask) return { kind: 'homebrew', formula: cask[1]!, cask: true };
  if (real.includes('/Docker.app/')) return { kind: 'docker-desktop' };
  if (file.startsWith('/opt/local/')) {
    const versioned = /\/(kubectl-\d+\.\d+)\//.exec(real);
    return { kind: 'macports', port: versioned ? versioned[1]! : name === 'limactl' ? 'lima' : name };
  }
  if (real.startsWith(o.storeDir + '/')) {
    // <store>/<hash>-<name>-<version>/bin/<tool>: the package name nix-env knows.
    const entry = real.slice(o.storeDir.length + 1).split('/')[0] ?? '';
    const pkg = entry.replace(/^[a-z0-9]{32}-/, '').replace(/-\d.*$/, '');
    return { kind: 'nix-profile', pkg: pkg || name };
  }
  const pkg = o.platform === 'linux' ? await debianPackageOf(file, o) : undefined;
  return pkg ? { kind: 'debian-package', pkg } : { kind: 'unknown' };
}

/** `dpkg-query -S` knows the path as the package installed it; with merged /usr, /bin/x is /usr/bin/x. */
async function debianPackageOf(file: string, o: OwnerLookup): Promise<string | undefined> {
  const dpkgQuery = o.dpkgQuery ?? '/usr/bin/dpkg-query';
  if (!existsSync(dpkgQuery)) return undefined;
  const run = o.run ?? runCommand;
  const aliases = [...new Set([file, path.join(realPathOf(path.dirname(file)), path.basename(file))])];
  for (const candidate of aliases) {
    try {
      const r = await run(dpkgQuery, ['-S', candidate], { timeoutMs: 5_000, signal: o.signal });
      if (r.exitCode !== 0) continue;
      // `pkg[:arch][, pkg2]: /usr/bin/kubectl`; skip "diversion by ..." lines.
      const line = r.stdout.split('\n').find((l) => l.endsWith(`: ${candidate}`) && !l.startsWith('diversion'));
      const pkg = line?.slice(0, line.length - candidate.length - 2).split(',')[0]?.trim().replace(/:[a-z0-9_-]+$/, '');
      if (pkg) return pkg;
    } catch {
      /* no dpkg: not a Debian system */
    }
  }
  return undefined;
}

export function ownerLabel(owner: ToolOwner): string {
  switch (owner.kind) {
    case 'homebrew':
      return owner.cask ? `Homebrew cask ${owner.formula}` : `Homebrew formula ${owner.formula}`;
    case 'macports':
      return `MacPorts port ${owner.port}`;
    case 'nix-profile':
      return `nix profile package ${owner.pkg}`;
    case 'docker-desktop':
      return 'Docker Desktop';
    case 'debian-package':
      return `Debian package ${owner.pkg}`;
    case 'unknown':
      return '';
  }
}

/** The owner's uninstall command; for an unknown owner, a reversible rename. */
export function removalFix(file: string, owner: ToolOwner): string {
  switch (owner.kind) {
    case 'homebrew':
      return shellCommand(owner.cask ? ['brew', 'uninstall', '--cask', owner.formula] : ['brew', 'uninstall', owner.formula]);
    case 'macports':
      return shellCommand(['sudo', 'port', 'uninstall', owner.port]);
    case 'nix-profile':
      return shellCommand(['nix-env', '--uninstall', owner.pkg]);
    case 'debian-package':
      return shellCommand(['sudo', 'apt-get', 'remove', owner.pkg]);
    case 'docker-desktop':
    case 'unknown': {
      // A person can rename it back; Docker Desktop recreates its link if still wanted.
      const argv = ['mv', file, `${file}.disabled`];
      return shellCommand(canWriteIn(path.dirname(file)) ? argv : ['sudo', ...argv]);
    }
  }
}

