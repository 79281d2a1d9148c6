// ColimaClient over a ToolRunner: argv from argv.ts only, progress parsed from
// stderr (colima's logs are on stderr; when piped, its stdout carries raw Lima/
// kubectl output and must be ignored: colima-cli §0), and errors turned into
// AppErrors that carry colima's own `fatal` message and the last log lines.
import { AppError } from '../errors.js';
import type { Logger } from '../log.js';
import type { CommandResult } from '../run.js';
import type { ToolRunner } from '../tool-runner.js';
import type { Profile } from '../model.js';
import {
  buildDeleteArgs, buildListArgs, buildPullArgs, buildStartArgs, buildStatusArgs, buildStopArgs, buildVersionArgs, type Platform,
} from './argv.js';
import type { CallOptions, ColimaClient, ColimaInstance, ColimaLogLine, ColimaStatus, OperationOptions } from './client-api.js';
import { describeLogLine, parseColimaLogLine, stripAnsi } from './parse-log.js';
import { parseListJson, parseStatusJson, parseVersion } from './parse-output.js';

export interface ColimaTimeouts {
  readonly start: number;
  readonly stop: number;
  readonly delete: number;
  readonly status: number;
  readonly list: number;
  readonly version: number;
  readonly pull: number;
}

export const DEFAULT_COLIMA_TIMEOUTS: ColimaTimeouts = {
  // A fresh start downloads a disk image and k3s: minutes on a slow network.
  start: 15 * 60_000,
  // Lima's graceful stop alone waits up to ~3 min 10 s (colima-cli §3); a hang
  // beyond that is the wedged-VM case that needs `stop --force`.
  stop: 4 * 60_000,
  delete: 2 * 60_000,
  status: 30_000,
  list: 30_000,
  version: 30_000,
  pull: 10 * 60_000,
};

/** start's options: OperationOptions plus onSpawn (client-api.ts). */
export type ColimaStartOptions = NonNullable<Parameters<ColimaClient['start']>[1]>;

export interface ColimaClientOptions {
  readonly timeouts?: Partial<ColimaTimeouts>;
  readonly logger?: Logger;
  /** How many stderr lines an error keeps in its logTail. Default 20. */
  readonly logTailLines?: number;
  /** Decides the macOS-only start flags (argv.ts). Default process.platform. */
  readonly platform?: Platform;
}

/** What one streamed colima run printed on stderr. */
interface Transcript {
  readonly tail: string[];
  readonly fatals: ColimaLogLine[];
  /** Error text from children (e.g. nerdctl's own logfmt `fatal`) or cobra's `Error: …`. */
  readonly otherErrors: string[];
}

