// The tray as the user sees it, for each state: icon, tooltip and menu, built
// by the real tray code on the compiler-checked Electron fake; clicks go
// through FakeMenu, which refuses disabled items like a real menu.
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { trayIconSet } from '../../../main/app/tray/icons.js';
import { createAppTray } from '../../../main/app/tray/tray.js';
import { buildTrayMenuTemplate, profileItemId, TRAY_ITEM, type TrayActions, type TrayMenuOptions } from '../../../main/app/tray/tray-menu.js';
import { createElectronFake, FakeMenu, FakeTray, type ElectronFake } from '../../fixtures/electron-fake.js';
import { FakeController, snapshotOf } from '../../fixtures/fake-controller.js';

const ICONS = path.resolve('build', 'tray');

function recordingActions(controller: FakeController) {
  const calls: string[] = [];
  const actions: TrayActions = {
    toggleActive: () => void controller.toggleActive(),
    setActiveProfile: (name) => controller.setActiveProfile(name),
    openProfiles: () => calls.push('openProfiles'),
    setStartAtLogin: (on) => calls.push(`setStartAtLogin ${on}`),
    setStartActiveProfileAtLaunch: (on) => calls.push(`setStartActiveProfileAtLaunch ${on}`),
    runDoctor: () => calls.push('runDoctor'),
    collectGarbage: () => calls.push('collectGarbage'),
    setCollectGarbageAfterQuit: (on) => calls.push(`setCollectGarbageAfterQuit ${on}`),
    openTerminal: () => calls.push('openTerminal'),
    showLogs: () => calls.push('showLogs'),
    quit: () => calls.push('quit'),
  };
  return { actions, calls };
}

