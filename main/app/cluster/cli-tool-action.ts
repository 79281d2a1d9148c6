// "Install command-line tool" / "Uninstall command-line tool": the colima-k8s
// launcher (core/maintenance/cli-launcher.ts). On macOS, when /usr/local/bin is
// not writable, the core has already written ~/.local/bin/colima-k8s; the app
// then asks whether to write /usr/local/bin/colima-k8s with the administrator's
// authorisation (osascript's `do shell script … with administrator privileges`).
// Declined or failed: the launcher in ~/.local/bin stays, and the notice says so.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { userMessage } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import { installCliLauncher, isOnPath, LAUNCHER_MARKER, uninstallCliLauncher, type CliLauncherOptions } from '../../core/maintenance/cli-launcher.js';
import { shellQuote } from '../../core/maintenance/shell-quote.js';
import { assertSucceeded, runCommand } from '../../core/run.js';
import type { DialogLike } from '../maintenance/doctor-action.js';
import type { Notifier } from '../notifications.js';

/** Runs one sh command line as the administrator (macOS); rejects when declined or failed. */
export type RunAuthorised = (shellCommand: string) => Promise<void>;

export interface CliToolPort {
  readonly launcher: CliLauncherOptions;
  /** Absent: no authorised write (the launcher stays in ~/.local/bin). */
  readonly runAuthorised?: RunAuthorised;
}

/** An AppleScript string literal: backslashes and double quotes escaped, so no text can end it. */
export function appleScriptString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function doShellScriptWithPrivileges(shellCommand: string): string {
  return `do shell script ${appleScriptString(shellCommand)} with administrator privileges`;
}

/** The sh line that writes `script` to `target` (mode 755): base64 on the way, so no quoting of its text. */
export function authorisedInstallCommand(target: string, script: string): string {
  const tmp = `${target}.tmp`;
  const b64 = Buffer.from(script, 'utf8').toString('base64');
  return [
    `/bin/mkdir -p ${shellQuote(path.dirname(target))}`,
    `/usr/bin/printf %s ${shellQuote(b64)} | /usr/bin/base64 -D > ${shellQuote(tmp)}`,
    `/bin/chmod 755 ${shellQuote(tmp)}`,
    `/bin/mv -f ${shellQuote(tmp)} ${shellQuote(target)}`,
  ].join(' && ');
}

/** macOS: osascript asks for the administrator's password (argv, no shell); 5 minutes to answer. */
export const osascriptRunAuthorised: RunAuthorised = async (shellCommand) => {
  const r = await runCommand('/usr/bin/osascript', ['-e', doShellScriptWithPrivileges(shellCommand)], { timeoutMs: 300_000 });
  assertSucceeded(r, 'osascript');
};

/** `~/.local/bin` for a folder in HOME. */
export function tildePath(dir: string, home: string): string {
  const rel = path.relative(home, dir);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? `~/${rel}` : dir;
}

export function pathAdvice(dir: string, home: string): string {
  const shown = tildePath(dir, home);
  const sh = shown.startsWith('~/') ? `$HOME/${shown.slice(2)}` : dir;
  return `${shown} is not on your PATH: add it (export PATH="${sh}:$PATH" in ~/.profile or ~/.zshrc), then open a new terminal.`;
}

function absentOrOurs(file: string): boolean {
  try {
    return readFileSync(file, 'utf8').split('\n')[1] === LAUNCHER_MARKER;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

export interface CliToolActionDeps {
  readonly port: CliToolPort;
  readonly notifier: Notifier;
  readonly dialog: DialogLike;
  readonly logger: Logger;
  readonly onChange: () => void;
}

export interface CliToolAction {
  install(): Promise<void>;
  uninstall(): Promise<void>;
  busy(): boolean;
}

export function createCliToolAction(deps: CliToolActionDeps): CliToolAction {
  const { launcher } = deps.port;
  let busy = false;
  const notify = (title: string, body: string): void => deps.notifier.notify({ title, body });
  const where = (file: string, dir: string): string =>
    `colima-k8s is in ${file}.${isOnPath(dir, launcher.env) ? ' Run `colima-k8s --help` in a new terminal.' : ` ${pathAdvice(dir, launcher.home)}`}`;
  const ask = async (message: string, detail: string, yes: string, no: string): Promise<boolean> =>
    (await deps.dialog.showMessageBox({ type: 'question', message, detail, buttons: [yes, no], defaultId: 0, cancelId: 1 })).response === 0;
  const guarded = async (work: () => Promise<void>, what: string): Promise<void> => {
    if (busy) return;
    busy = true;
    deps.onChange();
    try {
      await work();
    } catch (e) {
      deps.logger.log('error', `${what}: ${userMessage(e)}`);
      notify(`Could not ${what}`, userMessage(e));
    } finally {
      busy = false;
      deps.onChange();
    }
  };

  const install = async (): Promise<void> => {
    const r = installCliLauncher(launcher);
    if (!r.ok) {
      notify('Could not install the command-line tool', r.message);
      return;
    }
    deps.logger.log('info', `cli launcher: ${r.replaced ? 'rewrote' : 'wrote'} ${r.path}`);
    const auth = r.needsAuthorisation;
    const run = deps.port.runAuthorised;
    if (auth && run && absentOrOurs(auth.preferredPath)) {
      const dir = path.dirname(auth.preferredPath);
      const yes = await ask(
        `Install colima-k8s in ${dir}?`,
        `${dir} needs an administrator's password. Without it, colima-k8s stays in ${tildePath(r.dir, launcher.home)}.`,
        `Install in ${dir}`,
        `Keep ${tildePath(r.dir, launcher.home)}`,
      );
      if (yes) {
        try {
          await run(authorisedInstallCommand(auth.preferredPath, auth.script));
          deps.logger.log('info', `cli launcher: wrote ${auth.preferredPath} with authorisation`);
          notify('Command-line tool installed', where(auth.preferredPath, dir));
          return;
        } catch (e) {
          deps.logger.log('warn', `cli launcher: authorised write of ${auth.preferredPath}: ${userMessage(e)}`);
        }
      }
    }
    notify('Command-line tool installed', where(r.path, r.dir));
  };

  const uninstall = async (): Promise<void> => {
    const r = uninstallCliLauncher(launcher);
    const removed = [...r.removed];
    const run = deps.port.runAuthorised;
    const locked = [...r.needsAuthorisation];
    if (locked.length > 0 && run && (await ask('Remove colima-k8s with an administrator password?', locked.join('\n'), 'Remove', 'Keep'))) {
      await run(locked.map((f) => `/bin/rm -f ${shellQuote(f)}`).join(' && '));
      removed.push(...locked.splice(0));
    }
    const lines = [
      removed.length > 0 ? `Removed ${removed.join(', ')}.` : 'No colima-k8s command of this app was installed.',
      ...(locked.length > 0 ? [`Left (needs an administrator): ${locked.join(', ')}.`] : []),
      ...(r.notOurs.length > 0 ? [`Not written by this app, left alone: ${r.notOurs.join(', ')}.`] : []),
    ];
    notify('Command-line tool', lines.join('\n'));
  };

  return {
    install: () => guarded(install, 'install the command-line tool'),
    uninstall: () => guarded(uninstall, 'uninstall the command-line tool'),
    busy: () => busy,
  };
}