export function createColimaClient(runner: ToolRunner, options: ColimaClientOptions = {}): ColimaClient {
  const timeouts: ColimaTimeouts = { ...DEFAULT_COLIMA_TIMEOUTS, ...options.timeouts };
  const tailMax = options.logTailLines ?? 20;
  const platform = options.platform ?? process.platform;

  async function run(args: readonly string[], timeoutMs: number, op: ColimaStartOptions = {}): Promise<{ r: CommandResult; t: Transcript }> {
    const t: Transcript = { tail: [], fatals: [], otherErrors: [] };
    // The calling operation's log when it gave one (client-api.ts CallOptions).
    const logger = op.logger ?? options.logger;
    const r = await runner.run('colima', args, {
      timeoutMs,
      signal: op.signal,
      ...(op.onSpawn ? { onSpawn: op.onSpawn } : {}),
      ...(op.preferCachedEnvironment ? { preferCachedEnvironment: true } : {}),
      logger,
      onStderrLine: (raw) => {
        const parsed = parseColimaLogLine(raw);
        const text = parsed ? describeLogLine(parsed) : stripAnsi(raw).trimEnd();
        if (text) t.tail.push(text);
        if (t.tail.length > tailMax) t.tail.shift();
        if (parsed?.level === 'fatal') t.fatals.push(parsed);
        else if (parsed?.level === 'error') t.otherErrors.push(parsed.msg);
        else if (!parsed && /^Error: /.test(text)) t.otherErrors.push(text.slice(7));
        if (!parsed || !op.onLog) return;
        // A throwing listener must not kill the stream reader (this runs in an event handler).
        try {
          op.onLog(parsed);
        } catch (e) {
          logger?.log('error', `onLog listener failed: ${e instanceof Error ? e.message : String(e)}`);
        }
      },
    });
    return { r, t };
  }

  /** Throws the AppError for a run that did not exit 0; `hint` is added to timeouts. */
  function fail(what: string, r: CommandResult, t: Transcript, timeoutMs: number, hint = ''): never {
    const logTail = [...t.tail];
    if (r.cancelled) throw new AppError('CANCELLED', `${what} was cancelled.`, { logTail });
    if (r.timedOut) {
      throw new AppError('TIMEOUT', `${what} did not finish within ${formatDuration(timeoutMs)} and was stopped.${hint ? ' ' + hint : ''}`, { logTail });
    }
    // colima reports every error as one `fatal` line, then exits 1 (colima-cli §0).
    const fatal = t.fatals.at(-1)?.msg;
    const message = fatal ?? `${what} failed (exit ${r.exitCode ?? r.signal}) without an error message; see the log for details.`;
    throw new AppError('COMMAND_FAILED', message, { logTail });
  }

  return {
    async version(call: CallOptions = {}) {
      const args = buildVersionArgs();
      const { r, t } = await run(args, timeouts.version, call);
      if (r.exitCode !== 0) fail('colima version', r, t, timeouts.version);
      return parseVersion(r.stdout);
    },

    async list(call: CallOptions = {}): Promise<readonly ColimaInstance[]> {
      // The tool runner strips COLIMA_PROFILE: with it set, a plain `list` is
      // silently filtered to that profile (colima-cli §6, §14.5).
      const { r, t } = await run(buildListArgs(), timeouts.list, call);
      if (r.exitCode !== 0) fail('colima list', r, t, timeouts.list);
      return parseListJson(r.stdout);
    },

    async status(profile: string, call: CallOptions = {}): Promise<ColimaStatus | null> {
      const { r, t } = await run(buildStatusArgs(profile), timeouts.status, call);
      if (r.exitCode === 0) return parseStatusJson(r.stdout);
      // Stopped, Broken and missing all give exit 1 with `<display> is not running`
      // and an empty stdout; only `list` tells them apart (colima-cli §5, §14.1).
      if (r.exitCode === 1 && / is not running$/.test(t.fatals.at(-1)?.msg ?? '')) return null;
      fail(`colima status ${profile}`, r, t, timeouts.status);
    },

    async start(profile: Profile, op: ColimaStartOptions = {}) {
      const timeoutMs = op.timeoutMs ?? timeouts.start;
      // Exit 0 also covers `already running, ignoring` (a warning line): the new
      // CPU/memory are saved but apply only after a stop (colima-cli §2.3, §14.6).
      const { r, t } = await run(buildStartArgs(profile, platform), timeoutMs, op);
      if (r.exitCode !== 0) {
        fail(`colima start ${profile.name}`, r, t, timeoutMs, 'Check the log; a first start downloads a disk image and Kubernetes.');
      }
    },

    async stop(profile: string, op: OperationOptions & { readonly force?: boolean } = {}) {
      const timeoutMs = op.timeoutMs ?? timeouts.stop;
      const { r, t } = await run(buildStopArgs(profile, op.force ?? false), timeoutMs, op);
      if (r.exitCode !== 0) {
        // A wedged VM can hang a graceful stop; `stop --force` is the fix (colima-cli §3, §11).
        fail(`colima stop ${profile}`, r, t, timeoutMs, op.force ? '' : 'The VM may be stuck; a forced stop usually works.');
      }
    },

    async delete(profile: string, op: OperationOptions & { readonly deleteData: boolean } = { deleteData: false }) {
      const timeoutMs = op.timeoutMs ?? timeouts.delete;
      // buildDeleteArgs always passes --force: without it colima prompts and blocks
      // on an open stdin, or does nothing and exits 0 on a closed one (colima-cli §4).
      const { r, t } = await run(buildDeleteArgs(profile, op.deleteData), timeoutMs, op);
      if (r.exitCode !== 0) fail(`colima delete ${profile}`, r, t, timeoutMs);
    },

    async pullImage(profile: string, image: string, op: OperationOptions = {}) {
      const timeoutMs = op.timeoutMs ?? timeouts.pull;
      const { r, t } = await run(buildPullArgs(profile, image), timeoutMs, op);
      if (r.exitCode === 0) return;
      if (r.cancelled || r.timedOut) fail(`Pulling ${image} into ${profile}`, r, t, timeoutMs);
      // colima turns nerdctl's failure into a bare `exit status 1` (colima-cli §8);
      // nerdctl's own error line, printed just before, says why.
      const fatal = t.fatals.at(-1)?.msg ?? `exit ${r.exitCode}`;
      const cause = /^exit status \d+$/.test(fatal) ? (t.fatals.at(-2)?.msg ?? t.otherErrors.at(-1) ?? fatal) : fatal;
      throw new AppError('COMMAND_FAILED', `Could not pull ${image} into ${profile}: ${cause}`, { logTail: [...t.tail] });
    },
  };
}

function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  return `${Math.round(ms / 60_000)} min`;
}