describe('tray menu and icon by state', () => {
  let electron: ElectronFake;
  let controller: FakeController;
  let calls: string[];
  let options: TrayMenuOptions;

  const start = (platform: NodeJS.Platform = 'linux'): FakeTray => {
    const rec = recordingActions(controller);
    calls = rec.calls;
    createAppTray(
      { Tray: electron.Tray, Menu: electron.Menu, icons: trayIconSet(electron.nativeImage, ICONS, platform), platform },
      controller,
      rec.actions,
      () => options,
    );
    const tray = FakeTray.created.at(-1);
    if (!tray) throw new Error('no tray was created');
    return tray;
  };

  beforeEach(() => {
    electron = createElectronFake();
    controller = new FakeController(snapshotOf());
    options = { startAtLogin: false };
  });

  it('stopped: start toggle enabled, every item present, stopped icon', () => {
    const tray = start();
    const menu = tray.contextMenu();
    expect(menu.labels()).toEqual(['k8s: Stopped', '---', 'Start k8s', 'Profile', 'Profiles…', '---', 'Start at login', '---', 'Show logs', '---', 'Quit']);
    expect(menu.item(TRAY_ITEM.status).enabled).toBe(false);
    expect(() => menu.click(TRAY_ITEM.status)).toThrow(/disabled/);
    expect(tray.image.path).toBe(path.join(ICONS, 'tray-stopped.png'));
    expect(tray.tooltip).toBe('colima-k8s-nix — k8s: Stopped');
    menu.click(TRAY_ITEM.toggle);
    expect(controller.calls).toEqual(['toggleActive']);
  });

  it("starting: colima's stage in the status line and tooltip; the toggle cancels the start", () => {
    const tray = start();
    controller.publish(snapshotOf({ instances: { k8s: { phase: 'starting', stage: 'provisioning ... (kubernetes)' } } }));
    const menu = tray.contextMenu();
    expect(menu.item(TRAY_ITEM.status).label).toBe('k8s: Starting — provisioning ... (kubernetes)');
    expect(tray.tooltip).toBe('colima-k8s-nix — k8s: Starting — provisioning ... (kubernetes)');
    expect(tray.image.path).toBe(path.join(ICONS, 'tray-starting.png'));
    expect(menu.item(TRAY_ITEM.toggle).label).toBe('Cancel start of k8s');
    menu.click(TRAY_ITEM.toggle);
    expect(controller.calls).toEqual(['toggleActive']);
  });

  it('running: stop toggle, running icon', () => {
    const tray = start();
    controller.publish(snapshotOf({ instances: { k8s: { phase: 'running' } } }));
    const menu = tray.contextMenu();
    expect(menu.item(TRAY_ITEM.status).label).toBe('k8s: Running');
    expect(menu.item(TRAY_ITEM.toggle).label).toBe('Stop k8s');
    expect(tray.image.path).toBe(path.join(ICONS, 'tray-running.png'));
    menu.click(TRAY_ITEM.toggle);
    expect(controller.calls).toEqual(['toggleActive']);
  });

  it('stopping (and deleting): the toggle is disabled and refuses clicks', () => {
    const tray = start();
    for (const phase of ['stopping', 'deleting'] as const) {
      controller.publish(snapshotOf({ instances: { k8s: { phase, stage: 'forcing the stop' } } }));
      const menu = tray.contextMenu();
      expect(menu.item(TRAY_ITEM.toggle)).toMatchObject({ label: 'Stopping k8s…', enabled: false });
      expect(() => menu.click(TRAY_ITEM.toggle)).toThrow(/disabled/);
      expect(tray.image.path).toBe(path.join(ICONS, 'tray-stopping.png'));
    }
    expect(controller.calls).toEqual([]);
  });

  it('error: the message and the last log line are shown, start is offered again, error icon', () => {
    const tray = start();
    controller.publish(
      snapshotOf({
        instances: { k8s: { phase: 'error', error: { message: 'colima start failed (exit 1).', logTail: ['level=info msg="starting ..."', 'level=fatal msg="error starting vm: exit status 1"'] } } },
      }),
    );
    const menu = tray.contextMenu();
    expect(menu.labels().slice(0, 4)).toEqual(['k8s: Error — colima start failed (exit 1).', 'level=fatal msg="error starting vm: exit status 1"', '---', 'Start k8s']);
    expect(tray.image.path).toBe(path.join(ICONS, 'tray-error.png'));
    menu.click(TRAY_ITEM.toggle);
    expect(controller.calls).toEqual(['toggleActive']);
  });

  it('a nix environment that cannot be resolved shows as an error while stopped', () => {
    const tray = start();
    controller.publish(snapshotOf({ environment: { kind: 'error', message: 'nix-shell was not found' } }));
    expect(tray.contextMenu().item(TRAY_ITEM.status).label).toBe('k8s: Error — nix-shell was not found');
    expect(tray.image.path).toBe(path.join(ICONS, 'tray-error.png'));
  });

  it('while a teardown runs, nothing can be started and the status says what is left', () => {
    const tray = start();
    controller.publish(
      snapshotOf({
        instances: { k8s: { phase: 'stopping' }, dev: { phase: 'deleting' } },
        teardown: { running: true, items: [{ profile: 'k8s', step: 'stopping' }, { profile: 'dev', step: 'done' }] },
      }),
    );
    const menu = tray.contextMenu();
    expect(menu.item(TRAY_ITEM.status).label).toBe('Cleaning up: 1 of 2 instances left');
    expect(menu.item(TRAY_ITEM.toggle).enabled).toBe(false);
    expect(menu.item(TRAY_ITEM.quit)).toMatchObject({ label: 'Quit', enabled: true });
  });

  it('the profile submenu is a radio group; a click sets the active profile and the menu is set again', () => {
    const tray = start();
    const before = tray.menuSets;
    const menu = tray.contextMenu();
    expect(menu.item(profileItemId('k8s'))).toMatchObject({ type: 'radio', checked: true, label: 'k8s (4 CPU, 8 GiB)' });
    expect(menu.item(profileItemId('dev'))).toMatchObject({ type: 'radio', checked: false });
    menu.click(profileItemId('dev'));
    expect(controller.calls).toEqual(['setActiveProfile dev']);
    // Linux needs setContextMenu again after every change (electron-stack.md §12).
    expect(tray.menuSets).toBe(before + 1);
    expect(tray.contextMenu().item(profileItemId('dev')).checked).toBe(true);
    expect(tray.contextMenu().item(TRAY_ITEM.toggle).label).toBe('Start dev');
  });

  it('profiles, logs, start at login and quit call their actions', () => {
    const tray = start();
    const menu = tray.contextMenu();
    menu.click(TRAY_ITEM.openProfiles);
    menu.click(TRAY_ITEM.showLogs);
    expect(menu.item(TRAY_ITEM.startAtLogin)).toMatchObject({ type: 'checkbox', checked: false });
    menu.click(TRAY_ITEM.startAtLogin);
    menu.click(TRAY_ITEM.quit);
    expect(calls).toEqual(['openProfiles', 'showLogs', 'setStartAtLogin true', 'quit']);
  });

  it('"Start at login" is left out where it cannot be read; while quitting, Quit is disabled', () => {
    options = { quitting: true };
    const tray = start();
    const menu = tray.contextMenu();
    expect(menu.has(TRAY_ITEM.startAtLogin)).toBe(false);
    expect(menu.item(TRAY_ITEM.quit)).toMatchObject({ label: 'Quitting…', enabled: false });
    expect(menu.item(TRAY_ITEM.toggle).enabled).toBe(false);
  });

  it('macOS gets template images; the image is only swapped when the state changes', () => {
    const tray = start('darwin');
    expect(tray.image.path).toBe(path.join(ICONS, 'tray-stoppedTemplate.png'));
    expect(tray.image.isTemplateImage()).toBe(true);
    controller.publish(snapshotOf({ active: 'dev' }));
    expect(tray.imageSets).toBe(0);
    controller.publish(snapshotOf({ instances: { k8s: { phase: 'running' } } }));
    expect(tray.imageSets).toBe(1);
    expect(tray.image.path).toBe(path.join(ICONS, 'tray-runningTemplate.png'));
  });

  it('the template is a pure function of the snapshot', () => {
    const snapshot = snapshotOf({ instances: { k8s: { phase: 'running' } } });
    const { actions } = recordingActions(controller);
    const strip = (t: unknown) => JSON.parse(JSON.stringify(t)) as unknown;
    expect(strip(buildTrayMenuTemplate(snapshot, actions, { startAtLogin: true }))).toEqual(strip(buildTrayMenuTemplate(snapshot, actions, { startAtLogin: true })));
    expect(Object.isFrozen(snapshot)).toBe(true);
  });
});

