// The doctor's KVM check (Linux): without /dev/kvm, or without the right to
// open it, Lima's QEMU runs without hardware acceleration.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kvmCheck } from '../../../main/core/doctor/check-kvm.js';
import { fakeHost, type FakeHost } from './fake-host.js';

let host: FakeHost;
const signal = new AbortController().signal;
beforeEach(() => {
  host = fakeHost();
});
afterEach(() => host.cleanup());

describe('the KVM check', () => {
  it('passes when the device exists and can be opened', async () => {
    expect(await kvmCheck.run(host.deps(), signal)).toEqual([]);
  });

  it('warns, with how to enable it, when there is no KVM device', async () => {
    const findings = await kvmCheck.run(host.deps({ kvmDevice: `${host.root}/dev/no-kvm` }), signal);
    expect(findings).toMatchObject([{ id: 'kvm.missing', severity: 'warning', fix: 'sudo modprobe kvm_intel || sudo modprobe kvm_amd' }]);
    expect((findings as readonly { title: string }[])[0]!.title).toMatch(/no-kvm does not exist: the VM would run without hardware acceleration$/);
  });

  it('warns, with the group to join, when the device cannot be opened read-write', async () => {
    // A folder cannot be opened read-write, not even by root (EISDIR): stands for a device this user may not open.
    const device = host.dir('dev/kvm-locked');
    expect(await kvmCheck.run(host.deps({ kvmDevice: device }), signal)).toMatchObject([{ id: 'kvm.no-access', severity: 'warning', fix: 'sudo usermod -aG kvm "$USER"' }]);
  });

  it('is skipped off Linux', async () => {
    expect(await kvmCheck.run(host.deps({ platform: 'darwin', kvmDevice: '/nowhere' }), signal)).toEqual({ skipped: 'only Linux VMs use KVM' });
  });
});
