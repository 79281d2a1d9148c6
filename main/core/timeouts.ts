// How long each step may take before the app gives up or escalates. Defaults
// are generous for a real VM; tests and `down --timeout` pass smaller ones.
export interface LifecycleTimeouts {
  /** `colima start` (a first start downloads a disk image and k3s). */
  readonly startMs: number;
  /** Each `colima nerdctl … pull`. */
  readonly pullMs: number;
  /** Waiting for `kubectl get nodes` to report Ready, and the poll interval. */
  readonly readyMs: number;
  readonly readyPollMs: number;
  /**
   * The user's Stop: how long the graceful `colima stop` may take before it
   * escalates to `--force`. Lima's own graceful stop waits up to about
   * 3 min 10 s (colima-cli §3); forcing earlier cuts off a VM that is still
   * shutting down cleanly, so this waits longer than Lima does.
   */
  readonly userStopMs: number;
  /**
   * A teardown's (the tray's Quit, `colima-k8s down`) graceful stop before
   * `--force`. Shorter than the user's Stop on purpose: a quit that blocks
   * for minutes is worse (the OS may kill the app on logout, the user waits
   * at the quit window), and the VM is deleted right after anyway, so
   * escalating only loses the shutdown of a VM about to be removed (a
   * keep-data disk sees a power cut, which its journaling filesystem
   * survives). `down --timeout` shortens it further (teardownTimeoutsWithin).
   */
  readonly stopMs: number;
  readonly forceStopMs: number;
  /** Each `colima delete` attempt, how many attempts, and the first pause between them (doubled each time). */
  readonly deleteMs: number;
  readonly deleteAttempts: number;
  readonly deleteBackoffMs: number;
  /** kubectl calls (contexts, use-context, unset). */
  readonly kubectlMs: number;
  /** SIGTERM → SIGKILL grace for a `colima start` left running by a dead owner (orphaned-start.ts). */
  readonly orphanGraceMs: number;
}

export const DEFAULT_TIMEOUTS: LifecycleTimeouts = Object.freeze({
  startMs: 20 * 60_000,
  pullMs: 10 * 60_000,
  readyMs: 5 * 60_000,
  readyPollMs: 2_000,
  userStopMs: 210_000,
  stopMs: 45_000,
  forceStopMs: 30_000,
  deleteMs: 60_000,
  deleteAttempts: 3,
  deleteBackoffMs: 1_000,
  kubectlMs: 20_000,
  orphanGraceMs: 3_000,
});

export function withTimeouts(overrides: Partial<LifecycleTimeouts> = {}): LifecycleTimeouts {
  return Object.freeze({ ...DEFAULT_TIMEOUTS, ...overrides });
}

/**
 * Step limits for a teardown that must finish within `totalMs` (`down
 * --timeout`): the graceful stop may use at most 40% of it, so the forced stop
 * and the delete still have time after a hang.
 */
export function teardownTimeoutsWithin(totalMs: number, base: LifecycleTimeouts): LifecycleTimeouts {
  return Object.freeze({
    ...base,
    stopMs: Math.min(base.stopMs, Math.max(1_000, Math.floor(totalMs * 0.4))),
    forceStopMs: Math.min(base.forceStopMs, Math.max(1_000, Math.floor(totalMs * 0.3))),
  });
}
