// The validation messages the window, the CLI and main's IPC show: plain
// words with the value and the allowed range, never an internal field name;
// each keeps its `field` tag so the window puts it next to the right control.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PROFILE, formatFieldErrors, validateProfile, validateProfileName } from '../../../main/core/profiles/validate.js';

const host = { cpus: 8, memoryGiB: 16 };
const errorsOf = (changes: Record<string, unknown>) => {
  const r = validateProfile({ ...DEFAULT_PROFILE, ...changes }, host);
  return r.ok ? [] : r.errors;
};

describe('validation messages', () => {
  it.each([
    [{ cpus: 64 }, 'cpus', 'CPUs: 64 is more than this machine has (8); use 1–8.'],
    [{ cpus: 0 }, 'cpus', 'CPUs: 0 is below the minimum of 1; use 1–8.'],
    [{ cpus: 1.5 }, 'cpus', 'CPUs: 1.5 is not a whole number; use 1–8.'],
    [{ cpus: 'four' }, 'cpus', 'CPUs: "four" is not a number; use 1–8.'],
    [{ cpus: Number.NaN }, 'cpus', 'CPUs: a number is required; use 1–8.'],
    [{ memoryGiB: 0.1 }, 'memoryGiB', 'Memory: 0.1 GiB is below the minimum of 1 GiB.'],
    [{ memoryGiB: 32 }, 'memoryGiB', 'Memory: 32 GiB is more than this machine has (16 GiB); use 1–16 GiB.'],
    [{ memoryGiB: 2.3 }, 'memoryGiB', 'Memory: 2.3 GiB is not in steps of 0.5 GiB; use 2 or 2.5.'],
    [{ diskGiB: 5 }, 'diskGiB', 'Disk: 5 GiB is below the minimum of 10 GiB; use 10–4096 GiB.'],
    [{ diskGiB: 5000 }, 'diskGiB', 'Disk: 5000 GiB is more than the maximum of 4096 GiB; use 10–4096 GiB.'],
    [{ diskGiB: 20.5 }, 'diskGiB', 'Disk: 20.5 GiB is not a whole number of GiB; use 10–4096 GiB.'],
    [{ keepData: 'yes' }, 'keepData', 'Keep data: "yes" is not on or off; use true or false.'],
    [{ kubernetesVersion: 'latest' }, 'kubernetesVersion', 'Kubernetes version: "latest" is not a k3s release tag; use one such as v1.35.0+k3s1, or leave it empty for colima\'s default.'],
    [{ runtime: 'incus' }, 'runtime', 'Runtime: "incus" is not a runtime colima-k8s supports; use containerd or docker.'],
    [{ images: ['nginx', '--privileged'] }, 'images', 'Images: "--privileged" is not an image reference (e.g. nginx, nginx:1.27, ghcr.io/org/app:tag).'],
    [{ name: 'Team A' }, 'name', 'Name: "Team A" is not allowed; use lower-case letters, digits and single hyphens between them (e.g. dev or team-a).'],
  ])('%j → %s: %s', (changes, field, message) => {
    expect(errorsOf(changes)).toEqual([{ field, message }]);
  });

  it('never names an internal field, and one line joins them without field names', () => {
    const errors = errorsOf({ cpus: 99, memoryGiB: 0, diskGiB: 5, switchKubeContext: 1, networkAddress: null });
    expect(errors.map((e) => e.field)).toEqual(['cpus', 'memoryGiB', 'diskGiB', 'networkAddress', 'switchKubeContext']);
    for (const e of errors) expect(e.message).not.toMatch(/memoryGiB|diskGiB|cpus|networkAddress|switchKubeContext/);
    expect(formatFieldErrors(errors)).toBe(errors.map((e) => e.message).join(' '));
    expect(formatFieldErrors(errors)).toMatch(/^CPUs: 99 is more than this machine has \(8\); use 1–8\. Memory: 0 GiB is below/);
  });

  it('names the name that is refused', () => {
    expect(validateProfileName('')).toBe('Name: a name is required (e.g. dev or team-a).');
    expect(validateProfileName('default')).toBe('Name: "default" is colima\'s own default profile; choose another name.');
    expect(validateProfileName('colima-dev')).toBe('Name: "colima-dev" must not start with "colima-" (colima treats colima-x as the profile x); choose another name.');
    expect(validateProfileName('a'.repeat(70))).toBe('Name: 70 characters is too long; the most is 69.');
  });
});
