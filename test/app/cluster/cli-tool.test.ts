// "Install/Uninstall command-line tool" in a temp HOME: where the launcher goes,
// whether the notice advises PATH, macOS's authorised write to /usr/local/bin
// (the AppleScript string built safely, asked first, declined → ~/.local/bin),
// a foreign colima-k8s left alone, and the items in the tray with their paths.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  appleScriptString, authorisedInstallCommand, createCliToolAction, doShellScriptWithPrivileges, type CliToolPort,
} from '../../../main/app/cluster/cli-tool-action.js';
import { cliScriptPath, createClusterPort } from '../../../main/app/cluster/cluster-port.js';
import { startTrayApp, type TrayApp } from '../../../main/app/tray-app.js';
import type { Notice } from '../../../main/app/notifications.js';
import { isProcessAlive } from '../../../main/core/ledger/ledger.js';
import { memoryLogger } from '../../../main/core/log.js';
import { LAUNCHER_MARKER } from '../../../main/core/maintenance/cli-launcher.js';
import { createElectronFake, FakeDialog, FakeNotification, FakeTray } from '../../fixtures/electron-fake.js';
import { FakeController } from '../../fixtures/fake-controller.js';
import { useTempDir } from '../../fixtures/temp-dir.js';
import { trayTestOptions } from '../../fixtures/tray-options.js';

vi.mock('electron', () => ({ default: {} }));

const tempHome = useTempDir('cli-tool-');
let home: string;
let notices: Notice[];
let dialog: FakeDialog;
let authorised: string[];
const CLI = '/opt/app/dist/cli.cjs';

beforeEach(() => {
  home = tempHome();
  notices = [];
  dialog = new FakeDialog();
  authorised = [];
});

function action(extra: Partial<CliToolPort['launcher']> = {}, runAuthorised?: (cmd: string) => Promise<void>) {
  const port: CliToolPort = {
    launcher: { platform: 'linux', home, env: { PATH: '/usr/bin:/bin' }, appExecutable: '/opt/app/electron', cliScript: CLI, isPackaged: false, ...extra },
    ...(runAuthorised ? { runAuthorised } : {}),
  };
  return createCliToolAction({ port, notifier: { notify: (n) => notices.push(n) }, dialog, logger: memoryLogger(), onChange: () => {} });
}
const userLauncher = (): string => path.join(home, '.local', 'bin', 'colima-k8s');

