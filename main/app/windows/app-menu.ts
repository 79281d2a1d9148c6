// Process-wide setup of the app's identity and menus, apart from the tray:
// the Windows AppUserModelID and the application menu.
import type { MenuItemConstructorOptions } from 'electron';
import { APP_ID } from '../../core/paths.js';
import type { MenuModule } from '../tray/tray.js';

/**
 * package.json `build.appId`: electron-builder puts it on the Windows Start
 * menu shortcut, and Windows only shows (and routes clicks of) notifications
 * whose AppUserModelID matches that shortcut's.
 */
export const APP_USER_MODEL_ID = `io.github.${APP_ID}.app`;

/** Electron's `Menu.setApplicationMenu`. */
export interface ApplicationMenuModule<M> {
  setApplicationMenu(menu: M | null): void;
}

/**
 * No menu at all on Windows and Linux: a tray app has no menu bar, and
 * Electron's default one offers Reload and Toggle Developer Tools. macOS keeps
 * a minimal one, because it routes key equivalents through the application
 * menu even when (LSUIElement) no menu bar is shown: without Edit items,
 * Cmd-C/V/X/A/Z do nothing in the picker's fields (electron/electron#49807),
 * and without the app menu Cmd-Q does nothing. Neither has a View menu.
 */
export function applicationMenuTemplate(platform: NodeJS.Platform): MenuItemConstructorOptions[] | null {
  if (platform !== 'darwin') return null;
  return [
    // About, Hide, Quit (Cmd-Q: before-quit, so the one quit path).
    { role: 'appMenu' },
    { role: 'editMenu' },
    { label: 'Window', submenu: [{ role: 'minimize' }, { role: 'close' }] },
  ];
}

export function installApplicationMenu<M>(Menu: MenuModule<M> & ApplicationMenuModule<M>, platform: NodeJS.Platform): void {
  const template = applicationMenuTemplate(platform);
  Menu.setApplicationMenu(template ? Menu.buildFromTemplate(template) : null);
}
