// One log file per operation the tray starts (start, stop, teardown, gc,
// doctor, terminal) in the app's logs folder, e.g.
// `<logsDir>/<time>-start-dev.log`, so "Show logs" opens something real.
//
// run() opens the file around each call and names it after the operation
// (`start dev`, `teardown`). The controller asks for a logger when one of its
// operations begins (operationLogger, given to createCoreServices) and gets
// the file open under that operation's name: a start's lines and its
// colima/kubectl runs reach its file only, never that of a stop running at the
// same time. The app log gets every line.
import { userMessage } from '../../core/errors.js';
import type { AppController, TeardownResult } from '../../core/controller-api.js';
import type { OperationLogKind } from '../../core/lifecycle/controller.js';
import type { Logger } from '../../core/log.js';
import { createOperationLog, type OperationLog } from '../../core/maintenance/logs.js';

export interface OperationLogs {
  /**
   * For the controller (ControllerOptions.operationLogger): the app log plus
   * the file run() has open for the operation `<kind> <profile>` (the newest,
   * if several), or the app log alone when none is open.
   */
  readonly operationLogger: (kind: OperationLogKind, profile?: string) => Logger;
  /**
   * Runs `body` with a new log file for `operation` (e.g. `start dev`), which
   * receives what `body` logs to `log`, what the controller logs for the
   * operation of that name, and its outcome at the end. `profile` lets
   * lastFileFor find it. A log that cannot be created never stops the
   * operation (`file` is undefined then, and the lines go to the app log).
   */
  run<T>(operation: string, body: (log: Logger, file: string | undefined) => Promise<T>, profile?: string): Promise<T>;
  /** The newest operation log of `profile`, if one was written in this session. */
  lastFileFor(profile: string): string | undefined;
}

export interface OperationLogsOptions {
  readonly logsDir: string;
  /** The app log (tray.log). */
  readonly base: Logger;
  readonly create?: (logsDir: string, operation: string) => OperationLog;
  readonly now?: () => number;
}

/** The name run() is given for a controller operation, and under which operationLogger finds its file. */
export function operationName(kind: OperationLogKind, profile?: string): string {
  return profile === undefined ? kind : `${kind} ${profile}`;
}

/** Logging must never break an operation (a full disk, a logs folder deleted by hand). */
function safe(logger: Logger): Logger {
  return {
    log(level, message) {
      try {
        logger.log(level, message);
      } catch {
        /* the line is lost, the operation goes on */
      }
    },
  };
}

export function createOperationLogs(options: OperationLogsOptions): OperationLogs {
  // The loggers (app log + file) of the operations under way, by name; a second
  // run of the same name (a start joining a start) opens its own file too.
  const open = new Map<string, Logger[]>();
  const lastByProfile = new Map<string, string>();
  const create = options.create ?? createOperationLog;
  const now = options.now ?? Date.now;
  const base = safe(options.base);

  return {
    operationLogger: (kind, profile) => open.get(operationName(kind, profile))?.at(-1) ?? base,
    async run(operation, body, profile) {
      let file: Logger | undefined;
      let path: string | undefined;
      try {
        const created = create(options.logsDir, operation);
        file = safe(created.logger);
        path = created.file;
        if (profile) lastByProfile.set(profile, created.file);
      } catch (e) {
        base.log('warn', `could not create a log file for "${operation}": ${userMessage(e)}`);
      }
      const toFile = file;
      const own: Logger = toFile
        ? {
            log(level, message) {
              base.log(level, message);
              toFile.log(level, message);
            },
          }
        : base;
      const sameName = open.get(operation) ?? [];
      if (toFile) open.set(operation, [...sameName, own]);
      const started = now();
      try {
        const result = await body(own, path);
        own.log('info', `${operation}: finished after ${((now() - started) / 1000).toFixed(1)} s`);
        return result;
      } catch (e) {
        own.log('error', `${operation}: failed after ${((now() - started) / 1000).toFixed(1)} s: ${userMessage(e)}`);
        throw e;
      } finally {
        const left = (open.get(operation) ?? []).filter((l) => l !== own);
        if (left.length > 0) open.set(operation, left);
        else open.delete(operation);
      }
    },
    lastFileFor: (profile) => lastByProfile.get(profile),
  };
}

function describeTeardown(result: TeardownResult): string {
  return result.ok ? 'teardown: every instance the app started is gone' : `teardown: left ${result.remaining.map((r) => `${r.profile} (${r.reason})`).join(', ')}`;
}

/**
 * The controller, with start, stop, the toggle and teardownAll each written to
 * their own operation log. Everything else is passed through unchanged.
 */
export function withOperationLogs(controller: AppController, logs: OperationLogs): AppController {
  const activeName = (): string => controller.snapshot().activeProfile;
  return {
    snapshot: () => controller.snapshot(),
    subscribe: (listener) => controller.subscribe(listener),
    refresh: () => controller.refresh(),
    setActiveProfile: (name) => controller.setActiveProfile(name),
    saveProfile: (input, previousName) => controller.saveProfile(input, previousName),
    deleteProfile: (name, confirmName) => controller.deleteProfile(name, confirmName),
    start(profile) {
      const name = profile ?? activeName();
      return logs.run(operationName('start', name), () => controller.start(profile), name);
    },
    stop(profile) {
      const name = profile ?? activeName();
      return logs.run(operationName('stop', name), () => controller.stop(profile), name);
    },
    toggleActive() {
      const { activeProfile, instances } = controller.snapshot();
      const phase = instances[activeProfile]?.phase;
      // The same rule as the controller's: running or starting means stop (a stop cancels a start).
      const verb = phase === 'running' || phase === 'starting' ? 'stop' : 'start';
      return logs.run(operationName(verb, activeProfile), () => controller.toggleActive(), activeProfile);
    },
    teardownAll(options) {
      return logs.run(operationName('teardown'), async (log) => {
        const result = await controller.teardownAll(options);
        log.log(result.ok ? 'info' : 'error', describeTeardown(result));
        return result;
      });
    },
  };
}
