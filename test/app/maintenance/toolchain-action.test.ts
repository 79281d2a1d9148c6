// "Update toolchain…" and "Roll back toolchain" in the tray (maintenance/toolchain-action.ts), wired by
// startTrayApp on the Electron fake: a scriptable ToolchainPort for the menu's states, the notifications,
// the read-only folder and the quit; then one real update with the real nix tools, offline (two local
// fake-nixpkgs tarballs and a file:// "newest revision" source, as test/core/toolchain/toolchain.test.ts).
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startTrayApp, type MaintenancePort, type TrayApp } from '../../../main/app/tray-app.js';
import type { WatchFolder } from '../../../main/app/refresh.js';
import { TRAY_ITEM } from '../../../main/app/tray/tray-menu.js';
import { createOperationLogs } from '../../../main/app/maintenance/operation-logs.js';
import { createToolchainAction, TOOLCHAIN_ITEM } from '../../../main/app/maintenance/toolchain-action.js';
import { createToolchainPort, type ToolchainPort } from '../../../main/app/maintenance/toolchain-port.js';
import { electronNotifier } from '../../../main/app/notifications.js';
import type { DoctorReport } from '../../../main/core/doctor/index.js';
import { AppError } from '../../../main/core/errors.js';
import { memoryLogger, type Logger } from '../../../main/core/log.js';
import type { GcReport } from '../../../main/core/maintenance/gc.js';
import { latestLogFile } from '../../../main/core/maintenance/logs.js';
import { shellQuote } from '../../../main/core/maintenance/shell-quote.js';
import { pinFiles, readPinFile, writePinFile, type NixpkgsPin } from '../../../main/core/toolchain/pin.js';
import type { PinChange } from '../../../main/core/toolchain/update.js';
import { createElectronFake, FakeNotification, FakeTray, type ElectronFake, type FakeMenu } from '../../fixtures/electron-fake.js';
import { deferred, FakeController, snapshotOf } from '../../fixtures/fake-controller.js';
import { baseEnv, tempDirs } from '../../fixtures/nix/harness.js';
import { fakeNixpkgsTarball, pinnedProject } from '../../fixtures/nix/pinned-nixpkgs.js';
import { trayTestOptions } from '../../fixtures/tray-options.js';

vi.mock('electron', () => ({ default: {} }));

const noWatch: WatchFolder = () => ({ close() {}, on: () => undefined });
const flush = (): Promise<void> => new Promise((r) => setImmediate(r));
const tmp = tempDirs();

const OLD: NixpkgsPin = { branch: 'nixos-25.05', revision: 'a'.repeat(40), date: '2025-11-01', url: 'file:///old.tar.gz', sha256: '0'.repeat(52) };
const NEW: NixpkgsPin = { ...OLD, revision: 'b'.repeat(40), date: '2026-01-02', url: 'file:///new.tar.gz' };
const CHANGE: PinChange = {
  from: OLD,
  to: NEW,
  fromVersions: { colima: '0.9.1', lima: '1.0.0', kubectl: '1.33.0' },
  toVersions: { colima: '0.10.3', lima: '1.0.0', kubectl: '1.34.1' },
  unchanged: false,
};
const REPORT: DoctorReport = { formatVersion: 1, generatedAt: '2026-08-21T10:00:00.000Z', platform: 'linux', checks: [], findings: [], counts: { error: 0, warning: 0, info: 0 } };
const GC: GcReport = { steps: [], pathsDeleted: 0, bytesFreed: 0, generationsRemoved: 0, keptRoots: [], releasedRoots: [] };

/** A project folder whose nix/nixpkgs-pin.json is `pin` (and .previous when given); returns its shell.nix. */
function project(pin: NixpkgsPin | undefined, previous?: NixpkgsPin): string {
  const dir = tmp.make('toolchain-tray');
  mkdirSync(path.join(dir, 'nix'), { recursive: true });
  writeFileSync(path.join(dir, 'shell.nix'), '{ }: { }\n');
  if (pin) writePinFile(path.join(dir, 'nix', 'nixpkgs-pin.json'), pin);
  if (previous) writePinFile(path.join(dir, 'nix', 'nixpkgs-pin.json.previous'), previous);
  return path.join(dir, 'shell.nix');
}

/** A ToolchainPort whose update the test scripts; rollback is the real one on `shellNix`. */
function scriptedPort(shellNix: string, update: (signal: AbortSignal, logger: Logger) => Promise<PinChange>) {
  const calls: AbortSignal[] = [];
  const real = createToolchainPort({ shellNix, env: {} });
  const port: ToolchainPort = {
    shellNix,
    update: ({ logger, signal }) => {
      calls.push(signal);
      logger.log('info', 'nix-prefetch-url --unpack …');
      return update(signal, logger);
    },
    rollback: () => real.rollback(),
  };
  return { port, calls };
}

let electron: ElectronFake;
let controller: FakeController;
let app: TrayApp | undefined;
let logsDir: string;
let signals: EventEmitter;

