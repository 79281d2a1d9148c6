// Parses `colima-k8s` arguments into one typed command. Pure: no I/O. Unknown
// flags, missing values and extra arguments become a UsageError that names
// what is wrong; values are checked later by the same validation the window
// uses, so messages name the setting in plain words (e.g. "CPUs: 64 is ...").
import { parseArgs, type ParseArgsConfig } from 'node:util';

export type Command =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'profile-list'; readonly json: boolean }
  | { readonly kind: 'profile-set'; readonly name: string; readonly changes: ProfileChanges }
  | { readonly kind: 'profile-remove'; readonly name: string; readonly deleteVm: boolean }
  | { readonly kind: 'profile-use'; readonly name: string }
  | { readonly kind: 'start'; readonly name?: string }
  | { readonly kind: 'stop'; readonly name?: string }
  | { readonly kind: 'status'; readonly json: boolean }
  | { readonly kind: 'down'; readonly timeoutSeconds?: number }
  | { readonly kind: 'verify'; readonly name?: string; readonly image?: string; readonly timeoutSeconds?: number }
  | { readonly kind: 'doctor'; readonly json: boolean }
  | { readonly kind: 'gc' };

/** Field changes from `profile set`; numbers stay text when they are not numbers, so validation names the field. */
export interface ProfileChanges {
  readonly cpus?: number | string;
  readonly memoryGiB?: number | string;
  readonly diskGiB?: number | string;
  readonly kubernetes?: boolean;
  readonly kubernetesVersion?: string;
  readonly runtime?: string;
  readonly networkAddress?: boolean;
  readonly images?: readonly string[];
  readonly keepData?: boolean;
  readonly switchKubeContext?: boolean;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `Usage: colima-k8s COMMAND

Profiles
  profile list [--json]
  profile set NAME [--cpu N] [--memory GiB] [--disk GiB] [--kubernetes|--no-kubernetes]
      [--k8s-version V] [--image REF]... [--no-images] [--keep-data|--no-keep-data]
      [--runtime containerd|docker] [--network-address|--no-network-address]
      [--switch-context|--no-switch-context]
  profile remove NAME [--delete-vm]
  profile use NAME

Instances
  start [NAME]                 start a profile (default: the active one) and wait until it is ready
  stop [NAME]                  stop it (it stays recorded until \`down\` deletes it)
  status [--json]              every profile and instance, and each running cluster at a glance
                               (context, Kubernetes version, nodes, API server, VM address, size, uptime)
  verify [NAME] [--image REF] [--timeout SECONDS]
                               run a short-lived pod (busybox) on a cluster the app started, read its
                               output, delete it; exit 0 when the cluster works (default timeout 120)
  down [--timeout SECONDS]     stop and delete every instance colima-k8s started;
                               exits 0 only if none remain

Maintenance
  doctor [--json]              check the machine for problems
  gc                           collect nix garbage the app does not need
  toolchain [status|update|rollback]
                               the pinned nixpkgs and the colima, lima, kubectl it provides;
                               move the pin to the newest revision of its branch, or back

Environment
  COLIMA_K8S_HOME       folder for everything the app persists (default: the app's userData)
  COLIMA_K8S_SHELL_NIX  the shell.nix to use (default: the shipped one)
  COLIMA_K8S_NIX_SHELL  the nix-shell program (default: found on PATH and the usual places)

Exit codes
  0    success (status too when the nix environment is unavailable: it marks it and the states unknown)
  1    an operation failed; the path of the run's log follows the error
  2    wrong input: a usage error, an invalid value, a profile that does not exist
  130  interrupted
`;

function parse(args: readonly string[], options: ParseArgsConfig['options'], positionals: { min: number; max: number; what: string }) {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true, allowNegative: true });
  } catch (e) {
    // Node's text goes on to explain `--` for positionals; the first sentence is what matters,
    // except for an option value that starts with '-', where Node's hint says how to pass it.
    const lines = (e as Error).message.split('\n');
    const hint = lines.find((l) => l.startsWith('To specify an option argument starting with a dash'));
    throw new UsageError([(lines[0] ?? String(e)).replace(/\. To specify a positional.*$/, '.'), ...(hint ? [hint.trim()] : [])].join(' '));
  }
  const { positionals: pos } = parsed;
  if (pos.length < positionals.min) throw new UsageError(`Missing ${positionals.what}.`);
  if (pos.length > positionals.max) throw new UsageError(`Unexpected argument "${pos[positionals.max]}".`);
  return { values: parsed.values as Record<string, unknown>, positionals: pos };
}

function numberOrText(value: unknown): number | string | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  return /^\d+(\.\d+)?$/.test(text) ? Number(text) : text;
}

