// The quit path never depends on its UI: a tray redraw or a quit window that
// throws is logged and the teardown still runs, and the app always exits. And
// the OS ending the session (shutdown, logout) at any point of the quit is
// remembered, so nothing optional (GC) holds it up.
import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { TeardownResult } from '../../../main/core/controller-api.js';
import { memoryLogger, type MemoryLogger } from '../../../main/core/log.js';
import { installQuitPath, type AfterTeardownContext, type QuitDeps, type QuitPath, type QuitState } from '../../../main/app/quit/quit.js';
import type { QuitWindowPort } from '../../../main/app/windows/quit-window/quit-window.js';
import type { QuitChoice } from '../../../main/app/windows/quit-window/contract.js';
import { createElectronFake, type ElectronFake } from '../../fixtures/electron-fake.js';
import { deferred, type Deferred } from '../../fixtures/fake-controller.js';

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

/** A quit window whose every call throws (a broken page, a missing icon, a bug). */
function throwingWindow(calls: string[]): QuitWindowPort {
  const fail = (what: string): never => {
    calls.push(what);
    throw new Error(`${what} exploded`);
  };
  return {
    open: () => fail('open'),
    showFinishing: () => fail('showFinishing'),
    showFailure: () => fail('showFailure'),
    close: () => fail('close'),
  };
}

/** A quit window that works and answers failures with the queued choices. */
function answeringWindow(choices: QuitChoice[]): QuitWindowPort {
  return {
    open() {},
    showFinishing() {},
    showFailure: async () => choices.shift() ?? 'quit-anyway',
    close() {},
  };
}

let electron: ElectronFake;
let signals: EventEmitter;
let logger: MemoryLogger;
let teardowns: Deferred<TeardownResult>[];

const teardown = (): Promise<TeardownResult> => {
  const d = deferred<TeardownResult>();
  teardowns.push(d);
  return d.promise;
};

function install(overrides: Partial<QuitDeps>): QuitPath {
  return installQuitPath({ app: electron.app, signals, powerMonitor: electron.powerMonitor, teardown, window: answeringWindow([]), logger, ...overrides });
}

beforeEach(() => {
  electron = createElectronFake();
  signals = new EventEmitter();
  logger = memoryLogger();
  teardowns = [];
});

describe('a UI that throws never stops the quit', () => {
  it('every UI call throwing: the teardown still runs, then the app exits with 0', async () => {
    const calls: string[] = [];
    install({
      window: throwingWindow(calls),
      onStateChange: (state) => {
        calls.push(`tray ${state}`);
        throw new Error('The tray icon /app/tray/tray-stopping.png is missing');
      },
    });
    electron.app.quit();
    expect(teardowns).toHaveLength(1);
    teardowns[0]!.resolve({ ok: true, remaining: [] });
    await vi.waitFor(() => expect(electron.app.exitCode).toBe(0));
    expect(calls).toEqual(['tray tearing-down', 'open', 'tray exiting', 'close']);
    // Each throw is logged (the tray twice, the window twice), none stopped the quit.
    expect(logger.lines.filter((l) => l.startsWith('error quit:') && l.endsWith('the quit goes on'))).toHaveLength(4);
  });

  it('a redraw throwing at "tearing-down" (a missing icon) still starts the teardown, and a second request joins it', async () => {
    const quit = install({
      onStateChange: (state) => {
        if (state === 'tearing-down') throw new Error('icon missing');
      },
    });
    signals.emit('SIGTERM');
    expect(teardowns).toHaveLength(1);
    expect(quit.state()).toBe('tearing-down');
    void quit.request('tray');
    expect(teardowns).toHaveLength(1);
    teardowns[0]!.resolve({ ok: true, remaining: [] });
    await vi.waitFor(() => expect(electron.app.exitCode).toBe(0));
  });

  it('a redraw throwing at "exiting" still exits', async () => {
    install({
      onStateChange: (state) => {
        if (state === 'exiting') throw new Error('icon missing');
      },
    });
    electron.app.quit();
    teardowns[0]!.resolve({ ok: true, remaining: [] });
    await vi.waitFor(() => expect(electron.app.exitCode).toBe(0));
    expect(logger.lines).toContain('error quit: updating the tray for "exiting" failed: icon missing; the quit goes on');
  });

  it('a quit window that cannot open does not skip the teardown', async () => {
    install({
      window: {
        ...answeringWindow([]),
        open() {
          throw new Error('BrowserWindow: no display');
        },
      },
    });
    electron.app.quit();
    expect(teardowns).toHaveLength(1);
    await flush();
    expect(electron.app.exitCode).toBeUndefined();
    teardowns[0]!.resolve({ ok: true, remaining: [] });
    await vi.waitFor(() => expect(electron.app.exitCode).toBe(0));
  });

  it('a failure that cannot be shown at all quits anyway (exit 1) instead of hanging, and says so', async () => {
    install({ window: throwingWindow([]) });
    electron.app.quit();
    teardowns[0]!.resolve({ ok: false, remaining: [{ profile: 'k8s', reason: 'stop did not finish' }] });
    await vi.waitFor(() => expect(electron.app.exitCode).toBe(1));
    expect(teardowns).toHaveLength(1);
    expect(logger.lines.some((l) => l.includes('could not ask whether to retry') && l.includes('quitting anyway'))).toBe(true);
  });

  it('state listeners that throw are logged; the others are still told', async () => {
    const quit = install({});
    const seen: QuitState[] = [];
    quit.subscribe(() => {
      throw new Error('window gone');
    });
    const stop = quit.subscribe((s) => seen.push(s));
    electron.app.quit();
    teardowns[0]!.resolve({ ok: true, remaining: [] });
    await vi.waitFor(() => expect(electron.app.exitCode).toBe(0));
    expect(seen).toEqual(['tearing-down', 'exiting']);
    stop();
  });
});

