// Checks every picker IPC payload again in main. The window is not trusted: a
// payload reaches the controller only as a fresh value built from checked fields
// (never the object that came over IPC), so extra keys, `__proto__` keys, getters,
// wrong types and over-long strings are refused here with a structured error.
import { PROFILE_INPUT_KEYS, REQUEST_KEYS } from '../../../preload/api-contract.js';
import type { DeleteProfileRequest, IpcError, NameRequest, SaveProfileRequest } from '../../../preload/api-contract.js';
import type { Profile } from '../../core/model.js';
import { validateProfile, validateProfileName } from '../../core/profiles/validate.js';
import type { HostLimits } from '../../core/profiles/validate.js';

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: IpcError };

/** Longest string any picker field needs (image references are capped at 255 by validateProfile). */
export const MAX_IPC_STRING = 256;
const MAX_K8S_VERSION = 64;

/** What main knows when it checks a request: the stored names and the host's limits. */
export interface PayloadContext {
  readonly profileNames: readonly string[];
  readonly host: HostLimits;
}

const refuse = (message: string, field?: string): { ok: false; error: IpcError } => ({
  ok: false,
  error: field === undefined ? { code: 'INVALID_INPUT', message } : { code: 'INVALID_INPUT', message, field },
});

/**
 * A plain object (prototype Object.prototype or null) whose own keys are all
 * data properties named in `allowed`. Refuses symbols, getters, arrays and
 * every other key, including an own `__proto__` or `constructor`.
 */
export function plainRecord(value: unknown, allowed: readonly string[], what: string): Checked<Readonly<Record<string, unknown>>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return refuse(`${what} must be an object.`);
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return refuse(`${what} must be a plain object.`);
  const copy: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const key of Reflect.ownKeys(value)) {
    if (typeof key !== 'string' || !allowed.includes(key)) return refuse(`${what} has an unexpected field ${JSON.stringify(String(key)).slice(0, 80)}.`);
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    if (!descriptor || !('value' in descriptor)) return refuse(`${what}.${key} must be a plain value.`, key);
    copy[key] = descriptor.value;
  }
  return { ok: true, value: copy };
}

/** A well-formed name (validateProfileName) of a profile that is stored. */
export function storedProfileName(value: unknown, ctx: PayloadContext, field = 'name'): Checked<string> {
  if (typeof value === 'string' && value.length > MAX_IPC_STRING) return refuse(`The profile name is too long (at most ${MAX_IPC_STRING} characters).`, field);
  const problem = validateProfileName(value);
  if (problem !== undefined) return refuse(problem, field);
  const name = value as string;
  if (!ctx.profileNames.includes(name)) return { ok: false, error: { code: 'NOT_FOUND', message: `There is no profile named "${name}". Reopen the list and pick an existing one.`, field } };
  return { ok: true, value: name };
}

/** Invoke arguments: none, or exactly one request object. */
function singleArgument(args: readonly unknown[]): Checked<unknown> {
  if (args.length !== 1) return refuse(`Expected one request object, got ${args.length} arguments.`);
  return { ok: true, value: args[0] };
}

export function checkNoRequest(args: readonly unknown[]): Checked<undefined> {
  return args.length === 0 ? { ok: true, value: undefined } : refuse('This request takes no arguments.');
}

export function checkNameRequest(action: 'getProfile' | 'setActiveProfile' | 'startProfile' | 'stopProfile' | 'restartProfile', args: readonly unknown[], ctx: PayloadContext): Checked<NameRequest> {
  const arg = singleArgument(args);
  if (!arg.ok) return arg;
  const record = plainRecord(arg.value, REQUEST_KEYS[action], 'The request');
  if (!record.ok) return record;
  const name = storedProfileName(record.value.name, ctx);
  return name.ok ? { ok: true, value: { name: name.value } } : name;
}

export function checkDeleteRequest(args: readonly unknown[], ctx: PayloadContext): Checked<DeleteProfileRequest> {
  const arg = singleArgument(args);
  if (!arg.ok) return arg;
  const record = plainRecord(arg.value, REQUEST_KEYS.deleteProfile, 'The request');
  if (!record.ok) return record;
  const name = storedProfileName(record.value.name, ctx);
  if (!name.ok) return name;
  const confirmName = record.value.confirmName;
  if (confirmName === undefined) return { ok: true, value: { name: name.value } };
  // A confirmation is only meaningful as the exact name: anything else is refused here.
  if (confirmName !== name.value) return refuse(`Type the profile name "${name.value}" exactly to confirm the delete.`, 'confirmName');
  return { ok: true, value: { name: name.value, confirmName: name.value } };
}

/** A ProfileInput with exactly Profile's keys, checked by validateProfile against the host. */
export function checkProfileInput(value: unknown, host: HostLimits): Checked<Profile> {
  const record = plainRecord(value, PROFILE_INPUT_KEYS, 'The profile');
  if (!record.ok) return record;
  const missing = PROFILE_INPUT_KEYS.filter((key) => !(key in record.value));
  if (missing.length > 0) return refuse(`The profile is missing ${missing.join(', ')}.`, missing[0]);
  const version = record.value.kubernetesVersion;
  if (typeof version === 'string' && version.length > MAX_K8S_VERSION) return refuse(`The Kubernetes version is too long (at most ${MAX_K8S_VERSION} characters).`, 'kubernetesVersion');
  const result = validateProfile(record.value, host);
  if (result.ok) return { ok: true, value: result.profile };
  const [first] = result.errors;
  return {
    ok: false,
    error: {
      code: 'INVALID_INPUT',
      message: result.errors.map((e) => e.message).join(' '),
      ...(first ? { field: first.field } : {}),
      fieldErrors: result.errors.map((e) => ({ field: e.field, message: e.message })),
    },
  };
}

export function checkSaveRequest(args: readonly unknown[], ctx: PayloadContext): Checked<SaveProfileRequest & { readonly profile: Profile }> {
  const arg = singleArgument(args);
  if (!arg.ok) return arg;
  const record = plainRecord(arg.value, REQUEST_KEYS.saveProfile, 'The request');
  if (!record.ok) return record;
  const profile = checkProfileInput(record.value.profile, ctx.host);
  if (!profile.ok) return profile;
  if (record.value.previousName === undefined) return { ok: true, value: { profile: profile.value } };
  const previousName = storedProfileName(record.value.previousName, ctx, 'previousName');
  if (!previousName.ok) return previousName;
  return { ok: true, value: { profile: profile.value, previousName: previousName.value } };
}
