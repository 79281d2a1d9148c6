// Runs electron-builder offline (test/packaging/linux-package.ts: a stand-in
// Electron and a stand-in fpm) and checks what the package would hold: only our
// bundles and the resources they need, and, for the deb, the app icon set and a
// .desktop entry that uses it. The output is not runnable: this tests the config.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { buildLinuxPackage, desktopEntryFields, fpmFlag, fpmInstalls, type LinuxPackage } from './linux-package.js';

const require = createRequire(__filename);
const asar = require('@electron/asar') as { listPackage(archive: string, options: { isPack: boolean }): string[] };

const LINUX_ICON_SIZES = [16, 32, 48, 64, 128, 256, 512];
/** package.json `name`: electron-builder's executable name, the icon name and (desktopName) the .desktop file name. */
const EXECUTABLE = 'colima-k8s-nix';
const INSTALL_DIR = '/opt/Colima K8s Nix';

let pkg: LinuxPackage;

beforeAll(() => {
  pkg = buildLinuxPackage();
}, 240_000);
afterAll(() => pkg?.cleanup());

describe('packaged layout (electron-builder --linux deb, offline)', () => {
  it('holds only the bundles, the window pages and package.json in the asar', () => {
    const files = asar
      .listPackage(path.join(pkg.resources, 'app.asar'), { isPack: false })
      .map((f) => f.replace(/\\/g, '/'))
      .filter((f) => !existsDir(f));
    const allowed = [
      /^\/package\.json$/,
      /^\/dist\/(main|preload|quit-preload|cli)\.cjs$/,
      /^\/dist\/quit-window\/quit\.(html|css)$/,
      /^\/renderer\/index\.html$/,
      /^\/renderer\/[a-z-]+\.css$/,
      /^\/renderer\/dist\/picker\.js$/,
    ];
    expect(files.filter((f) => !allowed.some((re) => re.test(f)))).toEqual([]);
    expect(files).toContain('/dist/main.cjs');
    expect(files).toContain('/dist/preload.cjs');
    // The installed `colima-k8s` launcher runs this file with the app's Electron in Node mode (cli-launcher.ts).
    expect(files).toContain('/dist/cli.cjs');
    expect(files).toContain('/renderer/index.html');
    expect(files).toContain('/renderer/dist/picker.js');
    expect(files.some((f) => f.includes('node_modules'))).toBe(false);
    expect(files.some((f) => f.endsWith('.map') || f.endsWith('.ts'))).toBe(false);
  });

  it('has nothing else in resources/ but the asar, shell.nix, the tray icons and the deb\'s AppArmor profile', () => {
    expect(readdirSync(pkg.resources).sort()).toEqual(['app.asar', 'apparmor-profile', 'nix', 'tray']);
    // shell.nix and its nixpkgs pin (nix/nixpkgs-pin.json, nix/pinned-nixpkgs.nix), next to it as in the repository.
    expect(readdirSync(path.join(pkg.resources, 'nix')).sort()).toEqual(['nix', 'shell.nix']);
    expect(readdirSync(path.join(pkg.resources, 'nix', 'nix')).sort()).toEqual(['nixpkgs-pin.json', 'pinned-nixpkgs.nix']);
  });

  it('ships shell.nix as a real file outside the asar, where the app looks for it', () => {
    const shipped = path.join(pkg.resources, 'nix', 'shell.nix');
    expect(readFileSync(shipped, 'utf8')).toBe(readFileSync('shell.nix', 'utf8'));
  });

  it('ships every tray icon, unchanged, as resources/tray', () => {
    const committed = readdirSync(path.join('build', 'tray')).sort();
    expect(committed.length).toBeGreaterThan(0);
    expect(readdirSync(path.join(pkg.resources, 'tray')).sort()).toEqual(committed);
    for (const name of committed) {
      expect(readFileSync(path.join(pkg.resources, 'tray', name)).equals(readFileSync(path.join('build', 'tray', name))), name).toBe(true);
    }
  });

  it('points main at the bundled entry inside the asar', () => {
    const config = JSON.parse(readFileSync('package.json', 'utf8')) as { main: string; build: { mac: { extendInfo: { LSUIElement: boolean } } } };
    expect(config.main).toBe('dist/main.cjs');
    expect(config.build.mac.extendInfo.LSUIElement).toBe(true);
  });

  it('installs the Linux icon set: each build/icons/<N>x<N>.png, unchanged, as the hicolor icon of that size', () => {
    const installs = fpmInstalls(pkg.fpmArgs);
    const iconDestinations = [...installs.keys()].filter((d) => d.startsWith('/usr/share/icons/')).sort();
    expect(iconDestinations).toEqual(LINUX_ICON_SIZES.map((n) => `/usr/share/icons/hicolor/${n}x${n}/apps/${EXECUTABLE}.png`).sort());
    for (const n of LINUX_ICON_SIZES) {
      const source = installs.get(`/usr/share/icons/hicolor/${n}x${n}/apps/${EXECUTABLE}.png`)!;
      expect(readFileSync(source).equals(readFileSync(path.join('build', 'icons', `${n}x${n}.png`))), `${n}x${n}: ${source}`).toBe(true);
    }
    // No "default Electron icon is used" fallback.
    expect(pkg.log).not.toMatch(/default Electron icon is used/i);
  });

  it('writes a .desktop entry that launches the installed app with that icon, named after desktopName', () => {
    const installs = fpmInstalls(pkg.fpmArgs);
    expect(installs.get(INSTALL_DIR)).toBe(`${pkg.unpacked}/`);
    expect(installs.has(`/usr/share/applications/${EXECUTABLE}.desktop`)).toBe(true);
    expect(pkg.desktopEntry.split('\n')[0]).toBe('[Desktop Entry]');
    expect(desktopEntryFields(pkg.desktopEntry)).toMatchObject({
      Name: 'Colima K8s Nix',
      Exec: `"${INSTALL_DIR}/${EXECUTABLE}" %U`,
      Type: 'Application',
      Terminal: 'false',
      Icon: EXECUTABLE, // the hicolor name the icons above are installed under
      // Electron uses desktopName as the window's app id; the entry must match it.
      StartupWMClass: EXECUTABLE,
      Categories: 'Development;',
    });
    expect(existsSync(path.join(pkg.unpacked, EXECUTABLE))).toBe(true);
  });

  it('gives the deb its maintainer, homepage and a tray extension recommendation Debian 12 can install', () => {
    expect(fpmFlag(pkg.fpmArgs, '--maintainer')).toEqual(['colima-k8s-nix developers <maintainers@colima-k8s-nix.invalid>']);
    expect(fpmFlag(pkg.fpmArgs, '--url')).toEqual(['https://github.com/colima-k8s-nix/colima-k8s-nix']);
    // Not libappindicator3-1, the default, which Debian 12 no longer has (electron-stack.md §12).
    expect(fpmFlag(pkg.fpmArgs, '--deb-recommends')).toEqual(['gnome-shell-extension-appindicator']);
    expect(fpmFlag(pkg.fpmArgs, '--name')).toEqual([EXECUTABLE]);
  });
});

function existsDir(f: string): boolean {
  return !/\.[a-z0-9]+$/i.test(f);
}
