// Folder tray/: the tray icon, its menu (a pure function of the snapshot), the
// status line and the actions its items call.
//
// The tray: icon, tooltip and context menu, re-rendered from every snapshot.
// Linux hosts render an exported D-Bus menu and never see later MenuItem
// changes, so the whole menu is rebuilt and set again each time
// (electron-stack.md §6, §12).
import type { MenuItemConstructorOptions } from 'electron';
import type { AppSnapshot } from '../../core/model.js';
import type { TrayIconSet } from './icons.js';
import { buildTrayMenuTemplate, type TrayActions, type TrayMenuOptions } from './tray-menu.js';
import { trayStatus, type TrayIconState } from './tray-status.js';

/** Electron's Tray, narrowed; M is the menu type, I the image type (Electron's, or the fake's). */
export interface TrayLike<M, I> {
  setImage(image: I): void;
  setToolTip(toolTip: string): void;
  setContextMenu(menu: M | null): void;
  destroy(): void;
  on(event: 'click', listener: () => void): unknown;
  /** macOS and Windows only. */
  popUpContextMenu?(): void;
}

/** Electron's `Menu` class, narrowed. */
export interface MenuModule<M> {
  buildFromTemplate(template: MenuItemConstructorOptions[]): M;
}

export interface TrayDeps<M, I> {
  readonly Tray: new (image: I) => TrayLike<M, I>;
  readonly Menu: MenuModule<M>;
  readonly icons: TrayIconSet<I>;
  readonly platform: NodeJS.Platform;
}

export interface SnapshotSource {
  snapshot(): AppSnapshot;
  subscribe(listener: (snapshot: AppSnapshot) => void): () => void;
}

export interface AppTray {
  /** Re-renders from the latest snapshot (e.g. after "Start at login" changed). */
  render(): void;
  dispose(): void;
}

export function createAppTray<M, I>(
  deps: TrayDeps<M, I>,
  source: SnapshotSource,
  actions: TrayActions,
  menuOptions: () => TrayMenuOptions = () => ({}),
): AppTray {
  let latest = source.snapshot();
  let shownIcon: TrayIconState = trayStatus(latest).icon;
  const tray = new deps.Tray(deps.icons.get(shownIcon));

  const render = (): void => {
    const status = trayStatus(latest);
    // Swapping an identical image makes some Linux panels flicker.
    if (status.icon !== shownIcon) {
      tray.setImage(deps.icons.get(status.icon));
      shownIcon = status.icon;
    }
    tray.setToolTip(status.tooltip);
    tray.setContextMenu(deps.Menu.buildFromTemplate(buildTrayMenuTemplate(latest, actions, menuOptions())));
  };

  // A left click on Windows does nothing by default; show the menu there.
  // On Linux `click` is "activation" (left or double click, by desktop): open the picker.
  tray.on('click', () => {
    if (deps.platform === 'win32') tray.popUpContextMenu?.();
    else if (deps.platform === 'linux') actions.openProfiles();
  });

  render();
  const unsubscribe = source.subscribe((snapshot) => {
    latest = snapshot;
    render();
  });

  return {
    render,
    dispose() {
      unsubscribe();
      tray.destroy();
    },
  };
}
