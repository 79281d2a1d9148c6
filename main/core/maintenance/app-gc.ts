// "Collect nix garbage" for the app's own services (`colima-k8s gc` and the
// tray item). The environment in use is resolved first, from the cache when
// it is intact, so its roots are known and kept even in a fresh CLI process.
// Released: only what no process of the app can still need (older keys of a
// shell.nix; cache-store.ts pruneStaleRoots): the tray may run with another
// shell.nix or other nix options than this CLI.
import type { Logger } from '../log.js';
import { childBaseEnv, currentRoots, pruneStaleRoots } from '../nix/index.js';
import type { NixToolRunner } from '../nix/nix-tool-runner.js';
import { collectNixGarbage, type GcReport } from './gc.js';

export interface AppGcOptions {
  readonly nixRunner: Pick<NixToolRunner, 'environment'>;
  /** `<appHome>/nix` (AppPaths.nixCacheDir). */
  readonly cacheDir: string;
  /** The caller's environment; default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly logger?: Logger;
  readonly signal?: AbortSignal;
}

export async function collectAppNixGarbage(o: AppGcOptions): Promise<GcReport> {
  const environment = await o.nixRunner.environment(o.signal ? { signal: o.signal } : {});
  return collectNixGarbage({
    nix: environment.nix,
    env: childBaseEnv(o.env ?? process.env, environment.nix),
    currentRoots: () => currentRoots(environment),
    pruneStaleRoots: () => pruneStaleRoots(o.cacheDir, [environment]),
    ...(o.logger ? { logger: o.logger } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
  });
}