describe('tray menu: settings and maintenance items', () => {
  let controller: FakeController;
  let calls: string[];
  let actions: TrayActions;
  const ALL: TrayMenuOptions = {
    startAtLogin: false,
    startActiveProfileAtLaunch: false,
    collectGarbageAfterQuit: false,
    doctor: 'idle',
    gc: 'idle',
    terminal: true,
  };
  const menuFor = (snapshot = snapshotOf(), options: TrayMenuOptions = ALL): FakeMenu => FakeMenu.buildFromTemplate(buildTrayMenuTemplate(snapshot, actions, options));

  beforeEach(() => {
    createElectronFake();
    controller = new FakeController(snapshotOf());
    ({ actions, calls } = recordingActions(controller));
  });

  it('shows every item, in order, when every service is there', () => {
    expect(menuFor().labels()).toEqual([
      'k8s: Stopped',
      '---',
      'Start k8s',
      'Profile',
      'Profiles…',
      '---',
      'Start at login',
      'Start active profile at launch',
      '---',
      'Doctor…',
      'Collect nix garbage',
      'Collect nix garbage after quit',
      'Open terminal in nix environment',
      'Show logs',
      '---',
      'Quit',
    ]);
  });

  it('each item calls its action; checkboxes show their state and ask for the opposite', () => {
    const menu = menuFor(snapshotOf(), { ...ALL, startActiveProfileAtLaunch: true, collectGarbageAfterQuit: false });
    expect(menu.item(TRAY_ITEM.startActiveProfileAtLaunch)).toMatchObject({ type: 'checkbox', checked: true });
    expect(menu.item(TRAY_ITEM.collectGarbageAfterQuit)).toMatchObject({ type: 'checkbox', checked: false });
    for (const id of [TRAY_ITEM.startActiveProfileAtLaunch, TRAY_ITEM.collectGarbageAfterQuit, TRAY_ITEM.doctor, TRAY_ITEM.collectGarbage, TRAY_ITEM.openTerminal]) {
      menu.click(id);
    }
    expect(calls).toEqual(['setStartActiveProfileAtLaunch false', 'setCollectGarbageAfterQuit true', 'runDoctor', 'collectGarbage', 'openTerminal']);
  });

  it('items whose service is missing are left out, and no two separators follow each other', () => {
    const menu = menuFor(snapshotOf(), {});
    for (const id of [TRAY_ITEM.startAtLogin, TRAY_ITEM.startActiveProfileAtLaunch, TRAY_ITEM.doctor, TRAY_ITEM.collectGarbage, TRAY_ITEM.collectGarbageAfterQuit, TRAY_ITEM.openTerminal]) {
      expect(menu.has(id)).toBe(false);
    }
    expect(menu.labels()).toEqual(['k8s: Stopped', '---', 'Start k8s', 'Profile', 'Profiles…', '---', 'Show logs', '---', 'Quit']);
    // The GC opt-in only makes sense with the GC itself.
    expect(menuFor(snapshotOf(), { collectGarbageAfterQuit: true }).has(TRAY_ITEM.collectGarbageAfterQuit)).toBe(false);
  });

  it('"Collect nix garbage" is disabled while it runs (a second click does nothing) and says so', () => {
    const menu = menuFor(snapshotOf(), { ...ALL, gc: 'running' });
    expect(menu.item(TRAY_ITEM.collectGarbage)).toMatchObject({ label: 'Collecting nix garbage…', enabled: false });
    expect(() => menu.click(TRAY_ITEM.collectGarbage)).toThrow(/disabled/);
    expect(calls).toEqual([]);
  });

  it.each([
    ['an instance is starting', snapshotOf({ instances: { dev: { phase: 'starting' } } })],
    ['an instance is stopping', snapshotOf({ instances: { k8s: { phase: 'stopping' } } })],
    ['an instance is being deleted', snapshotOf({ instances: { dev: { phase: 'deleting' } } })],
    ['a teardown runs', snapshotOf({ teardown: { running: true, items: [] } })],
    ['the nix environment is being prepared', snapshotOf({ environment: { kind: 'resolving' } })],
  ])('"Collect nix garbage" is disabled while %s', (_what, snapshot) => {
    const menu = menuFor(snapshot);
    expect(menu.item(TRAY_ITEM.collectGarbage).enabled).toBe(false);
    expect(() => menu.click(TRAY_ITEM.collectGarbage)).toThrow(/disabled/);
  });

  it('"Collect nix garbage" is enabled with instances running or stopped', () => {
    const menu = menuFor(snapshotOf({ instances: { k8s: { phase: 'running' }, dev: { phase: 'stopped' } } }));
    expect(menu.item(TRAY_ITEM.collectGarbage).enabled).toBe(true);
  });

  it('while quitting, the doctor, the GC and the terminal are disabled; the checkboxes and Show logs stay', () => {
    const menu = menuFor(snapshotOf(), { ...ALL, quitting: true });
    for (const id of [TRAY_ITEM.doctor, TRAY_ITEM.collectGarbage, TRAY_ITEM.openTerminal]) expect(menu.item(id).enabled).toBe(false);
    for (const id of [TRAY_ITEM.startAtLogin, TRAY_ITEM.startActiveProfileAtLaunch, TRAY_ITEM.collectGarbageAfterQuit, TRAY_ITEM.showLogs]) {
      expect(menu.item(id).enabled).not.toBe(false);
    }
  });

  it('the toolchain items (maintenance/toolchain-action.ts) come right after the GC items', () => {
    const toolchain = [
      { id: 'update-toolchain', label: 'Update toolchain…' },
      { id: 'rollback-toolchain', label: 'Roll back toolchain' },
    ];
    const labels = menuFor(snapshotOf(), { ...ALL, toolchain }).labels();
    expect(labels.slice(labels.indexOf('Collect nix garbage'), labels.indexOf('Open terminal in nix environment'))).toEqual([
      'Collect nix garbage',
      'Collect nix garbage after quit',
      'Update toolchain…',
      'Roll back toolchain',
    ]);
  });

  it('"Doctor…" is disabled while the doctor runs', () => {
    const menu = menuFor(snapshotOf(), { ...ALL, doctor: 'running' });
    expect(menu.item(TRAY_ITEM.doctor)).toMatchObject({ label: 'Doctor (running…)', enabled: false });
  });
});

