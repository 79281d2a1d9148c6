// Linux: Lima runs the VM with QEMU, which needs KVM to be fast. Without
// /dev/kvm, or without the right to open it, QEMU falls back to software
// emulation (a start that takes many minutes and a VM that crawls) or fails.
import { closeSync, existsSync, openSync } from 'node:fs';
import { finding, skip, type DoctorCheck } from './types.js';

export const kvmCheck: DoctorCheck = {
  id: 'kvm',
  category: 'resources',
  title: 'KVM is available for the VM (Linux)',
  async run(deps) {
    if (deps.platform !== 'linux') return skip('only Linux VMs use KVM');
    const device = deps.kvmDevice ?? '/dev/kvm';
    if (!existsSync(device)) {
      return [
        finding(kvmCheck, {
          id: 'kvm.missing',
          severity: 'warning',
          title: `${device} does not exist: the VM would run without hardware acceleration`,
          explanation:
            'Lima starts the VM with QEMU, which needs KVM to run at native speed; without it a start takes many minutes and the VM is very slow, or QEMU fails. ' +
            'Enable virtualisation (VT-x/AMD-V) in the firmware settings, or, inside a VM, nested virtualisation; then load the module.',
          fix: 'sudo modprobe kvm_intel || sudo modprobe kvm_amd',
        }),
      ];
    }
    try {
      // Opened the way QEMU opens it (read-write), and closed at once: opening /dev/kvm creates nothing.
      closeSync(openSync(device, 'r+'));
      return [];
    } catch {
      return [
        finding(kvmCheck, {
          id: 'kvm.no-access',
          severity: 'warning',
          title: `You may not open ${device}: the VM would run without hardware acceleration`,
          explanation: `${device} exists, but this user cannot read and write it, so QEMU falls back to slow emulation or fails. Join the group that owns it (usually kvm), then log out and in again.`,
          fix: 'sudo usermod -aG kvm "$USER"',
        }),
      ];
    }
  },
};
