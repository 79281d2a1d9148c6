// How the colima and kubectl clients run a program: inside the nix environment
// in the app, directly from a folder in some unit tests. Implementations:
// main/core/nix/nix-tool-runner.ts (the real one), test/fixtures (direct).
import type { CommandResult, RunOptions } from './run.js';

export interface ToolRunOptions extends Omit<RunOptions, 'env'> {
  /**
   * Do not wait for a new evaluation of shell.nix: when one is in flight, or
   * the current cache key is not cached yet (shell.nix was edited), run with
   * the last intact cached environment of the same shell.nix group at once.
   * Only when there is none does the run wait. For teardown and stop, which
   * must finish within their deadline and need only the colima that started
   * the VM, not a newer one.
   */
  readonly preferCachedEnvironment?: boolean;
}

export interface ToolRunner {
  /**
   * Runs `program` (a name such as `colima`, resolved on the environment's PATH)
   * with an argv array. Resolves whatever the exit code; rejects only when the
   * environment cannot be resolved or the program cannot be started. A
   * cancelled `options.signal` rejects at once (AppError CANCELLED), also
   * while the environment is still being resolved.
   */
  run(program: string, args: readonly string[], options?: ToolRunOptions): Promise<CommandResult>;
}
