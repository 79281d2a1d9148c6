// Issue "First contact": one bad profile in an otherwise good settings.json must
// not cost the others, must be named in plain words, must never be lost, and a
// read-only command must leave the file byte for byte as it was.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runProfileCommand } from '../../../main/cli/profile-commands.js';
import type { CliIo } from '../../../main/cli/io.js';
import { isAppError } from '../../../main/core/errors.js';
import { STORE_FORMAT_VERSION } from '../../../main/core/profiles/schema.js';
import { openProfileStore } from '../../../main/core/profiles/store.js';
import { DEFAULT_PROFILE } from '../../../main/core/profiles/validate.js';
import type { CoreServices } from '../../../main/core/services.js';
import { useTempDir } from '../../fixtures/temp-dir.js';

vi.mock('electron', () => ({ default: {} }));

const host = { cpus: 8, memoryGiB: 16 };
const home = useTempDir('set-aside-');
const settingsFile = (): string => path.join(home(), 'settings.json');
const dev = { ...DEFAULT_PROFILE, name: 'dev', cpus: 2, images: ['nginx:1.27'] };
const big = { ...DEFAULT_PROFILE, name: 'big', cpus: 'lots' };
const k8s = { ...DEFAULT_PROFILE, images: [] };

/** A file as the app writes it, with one profile edited by hand. */
function writeSettings(profiles: unknown[], extra: Record<string, unknown> = {}): Buffer {
  const content = JSON.stringify(
    { profiles, activeProfile: 'dev', startActiveProfileAtLaunch: false, collectGarbageAfterQuit: false, firstLaunchDoctorDone: true, __internal__: { migrations: { version: STORE_FORMAT_VERSION } }, ...extra },
    null,
    '\t',
  );
  writeFileSync(settingsFile(), content);
  return readFileSync(settingsFile());
}

/** `colima-k8s profile list [--json]` on this store, the way the CLI runs it (it also shows store.recovery first). */
async function profileList(json: boolean): Promise<{ out: string; warning: string | undefined }> {
  const store = openProfileStore({ home: home(), host });
  let out = '';
  const io = { env: {}, stdout: (t: string) => void (out += t), stderr: () => undefined, bundleDir: home(), version: 'test' } satisfies CliIo;
  const warning = store.recovery?.message;
  const code = await runProfileCommand({ kind: 'profile-list', json }, { store } as unknown as CoreServices, io);
  expect(code).toBe(0);
  return { out, warning };
}

