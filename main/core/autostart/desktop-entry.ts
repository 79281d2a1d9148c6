// Desktop Entry text (freedesktop.org Desktop Entry Specification 1.5), pure.
// Two escaping layers apply to Exec, in this order when reading:
//   1. the value is a `string`: `\\`, `\s`, `\n`, `\t`, `\r` are unescaped;
//   2. the result is split into arguments: an argument holding a reserved
//      character must be double-quoted, and inside the quotes `"`, `` ` ``, `$`
//      and `\` take a backslash.
// So a literal `$` in a quoted argument is written `\\$` and a backslash `\\\\`
// (the spec's own examples). Field codes come last: a literal `%` is `%%`,
// quoted or not. electron-stack.md §11: auto-launch writes Exec unquoted, so a
// path with a space breaks; desktop-file-validate does not notice, so tests
// also launch the file through GLib (`gio launch`).
import { AppError } from '../errors.js';

// Spec, "The Exec key": these make quoting necessary (plus CR, which would
// otherwise end the line; quoted, the string layer writes it as \r).
const RESERVED = /[ \t\n\r"'\\><~|&;$*?#()`]/;

/** One Exec argument, quoted when needed, escaped for both layers. */
export function quoteExecArg(arg: string): string {
  assertPrintable(arg, 'an Exec argument');
  const percent = arg.replaceAll('%', '%%');
  if (percent !== '' && !RESERVED.test(percent)) return percent;
  const quoted = `"${percent.replace(/["`$\\]/g, (c) => `\\${c}`)}"`;
  return escapeStringValue(quoted);
}

/** The Exec value for an argv: program first, each element quoted as needed. */
export function execLine(argv: readonly string[]): string {
  if (argv.length === 0) throw new AppError('INVALID_INPUT', 'The autostart command is empty: give the path of the program to start.');
  return argv.map(quoteExecArg).join(' ');
}

/** A `string`/`localestring` value: backslash and the whitespace escapes of the spec. */
export function escapeStringValue(value: string): string {
  assertPrintable(value, 'a desktop entry value');
  return value.replace(/[\\\n\t\r]/g, (c) => ({ '\\': '\\\\', '\n': '\\n', '\t': '\\t', '\r': '\\r' })[c]!);
}

export interface DesktopEntryFields {
  readonly name: string;
  readonly comment?: string;
  readonly exec: readonly string[];
  readonly icon?: string;
  /** Extra `X-…` keys (values escaped as strings). */
  readonly extra?: Readonly<Record<`X-${string}`, string>>;
}

/** The whole file, one key per line, ending with a newline. */
export function desktopEntryText(f: DesktopEntryFields): string {
  // 1.4: nothing here needs 1.5, and Debian 12's desktop-file-validate rejects 1.5.
  const lines = ['[Desktop Entry]', 'Type=Application', 'Version=1.4', `Name=${escapeStringValue(f.name)}`];
  if (f.comment) lines.push(`Comment=${escapeStringValue(f.comment)}`);
  lines.push(`Exec=${execLine(f.exec)}`);
  if (f.icon) lines.push(`Icon=${escapeStringValue(f.icon)}`);
  lines.push('Terminal=false');
  for (const [key, value] of Object.entries(f.extra ?? {})) lines.push(`${key}=${escapeStringValue(value)}`);
  return lines.join('\n') + '\n';
}

/** Reads `Key=value` pairs of the [Desktop Entry] group (string values unescaped). */
export function parseDesktopEntry(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let inGroup = false;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (/^\s*(#|$)/.test(line)) continue;
    const group = /^\[(.+)\]\s*$/.exec(line);
    if (group) {
      inGroup = group[1] === 'Desktop Entry';
      continue;
    }
    const eq = line.indexOf('=');
    if (!inGroup || eq < 0) continue;
    out[line.slice(0, eq).trim()] = unescapeStringValue(line.slice(eq + 1).trimStart());
  }
  return out;
}

function unescapeStringValue(v: string): string {
  return v.replace(/\\([\\sntr])/g, (_, c: string) => ({ '\\': '\\', s: ' ', n: '\n', t: '\t', r: '\r' })[c]!);
}

function assertPrintable(value: string, what: string): void {
  // Other control characters cannot be written in a desktop file at all.
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value)) {
    throw new AppError('INVALID_INPUT', `${what} contains a control character, which a desktop entry cannot hold: ${JSON.stringify(value)}. Move the app to a folder whose path has no control characters.`);
  }
}