describe('command-line tool', () => {
  it('Linux: writes ~/.local/bin/colima-k8s (755, marked) and says to add ~/.local/bin to PATH', async () => {
    await action().install();
    const text = readFileSync(userLauncher(), 'utf8');
    expect(text.split('\n')[1]).toBe(LAUNCHER_MARKER);
    expect(text).toContain(`exec node ${CLI} "$@"`);
    expect(statSync(userLauncher()).mode & 0o777).toBe(0o755);
    expect(notices).toEqual([
      {
        title: 'Command-line tool installed',
        body: `colima-k8s is in ${userLauncher()}. ~/.local/bin is not on your PATH: add it (export PATH="$HOME/.local/bin:$PATH" in ~/.profile or ~/.zshrc), then open a new terminal.`,
      },
    ]);
  });

  it('says nothing about PATH when the folder is on it', async () => {
    await action({ env: { PATH: `${path.join(home, '.local', 'bin')}:/usr/bin` } }).install();
    expect(notices[0]!.body).toBe(`colima-k8s is in ${userLauncher()}. Run \`colima-k8s --help\` in a new terminal.`);
  });

  it('leaves a colima-k8s it did not write alone', async () => {
    mkdirSync(path.dirname(userLauncher()), { recursive: true });
    writeFileSync(userLauncher(), '#!/bin/sh\necho mine\n');
    await action().install();
    expect(readFileSync(userLauncher(), 'utf8')).toBe('#!/bin/sh\necho mine\n');
    expect(notices[0]).toMatchObject({ title: 'Could not install the command-line tool', body: expect.stringContaining('was not written by this app') });
  });

  it('uninstalls only its own launcher', async () => {
    await action().install();
    notices = [];
    await action().uninstall();
    expect(existsSync(userLauncher())).toBe(false);
    expect(notices[0]!.body).toBe(`Removed ${userLauncher()}.`);
    await action().uninstall();
    expect(notices[1]!.body).toBe('No colima-k8s command of this app was installed.');
  });

  it('macOS, /usr/local/bin not writable: asks, then writes it with authorisation (the script base64-encoded)', async () => {
    const systemBinDir = path.join(home, 'system', 'bin');
    await action({ platform: 'darwin', systemBinDir, isPackaged: true }, async (cmd) => void authorised.push(cmd)).install();
    expect(dialog.messageBoxes).toHaveLength(1);
    expect(dialog.messageBoxes[0]).toMatchObject({ message: `Install colima-k8s in ${systemBinDir}?`, buttons: [`Install in ${systemBinDir}`, 'Keep ~/.local/bin'] });
    const target = path.join(systemBinDir, 'colima-k8s');
    expect(authorised).toHaveLength(1);
    const b64 = /printf %s '([A-Za-z0-9+/=]+)'/.exec(authorised[0]!)?.[1];
    expect(Buffer.from(b64!, 'base64').toString('utf8')).toBe(readFileSync(userLauncher(), 'utf8'));
    expect(authorised[0]).toBe(authorisedInstallCommand(target, readFileSync(userLauncher(), 'utf8')));
    expect(authorised[0]).toContain(`/bin/mv -f ${target}.tmp ${target}`);
    expect(notices[0]).toMatchObject({ title: 'Command-line tool installed', body: expect.stringContaining(`colima-k8s is in ${target}.`) });
  });

  it('macOS, declined: the launcher stays in ~/.local/bin and the notice says so', async () => {
    dialog.messageBoxResponse = 1;
    await action({ platform: 'darwin', systemBinDir: path.join(home, 'system', 'bin') }, async (cmd) => void authorised.push(cmd)).install();
    expect(authorised).toEqual([]);
    expect(notices[0]!.body).toContain(`colima-k8s is in ${userLauncher()}.`);
  });

  it('builds the AppleScript string so that no quote or backslash can end it', () => {
    expect(appleScriptString('a"b\\c')).toBe('"a\\"b\\\\c"');
    const cmd = authorisedInstallCommand('/tmp/we"ird \\dir/colima-k8s', '#!/bin/sh\n');
    expect(doShellScriptWithPrivileges(cmd)).toBe(`do shell script ${appleScriptString(cmd)} with administrator privileges`);
    expect(cmd).toContain(`/bin/mkdir -p '/tmp/we"ird \\dir'`);
  });

  it('the CLI path: app.asar in a packaged app, dist/ of the app root in development', () => {
    expect(cliScriptPath({ isPackaged: true, resourcesPath: '/Applications/X.app/Contents/Resources', appRoot: '/unused' })).toBe(
      '/Applications/X.app/Contents/Resources/app.asar/dist/cli.cjs',
    );
    expect(cliScriptPath({ isPackaged: false, appRoot: '/src/app' })).toBe('/src/app/dist/cli.cjs');
  });

  it('the tray offers both items on Linux and installs from the menu', async () => {
    const electron = createElectronFake();
    const services = { colima: { list: async () => [] }, kubectl: {} as never, ledger: { get: () => undefined } };
    const cluster = createClusterPort(services, { platform: 'linux', home, env: { PATH: '/usr/bin' }, appExecutable: '/opt/app/electron', isPackaged: false, appRoot: '/opt/app' });
    let app: TrayApp | undefined = startTrayApp(
      electron,
      { controller: new FakeController(), ledger: { list: () => [] }, isProcessAlive, logsDir: path.join(home, 'logs'), logger: memoryLogger(), cluster },
      trayTestOptions(path.join(home, 'no-lima')),
    );
    const menu = () => FakeTray.created.at(-1)!.menu!;
    expect(menu().shown('install-cli-tool')).toBe('Install command-line tool');
    expect(menu().shown('uninstall-cli-tool')).toBe('Uninstall command-line tool');
    menu().click('install-cli-tool');
    await vi.waitFor(() => expect(FakeNotification.shown.map((n) => n.title)).toContain('Command-line tool installed'), { timeout: 5_000 });
    expect(readFileSync(userLauncher(), 'utf8')).toContain("exec node /opt/app/dist/cli.cjs");
    app.refresher.stop();
    app = undefined;
  });
});
