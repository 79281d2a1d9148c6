// The app's data model: plain, immutable values shared by the core, the CLI,
// the tray and the window. No behaviour here.

/** A named set of VM settings the user can start with one click. */
export interface Profile {
  /** `[a-z0-9]+(-[a-z0-9]+)*`, never `default`/`colima` (colima-cli §1). Also the colima profile name. */
  readonly name: string;
  readonly cpus: number;
  /** GiB; may be fractional (colima accepts e.g. 1.5, colima-cli §2.1). */
  readonly memoryGiB: number;
  /** GiB of the container data disk. */
  readonly diskGiB: number;
  readonly kubernetes: boolean;
  /** A k3s release tag such as `v1.35.0+k3s1`; empty means colima's default. */
  readonly kubernetesVersion: string;
  readonly runtime: 'containerd' | 'docker';
  /** `--network-address` (macOS only: ignored elsewhere). */
  readonly networkAddress: boolean;
  /** Images pulled into the k8s.io namespace after start. */
  readonly images: readonly string[];
  /** Keep the data disk on teardown (default off: teardown passes `--data`). */
  readonly keepData: boolean;
  /** Switch the current kube context to the instance after start (restored on teardown). */
  readonly switchKubeContext: boolean;
}

export type InstancePhase = 'stopped' | 'starting' | 'running' | 'stopping' | 'deleting' | 'gone' | 'error';

/** What the app knows about one colima instance (one profile). */
export interface InstanceState {
  readonly profile: string;
  readonly phase: InstancePhase;
  /** The last progress stage colima printed, e.g. `provisioning ... (kubernetes)`. */
  readonly stage?: string;
  /** Set when phase is `error`. */
  readonly error?: { readonly message: string; readonly logTail: readonly string[] };
  /** True when the app started it (it is in the ledger); only those are ever torn down. */
  readonly startedByApp: boolean;
}

export type TeardownStep = 'waiting' | 'stopping' | 'force-stopping' | 'deleting' | 'cleaning-kubeconfig' | 'done' | 'failed';

export interface TeardownItem {
  readonly profile: string;
  readonly step: TeardownStep;
  readonly message?: string;
}

export interface TeardownProgress {
  readonly running: boolean;
  readonly items: readonly TeardownItem[];
  /** Set once finished: true when no app-started instance remains. */
  readonly ok?: boolean;
}

/** What nix reports while it evaluates and builds an environment (nix/progress.ts). */
export interface EnvironmentProgress {
  /** e.g. `fetching 3/12 paths, 120/512 MiB — copying colima-0.9.1`. */
  readonly text: string;
  /** 0..1, when nix announced the totals. */
  readonly fraction?: number;
}

export type EnvironmentStatus =
  | { readonly kind: 'unresolved' }
  | { readonly kind: 'resolving'; readonly progress?: EnvironmentProgress }
  | { readonly kind: 'ready'; readonly fromCache: boolean; readonly shellNix: string }
  | { readonly kind: 'fallback'; readonly shellNix: string; readonly reason: string }
  | { readonly kind: 'error'; readonly message: string };

/** One immutable snapshot of everything the UI shows. A new object on every change. */
export interface AppSnapshot {
  readonly profiles: readonly Profile[];
  readonly activeProfile: string;
  readonly instances: Readonly<Record<string, InstanceState>>;
  readonly environment: EnvironmentStatus;
  readonly teardown?: TeardownProgress;
  readonly host: { readonly cpus: number; readonly memoryGiB: number };
}
