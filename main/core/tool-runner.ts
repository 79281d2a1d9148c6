// How the colima and kubectl clients run a program: inside the nix environment
// in the app, directly from a folder in some unit tests. Implementations:
// main/core/nix/tool-runner.ts (the real one), test/fixtures (direct).
import type { CommandResult, RunOptions } from './run.js';

export interface ToolRunner {
  /**
   * Runs `program` (a name such as `colima`, resolved on the environment's PATH)
   * with an argv array. Resolves whatever the exit code; rejects only when the
   * environment cannot be resolved or the program cannot be started.
   */
  run(program: string, args: readonly string[], options?: Omit<RunOptions, 'env'>): Promise<CommandResult>;
}