describe('tray menu: error details, leftovers and labels from data', () => {
  let calls: string[];
  let actions: TrayActions;
  const menuFor = (snapshot = snapshotOf(), options: TrayMenuOptions = {}): FakeMenu => FakeMenu.buildFromTemplate(buildTrayMenuTemplate(snapshot, actions, options));
  // As packaged: the fix names a path inside the app bundle.
  const LONG =
    'Could not evaluate shell.nix: nix-shell exited 1. Fix it and start again: nix-shell "/Applications/Colima K8s Nix.app/Contents/Resources/nix/shell.nix"';

  beforeEach(() => {
    createElectronFake();
    const controller = new FakeController(snapshotOf());
    ({ actions, calls } = recordingActions(controller));
    actions = { ...actions, showDetails: () => calls.push('showDetails'), deleteLeftovers: () => calls.push('deleteLeftovers') };
  });

  it('an error shows its first sentence, never a cut inside a word, and "Show details…" opens the whole of it', () => {
    const menu = menuFor(snapshotOf({ instances: { k8s: { phase: 'error', error: { message: LONG, logTail: [] } } } }));
    expect(menu.shown(TRAY_ITEM.status)).toBe('k8s: Error — Could not evaluate shell.nix: nix-shell exited 1.');
    menu.click(TRAY_ITEM.showDetails);
    expect(calls).toEqual(['showDetails']);
    // One long sentence: cut at a word boundary, with "…".
    const long = 'colima start failed because the virtual machine did not come up within the allotted time';
    const cut = menuFor(snapshotOf({ instances: { k8s: { phase: 'error', error: { message: long, logTail: [] } } } })).shown(TRAY_ITEM.status);
    expect(cut).toBe('k8s: Error — colima start failed because the virtual machine did not come up…');
    expect(long.startsWith(cut.slice('k8s: Error — '.length, -1))).toBe(true);
    // The environment's error gets the same, and its details too.
    const env = menuFor(snapshotOf({ environment: { kind: 'error', message: LONG } }));
    expect(env.shown(TRAY_ITEM.status)).toBe('k8s: Error — Could not evaluate shell.nix: nix-shell exited 1.');
    expect(env.has(TRAY_ITEM.showDetails)).toBe(true);
    expect(menuFor().has(TRAY_ITEM.showDetails)).toBe(false);
  });

  it("an `&` in the status line, colima's last log line or a profile name is shown, not taken as a mnemonic", () => {
    const snapshot = snapshotOf({
      profiles: ['k8s', 'r&d'],
      instances: { k8s: { phase: 'error', error: { message: 'start & wait failed.', logTail: ['level=fatal msg="pull & run: exit status 1"'] } } },
    });
    const menu = menuFor(snapshot);
    expect(menu.mnemonics()).toEqual([]);
    expect(menu.labels().slice(0, 2)).toEqual(['k8s: Error — start & wait failed.', 'level=fatal msg="pull & run: exit status 1"']);
    expect(menu.shown(profileItemId('r&d'))).toBe('r&d (4 CPU, 8 GiB)');
  });

  it('"Delete leftovers" lists what the launch could not remove, is disabled while it runs and while quitting', () => {
    expect(menuFor(snapshotOf(), { leftovers: { profiles: [], running: false } }).has(TRAY_ITEM.deleteLeftovers)).toBe(false);
    const menu = menuFor(snapshotOf(), { leftovers: { profiles: ['dev', 'ci'], running: false } });
    expect(menu.shown(TRAY_ITEM.deleteLeftovers)).toBe('Delete leftovers (dev, ci)');
    menu.click(TRAY_ITEM.deleteLeftovers);
    expect(calls).toEqual(['deleteLeftovers']);
    expect(menuFor(snapshotOf(), { leftovers: { profiles: ['dev'], running: true } }).item(TRAY_ITEM.deleteLeftovers)).toMatchObject({ label: 'Deleting leftovers…', enabled: false });
    expect(menuFor(snapshotOf(), { leftovers: { profiles: ['dev'], running: false }, quitting: true }).item(TRAY_ITEM.deleteLeftovers).enabled).toBe(false);
  });
});
