import { describe, expect, it } from 'vitest';
import { validateProfile, DEFAULT_PROFILE, validateProfileName } from '../../main/core/profiles/validate.js';
import { buildStartArgs } from '../../main/core/colima/argv.js';

const host = { cpus: 8, memoryGiB: 16 };

describe('profile validation', () => {
  it('accepts the default profile and builds the seed command', () => {
    const r = validateProfile(DEFAULT_PROFILE, host);
    expect(r.ok).toBe(true);
    expect(buildStartArgs(DEFAULT_PROFILE, 'darwin')).toEqual([
      'start', '--profile', 'k8s', '--cpus', '4', '--memory', '8', '--disk', '100', '--runtime', 'containerd', '--kubernetes', '--network-address',
    ]);
  });
  it.each(['default', 'colima', 'colima-dev', 'Dev', '-x', 'a_b', 'x; touch pwned', '$(id)', 'a\nb', '', 'a--b'])('refuses the name %j', (name) => {
    expect(validateProfileName(name)).toBeDefined();
  });
  it('names each bad field', () => {
    const r = validateProfile({ ...DEFAULT_PROFILE, cpus: 99, memoryGiB: 0, diskGiB: 5, images: ['nginx', '--privileged'] }, host);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.field).sort()).toEqual(['cpus', 'diskGiB', 'images', 'memoryGiB']);
  });
});

describe('colima start argv', () => {
  it('spells out --kubernetes=false, so a saved colima.yaml or template cannot turn Kubernetes back on', () => {
    expect(buildStartArgs({ ...DEFAULT_PROFILE, name: 'plain', kubernetes: false }, 'linux')).toEqual([
      'start', '--profile', 'plain', '--cpus', '4', '--memory', '8', '--disk', '100', '--runtime', 'containerd', '--kubernetes=false',
    ]);
  });
});
