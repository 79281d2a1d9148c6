// The nixpkgs behind the shell.nix in use (toolchain/pin.ts): a user's own
// shell.nix that does not pin nixpkgs gets a note (its tools change with the
// channels), a pin older than a year a warning (no more security fixes for
// that release; colima and kubectl fall behind).
import { isShellNixPinned, pinAgeDays, readPin } from '../toolchain/pin.js';
import { finding, skip, type DoctorCheck, type DoctorDeps, type Finding } from './types.js';

export const PIN_MAX_AGE_DAYS = 365;

export interface NixpkgsPinCheckOptions {
  /** The shell.nix in use; default: DoctorDeps.shellNix when the app passes it, else COLIMA_K8S_SHELL_NIX. */
  readonly shellNix?: string;
  readonly now?: () => Date;
}

export function nixpkgsPinCheckWith(o: NixpkgsPinCheckOptions = {}): DoctorCheck {
  const check: DoctorCheck = {
    id: 'nixpkgs-pin',
    category: 'nix',
    title: 'The shell.nix pins a recent nixpkgs',
    async run(deps) {
      const userShellNix = deps.env.COLIMA_K8S_SHELL_NIX;
      const shellNix = o.shellNix ?? deps.shellNix ?? userShellNix;
      if (!shellNix) return skip('the shell.nix in use is not known here');
      const findings: Finding[] = [];
      let pin;
      try {
        pin = isShellNixPinned(shellNix) ? readPin(shellNix) : undefined;
      } catch (e) {
        return [
          finding(check, {
            id: 'nixpkgs-pin.invalid',
            severity: 'warning',
            title: 'The nixpkgs pin cannot be read',
            explanation: (e as Error).message,
            fix: 'colima-k8s toolchain rollback',
          }),
        ];
      }
      if (!pin) {
        findings.push(
          finding(check, {
            id: 'nixpkgs-pin.unpinned',
            severity: 'info',
            title: 'Your shell.nix does not pin nixpkgs',
            explanation:
              `${shellNix} takes its packages from your <nixpkgs> (channels or NIX_PATH), so colima, lima and kubectl change whenever ` +
              'those do, and the first start after a channel update evaluates and downloads again. Pin a revision with fetchTarball { url; sha256; } ' +
              '(as the app\'s own shell.nix does in nix/nixpkgs-pin.json), or leave it if you manage nixpkgs yourself.',
            fix: 'nix-prefetch-url --unpack https://github.com/NixOS/nixpkgs/archive/<revision>.tar.gz',
          }),
        );
        return findings;
      }
      const age = pinAgeDays(pin, (o.now ?? (() => new Date()))());
      if (age !== undefined && age > PIN_MAX_AGE_DAYS) {
        findings.push(
          finding(check, {
            id: 'nixpkgs-pin.old',
            severity: 'warning',
            title: `The nixpkgs pin is ${age} days old`,
            explanation:
              `${shellNix} pins ${pin.branch} at ${pin.revision.slice(0, 12)} from ${pin.date}, more than a year ago: that release gets no more ` +
              'security fixes, and its colima, lima and kubectl fall behind. Move the pin (a new release branch may be needed: edit "branch" in the pin file first).',
            fix: 'colima-k8s toolchain update',
          }),
        );
      }
      return findings;
    },
  };
  return check;
}

export const nixpkgsPinCheck: DoctorCheck = nixpkgsPinCheckWith();
