// The doctor's checks, in the order a report lists them.
import { colimaConfigCheck } from './check-colima-config.js';
import { envOverridesCheck } from './check-env-overrides.js';
import { foreignInstancesCheck } from './check-foreign-instances.js';
import { globalToolsCheck } from './check-global-tools.js';
import { kvmCheck } from './check-kvm.js';
import { nixCheck } from './check-nix.js';
import { nixpkgsPinCheck } from './check-nixpkgs-pin.js';
import { resourcesCheck } from './check-resources.js';
import type { DoctorCheck } from './types.js';

export const DEFAULT_CHECKS: readonly DoctorCheck[] = [
  nixCheck,
  nixpkgsPinCheck,
  globalToolsCheck,
  colimaConfigCheck,
  foreignInstancesCheck,
  envOverridesCheck,
  resourcesCheck,
  kvmCheck,
];
