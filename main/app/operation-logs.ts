// One log file per operation the tray starts (start, stop, teardown, gc,
// doctor) in the app's logs folder, e.g. `<logsDir>/<time>-start-dev.log`,
// so "Show logs" opens something real.
//
// The lifecycle controller has one logger for its whole life, so the files
// are made here, around each call: the core services get `logs.logger`, which
// writes to the app log and to every operation log open at that moment. While
// two operations overlap (a stop of one profile during the start of another),
// each of their files gets the lines of both; a per-operation logger inside
// the controller would separate them (see the helper report of issue 6).
import { userMessage } from '../core/errors.js';
import type { AppController, TeardownResult } from '../core/controller-api.js';
import type { Logger, LogLevel } from '../core/log.js';
import { createOperationLog, type OperationLog } from '../core/maintenance/logs.js';

export interface OperationLogs {
  /** The logger to give the core services: the app log, plus every operation log open now. */
  readonly logger: Logger;
  /**
   * Runs `body` with a new log file for `operation` (e.g. `start dev`) that
   * receives every line logged meanwhile, and its outcome at the end.
   * `profile` lets lastFileFor find it. A log that cannot be created never
   * stops the operation (`file` is undefined then).
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
  const open = new Set<Logger>();
  const lastByProfile = new Map<string, string>();
  const create = options.create ?? createOperationLog;
  const now = options.now ?? Date.now;
  const base = safe(options.base);

  const logger: Logger = {
    log(level: LogLevel, message: string) {
      base.log(level, message);
      for (const l of open) l.log(level, message);
    },
  };

  return {
    logger,
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
      // The operation's own lines go to its file and the app log, never to another operation's file.
      const own: Logger = {
        log(level, message) {
          base.log(level, message);
          file?.log(level, message);
        },
      };
      if (file) open.add(file);
      const started = now();
      try {
        const result = await body(own, path);
        own.log('info', `${operation}: finished after ${((now() - started) / 1000).toFixed(1)} s`);
        return result;
      } catch (e) {
        own.log('error', `${operation}: failed after ${((now() - started) / 1000).toFixed(1)} s: ${userMessage(e)}`);
        throw e;
      } finally {
        if (file) open.delete(file);
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
      return logs.run(`start ${name}`, () => controller.start(profile), name);
    },
    stop(profile) {
      const name = profile ?? activeName();
      return logs.run(`stop ${name}`, () => controller.stop(profile), name);
    },
    toggleActive() {
      const { activeProfile, instances } = controller.snapshot();
      const phase = instances[activeProfile]?.phase;
      // The same rule as the controller's: running or starting means stop (a stop cancels a start).
      const verb = phase === 'running' || phase === 'starting' ? 'stop' : 'start';
      return logs.run(`${verb} ${activeProfile}`, () => controller.toggleActive(), activeProfile);
    },
    teardownAll(options) {
      return logs.run('teardown', async (log) => {
        const result = await controller.teardownAll(options);
        log.log(result.ok ? 'info' : 'error', describeTeardown(result));
        return result;
      });
    },
  };
}
