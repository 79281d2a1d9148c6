// A constructed machine for the doctor's checks: a temp folder holding a fake
// HOME, PATH folders with fake executables, a fake nix store, and helpers to
// build DoctorDeps on top of it.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DoctorDeps } from '../../../main/core/doctor/types.js';

export interface FakeHost {
  readonly root: string;
  readonly home: string;
  /** A fake nix store folder (NIX_STORE_DIR of the deps' env). */
  readonly store: string;
  /** Creates `<root>/<rel>` as an executable script; returns its path. */
  exe(rel: string): string;
  /** Creates a folder `<root>/<rel>` (or under HOME with `~/`); returns it. */
  dir(rel: string): string;
  /** Writes a file, creating its folder. */
  file(rel: string, content?: string): string;
  link(target: string, rel: string): string;
  /** DoctorDeps with this HOME, no global tool folders unless given, and the overrides. */
  deps(overrides?: Partial<DoctorDeps>): DoctorDeps;
  cleanup(): void;
}

export function fakeHost(): FakeHost {
  const root = mkdtempSync(path.join(os.tmpdir(), 'ck8s-doctor-'));
  const abs = (rel: string): string => (rel.startsWith('~/') ? path.join(root, 'home', rel.slice(2)) : path.join(root, rel));
  const host: FakeHost = {
    root,
    home: path.join(root, 'home'),
    store: path.join(root, 'store'),
    exe(rel) {
      const file = abs(rel);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, '#!/bin/sh\necho fake\n');
      chmodSync(file, 0o755);
      return file;
    },
    dir(rel) {
      const d = abs(rel);
      mkdirSync(d, { recursive: true });
      return d;
    },
    file(rel, content = '') {
      const f = abs(rel);
      mkdirSync(path.dirname(f), { recursive: true });
      writeFileSync(f, content);
      return f;
    },
    link(target, rel) {
      const l = abs(rel);
      mkdirSync(path.dirname(l), { recursive: true });
      symlinkSync(target, l);
      return l;
    },
    deps(overrides = {}) {
      return {
        env: { HOME: host.home, PATH: '', NIX_STORE_DIR: host.store },
        platform: 'linux',
        homeDir: host.home,
        locateNixShell: async () => {
          throw new Error('locateNixShell is not part of this test');
        },
        globalToolDirs: [],
        // A KVM device of the fake host's own (present and usable), never the real machine's.
        kvmDevice: host.file('dev/kvm'),
        ...overrides,
      };
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
  mkdirSync(host.home, { recursive: true });
  mkdirSync(host.store, { recursive: true });
  return host;
}
