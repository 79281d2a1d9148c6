// The app's opt-ins and the first-launch doctor flag, in the real settings
// file (electron-store in a temporary app home), next to the profiles.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { isAppError } from '../../../main/core/errors.js';
import { STORE_FORMAT_VERSION, type AppOptIn } from '../../../main/core/profiles/schema.js';
import { openProfileStore } from '../../../main/core/profiles/store.js';
import { DEFAULT_PROFILE } from '../../../main/core/profiles/validate.js';
import { useTempDir } from '../../fixtures/temp-dir.js';

// electron-store imports 'electron'; with an absolute cwd it needs nothing from it (electron-stack.md §5).
vi.mock('electron', () => ({ default: {} }));

const host = { cpus: 8, memoryGiB: 16 };
const home = useTempDir('settings-');
const settingsFile = (): string => path.join(home(), 'settings.json');
const onDisk = (): Record<string, unknown> => JSON.parse(readFileSync(settingsFile(), 'utf8')) as Record<string, unknown>;

describe('app settings next to the profiles', () => {
  it('a new file has both opt-ins off and the first-launch doctor not yet run', () => {
    const store = openProfileStore({ home: home(), host });
    expect(store.optIns()).toEqual({ startActiveProfileAtLaunch: false, collectGarbageAfterQuit: false });
    expect(store.firstLaunchDoctorDone()).toBe(false);
  });

  it('each opt-in is set on its own, persisted, and seen by a second store on the same file (the CLI and the tray)', () => {
    const tray = openProfileStore({ home: home(), host });
    const other = openProfileStore({ home: home(), host });
    expect(tray.setOptIn('startActiveProfileAtLaunch', true)).toEqual({ startActiveProfileAtLaunch: true, collectGarbageAfterQuit: false });
    expect(other.optIns().startActiveProfileAtLaunch).toBe(true);
    other.setOptIn('collectGarbageAfterQuit', true);
    expect(tray.optIns()).toEqual({ startActiveProfileAtLaunch: true, collectGarbageAfterQuit: true });
    tray.setOptIn('startActiveProfileAtLaunch', false);
    expect(onDisk()).toMatchObject({ startActiveProfileAtLaunch: false, collectGarbageAfterQuit: true });
    // The profiles are untouched by a settings change.
    expect(openProfileStore({ home: home(), host }).list()).toEqual([DEFAULT_PROFILE]);
  });

  it('the first-launch doctor flag is persisted once set', () => {
    openProfileStore({ home: home(), host }).markFirstLaunchDoctorDone();
    expect(openProfileStore({ home: home(), host }).firstLaunchDoctorDone()).toBe(true);
    expect(onDisk().firstLaunchDoctorDone).toBe(true);
  });

  it('refuses an unknown setting or a value that is not a boolean, naming it, and writes nothing', () => {
    const store = openProfileStore({ home: home(), host });
    store.save({ ...DEFAULT_PROFILE, name: 'dev' });
    const before = readFileSync(settingsFile());
    for (const [name, value, message] of [
      ['startAtLoginEverywhere', true, /no setting "startAtLoginEverywhere".*startActiveProfileAtLaunch, collectGarbageAfterQuit/],
      ['collectGarbageAfterQuit', 'yes', /collectGarbageAfterQuit must be true or false, not "yes"/],
    ] as const) {
      let error: unknown;
      try {
        store.setOptIn(name as AppOptIn, value as boolean);
      } catch (e) {
        error = e;
      }
      expect(isAppError(error, 'INVALID_INPUT')).toBe(true);
      expect((error as Error).message).toMatch(message);
    }
    expect(readFileSync(settingsFile()).equals(before)).toBe(true);
  });

  it('a file written by the previous format (1.0.0, no settings) loads with its profiles and both opt-ins off', () => {
    const mine = { ...DEFAULT_PROFILE, name: 'mine', cpus: 2, images: ['nginx:1.27'] };
    writeFileSync(settingsFile(), JSON.stringify({ profiles: [mine], activeProfile: 'mine', __internal__: { migrations: { version: '1.0.0' } } }));
    const store = openProfileStore({ home: home(), host });
    expect(store.recovery).toBeUndefined();
    expect(store.list()).toEqual([mine]);
    expect(store.activeProfile()).toBe('mine');
    expect(store.optIns()).toEqual({ startActiveProfileAtLaunch: false, collectGarbageAfterQuit: false });
    expect(store.firstLaunchDoctorDone()).toBe(false);
    // Reads leave the file as it was; the first change writes it in the current format.
    expect(onDisk().__internal__).toEqual({ migrations: { version: '1.0.0' } });
    store.setActiveProfile('mine');
    const saved = onDisk();
    expect(saved).toMatchObject({ startActiveProfileAtLaunch: false, collectGarbageAfterQuit: false, firstLaunchDoctorDone: false });
    expect((saved.__internal__ as { migrations: { version: string } }).migrations.version).toBe(STORE_FORMAT_VERSION);
  });

  it('a settings value of the wrong type is a damaged file: set aside with a backup, never silently reset', () => {
    const content = JSON.stringify({ profiles: [DEFAULT_PROFILE], activeProfile: 'k8s', collectGarbageAfterQuit: 'yes', __internal__: { migrations: { version: STORE_FORMAT_VERSION } } });
    writeFileSync(settingsFile(), content);
    const store = openProfileStore({ home: home(), host });
    expect(store.recovery?.reason).toMatch(/collectGarbageAfterQuit/);
    expect(readFileSync(store.recovery!.backupPath, 'utf8')).toBe(content);
    expect(store.optIns().collectGarbageAfterQuit).toBe(false);
  });

  it('a key removed by hand while running reads as off', () => {
    const store = openProfileStore({ home: home(), host });
    store.setOptIn('collectGarbageAfterQuit', true);
    const { collectGarbageAfterQuit: _gone, ...rest } = onDisk();
    writeFileSync(settingsFile(), JSON.stringify(rest));
    expect(store.optIns().collectGarbageAfterQuit).toBe(false);
  });
});