describe('the system ending the session is remembered for the whole quit', () => {
  let contexts: AfterTeardownContext[];
  let taskRuns: AbortSignal[];
  let task: Deferred<void>;

  const installWithTask = (): QuitPath => {
    contexts = [];
    taskRuns = [];
    task = deferred<void>();
    return install({
      afterTeardown: (context) => {
        contexts.push(context);
        return {
          label: 'Collecting nix garbage…',
          run: (signal) => {
            taskRuns.push(signal);
            return task.promise;
          },
        };
      },
    });
  };

  const finishTeardown = async (): Promise<void> => {
    teardowns[0]!.resolve({ ok: true, remaining: [] });
    await flush();
  };

  it('a user quit runs the task (nothing says the session ends)', async () => {
    installWithTask();
    electron.app.quit();
    signals.emit('SIGINT'); // Ctrl-C again in the terminal: the user, not the system
    await finishTeardown();
    expect(contexts).toEqual([{ reason: 'before-quit', systemEnding: false }]);
    expect(taskRuns).toHaveLength(1);
    task.resolve();
    await vi.waitFor(() => expect(electron.app.exitCode).toBe(0));
  });

  it('a lone SIGTERM (kill, systemctl stop) is a plain quit', async () => {
    installWithTask();
    signals.emit('SIGTERM');
    await finishTeardown();
    expect(contexts).toEqual([{ reason: 'SIGTERM', systemEnding: false }]);
    expect(taskRuns).toHaveLength(1);
  });

  it.each([
    ['a shutdown after Cmd-Q', () => electron.app.quit(), () => electron.powerMonitor.emitShutdown()],
    ['SIGHUP after SIGTERM (Linux logout)', () => signals.emit('SIGTERM'), () => signals.emit('SIGHUP')],
    ['a second SIGTERM during the quit', () => electron.app.quit(), () => signals.emit('SIGTERM')],
  ] as const)('%s: the task is skipped and the app exits after the teardown', async (_name, first, then) => {
    installWithTask();
    first();
    then();
    await finishTeardown();
    expect(contexts).toHaveLength(1);
    expect(contexts[0]!.systemEnding).toBe(true);
    expect(taskRuns).toHaveLength(0);
    await vi.waitFor(() => expect(electron.app.exitCode).toBe(0));
    expect(teardowns).toHaveLength(1);
  });

  it('SIGHUP alone goes through the same quit path and counts as the session ending', async () => {
    installWithTask();
    signals.emit('SIGHUP');
    expect(teardowns).toHaveLength(1);
    await finishTeardown();
    expect(contexts).toEqual([{ reason: 'SIGHUP', systemEnding: true }]);
    await vi.waitFor(() => expect(electron.app.exitCode).toBe(0));
  });

  it('a shutdown while the task runs aborts it and exits at once', async () => {
    installWithTask();
    electron.app.quit();
    await finishTeardown();
    expect(taskRuns).toHaveLength(1);
    expect(electron.app.exitCode).toBeUndefined();
    expect(electron.powerMonitor.emitShutdown()).toBe(true);
    await vi.waitFor(() => expect(electron.app.exitCode).toBe(0));
    expect(taskRuns[0]!.aborted).toBe(true);
    expect(logger.lines).toContain('warn quit: Collecting nix garbage… stopped: the system is ending the session; exiting now');
  });

  it('a shutdown while the user is asked Retry / Quit anyway is remembered for after a successful Retry', async () => {
    const choice = deferred<QuitChoice>();
    contexts = [];
    install({
      window: { ...answeringWindow([]), showFailure: () => choice.promise },
      afterTeardown: (context) => {
        contexts.push(context);
        return undefined;
      },
    });
    electron.app.quit();
    teardowns[0]!.resolve({ ok: false, remaining: [{ profile: 'k8s', reason: 'x' }] });
    await flush();
    electron.powerMonitor.emitShutdown();
    choice.resolve('retry');
    await vi.waitFor(() => expect(teardowns).toHaveLength(2));
    teardowns[1]!.resolve({ ok: true, remaining: [] });
    await vi.waitFor(() => expect(electron.app.exitCode).toBe(0));
    expect(contexts).toEqual([{ reason: 'before-quit', systemEnding: true }]);
  });
});
