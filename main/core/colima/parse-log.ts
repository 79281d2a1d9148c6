// Turns one line of colima's stderr into a ColimaLogLine. colima logs through
// logrus, whose format depends on whether stderr is a TTY (colima-cli §0):
//   piped: time="2026-08-21T10:15:30+02:00" level=info msg="creating and starting ..." context=vm
//   TTY:   \x1b[36mINFO\x1b[0m[0012] creating and starting ...<pad to 44>  \x1b[36mcontext\x1b[0m=vm
// Lines that are neither (cobra's `Error: …`, usage text, child output) give undefined.
// Pure (no Node imports).
import type { ColimaLogLine } from './client-api.js';
import { findClosingQuote, parseLogfmt, unquoteGo } from './logfmt.js';

type Level = ColimaLogLine['level'];

const LOGFMT_LEVELS: Readonly<Record<string, Level>> = {
  trace: 'trace', debug: 'debug', info: 'info',
  // logrus spells it `warning`; accept `warn` from other logfmt writers (nerdctl, Lima).
  warning: 'warning', warn: 'warning',
  error: 'error', fatal: 'fatal', panic: 'fatal',
};

// logrus truncates the upper-case level name to 4 letters on a TTY.
const TTY_LEVELS: Readonly<Record<string, Level>> = {
  TRAC: 'trace', DEBU: 'debug', INFO: 'info', WARN: 'warning', ERRO: 'error', FATA: 'fatal', PANI: 'fatal',
};

// ANSI SGR sequences (colours, bold, reset).
const ANSI_RE = /\x1b\[[0-9;]*m/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI_RE, '');
}

export function parseColimaLogLine(raw: string): ColimaLogLine | undefined {
  const line = raw.replace(/\r$/, '');
  return parsePipedLine(line) ?? parseTtyLine(line);
}

function parsePipedLine(line: string): ColimaLogLine | undefined {
  if (!line.includes('level=')) return undefined;
  const fields = parseLogfmt(line);
  const level = fields && LOGFMT_LEVELS[fields.get('level') ?? ''];
  const msg = fields?.get('msg');
  if (!fields || !level || msg === undefined) return undefined;
  return build(level, msg, fields.get('context'));
}

const TTY_HEAD_RE = /^(?:\x1b\[[0-9;]*m)?(TRAC|DEBU|INFO|WARN|ERRO|FATA|PANI)(?:\x1b\[0m)?\[(\d+)\] ?/;
// A field as logrus colours it on a TTY: ` \x1b[36mcontext\x1b[0m=`.
const COLOURED_KEY_RE = / \x1b\[[0-9;]*m([A-Za-z_][A-Za-z0-9_.-]*)\x1b\[0m=/g;

function parseTtyLine(line: string): ColimaLogLine | undefined {
  const head = TTY_HEAD_RE.exec(line);
  if (!head) return undefined;
  const level = TTY_LEVELS[head[1]!]!;
  const rest = line.slice(head[0].length);
  const { msg, fields } = rest.includes('\x1b[') ? splitColouredFields(rest) : splitPlainFields(rest);
  return build(level, stripAnsi(msg).trimEnd(), fields.get('context'));
}

/** The message is everything before the first coloured key; values follow each `=`. */
function splitColouredFields(rest: string): { msg: string; fields: Map<string, string> } {
  const fields = new Map<string, string>();
  const matches = [...rest.matchAll(COLOURED_KEY_RE)];
  if (matches.length === 0) return { msg: rest, fields };
  matches.forEach((m, k) => {
    const start = m.index + m[0].length;
    const end = k + 1 < matches.length ? matches[k + 1]!.index : rest.length;
    fields.set(m[1]!, readValue(rest.slice(start, end).trimEnd()));
  });
  return { msg: rest.slice(0, matches[0]!.index), fields };
}

// Without colours (e.g. copied from a terminal), fields can only be told apart by
// position: logrus pads the message to 44 columns, then writes ` key=value` for
// each field, so a field starts at column 46 or later after at least two spaces.
const TRAILING_FIELD_RE = /\s{2,}([A-Za-z_][A-Za-z0-9_.-]*)=("(?:[^"\\]|\\.)*"|[^\s"]*)\s*$/;
const MESSAGE_COLUMNS = 44;

function splitPlainFields(rest: string): { msg: string; fields: Map<string, string> } {
  const fields = new Map<string, string>();
  let msg = rest;
  for (;;) {
    const m = TRAILING_FIELD_RE.exec(msg);
    const keyStart = m ? m.index + m[0].length - m[0].trimStart().length : 0;
    if (!m || keyStart < MESSAGE_COLUMNS + 2) break;
    fields.set(m[1]!, readValue(m[2]!));
    msg = msg.slice(0, m.index);
  }
  return { msg, fields };
}

function readValue(text: string): string {
  if (text.startsWith('"')) {
    const end = findClosingQuote(text, 0);
    if (end > 0) return unquoteGo(text.slice(0, end + 1)) ?? text;
  }
  return text;
}

function build(level: Level, msg: string, context: string | undefined): ColimaLogLine {
  const stage = level === 'info' ? stageLabel(msg, context) : undefined;
  return { level, msg, ...(context !== undefined ? { context } : {}), ...(stage !== undefined ? { stage } : {}) };
}

/**
 * colima's stage lines end in ` ...` (cli/chain.go `Stage`, colima-cli §0, §2.4):
 * `creating and starting ...` with context vm → `creating and starting (vm)`.
 */
export function stageLabel(msg: string, context?: string): string | undefined {
  if (!msg.endsWith(' ...')) return undefined;
  const what = msg.slice(0, -4).trim();
  if (!what) return undefined;
  return context ? `${what} (${context})` : what;
}

/** One line for a log tail a person reads: `fatal: error starting vm: … [vm]`. */
export function describeLogLine(l: ColimaLogLine): string {
  const prefix = l.level === 'info' ? '' : `${l.level}: `;
  return `${prefix}${l.msg}${l.context ? ` [${l.context}]` : ''}`;
}
