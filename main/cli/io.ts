// What the CLI needs from its process, passed in so tests can run it in-process.
export interface CliIo {
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** The folder of the CLI bundle (dist/): the shipped shell.nix is found from it. */
  readonly bundleDir: string;
  readonly version: string;
  /** Calls `handler` on SIGINT/SIGTERM until the returned function is called. */
  readonly onInterrupt?: (handler: () => void) => () => void;
}
