// How a doctor report is shown: plain text for a terminal (and the window's
// copy button), JSON for `colima-k8s doctor --json`.
import type { DoctorReport, Finding, Severity } from './types.js';

const LABEL: Record<Severity, string> = { error: 'ERROR', warning: 'WARNING', info: 'NOTE' };

/** 1 when any finding is an error, else 0: warnings and notes do not fail the command. */
export function doctorExitCode(report: DoctorReport): number {
  return report.counts.error > 0 ? 1 : 0;
}

/** The report as stable, pretty JSON (the DoctorReport type is the schema; formatVersion 1). */
export function formatDoctorJson(report: DoctorReport): string {
  return JSON.stringify(report, null, 2);
}

export function formatDoctorText(report: DoctorReport, width = 100): string {
  const { error, warning, info } = report.counts;
  const lines: string[] = [];
  const summary = [plural(error, 'error'), plural(warning, 'warning'), plural(info, 'note')].join(', ');
  lines.push(`colima-k8s doctor: ${summary} from ${plural(report.checks.length, 'check')}.`);
  for (const f of report.findings) lines.push('', ...formatFinding(f, width));

  lines.push('', 'Checks:');
  const idWidth = Math.max(...report.checks.map((c) => c.id.length), 2);
  for (const c of report.checks) {
    const note = c.note ? ` (skipped: ${c.note})` : '';
    lines.push(`  ${c.status.padEnd(9)} ${c.id.padEnd(idWidth)}  ${c.title}${note}`);
  }
  if (report.findings.length === 0) lines.push('', 'Everything looks fine.');
  return lines.join('\n') + '\n';
}

function formatFinding(f: Finding, width: number): string[] {
  const indent = '    ';
  return [
    `${LABEL[f.severity].padEnd(8)}${f.title}  [${f.category}]`,
    ...wrap(f.explanation, width - indent.length).map((l) => indent + l),
    // The command stays on one line, never wrapped: it is meant to be copied.
    `${indent}Fix: ${f.fix}`,
  ];
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) out.push(line);
  return out;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
