// The toolchain checks wired into the core services the CLI and the tray use:
// a colima older than the app needs is refused before anything is recorded or
// started, and a docker-runtime profile's colima commands run in the
// environment built for docker (toolchain/runtime.ts).
import { describe, expect, it, vi } from 'vitest';
import { runtimeAwareRunner } from '../../main/core/toolchain/runtime.js';
import type { ToolRunner } from '../../main/core/tool-runner.js';
import { ledgerEntries } from './cli-process-harness.js';
import { useCliSuite } from './cli-suite.js';

vi.mock('electron', () => ({ default: {} }));

const suite = useCliSuite({ host: { cpus: 8, memoryGiB: 16 } });
const cli = suite.cliWith;

describe('the colima version gate on start', () => {
  it('refuses a colima older than 0.9.0 before the ledger records anything or colima starts', async () => {
    expect((await cli({}, 'profile', 'set', 'dev', '--cpu', '1', '--memory', '1', '--no-kubernetes')).code).toBe(0);
    const old = await cli({ COLIMA_SIM_VERSION: '0.8.4' }, 'start', 'dev');
    expect(old.code).toBe(1);
    expect(old.stderr).toMatch(/colima 0\.8\.4 is too old: the app needs colima 0\.9\.0 or newer .*colima-k8s toolchain update/);
    expect(ledgerEntries(suite.env)).toEqual([]);
    expect(suite.env.colimaCalls().filter((a) => a[0] === 'start')).toEqual([]);
    expect(suite.env.colimaCalls().filter((a) => a[0] === 'version')).toHaveLength(1);
  });

  it('lets a supported colima start, checking its version once per environment', async () => {
    expect((await cli({}, 'profile', 'set', 'dev', '--cpu', '1', '--memory', '1', '--no-kubernetes')).code).toBe(0);
    expect((await cli({}, 'start', 'dev')).code).toBe(0);
    expect(suite.env.colimaCalls().filter((a) => a[0] === 'version')).toHaveLength(1);
    expect((await cli({}, 'down')).code).toBe(0);
  });
});

describe('runtimeAwareRunner', () => {
  function recording(name: string, log: string[]): ToolRunner {
    return {
      async run(program, args) {
        log.push(`${name}: ${program} ${args.join(' ')}`);
        return { file: program, args: [...args], exitCode: 0, signal: null, stdout: '', stderr: '', timedOut: false, cancelled: false, durationMs: 0 };
      },
    };
  }

  it('sends colima commands about docker-runtime instances to the docker environment, made once, and the rest to the default one', async () => {
    const log: string[] = [];
    let made = 0;
    const runner = runtimeAwareRunner(recording('default', log), () => (made++, recording('docker', log)), (p) => (p === 'web' ? 'docker' : p === 'k8s' ? 'containerd' : undefined));
    await runner.run('colima', ['start', '--profile', 'web', '--runtime', 'docker']);
    await runner.run('colima', ['stop', '--profile', 'web']);
    await runner.run('colima', ['delete', '--force', '--profile', 'web']);
    await runner.run('colima', ['start', '--profile', 'k8s', '--runtime', 'containerd']);
    await runner.run('colima', ['list', '--json']);
    await runner.run('kubectl', ['--context', 'colima-web', 'get', 'nodes', '-o', 'json']);
    expect(log).toEqual([
      'docker: colima start --profile web --runtime docker',
      'docker: colima stop --profile web',
      'docker: colima delete --force --profile web',
      'default: colima start --profile k8s --runtime containerd',
      'default: colima list --json',
      'default: kubectl --context colima-web get nodes -o json',
    ]);
    expect(made).toBe(1);
  });
});