function launch(toolchain: ToolchainPort | undefined): TrayApp {
  const maintenance: MaintenancePort = { runDoctor: async () => REPORT, collectGarbage: async () => GC, ...(toolchain ? { toolchain } : {}) };
  app = startTrayApp(
    electron,
    { controller, ledger: { list: () => [] }, isProcessAlive: () => false, logsDir, logger: memoryLogger(), maintenance },
    trayTestOptions(path.join(logsDir, 'no-lima'), { watch: noWatch, signals }),
  );
  return app;
}
const menu = (): FakeMenu => FakeTray.created.at(-1)!.contextMenu();
const titles = (): string[] => FakeNotification.shown.map((n) => n.title);

beforeEach(() => {
  electron = createElectronFake();
  controller = new FakeController(snapshotOf());
  logsDir = path.join(tmp.make('toolchain-logs'), 'logs');
  signals = new EventEmitter();
});
afterEach(() => {
  app?.refresher.stop();
  app = undefined;
  tmp.cleanup();
});

describe('"Update toolchain…" in the tray', () => {
  it('sits after "Collect nix garbage", is disabled with "Updating toolchain…" while it runs, and notifies both versions', async () => {
    const shellNix = project(OLD);
    const gate = deferred<PinChange>();
    const { port, calls } = scriptedPort(shellNix, () => gate.promise);
    launch(port);
    await app!.launchTasks;
    const labels = menu().labels();
    expect(labels.indexOf('Update toolchain…')).toBe(labels.indexOf('Collect nix garbage') + 1);
    expect(menu().has(TOOLCHAIN_ITEM.rollback)).toBe(false);

    menu().click(TOOLCHAIN_ITEM.update);
    await flush();
    expect(calls).toHaveLength(1);
    expect(menu().item(TOOLCHAIN_ITEM.update)).toMatchObject({ label: 'Updating toolchain…', enabled: false });
    expect(() => menu().click(TOOLCHAIN_ITEM.update)).toThrow(/disabled/);
    gate.resolve(CHANGE);
    await vi.waitFor(() => expect(titles()).toEqual(['Toolchain updated']));
    const body = FakeNotification.shown[0]!.body ?? '';
    expect(body).toContain('nixpkgs nixos-25.05: aaaaaaaaaaaa (2025-11-01) -> bbbbbbbbbbbb (2026-01-02)');
    expect(body).toContain('colima: 0.9.1 -> 0.10.3');
    expect(body).toContain('kubectl: 1.33.0 -> 1.34.1');
    expect(calls).toHaveLength(1);
    expect(menu().item(TOOLCHAIN_ITEM.update)).toMatchObject({ label: 'Update toolchain…', enabled: true });
    const log = latestLogFile(logsDir)!;
    expect(path.basename(log)).toMatch(/-toolchain\.log$/);
    expect(readFileSync(log, 'utf8')).toContain('nix-prefetch-url --unpack');
  });

  it('a failed update is notified in plain words, and the pin is left as it was', async () => {
    const shellNix = project(OLD);
    const { port } = scriptedPort(shellNix, async () => {
      throw new AppError('COMMAND_FAILED', 'Could not read the newest nixos-25.05 revision from https://channels.nixos.org/nixos-25.05/git-revision (fetch failed; offline?). The pin was not changed.');
    });
    launch(port);
    await app!.launchTasks;
    menu().click(TOOLCHAIN_ITEM.update);
    await vi.waitFor(() => expect(titles()).toEqual(['Could not update the toolchain']));
    expect(FakeNotification.shown[0]!.body).toMatch(/offline\?\)\. The pin was not changed\.$/);
    expect(readPinFile(pinFiles(shellNix).pin)).toEqual(OLD);
    expect(menu().has(TOOLCHAIN_ITEM.rollback)).toBe(false);
  });

  it('is disabled while an instance starts', async () => {
    const { port } = scriptedPort(project(OLD), async () => CHANGE);
    launch(port);
    await app!.launchTasks;
    controller.publish(snapshotOf({ instances: { k8s: { phase: 'starting' } } }));
    expect(menu().item(TOOLCHAIN_ITEM.update).enabled).toBe(false);
    controller.publish(snapshotOf({ instances: { k8s: { phase: 'running' } } }));
    expect(menu().item(TOOLCHAIN_ITEM.update).enabled).toBe(true);
  });

  it('a quit while an update runs aborts it, and nothing is notified', async () => {
    const shellNix = project(OLD);
    const { port, calls } = scriptedPort(
      shellNix,
      (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(new AppError('CANCELLED', 'The update was cancelled. The pin was not changed.')))),
    );
    controller.teardownImpl = async () => ({ ok: true, remaining: [] });
    launch(port);
    await app!.launchTasks;
    menu().click(TOOLCHAIN_ITEM.update);
    await flush();
    expect(calls[0]!.aborted).toBe(false);
    menu().click(TRAY_ITEM.quit);
    await vi.waitFor(() => expect(calls[0]!.aborted).toBe(true));
    await vi.waitFor(() => expect(electron.app.exitCode).toBe(0));
    expect(titles()).toEqual([]);
    expect(readPinFile(pinFiles(shellNix).pin)).toEqual(OLD);
  });

  it('is not shown for a shell.nix without a pin (your own nixpkgs)', async () => {
    const { port } = scriptedPort(project(undefined), async () => CHANGE);
    launch(port);
    expect(menu().has(TRAY_ITEM.collectGarbage)).toBe(true);
    expect(menu().has(TOOLCHAIN_ITEM.update)).toBe(false);
  });
});

