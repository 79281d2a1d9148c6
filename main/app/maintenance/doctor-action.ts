// The doctor from the tray: once at the first launch (quietly: a notification
// when something needs attention) and on demand from "Doctor…" (the report in
// a native dialog, whose second button opens the report's log file). The
// report's text is written to its own operation log either way.
import type { MessageBoxOptions, MessageBoxReturnValue } from 'electron';
import { formatDoctorText, type DoctorReport, type Finding } from '../../core/doctor/index.js';
import { userMessage } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import type { Notice, Notifier } from '../notifications.js';
import type { OperationLogs } from './operation-logs.js';
import { singleFlight } from './single-flight.js';

/** Electron's dialog, narrowed to the one call the app makes (no parent window: a tray app has none). */
export interface DialogLike {
  showMessageBox(options: MessageBoxOptions): Promise<MessageBoxReturnValue>;
}

export type DoctorMode = 'first-launch' | 'on-demand';

export interface DoctorActionDeps {
  /** runDoctor over the app's services (doctorDepsForApp), logging to `logger`. */
  readonly run: (logger: Logger) => Promise<DoctorReport>;
  readonly logs: OperationLogs;
  readonly notifier: Notifier;
  readonly dialog: DialogLike;
  readonly openPath: (file: string) => Promise<string>;
  readonly logger: Logger;
  /** Told when a run starts or ends (the menu shows "Doctor (running…)"). */
  readonly onChange?: () => void;
}

export interface DoctorAction {
  /** Runs the doctor (or joins the run under way) and shows the outcome as `mode` asks. Never rejects. */
  run(mode: DoctorMode): Promise<DoctorReport | undefined>;
  running(): boolean;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function needsAttention(f: Finding): boolean {
  return f.severity === 'error' || f.severity === 'warning';
}

/** The notification for a report with warnings or errors; undefined when there is nothing to act on. */
export function doctorNotice(report: DoctorReport): Notice | undefined {
  const serious = report.findings.filter(needsAttention);
  if (serious.length === 0) return undefined;
  const counts = [report.counts.error && plural(report.counts.error, 'error'), report.counts.warning && plural(report.counts.warning, 'warning')].filter(Boolean);
  const shown = serious.slice(0, 3).map((f) => `• ${f.title}`);
  if (serious.length > shown.length) shown.push(`… and ${serious.length - shown.length} more`);
  return { title: `Doctor found ${counts.join(' and ')}`, body: [...shown, 'Open "Doctor…" in the menu for the fixes.'].join('\n') };
}

/** Long reports are cut in the dialog; the whole one is in the log file its second button opens. */
export const DIALOG_MAX_LINES = 45;

export function doctorDialogOptions(report: DoctorReport, file: string | undefined): MessageBoxOptions {
  const { error, warning, info } = report.counts;
  const lines = formatDoctorText(report).trimEnd().split('\n');
  // The first line is the summary, shown as the message.
  let detail = lines.slice(2);
  if (detail.length > DIALOG_MAX_LINES) {
    detail = [...detail.slice(0, DIALOG_MAX_LINES), '', `… ${detail.length - DIALOG_MAX_LINES} more lines${file ? ' in the report file' : ''}.`];
  }
  return {
    type: error ? 'error' : warning ? 'warning' : 'info',
    title: 'Doctor — colima-k8s-nix',
    message: error + warning + info === 0 ? 'Everything looks fine.' : `${plural(error, 'error')}, ${plural(warning, 'warning')}, ${plural(info, 'note')}`,
    detail: detail.join('\n'),
    buttons: file ? ['OK', 'Open report file'] : ['OK'],
    defaultId: 0,
    cancelId: 0,
    noLink: true,
  };
}

export function createDoctorAction(deps: DoctorActionDeps): DoctorAction {
  const flight = singleFlight(
    () =>
      deps.logs.run('doctor', async (log, file) => {
        const report = await deps.run(log);
        for (const line of formatDoctorText(report).trimEnd().split('\n')) log.log('info', line);
        return { report, file };
      }),
    deps.onChange,
  );

  const showReport = async (report: DoctorReport, file: string | undefined): Promise<void> => {
    const { response } = await deps.dialog.showMessageBox(doctorDialogOptions(report, file));
    if (response === 1 && file) {
      const problem = await deps.openPath(file);
      if (problem) deps.notifier.notify({ title: 'Could not open the doctor report', body: `${problem}\n${file}` });
    }
  };
  // A click on the notification while "Doctor…" already shows that report opens no second dialog.
  const showing = new Map<DoctorReport, Promise<void>>();
  const show = (report: DoctorReport, file: string | undefined): Promise<void> => {
    let shown = showing.get(report);
    if (!shown) {
      shown = showReport(report, file).finally(() => showing.delete(report));
      showing.set(report, shown);
    }
    return shown;
  };
  const showFromClick = (report: DoctorReport, file: string | undefined): void => {
    show(report, file).catch((e: unknown) => deps.logger.log('error', `doctor: could not show the report: ${userMessage(e)}`));
  };

  return {
    async run(mode) {
      const joined = flight.running();
      try {
        const { report, file } = await flight.run();
        // A click while a run is under way joins it; only the first caller shows the outcome.
        if (joined) return report;
        const notice = doctorNotice(report);
        // A click shows this report (with its fixes), not the notifier's default (the profile picker).
        if (notice) deps.notifier.notify({ ...notice, onClick: () => showFromClick(report, file) });
        if (mode === 'on-demand') await show(report, file);
        return report;
      } catch (e) {
        deps.logger.log('error', `doctor: ${userMessage(e)}`);
        if (!joined) deps.notifier.notify({ title: 'The doctor could not run', body: userMessage(e) });
        return undefined;
      }
    },
    running: () => flight.running(),
  };
}
