import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { isAppError, type AppError } from '../../../main/core/errors.js';
import { STORE_FORMAT_VERSION } from '../../../main/core/profiles/schema.js';
import { openProfileStore } from '../../../main/core/profiles/store.js';
import { DEFAULT_PROFILE } from '../../../main/core/profiles/validate.js';
import { useTempDir } from '../../fixtures/temp-dir.js';

// electron-store imports 'electron'; with an absolute cwd it needs nothing from it (electron-stack.md §5).
vi.mock('electron', () => ({ default: {} }));

const host = { cpus: 8, memoryGiB: 16 };
const home = useTempDir('store-');
const settingsFile = (): string => path.join(home(), 'settings.json');

describe('profile store', () => {
  it('starts with the seed profile, active, reduced to a small host', () => {
    const store = openProfileStore({ home: home(), host });
    expect(store.list()).toEqual([DEFAULT_PROFILE]);
    expect(store.activeProfile()).toBe('k8s');
    expect(store.recovery).toBeUndefined();

    const small = openProfileStore({ home: mkdtempSync(path.join(os.tmpdir(), 'store-small-')), host: { cpus: 2, memoryGiB: 4 } });
    expect(small.list()[0]).toMatchObject({ cpus: 2, memoryGiB: 4, kubernetes: true, runtime: 'containerd', networkAddress: true });
  });

  it('saves, updates, renames and removes; a second store on the same file sees every change', () => {
    const a = openProfileStore({ home: home(), host });
    const b = openProfileStore({ home: home(), host });
    a.save({ ...DEFAULT_PROFILE, name: 'dev', cpus: 2, images: ['nginx:1.27'] });
    expect(b.get('dev')).toMatchObject({ cpus: 2, images: ['nginx:1.27'] });
    a.save({ ...DEFAULT_PROFILE, name: 'dev', cpus: 3 });
    expect(b.require('dev').cpus).toBe(3);

    a.setActiveProfile('dev');
    a.save({ ...DEFAULT_PROFILE, name: 'team-a', cpus: 3 }, 'dev');
    expect(b.list().map((p) => p.name)).toEqual(['k8s', 'team-a']);
    expect(b.activeProfile()).toBe('team-a');

    a.remove('team-a');
    expect(b.activeProfile()).toBe('k8s');
    expect(() => a.remove('k8s')).toThrow(/only profile/);
    expect(JSON.parse(readFileSync(settingsFile(), 'utf8'))).toMatchObject({ activeProfile: 'k8s', profiles: [{ name: 'k8s' }] });
  });

  it('refuses a rename onto an existing profile and unknown names', () => {
    const store = openProfileStore({ home: home(), host });
    store.save({ ...DEFAULT_PROFILE, name: 'dev' });
    expect(() => store.save({ ...DEFAULT_PROFILE, name: 'k8s' }, 'dev')).toThrow(/already exists/);
    expect(() => store.setActiveProfile('nope')).toThrow(/no profile "nope"/);
    expect(() => store.remove('nope')).toThrow(/no profile/);
  });

  const badInputs: [string, Record<string, unknown>, string][] = [
    ['name with a shell command', { name: 'x; touch pwned' }, 'name'],
    ['name with command substitution', { name: '$(id)' }, 'name'],
    ['name with a newline', { name: 'a\nb' }, 'name'],
    ['reserved name', { name: 'default' }, 'name'],
    ['too many cpus', { cpus: 9 }, 'cpus'],
    ['fractional cpus', { cpus: 1.5 }, 'cpus'],
    ['too much memory', { memoryGiB: 17 }, 'memoryGiB'],
    ['memory as text', { memoryGiB: '8' }, 'memoryGiB'],
    ['small disk', { diskGiB: 5 }, 'diskGiB'],
    ['kubernetes as text', { kubernetes: 'yes' }, 'kubernetes'],
    ['bad k8s version', { kubernetesVersion: 'latest; rm -rf /' }, 'kubernetesVersion'],
    ['unknown runtime', { runtime: 'incus' }, 'runtime'],
    ['image that is a flag', { images: ['--privileged'] }, 'images'],
    ['image with a newline', { images: ['nginx\nrm'] }, 'images'],
    ['image with command substitution', { images: ['$(id)'] }, 'images'],
    ['keepData as text', { keepData: 'no' }, 'keepData'],
  ];
  it.each(badInputs)('refuses %s, names the field and leaves the file byte-for-byte unchanged', (_what, patch, field) => {
    const store = openProfileStore({ home: home(), host });
    store.save({ ...DEFAULT_PROFILE, name: 'dev' });
    const before = readFileSync(settingsFile());
    let error: unknown;
    try {
      store.save({ ...DEFAULT_PROFILE, name: 'dev', ...patch });
    } catch (e) {
      error = e;
    }
    expect(isAppError(error, 'INVALID_INPUT')).toBe(true);
    expect((error as AppError).details.field).toBe(field);
    expect(readFileSync(settingsFile()).equals(before)).toBe(true);
  });

  it('keeps a settings file that is not JSON as one copy, says where it is on every open, and leaves the file until a save', () => {
    const content = '{"profiles": [ {"name": "mine"';
    writeFileSync(settingsFile(), content);
    const store = openProfileStore({ home: home(), host, now: () => new Date('2026-08-21T10:15:30.123Z') });
    expect(store.recovery).toBeDefined();
    const backup = store.recovery!.backupPath;
    expect(backup).toBe(path.join(home(), 'settings.corrupt-2026-08-21T10-15-30-123Z.json'));
    expect(readFileSync(backup, 'utf8')).toBe(content);
    expect(store.recovery!.message).toContain(backup);
    expect(store.recovery!.message).toContain('is not valid JSON');
    expect(store.warnings()).toMatchObject([{ kind: 'file-damaged', keptIn: backup }]);
    expect(store.list().map((p) => p.name)).toEqual(['k8s']);
    expect(readFileSync(settingsFile(), 'utf8')).toBe(content);
    // Opening again still warns, and reuses the one copy.
    expect(openProfileStore({ home: home(), host }).recovery?.backupPath).toBe(backup);
    expect(readdirSync(home()).filter((f) => f.includes('corrupt'))).toHaveLength(1);
    // A save starts a new file; the copy stays and the warning is resolved.
    store.save({ ...DEFAULT_PROFILE, name: 'dev' });
    expect(store.warnings()).toEqual([]);
    expect(openProfileStore({ home: home(), host }).list().map((p) => p.name)).toEqual(['k8s', 'dev']);
    expect(readFileSync(backup, 'utf8')).toBe(content);
  });

  it('reports a file damaged while running instead of resetting it', () => {
    const store = openProfileStore({ home: home(), host });
    writeFileSync(settingsFile(), '{oops');
    let error: unknown;
    try {
      store.list();
    } catch (e) {
      error = e;
    }
    expect(isAppError(error, 'STORE_CORRUPT')).toBe(true);
    expect(readFileSync(settingsFile(), 'utf8')).toBe('{oops');
  });

  it('migrates a file from before the format had a version by filling missing fields', () => {
    const { switchKubeContext: _s, keepData: _k, ...partial } = { ...DEFAULT_PROFILE, name: 'old', cpus: 2 };
    writeFileSync(settingsFile(), JSON.stringify({ profiles: [partial], activeProfile: 'old', __internal__: { migrations: { version: '0.1.0' } } }));
    const store = openProfileStore({ home: home(), host });
    expect(store.recovery).toBeUndefined();
    expect(store.require('old')).toMatchObject({ cpus: 2, keepData: false, switchKubeContext: true });
    // A read migrates in memory only; the first change writes the migrated file.
    expect(JSON.parse(readFileSync(settingsFile(), 'utf8')).__internal__.migrations.version).toBe('0.1.0');
    store.setActiveProfile('old');
    expect(JSON.parse(readFileSync(settingsFile(), 'utf8')).__internal__.migrations.version).toBe(STORE_FORMAT_VERSION);
  });
});
