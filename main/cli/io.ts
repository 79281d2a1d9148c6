// What the CLI needs from its process, passed in so tests can run it in-process.
export interface CliIo {
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** The folder of the CLI bundle (dist/): the shipped shell.nix is found from it. */
  readonly bundleDir: string;
  readonly version: string;
  /**
   * Calls `handler` on SIGINT/SIGTERM until the returned function is called.
   * The process then waits for the command to finish, at most `graceMs`
   * (default DEFAULT_INTERRUPT_GRACE_MS), before it kills what is left and exits.
   */
  readonly onInterrupt?: (handler: () => void, options?: { readonly graceMs?: number }) => () => void;
}

/** How long an interrupted command may take to kill what it runs and finish. */
export const DEFAULT_INTERRUPT_GRACE_MS = 5_000;
