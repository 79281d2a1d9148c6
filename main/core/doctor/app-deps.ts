// DoctorDeps for the app's own services: the one place the CLI (`colima-k8s
// doctor`) and the tray/window build them, so both diagnose the same things.
import type { ColimaClient } from '../colima/client-api.js';
import type { Logger } from '../log.js';
import type { Profile } from '../model.js';
import { locateNix, type LocateNixOptions } from '../nix/locate-nix.js';
import type { NixToolRunner } from '../nix/nix-tool-runner.js';
import type { DoctorDeps } from './types.js';

export interface DoctorAppServices {
  /** undefined when the services run without nix (tests with a direct runner). */
  readonly nixRunner: Pick<NixToolRunner, 'environment'> | undefined;
  readonly colima: Pick<ColimaClient, 'list'>;
  readonly ledger: { list(): readonly { readonly profile: string }[] };
  readonly store: { list(): readonly Profile[]; get(name: string): Profile | undefined; activeProfile(): string };
  /** The shell.nix the environment comes from. */
  readonly shellNix?: string;
}

export interface DoctorAppOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly platform: NodeJS.Platform;
  readonly homeDir: string;
  /** How nix is found (the same options the services use). */
  readonly locate?: LocateNixOptions;
  readonly logger?: Logger;
}

export function doctorDepsForApp(s: DoctorAppServices, o: DoctorAppOptions): DoctorDeps {
  const runner = s.nixRunner;
  return {
    env: o.env,
    platform: o.platform,
    homeDir: o.homeDir,
    ...(s.shellNix !== undefined ? { shellNix: s.shellNix } : {}),
    ...(o.logger ? { logger: o.logger } : {}),
    locateNixShell: async (signal) => (await locateNix({ ...o.locate, env: o.locate?.env ?? o.env, signal, ...(o.logger ? { logger: o.logger } : {}) })).nixShell,
    // Resolving uses the cache when it is intact; on a first run it evaluates
    // shell.nix, which the per-check timeout bounds.
    ...(runner ? { environmentPath: async () => (await runner.environment()).env().PATH } : {}),
    listInstances: () => s.colima.list(o.logger ? { logger: o.logger } : {}),
    ledgerProfiles: () => s.ledger.list().map((e) => e.profile),
    appProfileNames: () => s.store.list().map((p) => p.name),
    activeProfile: () => s.store.get(s.store.activeProfile()),
  };
}
