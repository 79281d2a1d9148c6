// POSIX shell quoting, for the two places a path must become shell text: the
// script Terminal.app runs (open-terminal.ts) and the fix commands the doctor
// prints for a person to copy. Nothing the app itself executes is ever built
// from this: the app spawns argv arrays (run.ts).

// No '=' (a first word a=b would be an assignment), no '~' (tilde expansion).
const SAFE = /^[A-Za-z0-9_@%+:,./-]+$/;

/** One word for sh/bash/zsh: unchanged when plainly safe, else single-quoted (`'` → `'\''`). */
export function shellQuote(word: string): string {
  if (word !== '' && SAFE.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** An argv as one line of shell text, every word quoted as needed. */
export function shellCommand(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}
