// Wires "cluster at a glance" into the tray app: the glance tracker (fed by the
// controller's snapshots), the copy actions (Electron's clipboard), "Verify
// cluster" and the command-line tool items. tray-app.ts creates it and asks it
// for the menu items at each render (menuOptions).
import type { Clipboard, MenuItemConstructorOptions } from 'electron';
import { kubectlContextCommand, kubeconfigExport } from '../../core/cluster/copy.js';
import type { AppController } from '../../core/controller-api.js';
import { userMessage } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import type { DialogLike } from '../maintenance/doctor-action.js';
import type { Notifier } from '../notifications.js';
import { createCliToolAction } from './cli-tool-action.js';
import { cliToolItems, clusterMenuItems, type ClusterMenuActions, type ClusterMenuState } from './cluster-menu.js';
import { unknownContext, type ClusterPort } from './cluster-port.js';
import { createGlanceTracker } from './glance-tracker.js';
import { createVerifyAction } from './verify-action.js';

export type ClipboardLike = Pick<Clipboard, 'writeText'>;

export interface ClusterFeatureDeps {
  readonly port: ClusterPort;
  readonly controller: Pick<AppController, 'snapshot' | 'subscribe'>;
  readonly clipboard: ClipboardLike;
  readonly notifier: Notifier;
  readonly dialog: DialogLike;
  readonly logger: Logger;
  readonly render: () => void;
  readonly isQuitting: () => boolean;
}

export interface ClusterFeature {
  /** The tray menu's `cluster` and `cliTool` items (TrayMenuOptions). */
  menuOptions(): { readonly cluster: MenuItemConstructorOptions[]; readonly cliTool: MenuItemConstructorOptions[] };
  readonly actions: ClusterMenuActions;
  /** The launch's cleanup and first state read have finished (tray-app.ts). */
  launched(): void;
  /** Stops listening, the gatherings and the check under way. */
  dispose(): void;
}

export function createClusterFeature(deps: ClusterFeatureDeps): ClusterFeature {
  const { port, logger } = deps;
  const now = port.now ?? Date.now;
  const render = (): void => deps.render();
  const tracker = createGlanceTracker({ colima: port.colima, kubectl: port.kubectl, logger, now, onChange: render });
  const verify = createVerifyAction({
    kubectl: port.kubectl,
    isOwned: port.isOwned,
    notifier: deps.notifier,
    logger,
    onChange: render,
    isQuitting: deps.isQuitting,
    ...(port.verify ? { tuning: port.verify } : {}),
  });
  const cli = port.cliTool ? createCliToolAction({ port: port.cliTool, notifier: deps.notifier, dialog: deps.dialog, logger, onChange: render }) : undefined;

  /** Electron 45's clipboard.writeText resolves once written (W3C-like). */
  const copy = (profile: string, text: string, what: string): Promise<void> =>
    Promise.resolve()
      .then(() => deps.clipboard.writeText(text))
      .then(
        () => {
          logger.log('info', `copied ${what} of ${profile}`);
          deps.notifier.notify({ title: `Copied ${what}`, body: text });
        },
        (e: unknown) => deps.notifier.notify({ title: `Could not copy ${what}`, body: userMessage(e) }),
      );

  const actions: ClusterMenuActions = {
    refresh: (profile) => void tracker.refresh(profile),
    copyContextCommand(profile) {
      const glance = tracker.entries()[profile]?.glance;
      void copy(profile, kubectlContextCommand(glance ?? unknownContext(profile)), 'the kubectl context command');
    },
    copyKubeconfigExport: (profile) => void copy(profile, kubeconfigExport(port.kubeconfigPath), 'the KUBECONFIG export'),
    verify: (profile) => void verify.run(profile),
    cancelVerify: () => verify.cancel(),
    installCliTool: () => void cli?.install(),
    uninstallCliTool: () => void cli?.uninstall(),
  };

  const observe = (snapshot: ReturnType<AppController['snapshot']>): void => {
    // From the first quit request on: no gathering, and the check is cancelled (its pod is deleted).
    if (deps.isQuitting()) {
      tracker.dispose();
      verify.cancel();
      return;
    }
    tracker.observe(snapshot);
    const checked = verify.running();
    if (checked && snapshot.instances[checked]?.phase !== 'running') verify.cancel();
  };
  const unsubscribe = deps.controller.subscribe(observe);
  observe(deps.controller.snapshot());

  const state = (): ClusterMenuState => ({
    glances: tracker.entries(),
    verifying: verify.running(),
    cliTool: cli ? (cli.busy() ? 'busy' : 'idle') : undefined,
    quitting: deps.isQuitting(),
    now: now(),
  });

  return {
    menuOptions() {
      const s = state();
      return { cluster: clusterMenuItems(deps.controller.snapshot(), s, actions), cliTool: cliToolItems(s, actions) };
    },
    actions,
    launched: () => tracker.launched(),
    dispose() {
      unsubscribe();
      tracker.dispose();
      verify.cancel();
    },
  };
}
