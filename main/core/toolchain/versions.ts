// The versions of colima, lima and kubectl a nixpkgs source provides, read by
// evaluating three attributes (no build). The expression is constant; the
// source's store path comes in with --argstr, never spliced into nix text.
import { nullLogger } from '../log.js';
import type { NixCallOptions } from '../nix/gc-roots.js';
import { runNix, tail } from '../nix/run-nix.js';

export const TOOLS = ['colima', 'lima', 'kubectl'] as const;
export type ToolVersions = Readonly<Record<(typeof TOOLS)[number], string | undefined>>;

const VERSIONS_EXPR =
  '{ src }: let p = import src { config = { }; overlays = [ ]; }; ' +
  'v = n: if p ? ${n} then (p.${n}.version or null) else null; ' +
  'in { colima = v "colima"; lima = v "lima"; kubectl = v "kubectl"; }';

/** Versions in the nixpkgs at `source` (a store path); each undefined when it cannot be read. */
export async function toolVersions(source: string, o: NixCallOptions): Promise<ToolVersions> {
  const r = await runNix(o.nix.nixInstantiate, ['--eval', '--strict', '--json', '--expr', VERSIONS_EXPR, '--argstr', 'src', source], {
    env: o.env,
    timeoutMs: o.timeoutMs,
    signal: o.signal,
    logger: o.logger ?? nullLogger,
  });
  const none: ToolVersions = { colima: undefined, lima: undefined, kubectl: undefined };
  if (r.exitCode !== 0) {
    (o.logger ?? nullLogger).log('warn', `reading tool versions from ${source} failed: ${tail(r.stderr).at(-1) ?? ''}`);
    return none;
  }
  try {
    const parsed = JSON.parse(r.stdout) as Record<string, unknown>;
    const pick = (k: string): string | undefined => (typeof parsed[k] === 'string' && parsed[k] !== '' ? (parsed[k] as string) : undefined);
    return { colima: pick('colima'), lima: pick('lima'), kubectl: pick('kubectl') };
  } catch {
    return none;
  }
}
