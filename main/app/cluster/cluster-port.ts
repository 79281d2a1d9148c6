// What the cluster items need of the core (index.ts builds it from the core
// services; tests from the simulators): the colima and kubectl clients, the
// ledger lookup that says which instances the app started, the kubeconfig
// colima writes, and the command-line launcher's options.
import path from 'node:path';
import type { Field } from '../../core/cluster/glance.js';
import { colimaKubeconfigPath } from '../../core/cluster/copy.js';
import type { GlanceOptions } from '../../core/cluster/glance.js';
import type { VerifyOptions } from '../../core/cluster/verify.js';
import { osascriptRunAuthorised, type CliToolPort } from './cli-tool-action.js';
import type { VerifyTuning } from './verify-action.js';

export interface ClusterPort {
  readonly colima: GlanceOptions['colima'];
  readonly kubectl: GlanceOptions['kubectl'] & VerifyOptions['kubectl'];
  /** True only for an instance in the ledger (the app started it): only those are verified. */
  readonly isOwned: (profile: string) => boolean;
  /** Where colima writes its contexts (core/cluster/copy.ts colimaKubeconfigPath). */
  readonly kubeconfigPath: string;
  /** Undefined hides "Install/Uninstall command-line tool". */
  readonly cliTool?: CliToolPort;
  readonly verify?: VerifyTuning;
  /** Default Date.now. */
  readonly now?: () => number;
}

/** For a copy before the first glance: the context named after the profile. */
export function unknownContext(profile: string): { readonly profile: string; readonly context: Field<string> } {
  return { profile, context: { known: false, reason: 'not gathered yet' } };
}

export interface ClusterServices {
  readonly colima: ClusterPort['colima'];
  readonly kubectl: ClusterPort['kubectl'];
  readonly ledger: { get(profile: string): unknown };
}

export interface ClusterPortOptions {
  readonly platform: NodeJS.Platform;
  readonly home: string;
  readonly env: NodeJS.ProcessEnv;
  /** process.execPath. */
  readonly appExecutable: string;
  readonly isPackaged: boolean;
  /** process.resourcesPath (packaged). */
  readonly resourcesPath?: string | undefined;
  /** The app root (package.json, dist/) in development. */
  readonly appRoot: string;
}

/** The bundled CLI: `<resources>/app.asar/dist/cli.cjs` packaged, `<appRoot>/dist/cli.cjs` in development. */
export function cliScriptPath(o: Pick<ClusterPortOptions, 'isPackaged' | 'resourcesPath' | 'appRoot'>): string {
  return o.isPackaged && o.resourcesPath ? path.join(o.resourcesPath, 'app.asar', 'dist', 'cli.cjs') : path.resolve(o.appRoot, 'dist', 'cli.cjs');
}

export function createClusterPort(services: ClusterServices, o: ClusterPortOptions): ClusterPort {
  const supported = o.platform === 'darwin' || o.platform === 'linux';
  return {
    colima: services.colima,
    kubectl: services.kubectl,
    isOwned: (profile) => services.ledger.get(profile) !== undefined,
    kubeconfigPath: colimaKubeconfigPath(o.home, o.env),
    ...(supported
      ? {
          cliTool: {
            launcher: { platform: o.platform, home: o.home, env: o.env, appExecutable: o.appExecutable, cliScript: cliScriptPath(o), isPackaged: o.isPackaged },
            ...(o.platform === 'darwin' ? { runAuthorised: osascriptRunAuthorised } : {}),
          },
        }
      : {}),
  };
}
