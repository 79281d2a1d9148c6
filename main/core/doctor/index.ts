// The doctor: `runDoctor(deps)` gives a DoctorReport; `formatDoctorText` and
// `formatDoctorJson` print it for `colima-k8s doctor [--json]`, the tray and the window.
export { runDoctor, DEFAULT_CHECK_TIMEOUT_MS, type RunDoctorOptions } from './run-doctor.js';
export { formatDoctorText, formatDoctorJson, doctorExitCode } from './format.js';
export { DEFAULT_CHECKS } from './checks.js';
export { readHostCapacity } from './check-resources.js';
export { DEFAULT_GLOBAL_TOOL_DIRS } from './check-global-tools.js';
export { resolveColimaBaseDir, type ColimaBaseDir } from './colima-base-dir.js';
export type { DoctorDeps, DoctorReport, Finding, CheckOutcome, Severity, Category, HostCapacity, DoctorCheck } from './types.js';
export { doctorDepsForApp, type DoctorAppServices, type DoctorAppOptions } from './app-deps.js';