function parseProfileSet(rest: readonly string[]): Command {
  const { values, positionals } = parse(
    rest,
    {
      cpu: { type: 'string' },
      cpus: { type: 'string' },
      memory: { type: 'string' },
      disk: { type: 'string' },
      kubernetes: { type: 'boolean' },
      'k8s-version': { type: 'string' },
      image: { type: 'string', multiple: true },
      images: { type: 'boolean' },
      'keep-data': { type: 'boolean' },
      runtime: { type: 'string' },
      'network-address': { type: 'boolean' },
      'switch-context': { type: 'boolean' },
    },
    { min: 1, max: 1, what: 'the profile NAME' },
  );
  if (values.images === true) throw new UsageError('Use --image REF to add images, or --no-images to clear them.');
  if (values.images === false && values.image !== undefined) throw new UsageError('--no-images and --image cannot be used together.');
  const changes: ProfileChanges = {
    ...defined('cpus', numberOrText(values.cpu ?? values.cpus)),
    ...defined('memoryGiB', numberOrText(values.memory)),
    ...defined('diskGiB', numberOrText(values.disk)),
    ...defined('kubernetes', values.kubernetes as boolean | undefined),
    ...defined('kubernetesVersion', values['k8s-version'] as string | undefined),
    ...defined('runtime', values.runtime as string | undefined),
    ...defined('networkAddress', values['network-address'] as boolean | undefined),
    ...defined('images', values.images === false ? [] : (values.image as string[] | undefined)),
    ...defined('keepData', values['keep-data'] as boolean | undefined),
    ...defined('switchKubeContext', values['switch-context'] as boolean | undefined),
  };
  return { kind: 'profile-set', name: positionals[0]!, changes };
}

function defined<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** `--timeout` as a number of seconds greater than 0. */
function seconds(raw: unknown): number {
  const text = String(raw);
  if (!/^\d+(\.\d+)?$/.test(text) || Number(text) <= 0) throw new UsageError(`--timeout takes a number of seconds greater than 0, not "${text}".`);
  return Number(text);
}

export function parseCommand(argv: readonly string[]): Command {
  const [first, ...rest] = argv;
  if (first === undefined || first === 'help' || first === '--help' || first === '-h') return { kind: 'help' };
  if (first === '--version' || first === 'version') return { kind: 'version' };
  const json = { json: { type: 'boolean' } } as const;
  switch (first) {
    case 'profile': {
      const [sub, ...args] = rest;
      switch (sub) {
        case 'list':
          return { kind: 'profile-list', json: parse(args, json, { min: 0, max: 0, what: '' }).values.json === true };
        case 'set':
          return parseProfileSet(args);
        case 'remove': {
          const p = parse(args, { 'delete-vm': { type: 'boolean' } }, { min: 1, max: 1, what: 'the profile NAME' });
          return { kind: 'profile-remove', name: p.positionals[0]!, deleteVm: p.values['delete-vm'] === true };
        }
        case 'use':
          return { kind: 'profile-use', name: parse(args, {}, { min: 1, max: 1, what: 'the profile NAME' }).positionals[0]! };
        default:
          throw new UsageError(sub === undefined ? 'Missing the profile command (list, set, remove, use).' : `Unknown profile command "${sub}" (use list, set, remove or use).`);
      }
    }
    case 'start':
    case 'stop': {
      const name = parse(rest, {}, { min: 0, max: 1, what: '' }).positionals[0];
      return name === undefined ? { kind: first } : { kind: first, name };
    }
    case 'status':
      return { kind: 'status', json: parse(rest, json, { min: 0, max: 0, what: '' }).values.json === true };
    case 'down': {
      const { values } = parse(rest, { timeout: { type: 'string' } }, { min: 0, max: 0, what: '' });
      return values.timeout === undefined ? { kind: 'down' } : { kind: 'down', timeoutSeconds: seconds(values.timeout) };
    }
    case 'verify': {
      const { values, positionals } = parse(rest, { image: { type: 'string' }, timeout: { type: 'string' } }, { min: 0, max: 1, what: '' });
      return {
        kind: 'verify',
        ...defined('name', positionals[0]),
        ...defined('image', values.image as string | undefined),
        ...defined('timeoutSeconds', values.timeout === undefined ? undefined : seconds(values.timeout)),
      };
    }
    case 'doctor':
      return { kind: 'doctor', json: parse(rest, json, { min: 0, max: 0, what: '' }).values.json === true };
    case 'gc':
      parse(rest, {}, { min: 0, max: 0, what: '' });
      return { kind: 'gc' };
    default:
      throw new UsageError(`Unknown command "${first}".`);
  }
}
