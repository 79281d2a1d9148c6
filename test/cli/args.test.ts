import { describe, expect, it } from 'vitest';
import { parseCommand, UsageError } from '../../main/cli/args.js';

describe('colima-k8s argument parsing', () => {
  it('parses every command of the spec', () => {
    expect(parseCommand(['profile', 'list', '--json'])).toEqual({ kind: 'profile-list', json: true });
    expect(
      parseCommand(['profile', 'set', 'dev', '--cpu', '2', '--memory', '1.5', '--disk', '20', '--no-kubernetes', '--k8s-version', 'v1.35.0+k3s1', '--image', 'nginx', '--image', 'redis:7', '--keep-data']),
    ).toEqual({
      kind: 'profile-set',
      name: 'dev',
      changes: { cpus: 2, memoryGiB: 1.5, diskGiB: 20, kubernetes: false, kubernetesVersion: 'v1.35.0+k3s1', images: ['nginx', 'redis:7'], keepData: true },
    });
    expect(parseCommand(['profile', 'set', 'dev', '--no-images', '--no-keep-data'])).toEqual({ kind: 'profile-set', name: 'dev', changes: { images: [], keepData: false } });
    expect(parseCommand(['profile', 'remove', 'dev'])).toEqual({ kind: 'profile-remove', name: 'dev', deleteVm: false });
    expect(parseCommand(['profile', 'use', 'dev'])).toEqual({ kind: 'profile-use', name: 'dev' });
    expect(parseCommand(['start'])).toEqual({ kind: 'start' });
    expect(parseCommand(['start', 'dev'])).toEqual({ kind: 'start', name: 'dev' });
    expect(parseCommand(['stop', 'dev'])).toEqual({ kind: 'stop', name: 'dev' });
    expect(parseCommand(['status', '--json'])).toEqual({ kind: 'status', json: true });
    expect(parseCommand(['down', '--timeout', '30'])).toEqual({ kind: 'down', timeoutSeconds: 30 });
    expect(parseCommand(['doctor', '--json'])).toEqual({ kind: 'doctor', json: true });
    expect(parseCommand([])).toEqual({ kind: 'help' });
  });

  it('keeps a non-number as text so validation names the field', () => {
    expect(parseCommand(['profile', 'set', 'dev', '--cpu', 'four'])).toMatchObject({ changes: { cpus: 'four' } });
    expect(parseCommand(['profile', 'set', 'dev', '--memory', '$(id)'])).toMatchObject({ changes: { memoryGiB: '$(id)' } });
  });

  it.each([
    [['profile', 'set']],
    [['profile', 'set', 'a', 'b']],
    [['profile', 'set', 'a', '--bogus']],
    [['profile', 'set', 'a', '--cpu']],
    [['profile', 'frob']],
    [['start', 'a', 'b']],
    [['down', '--timeout', '-1']],
    [['down', '--timeout', 'soon']],
    [['frob']],
  ])('refuses %j with a usage error', (argv) => {
    expect(() => parseCommand(argv)).toThrow(UsageError);
  });
});

describe('an option value that starts with a dash', () => {
  it('says how to pass it instead of only calling it ambiguous', () => {
    expect(() => parseCommand(['profile', 'set', 'dev', '--image', '--privileged'])).toThrow(
      /argument is ambiguous.*use '--image=-XYZ'/,
    );
  });
  it('then reaches validation, which names the field', () => {
    const c = parseCommand(['profile', 'set', 'dev', '--image=--privileged']);
    expect(c).toMatchObject({ kind: 'profile-set', name: 'dev', changes: { images: ['--privileged'] } });
  });
});
