// Runs every check in parallel, each under its own timeout. A check that throws
// or hangs becomes an error finding of its own: the doctor itself never fails.
import { isAppError, userMessage } from '../errors.js';
import { nullLogger } from '../log.js';
import { NIX_SHELL_VARIABLE } from '../nix/locate-nix.js';
import { NIX_INSTALL_COMMAND } from './check-nix.js';
import { DEFAULT_CHECKS } from './checks.js';
import { isSkipped, type CheckOutcome, type DoctorCheck, type DoctorDeps, type DoctorReport, type Finding, type Severity } from './types.js';

export const DEFAULT_CHECK_TIMEOUT_MS = 15_000;

export interface RunDoctorOptions {
  readonly checks?: readonly DoctorCheck[];
  /** Per check. Default 15 s. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly now?: () => Date;
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export async function runDoctor(deps: DoctorDeps, options: RunDoctorOptions = {}): Promise<DoctorReport> {
  const checks = options.checks ?? DEFAULT_CHECKS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  const results = await Promise.all(checks.map((check) => runOne(check, deps, timeoutMs, options.signal)));
  // A check that failed on nix (its environment does not evaluate) is fixed by what fixes nix.
  const nixFix = results.flatMap((r) => r.findings).find((f) => f.category === 'nix' && f.severity !== 'info')?.fix;
  const findings = results
    .flatMap((r) => (r.failedOnNix && nixFix ? r.findings.map((f) => ({ ...f, fix: nixFix })) : r.findings))
    .map((f, order) => ({ f, order }))
    .sort((a, b) => RANK[a.f.severity] - RANK[b.f.severity] || a.order - b.order)
    .map(({ f }) => f);
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity] += 1;
  return {
    formatVersion: 1,
    generatedAt: (options.now?.() ?? new Date()).toISOString(),
    platform: deps.platform,
    checks: results.map((r) => r.outcome),
    findings,
    counts,
  };
}

interface CheckResult {
  readonly outcome: CheckOutcome;
  readonly findings: readonly Finding[];
  /** The check threw a nix error (NIX_*) for which no command of its own is known. */
  readonly failedOnNix?: boolean;
}

/** The fix of a check that threw: never `colima-k8s doctor` itself, which would only show the same finding again. */
function failureFix(e: unknown): string | undefined {
  if (!isAppError(e, 'NIX_NOT_FOUND')) return undefined;
  return e.details.field === NIX_SHELL_VARIABLE ? `unset ${NIX_SHELL_VARIABLE}` : NIX_INSTALL_COMMAND;
}

async function runOne(check: DoctorCheck, deps: DoctorDeps, timeoutMs: number, outer?: AbortSignal): Promise<CheckResult> {
  const logger = deps.logger ?? nullLogger;
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  outer?.addEventListener('abort', abort, { once: true });
  const started = performance.now();
  const base = { id: check.id, category: check.category, title: check.title };
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const result = await Promise.race([check.run(deps, controller.signal), timedOut]);
    const durationMs = performance.now() - started;
    if (result === 'timeout') {
      controller.abort(); // stops the commands the check started
      logger.log('warn', `doctor: check ${check.id} timed out after ${timeoutMs} ms`);
      return {
        outcome: { ...base, status: 'timed-out', durationMs },
        findings: [
          failureFinding(check, 'timed-out', `It did not finish in ${Math.round(timeoutMs / 1000)} s and was stopped, so it says nothing about this machine.`),
        ],
      };
    }
    if (isSkipped(result)) return { outcome: { ...base, status: 'skipped', durationMs, note: result.skipped }, findings: [] };
    return { outcome: { ...base, status: result.length ? 'findings' : 'passed', durationMs }, findings: result };
  } catch (e) {
    logger.log('error', `doctor: check ${check.id} failed: ${userMessage(e)}`);
    return {
      outcome: { ...base, status: 'failed', durationMs: performance.now() - started },
      findings: [failureFinding(check, 'failed', userMessage(e), failureFix(e))],
      failedOnNix: failureFix(e) === undefined && isAppError(e) && e.code.startsWith('NIX_'),
    };
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', abort);
  }
}

function failureFinding(check: DoctorCheck, what: 'failed' | 'timed-out', explanation: string, fix?: string): Finding {
  return {
    id: `doctor.${what}.${check.id}`,
    checkId: check.id,
    category: 'doctor',
    severity: 'error',
    title: what === 'failed' ? `The check "${check.title}" could not run` : `The check "${check.title}" timed out`,
    explanation,
    fix:
      fix ??
      (what === 'failed'
        ? 'No command: change what the explanation names (the log of this run has the details).'
        : 'No command: the check was too slow this time (a first nix evaluation can be); it runs again with the next doctor run.'),
  };
}
