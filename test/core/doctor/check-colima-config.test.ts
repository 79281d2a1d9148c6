import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { colimaConfigCheck } from '../../../main/core/doctor/check-colima-config.js';
import { resolveColimaBaseDir } from '../../../main/core/doctor/colima-base-dir.js';
import type { DoctorDeps, Finding } from '../../../main/core/doctor/types.js';
import { fakeHost, type FakeHost } from './fake-host.js';

const signal = new AbortController().signal;

async function run(deps: DoctorDeps): Promise<Finding[]> {
  const r = await colimaConfigCheck.run(deps, signal);
  if (!Array.isArray(r)) throw new Error('skipped');
  return [...r];
}

describe('which config folder colima uses (colima-cli §1)', () => {
  let host: FakeHost;
  beforeEach(() => (host = fakeHost()));
  afterEach(() => host.cleanup());

  it('follows the precedence COLIMA_HOME (existing) > ~/.colima > $XDG_CONFIG_HOME/colima > ~/.config/colima > platform default', () => {
    const home = host.home;
    const xdg = path.join(host.root, 'xdg');
    expect(resolveColimaBaseDir({}, home, 'darwin')).toMatchObject({ dir: path.join(home, '.colima'), reason: 'platform-default' });
    expect(resolveColimaBaseDir({}, home, 'linux')).toMatchObject({ dir: path.join(home, '.config', 'colima'), reason: 'platform-default' });

    host.dir('~/.config/colima');
    expect(resolveColimaBaseDir({}, home, 'darwin')).toMatchObject({ dir: path.join(home, '.config', 'colima'), reason: 'dot-config' });
    expect(resolveColimaBaseDir({ XDG_CONFIG_HOME: xdg }, home, 'darwin')).toMatchObject({ dir: path.join(xdg, 'colima'), reason: 'XDG_CONFIG_HOME' });

    host.dir('~/.colima');
    expect(resolveColimaBaseDir({ XDG_CONFIG_HOME: xdg }, home, 'linux')).toMatchObject({ dir: path.join(home, '.colima'), reason: 'dot-colima', xdgWarning: true });
    expect(resolveColimaBaseDir({ XDG_CONFIG_HOME: '' }, home, 'linux')).toMatchObject({ reason: 'dot-colima', xdgWarning: false });

    const missing = path.join(host.root, 'missing-home');
    expect(resolveColimaBaseDir({ COLIMA_HOME: missing }, home, 'linux')).toMatchObject({ dir: path.join(home, '.colima'), ignoredColimaHome: missing });
    const colimaHome = host.dir('colima-home');
    expect(resolveColimaBaseDir({ COLIMA_HOME: colimaHome, XDG_CONFIG_HOME: xdg }, home, 'linux')).toMatchObject({ dir: colimaHome, reason: 'COLIMA_HOME', xdgWarning: false });
  });
});

describe('stale colima config folders', () => {
  let host: FakeHost;
  beforeEach(() => (host = fakeHost()));
  afterEach(() => host.cleanup());

  it('passes on a clean HOME', async () => {
    expect(await run(host.deps())).toEqual([]);
  });

  it('warns that a missing COLIMA_HOME is silently ignored, and says which folder is used instead', async () => {
    const missing = path.join(host.root, 'my colima');
    host.file('~/.colima/k8s/colima.yaml', 'cpu: 4\n');
    const [f, ...rest] = await run(host.deps({ env: { COLIMA_HOME: missing }, appProfileNames: () => ['k8s'] }));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ id: 'colima-config.colima-home-missing', severity: 'warning', fix: `mkdir -p '${missing}'` });
    expect(f!.explanation).toContain(`colima uses ${path.join(host.home, '.colima')} because ~/.colima exists`);
  });

  it('warns that ~/.colima hides $XDG_CONFIG_HOME/colima, with colima\'s own mv advice', async () => {
    const xdg = host.dir('xdg');
    host.file('~/.colima/k8s/colima.yaml');
    const [f] = await run(host.deps({ env: { XDG_CONFIG_HOME: xdg }, appProfileNames: () => ['k8s'] }));
    expect(f).toMatchObject({
      id: 'colima-config.xdg-ignored',
      severity: 'warning',
      fix: `mv ${path.join(host.home, '.colima')} ${path.join(xdg, 'colima')}`,
    });
    expect(f!.explanation).toContain('found ~/.colima, ignoring $XDG_CONFIG_HOME...');
  });

  it('moves ~/.colima aside instead when $XDG_CONFIG_HOME/colima exists already', async () => {
    const xdg = host.dir('xdg');
    host.file('~/.colima/k8s/colima.yaml');
    host.file('xdg/colima/k8s/colima.yaml');
    const all = await run(host.deps({ env: { XDG_CONFIG_HOME: xdg }, appProfileNames: () => ['k8s'] }));
    expect(all.map((f) => f.id)).toEqual(['colima-config.xdg-ignored']);
    expect(all[0]!.fix).toBe(`mv ${path.join(host.home, '.colima')} ${path.join(host.home, '.colima.old')}`);
  });

  it('reports a stale ~/.config/colima with its profiles and VMs when ~/.colima wins', async () => {
    host.file('~/.colima/k8s/colima.yaml');
    host.file('~/.config/colima/default/colima.yaml');
    host.file('~/.config/colima/old-dev/colima.yaml');
    host.dir('~/.config/colima/_lima/colima-old-dev');
    host.dir('~/.config/colima/_lima/_config');
    const stale = path.join(host.home, '.config', 'colima');
    const [f, ...rest] = await run(host.deps({ appProfileNames: () => ['k8s'] }));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      id: `colima-config.stale.${stale}`,
      severity: 'warning',
      title: `A colima config folder that colima ignores: ${stale}`,
      fix: `mv ${stale} ${stale}.old`,
    });
    expect(f!.explanation).toContain('holds the profiles default, old-dev and the VMs of old-dev');
  });

  it('notes profiles in the used folder that are neither saved by the app nor in its ledger', async () => {
    host.file('~/.colima/k8s/colima.yaml');
    host.file('~/.colima/ci/colima.yaml');
    host.file('~/.colima/default/colima.yaml');
    host.dir('~/.colima/_lima/colima'); // the default profile's VM
    host.dir('~/.colima/_templates');
    const [f] = await run(host.deps({ appProfileNames: () => ['k8s'], ledgerProfiles: async () => ['ci'] }));
    expect(f).toMatchObject({ id: 'colima-config.foreign-profiles', severity: 'info', title: 'colima profiles the app did not create: default', fix: 'colima list' });
  });
});
