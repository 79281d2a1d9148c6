// Tray icons: which file for which state and platform, loaded once each.
// The PNGs are drawn by build/make-icons.mjs into build/tray/, which packaging
// ships as `<resources>/tray` (electron-stack.md §9).
import path from 'node:path';
import { AppError } from '../../core/errors.js';
import type { TrayIconState } from './tray-status.js';

/** The part of Electron's NativeImage the tray needs (the real one and the fake's both fit). */
export interface TrayImage {
  isEmpty(): boolean;
  setTemplateImage(option: boolean): void;
}

/** Electron's `nativeImage` module, narrowed. */
export interface NativeImageModule<I extends TrayImage> {
  createFromPath(path: string): I;
}

export interface IconLocation {
  readonly isPackaged: boolean;
  /** process.resourcesPath (packaged only). */
  readonly resourcesPath?: string;
  /** The app's root: the folder holding package.json and dist/. */
  readonly appRoot: string;
}

export function trayIconsDir(location: IconLocation): string {
  if (location.isPackaged && location.resourcesPath) return path.join(location.resourcesPath, 'tray');
  return path.join(location.appRoot, 'build', 'tray');
}

/**
 * macOS gets template images (black + alpha; the name ending in `Template`
 * makes Electron tint them for light/dark menu bars). Elsewhere a coloured
 * icon: a black one would vanish on a dark Linux panel (electron-stack.md §9).
 * `@2x` variants sit next to each file and are picked up by createFromPath.
 */
export function trayIconFile(dir: string, state: TrayIconState, platform: NodeJS.Platform): string {
  return path.join(dir, platform === 'darwin' ? `tray-${state}Template.png` : `tray-${state}.png`);
}

export interface TrayIconSet<I> {
  get(state: TrayIconState): I;
}

export function trayIconSet<I extends TrayImage>(nativeImage: NativeImageModule<I>, dir: string, platform: NodeJS.Platform): TrayIconSet<I> {
  const cache = new Map<TrayIconState, I>();
  return {
    get(state) {
      let image = cache.get(state);
      if (!image) {
        const file = trayIconFile(dir, state, platform);
        image = nativeImage.createFromPath(file);
        // Without an icon the tray is invisible and the app cannot even be quit: fail loudly.
        if (image.isEmpty()) {
          throw new AppError('NOT_FOUND', `The tray icon ${file} is missing or unreadable. Reinstall the app (or run \`node build/make-icons.mjs\` in a checkout).`);
        }
        if (platform === 'darwin') image.setTemplateImage(true);
        cache.set(state, image);
      }
      return image;
    },
  };
}
