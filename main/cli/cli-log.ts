// Where a CLI run logs: a file of its own in `<logs>/cli/`, named and pruned
// like the tray's operation logs (maintenance/logs.ts: the newest
// DEFAULT_KEEP_LOGS are kept), so the CLI's logs never grow without bound (one
// cli.log appended forever did). The file is made at the first line, so a
// run that logs nothing (`profile list`) leaves none. In a folder of its own,
// so frequent CLI runs (`status` in a loop) never push the tray's logs out.
import path from 'node:path';
import { createOperationLog } from '../core/maintenance/logs.js';
import type { Logger } from '../core/log.js';

export function cliLogsDir(logsDir: string): string {
  return path.join(logsDir, 'cli');
}

/** A run's logger; `file()` is its log file once the first line made it (undefined before, or when it cannot be written). */
export interface CliRunLogger extends Logger {
  file(): string | undefined;
}

/** `operation`: what the run does, e.g. `down` or `stop dev` (it becomes part of the file name). */
export function cliRunLogger(logsDir: string, operation: string, options: { readonly keep?: number } = {}): CliRunLogger {
  let logger: Logger | undefined;
  let file: string | undefined;
  let broken = false;
  return {
    file: () => file,
    log(level, message) {
      if (broken) return;
      try {
        if (!logger) {
          const log = createOperationLog(cliLogsDir(logsDir), `cli ${operation}`, options.keep !== undefined ? { keep: options.keep } : {});
          ({ logger, file } = log);
        }
        logger.log(level, message);
      } catch {
        // A log that cannot be written (disk full, no permission) must not fail the command.
        broken = true;
      }
    },
  };
}
