// A tiny logger: one line per event, to a file per operation or to memory (tests).
// Logs are for people reading "Show logs", so lines are plain text.
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, message: string): void;
}

export const nullLogger: Logger = { log() {} };

export function formatLogLine(level: LogLevel, message: string, now = new Date()): string {
  return `${now.toISOString()} ${level.toUpperCase().padEnd(5)} ${message}`;
}

/** Appends to `file` synchronously, so the last lines survive a crash. */
export function fileLogger(file: string): Logger {
  mkdirSync(dirname(file), { recursive: true });
  return {
    log(level, message) {
      const line = formatLogLine(level, message) + '\n';
      try {
        appendFileSync(file, line);
      } catch (e) {
        // Someone deleted the logs folder while the app runs: make it again once.
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        mkdirSync(dirname(file), { recursive: true });
        appendFileSync(file, line);
      }
    },
  };
}

export interface MemoryLogger extends Logger {
  readonly lines: string[];
}

export function memoryLogger(): MemoryLogger {
  const lines: string[] = [];
  return { lines, log: (level, message) => lines.push(`${level} ${message}`) };
}

/** Sends every line to all of the given loggers. */
export function teeLogger(...loggers: Logger[]): Logger {
  return { log: (level, message) => loggers.forEach((l) => l.log(level, message)) };
}