describe('a settings file with one bad profile', () => {
  it('keeps every valid profile and names the bad one in plain words, with where it is kept and how to fix it', () => {
    writeSettings([dev, big, k8s]);
    const store = openProfileStore({ home: home(), host });
    expect(store.list().map((p) => p.name)).toEqual(['dev', 'k8s']);
    expect(store.activeProfile()).toBe('dev');
    const [warning, ...more] = store.warnings();
    expect(more).toEqual([]);
    expect(warning).toMatchObject({ kind: 'profile-set-aside', profile: 'big', keptIn: settingsFile() });
    const message = warning!.message;
    expect(message).toMatch(/^Profile "big" was set aside: CPUs\b.*"lots"/);
    expect(message).toContain(`kept as they were in ${settingsFile()}`);
    expect(message).toContain('colima-k8s profile set big');
    expect(message).toContain('colima-k8s profile remove big');
    // No JSON-schema wording.
    expect(message).not.toMatch(/must match pattern|must be integer|\^\[a-z0-9\]|schema/);
    expect(store.recovery?.message).toBe(message);
    // Nothing is copied or reset: the profile stays where it was.
    expect(readdirSync(home()).filter((f) => f.includes('corrupt'))).toEqual([]);
    expect(() => store.require('big')).toThrow(/Profile "big" was set aside/);
  });

  it.each([false, true])('leaves settings.json byte for byte unchanged when read the way `profile list` does (--json: %s)', async (json) => {
    const before = writeSettings([dev, big, k8s]);
    const { out, warning } = await profileList(json);
    expect(out).toContain('dev');
    expect(out).not.toContain('"big"');
    expect(warning).toContain('Profile "big" was set aside');
    const store = openProfileStore({ home: home(), host });
    store.get('dev');
    store.activeProfile();
    store.optIns();
    store.firstLaunchDoctorDone();
    store.warnings();
    expect(readFileSync(settingsFile()).equals(before)).toBe(true);
  });

  it('never writes on a read, even a hand-written file without bookkeeping or with missing keys', () => {
    writeFileSync(settingsFile(), JSON.stringify({ profiles: [dev] }));
    const before = readFileSync(settingsFile());
    const store = openProfileStore({ home: home(), host });
    expect(store.list().map((p) => p.name)).toEqual(['dev']);
    expect(store.activeProfile()).toBe('dev');
    expect(store.optIns()).toEqual({ startActiveProfileAtLaunch: false, collectGarbageAfterQuit: false });
    expect(readFileSync(settingsFile()).equals(before)).toBe(true);
  });

  it('warns on every run until the profile is fixed, and keeps its raw JSON through other changes', () => {
    writeSettings([dev, big, k8s]);
    expect(openProfileStore({ home: home(), host }).warnings()).toHaveLength(1);
    const store = openProfileStore({ home: home(), host });
    expect(store.warnings()).toHaveLength(1);
    store.save({ ...DEFAULT_PROFILE, name: 'team-a' });
    store.setActiveProfile('team-a');
    store.remove('k8s');
    expect(JSON.parse(readFileSync(settingsFile(), 'utf8')).profiles).toEqual([dev, big, { ...DEFAULT_PROFILE, name: 'team-a', images: [] }]);
    expect(openProfileStore({ home: home(), host }).warnings().map((w) => w.profile)).toEqual(['big']);
    // `profile set big --cpu 4` replaces it in place: resolved.
    store.save({ ...DEFAULT_PROFILE, name: 'big', cpus: 4 });
    expect(store.list().map((p) => p.name)).toEqual(['dev', 'big', 'team-a']);
    expect(openProfileStore({ home: home(), host }).warnings()).toEqual([]);
    expect(openProfileStore({ home: home(), host }).recovery).toBeUndefined();
  });

  it('is resolved by removing it, or by fixing the file by hand', () => {
    writeSettings([dev, big, k8s]);
    const store = openProfileStore({ home: home(), host });
    store.remove('big');
    expect(store.warnings()).toEqual([]);
    expect(JSON.parse(readFileSync(settingsFile(), 'utf8')).profiles.map((p: { name: string }) => p.name)).toEqual(['dev', 'k8s']);

    writeSettings([dev, big]);
    expect(store.warnings()).toHaveLength(1);
    writeSettings([dev, { ...big, cpus: 3 }]);
    expect(store.warnings()).toEqual([]);
    expect(store.require('big').cpus).toBe(3);
  });

  it('refuses to rename a profile onto the name of a set-aside one (its data would be hidden)', () => {
    writeSettings([dev, big]);
    const store = openProfileStore({ home: home(), host });
    expect(() => store.save({ ...dev, name: 'big' }, 'dev')).toThrow(/already exists/);
  });

  it('names a profile without a usable name by its place in the list, and never echoes control characters', () => {
    writeSettings([dev, { ...DEFAULT_PROFILE, name: 'x\n$(id)' }, 'just text']);
    const store = openProfileStore({ home: home(), host });
    expect(store.list().map((p) => p.name)).toEqual(['dev']);
    const [first, second] = store.warnings();
    expect(first!.message).toMatch(/^Profile 2 of the list \(it has no valid name\) was set aside: Name\b/);
    expect(first!.message).not.toContain('\n');
    expect(first!.profile).toBeUndefined();
    expect(second!.message).toMatch(/^Profile 3 of the list .*not a profile \(found "just text"\)/);
  });

  it('with every profile set aside, runs on the default profile without writing it, and keeps them all', () => {
    const before = writeSettings([big, { ...big, name: 'huge', diskGiB: 'x' }]);
    const store = openProfileStore({ home: home(), host });
    expect(store.list().map((p) => p.name)).toEqual(['k8s']);
    expect(store.activeProfile()).toBe('k8s');
    expect(store.warnings().map((w) => w.profile)).toEqual(['big', 'huge']);
    expect(store.warnings()[1]!.message).toMatch(/Disk\b.*"x"/);
    expect(readFileSync(settingsFile()).equals(before)).toBe(true);
    store.save({ ...DEFAULT_PROFILE, name: 'dev' });
    expect(JSON.parse(readFileSync(settingsFile(), 'utf8')).profiles.map((p: { name: string }) => p.name)).toEqual(['big', 'huge', 'dev']);
  });

  it('a profile over this machine\'s limits is not set aside (the file may come from a bigger machine)', () => {
    writeSettings([dev, { ...DEFAULT_PROFILE, name: 'wide', cpus: 64, memoryGiB: 256 }]);
    const store = openProfileStore({ home: home(), host });
    expect(store.list().map((p) => p.name)).toEqual(['dev', 'wide']);
    expect(store.warnings()).toEqual([]);
  });

  it('a file that breaks while the app runs is still reported, never reset', () => {
    writeSettings([dev]);
    const store = openProfileStore({ home: home(), host });
    writeFileSync(settingsFile(), '{oops');
    expect(() => store.list()).toThrow(expect.objectContaining({ code: 'STORE_CORRUPT' }));
    expect(store.warnings()[0]).toMatchObject({ kind: 'file-damaged' });
    expect(isAppError((() => { try { store.save({ ...DEFAULT_PROFILE, name: 'x' }); } catch (e) { return e; } })(), 'STORE_CORRUPT')).toBe(true);
    expect(readFileSync(settingsFile(), 'utf8')).toBe('{oops');
  });
});
