// The nix environment core: what the rest of the app imports.
export { locateNix, saneChildPath, wellKnownNixDirs, NIX_INSTALL_HELP, type LocateNixOptions, type NixTools, type NixFoundVia } from './locate-nix.js';
export { readLoginShellEnv, type LoginShellOptions } from './login-shell-env.js';
export {
  resolveNixEnvironment,
  findCachedNixEnvironment,
  childBaseEnv,
  DEFAULT_CAPTURE_TIMEOUT_MS,
  NOT_EVALUATED_YET,
  type NixEnvironment,
  type ResolveNixEnvironmentOptions,
} from './environment.js';
export { pruneStaleRoots, currentRoots } from './cache-store.js';
export type { RootLink } from './gc-roots.js';
export type { NixInvocation } from './invocation.js';
export type { ChildEnv, EnvDiff } from './env-diff.js';
export { NixToolRunner, STRIPPED_VARIABLES, DEFAULT_INPUTS_CHECK_INTERVAL_MS, type NixToolRunnerOptions } from './nix-tool-runner.js';