describe('"Roll back toolchain"', () => {
  it('appears only with a previous pin, and restores it', async () => {
    const shellNix = project(NEW, OLD);
    const { port } = scriptedPort(shellNix, async () => CHANGE);
    launch(port);
    await app!.launchTasks;
    expect(menu().shown(TOOLCHAIN_ITEM.rollback)).toBe('Roll back toolchain');
    menu().click(TOOLCHAIN_ITEM.rollback);
    await vi.waitFor(() => expect(titles()).toEqual(['Toolchain rolled back']));
    expect(FakeNotification.shown[0]!.body).toContain('nixpkgs nixos-25.05: bbbbbbbbbbbb (2026-01-02) -> aaaaaaaaaaaa (2025-11-01)');
    expect(readPinFile(pinFiles(shellNix).pin)).toEqual(OLD);
    // The replaced pin is kept, so the item stays (a second rollback redoes the update).
    expect(readPinFile(pinFiles(shellNix).previous)).toEqual(NEW);
    expect(menu().has(TOOLCHAIN_ITEM.rollback)).toBe(true);
  });
});

describe('a shell.nix in a read-only folder (a packaged app)', () => {
  it('says to copy shell.nix and nix/ somewhere writable and set COLIMA_K8S_SHELL_NIX, without fetching', async () => {
    const shellNix = project(OLD, NEW);
    const { port, calls } = scriptedPort(shellNix, async () => CHANGE);
    const notifier = electronNotifier(createElectronFake().Notification, () => {});
    const logs = createOperationLogs({ logsDir, base: memoryLogger() });
    const checked: string[] = [];
    const action = createToolchainAction({ port, logs, notifier, logger: memoryLogger(), isWritable: (dir) => (checked.push(dir), false) });
    expect(await action.update()).toBeUndefined();
    expect(calls).toHaveLength(0);
    expect(checked).toEqual([path.join(path.dirname(shellNix), 'nix')]);
    expect(titles()).toEqual(['Cannot update the toolchain here']);
    const body = FakeNotification.shown[0]!.body ?? '';
    expect(body).toContain(`${path.dirname(shellNix)} is read-only`);
    expect(body).toContain('nothing was fetched');
    expect(body).toContain(`cp -R ${shellQuote(shellNix)} ${shellQuote(path.join(path.dirname(shellNix), 'nix'))} ~/colima-k8s-nix/`);
    expect(body).toContain('COLIMA_K8S_SHELL_NIX=~/colima-k8s-nix/shell.nix');

    action.rollback();
    expect(titles()).toEqual(['Cannot update the toolchain here', 'Cannot roll back the toolchain here']);
    expect(readPinFile(pinFiles(shellNix).pin)).toEqual(OLD);
  });
});

describe('a real update (real nix tools, offline)', () => {
  it('moves the pin to the newest revision, names both versions, then offers the rollback', async () => {
    const dir = tmp.make('toolchain-real');
    const old = await fakeNixpkgsTarball(dir, { colima: '0.9.1', kubectl: '1.33.0' }, { date: '2025-11-01' });
    const shellNix = pinnedProject(dir, old);
    const revNew = 'c'.repeat(40);
    const newer = await fakeNixpkgsTarball(dir, { colima: '0.10.3', kubectl: '1.34.1' }, { revision: revNew });
    writeFileSync(path.join(dir, 'nixos-25.05.json'), JSON.stringify({ revision: revNew, date: '2026-01-02', url: newer.url }));
    const sourceUrl = pathToFileURL(path.join(dir, '{branch}.json')).href.replace('%7Bbranch%7D', '{branch}');
    const port = createToolchainPort({ shellNix, env: baseEnv({ COLIMA_K8S_NIXPKGS_REVISION_URL: sourceUrl }), locate: { loginShell: false }, timeoutMs: 120_000 });
    launch(port);
    await app!.launchTasks;
    expect(menu().has(TOOLCHAIN_ITEM.rollback)).toBe(false);
    menu().click(TOOLCHAIN_ITEM.update);
    await vi.waitFor(() => expect(titles()).toEqual(['Toolchain updated']), { timeout: 120_000, interval: 50 });
    const body = FakeNotification.shown[0]!.body ?? '';
    expect(body).toContain(`-> ${revNew.slice(0, 12)} (2026-01-02)`);
    expect(body).toContain('colima: 0.9.1 -> 0.10.3');
    expect(readPinFile(pinFiles(shellNix).pin)).toMatchObject({ revision: revNew, sha256: newer.sha256 });
    expect(existsSync(pinFiles(shellNix).previous)).toBe(true);
    expect(menu().has(TOOLCHAIN_ITEM.rollback)).toBe(true);
  }, 180_000);
});
