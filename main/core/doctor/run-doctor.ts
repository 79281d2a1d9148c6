// Runs every check in parallel, each under its own timeout. A check that throws
// or hangs becomes an error finding of its own: the doctor itself never fails.
import { isAppError, userMessage } from '../errors.js';
import { nullLogger } from '../log.js';
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
  const findings = results
    .flatMap((r, order) => r.findings.map((f) => ({ f, order })))
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
      findings: [failureFinding(check, 'failed', userMessage(e), isAppError(e, 'NIX_NOT_FOUND') ? NIX_INSTALL_COMMAND : undefined)],
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
    fix: fix ?? 'colima-k8s doctor',
  };
}
