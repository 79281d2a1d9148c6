// A reader for the logfmt lines logrus writes when its output is not a TTY
// (colima-cli §0): `time="…" level=info msg="runtime: docker" context=vm`.
// A value is bare unless it holds a character outside [A-Za-z0-9-._/@^+]; then
// it is quoted with Go's %q (strconv.Quote), whose escapes are undone here.
// Pure (no Node imports).

/** The key/value pairs of one logfmt line, in order; undefined if the line is not logfmt. */
export function parseLogfmt(line: string): Map<string, string> | undefined {
  const fields = new Map<string, string>();
  let i = 0;
  const n = line.length;
  while (i < n) {
    while (i < n && line[i] === ' ') i++;
    if (i >= n) break;
    const keyStart = i;
    while (i < n && line[i] !== '=' && line[i] !== ' ' && line[i] !== '"') i++;
    const key = line.slice(keyStart, i);
    // Every pair of logrus' output is key=value with a plain identifier key.
    if (line[i] !== '=' || !/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key)) return undefined;
    i++;
    if (line[i] === '"') {
      const end = findClosingQuote(line, i);
      if (end < 0) return undefined;
      const value = unquoteGo(line.slice(i, end + 1));
      if (value === undefined) return undefined;
      fields.set(key, value);
      i = end + 1;
      if (i < n && line[i] !== ' ') return undefined;
    } else {
      // logrus writes an empty string bare (`msg=`): needsQuoting is false for "".
      const valueStart = i;
      while (i < n && line[i] !== ' ') i++;
      const value = line.slice(valueStart, i);
      if (value.includes('"')) return undefined;
      fields.set(key, value);
    }
  }
  return fields.size > 0 ? fields : undefined;
}

/** Index of the `"` that closes the Go string starting at `start`, or -1. */
export function findClosingQuote(s: string, start: number): number {
  for (let i = start + 1; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '"') return i;
  }
  return -1;
}

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = {
  a: 0x07, b: 0x08, f: 0x0c, n: 0x0a, r: 0x0d, t: 0x09, v: 0x0b, '\\': 0x5c, '"': 0x22, "'": 0x27,
};

/**
 * Undoes Go's %q: `"a \"b\"\n"` → `a "b"` + newline. Handles \a \b \f \n \r \t \v
 * \\ \" \' \xHH (raw bytes, which may form UTF-8 together), \uHHHH, \UHHHHHHHH and
 * octal \OOO. Returns undefined for a malformed literal.
 */
export function unquoteGo(quoted: string): string | undefined {
  if (quoted.length < 2 || !quoted.startsWith('"') || !quoted.endsWith('"')) return undefined;
  const body = quoted.slice(1, -1);
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  const pushText = (text: string): void => void bytes.push(...encoder.encode(text));
  let i = 0;
  while (i < body.length) {
    const ch = body[i]!;
    if (ch !== '\\') {
      const cp = body.codePointAt(i)!;
      const text = String.fromCodePoint(cp);
      if (text === '"') return undefined; // an unescaped quote cannot be inside
      pushText(text);
      i += text.length;
      continue;
    }
    const esc = body[i + 1];
    if (esc === undefined) return undefined;
    if (esc in SIMPLE_ESCAPES) {
      bytes.push(SIMPLE_ESCAPES[esc]!);
      i += 2;
    } else if (esc === 'x' || esc === 'u' || esc === 'U') {
      const len = esc === 'x' ? 2 : esc === 'u' ? 4 : 8;
      const hex = body.slice(i + 2, i + 2 + len);
      if (hex.length !== len || !/^[0-9A-Fa-f]+$/.test(hex)) return undefined;
      const value = parseInt(hex, 16);
      if (esc === 'x') bytes.push(value);
      else if (value > 0x10ffff) return undefined;
      else pushText(String.fromCodePoint(value));
      i += 2 + len;
    } else if (/[0-7]/.test(esc)) {
      const oct = body.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(oct)) return undefined;
      const value = parseInt(oct, 8);
      if (value > 0xff) return undefined;
      bytes.push(value);
      i += 4;
    } else {
      return undefined;
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}
