// "Update toolchain…" and "Roll back toolchain" from the tray (README "A pinned
// toolchain"). One update at a time (a second click joins it; the item is
// disabled meanwhile), each with its own operation log, ending with a
// notification: the version changes (describeChange) or the error in plain
// words. A failure leaves the pin untouched (updatePin writes it last). A
// shell.nix in a read-only folder (a packaged app's resources/) is refused
// before anything is fetched, with what to do instead. The quit aborts an
// update under way, and nothing is notified then.
import { existsSync } from 'node:fs';
import { canWriteIn } from '../../core/files.js';
import path from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { isAppError, userMessage } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import { shellQuote } from '../../core/maintenance/shell-quote.js';
import type { AppSnapshot } from '../../core/model.js';
import { pinFiles, type NixpkgsPin } from '../../core/toolchain/pin.js';
import { describeChange, type PinChange } from '../../core/toolchain/update.js';
import type { Notice, Notifier } from '../notifications.js';
import type { QuitPath } from '../quit/quit.js';
import { gcBlockedBy } from '../tray/tray-menu.js';
import type { OperationLogs } from './operation-logs.js';
import { singleFlight } from './single-flight.js';
import type { ToolchainPort } from './toolchain-port.js';

/** Stable menu ids (tests and the fake menu find the items by them). */
export const TOOLCHAIN_ITEM = { update: 'update-toolchain', rollback: 'rollback-toolchain' } as const;

export interface ToolchainActionDeps {
  readonly port: ToolchainPort;
  readonly logs: OperationLogs;
  readonly notifier: Notifier;
  readonly logger: Logger;
  /** Told when an update starts or ends, and after a rollback (the menu re-renders). */
  readonly onChange?: () => void;
  /** From its first state change on, an update under way is aborted and no new one starts. */
  readonly quit?: Pick<QuitPath, 'state' | 'subscribe'>;
  /** The controller's snapshot: no pin moves while a start, stop or evaluation is under way. */
  readonly snapshot?: () => AppSnapshot;
  /** Whether the pin's folder can be written; default access(W_OK). */
  readonly isWritable?: (dir: string) => boolean;
}

export interface ToolchainAction {
  /** Starts an update, or joins the one under way; resolves (never rejects) when it was notified. */
  update(): Promise<PinChange | undefined>;
  rollback(): void;
  running(): boolean;
  /** The tray menu's `toolchain` items (TrayMenuOptions), after "Collect nix garbage". */
  menuOptions(): { readonly toolchain: MenuItemConstructorOptions[] };
}


const rev = (p: NixpkgsPin): string => `${p.revision.slice(0, 12)}${p.date ? ` (${p.date})` : ''}`;

/** The advice for a shell.nix whose pin cannot be rewritten in place. */
export function readOnlyNotice(shellNix: string, what: 'update' | 'roll back'): Notice {
  const dir = path.dirname(path.resolve(shellNix));
  const copy = '~/colima-k8s-nix';
  return {
    title: `Cannot ${what} the toolchain here`,
    body:
      `${dir} is read-only (as a packaged app's resources are), so its nix/nixpkgs-pin.json cannot be changed; nothing was fetched. ` +
      `Copy shell.nix and its nix/ folder somewhere writable (mkdir -p ${copy} && cp -R ${shellQuote(path.join(dir, 'shell.nix'))} ${shellQuote(path.join(dir, 'nix'))} ${copy}/), ` +
      `set COLIMA_K8S_SHELL_NIX=${copy}/shell.nix for the app (on macOS: launchctl setenv), restart it, then update again.`,
  };
}

export function changeNotice(change: PinChange): Notice {
  const lines = describeChange(change);
  if (change.unchanged) return { title: 'Toolchain already up to date', body: lines.join('\n') };
  return { title: 'Toolchain updated', body: [...lines, 'The new tools apply from the next start; running VMs are not touched.'].join('\n') };
}

export function createToolchainAction(deps: ToolchainActionDeps): ToolchainAction {
  const { port, logger } = deps;
  const files = pinFiles(port.shellNix);
  const pinDir = path.dirname(files.pin);
  const writable = (): boolean => (deps.isWritable ?? canWriteIn)(pinDir);
  const quitting = (): boolean => (deps.quit ? deps.quit.state() !== 'running' : false);

  const flight = singleFlight(
    (signal) =>
      deps.logs
        .run('toolchain', async (log) => {
          if (!writable()) {
            log.log('warn', `toolchain update: ${pinDir} is not writable; nothing fetched`);
            deps.notifier.notify(readOnlyNotice(port.shellNix, 'update'));
            return undefined;
          }
          return port.update({ logger: log, signal });
        })
        .then(
          (change) => {
            if (change) {
              logger.log('info', `toolchain: ${describeChange(change).join('; ')}`);
              deps.notifier.notify(changeNotice(change));
            }
            return change;
          },
          (e: unknown) => {
            logger.log('error', `toolchain update: ${userMessage(e)}`);
            if (!signal.aborted && !isAppError(e, 'CANCELLED')) deps.notifier.notify({ title: 'Could not update the toolchain', body: userMessage(e) });
            return undefined;
          },
        ),
    deps.onChange,
  );
  deps.quit?.subscribe((state) => state !== 'running' && flight.abort());

  const rollback = (): void => {
    if (flight.running() || quitting()) return;
    if (!writable()) {
      deps.notifier.notify(readOnlyNotice(port.shellNix, 'roll back'));
      return;
    }
    void deps.logs
      .run('toolchain rollback', async (log) => {
        const { from, to } = port.rollback();
        log.log('info', `toolchain rollback: ${rev(from)} -> ${rev(to)}`);
        return { from, to };
      })
      .then(
        ({ from, to }) =>
          deps.notifier.notify({ title: 'Toolchain rolled back', body: `nixpkgs ${to.branch}: ${rev(from)} -> ${rev(to)}\nThe next start evaluates it.` }),
        (e: unknown) => deps.notifier.notify({ title: 'Could not roll back the toolchain', body: userMessage(e) }),
      )
      .finally(() => deps.onChange?.());
  };

  const update = (): Promise<PinChange | undefined> => (quitting() && !flight.running() ? Promise.resolve(undefined) : flight.run());

  return {
    update,
    rollback,
    running: () => flight.running(),
    menuOptions() {
      // A shell.nix of your own without a pin (README "Your own nixpkgs"): nothing to update.
      if (!existsSync(files.pin)) return { toolchain: [] };
      const running = flight.running();
      const idle = !running && !quitting() && (deps.snapshot ? gcBlockedBy(deps.snapshot()) === undefined : true);
      const items: MenuItemConstructorOptions[] = [
        { id: TOOLCHAIN_ITEM.update, label: running ? 'Updating toolchain…' : 'Update toolchain…', enabled: idle, click: () => void update() },
      ];
      if (existsSync(files.previous)) items.push({ id: TOOLCHAIN_ITEM.rollback, label: 'Roll back toolchain', enabled: idle, click: () => rollback() });
      return { toolchain: items };
    },
  };
}
