// colima's stdout: status --json (§5, §13), list --json NDJSON (§6), version (§9).
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../main/core/errors.js';
import { parseListJson, parseStatusJson, parseVersion } from '../../../main/core/colima/parse-output.js';

describe('parseStatusJson', () => {
  it('reads the §13 example (bytes, sockets omitted by omitempty)', () => {
    const stdout =
      '{"display_name":"colima","driver":"macOS Virtualization.Framework","arch":"aarch64","runtime":"containerd","mount_type":"virtiofs","containerd_socket":"unix:///Users/me/.colima/default/containerd.sock","buildkitd_socket":"unix:///Users/me/.colima/default/buildkitd.sock","kubernetes":true,"cpu":2,"memory":2147483648,"disk":107374182400}\n';
    expect(parseStatusJson(stdout)).toEqual({
      displayName: 'colima',
      driver: 'macOS Virtualization.Framework',
      arch: 'aarch64',
      runtime: 'containerd',
      kubernetes: true,
      cpus: 2,
      memoryBytes: 2147483648,
      diskBytes: 107374182400,
    });
  });

  it('reads ip_address when present and kubernetes false', () => {
    const s = parseStatusJson(
      '{"display_name":"colima [profile=dev]","driver":"QEMU","arch":"x86_64","runtime":"docker","mount_type":"sshfs","ip_address":"192.168.106.2","docker_socket":"unix:///h/.colima/dev/docker.sock","containerd_socket":"unix:///h/.colima/dev/containerd.sock","kubernetes":false,"cpu":4,"memory":8589934592,"disk":64424509440}',
    );
    expect(s.ipAddress).toBe('192.168.106.2');
    expect(s.kubernetes).toBe(false);
    expect(s.displayName).toBe('colima [profile=dev]');
  });

  it('throws an actionable COMMAND_FAILED for output that is not the status object', () => {
    for (const bad of ['', 'INFO[0000] colima is running', '[]', '{"name":"default"}']) {
      expect(() => parseStatusJson(bad)).toThrowError(AppError);
    }
    expect(() => parseStatusJson('nope')).toThrow(/colima status --json printed output this app does not understand: nope/);
  });
});

describe('parseListJson', () => {
  it('reads NDJSON (one object per line), not an array', () => {
    const stdout =
      '{"name":"default","status":"Running","arch":"aarch64","cpus":4,"memory":6442450944,"disk":107374182400,"address":"192.168.106.2","runtime":"docker+k3s"}\n' +
      '{"name":"dev","status":"Stopped","arch":"aarch64","cpus":2,"memory":2147483648,"disk":107374182400,"runtime":"containerd"}\n';
    expect(parseListJson(stdout)).toEqual([
      { name: 'default', status: 'Running', arch: 'aarch64', cpus: 4, memoryBytes: 6442450944, diskBytes: 107374182400, address: '192.168.106.2', runtime: 'docker+k3s' },
      { name: 'dev', status: 'Stopped', arch: 'aarch64', cpus: 2, memoryBytes: 2147483648, diskBytes: 107374182400, runtime: 'containerd' },
    ]);
  });

  it('treats empty output as no instances', () => {
    expect(parseListJson('')).toEqual([]);
    expect(parseListJson('\n')).toEqual([]);
  });

  it('accepts entries whose fields were all omitted except the name (omitempty)', () => {
    expect(parseListJson('{"name":"broken"}\n')).toEqual([{ name: 'broken' }]);
  });

  it('fails clearly on a line that is not a JSON object', () => {
    expect(() => parseListJson('PROFILE    STATUS\n')).toThrow(/colima list --json printed output this app does not understand/);
    expect(() => parseListJson('[{"name":"default"}]')).toThrowError(AppError);
  });
});

describe('parseVersion', () => {
  it('reads a GitHub build (v prefix) and drops the v', () => {
    expect(parseVersion('colima version v0.10.3\ngit commit: 490420d9b98d2e6a558426bfefaea1bb37b67115\n')).toEqual({
      version: '0.10.3',
      commit: '490420d9b98d2e6a558426bfefaea1bb37b67115',
    });
  });

  it('reads a nixpkgs build (bare version, short hash) followed by runtime details', () => {
    const stdout = 'colima version 0.10.1\ngit commit: 1a2b3c4\n\nruntime: containerd\narch: aarch64\nclient: v2.1.4\nserver: v2.1.4\n';
    expect(parseVersion(stdout)).toEqual({ version: '0.10.1', commit: '1a2b3c4' });
  });

  it('rejects output that is not colima', () => {
    expect(() => parseVersion('fake-colima: [version]\n')).toThrow(/colima version printed output this app does not understand/);
  });
});
