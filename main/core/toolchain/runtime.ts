// Which `docker` the environment provides follows the profile's runtime
// (shell.nix's `runtime` argument): containerd gets the wrapper running
// `colima nerdctl --profile …`, docker gets nixpkgs' real docker client, which
// colima's docker runtime runs itself. Each runtime is its own cache key.
import type { NixInvocation } from '../nix/invocation.js';
import type { ToolRunner } from '../tool-runner.js';

export type Runtime = 'containerd' | 'docker';

/** `base` evaluated for `runtime`: `--argstr runtime docker` for docker, `base` unchanged for containerd (the default). */
export function runtimeInvocation<T extends NixInvocation>(base: T, runtime: Runtime): T {
  if (runtime !== 'docker') return base;
  return { ...base, extraArgs: [...(base.extraArgs ?? []), '--argstr', 'runtime', 'docker'] };
}

/**
 * One runner for the app's clients that sends every colima command about a
 * docker-runtime instance to the environment built for docker (with the real
 * docker CLI colima's docker runtime runs), and everything else to the default
 * one. The runtime comes from `--runtime` on a `colima start`, else from the
 * profile that `--profile` names (`runtimeOf`). The docker environment is made
 * only when first needed.
 */
export function runtimeAwareRunner(base: ToolRunner, docker: () => ToolRunner, runtimeOf: (profile: string) => Runtime | undefined): ToolRunner {
  let dockerRunner: ToolRunner | undefined;
  const valueOf = (args: readonly string[], flag: string): string | undefined => {
    const at = args.indexOf(flag);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const wantsDocker = (program: string, args: readonly string[]): boolean => {
    if (program !== 'colima') return false;
    const explicit = valueOf(args, '--runtime');
    if (explicit !== undefined) return explicit === 'docker';
    const profile = valueOf(args, '--profile');
    return profile !== undefined && runtimeOf(profile) === 'docker';
  };
  return {
    run(program, args, options) {
      if (!wantsDocker(program, args)) return base.run(program, args, options);
      dockerRunner ??= docker();
      return dockerRunner.run(program, args, options);
    },
  };
}
