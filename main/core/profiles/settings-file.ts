// The settings file itself: reading its text (a read never writes) and the
// electron-store instance that every change goes through.
import { readFileSync } from 'node:fs';
import ElectronStore from 'electron-store';
import { AppError } from '../errors.js';
import { defaultSettings, settingsMigrations, settingsSchema, STORE_FORMAT_VERSION, type StoredSettings } from './schema.js';
import type { HostLimits } from './validate.js';

export const SETTINGS_FILE_NAME = 'settings';

export type Store = ElectronStore<StoredSettings>;

/** electron-store on `<home>/settings.json`. Making it migrates and fills in the file: only a change may. */
export function createStore(home: string, host: HostLimits): Store {
  return new ElectronStore<StoredSettings>({
    cwd: home,
    name: SETTINGS_FILE_NAME,
    schema: settingsSchema as never,
    defaults: defaultSettings(host),
    projectVersion: STORE_FORMAT_VERSION,
    migrations: settingsMigrations as never,
    clearInvalidConfig: false,
    // Profile names never contain dots, but keys must never be read as paths.
    accessPropertiesByDotNotation: false,
  });
}

export function describeWriteError(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof Error && e.name === 'SyntaxError') return 'it is not valid JSON';
  return `it could not be read or written (${message.replace(/^Config schema violation:\s*/i, '')})`;
}

/** The file's text, or undefined when there is none yet. */
export function readSettingsText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AppError('STORE_CORRUPT', `The settings file ${file} could not be read (${(e as Error).message}).`, { cause: e });
  }
}
