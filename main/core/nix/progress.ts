// Reads nix's own progress from the stderr of nix-instantiate / nix-store
// --realise / nix-shell while an environment is evaluated and built, and turns
// it into one short line with a fraction when nix announced the totals:
//   "fetching 3/12 paths, 120/512 MiB — copying colima-0.9.1"
// The default (plain) log format of nix 2.8 is what the app runs with; lines
// of `--log-format internal-json` (`@nix {…}`) are understood too, and give
// exact byte counts (activity 101 = file transfer, 103 = copy paths; result
// 105 = progress [done, expected, running, failed], 106 = set expected).
import type { EnvironmentProgress } from '../model.js';

const MIB = 1024 * 1024;
const ACT_FILE_TRANSFER = 101;
const ACT_COPY_PATHS = 103;
const ACT_BUILDS = 104;
const RES_PROGRESS = 105;
const RES_SET_EXPECTED = 106;

/** `/nix/store/<hash>-colima-0.9.1.drv` → `colima-0.9.1`. */
export function storeName(p: string): string {
  const base = p.split('/').filter(Boolean).at(-1) ?? p;
  return base.replace(/^[0-9a-z]{32}-/, '').replace(/\.drv$/, '');
}

/** `https://github.com/NixOS/nixpkgs/archive/abc.tar.gz` → `abc.tar.gz from github.com`. */
function urlLabel(url: string): string {
  try {
    const u = new URL(url);
    const last = u.pathname.split('/').filter(Boolean).at(-1);
    return last ? `${last} from ${u.host}` : u.host;
  } catch {
    return url;
  }
}

function mib(n: number): string {
  return n >= 10 ? String(Math.round(n)) : n.toFixed(1).replace(/\.0$/, '');
}

/**
 * Feeds on stderr lines (line()), calls `onProgress` each time what it would
 * show changes. One parser per environment resolution: the totals carry over
 * from the realise call to the nix-shell call.
 */
export class NixProgressParser {
  #pathsTotal: number | undefined;
  #pathsStarted = 0;
  #pathsDoneExact: number | undefined;
  #downloadMiB: number | undefined;
  #doneBytes = new Map<number, number>();
  #drvsTotal: number | undefined;
  #drvsStarted = 0;
  #current = '';
  #kind: 'fetching' | 'building' | 'other' | undefined;
  #activityType = new Map<number, number>();
  #last = '';

  constructor(private readonly onProgress: (progress: EnvironmentProgress) => void) {}

  /** One line of a nix tool's stderr (plain or internal-json). */
  line(raw: string): void {
    const line = raw.trimEnd();
    if (line.startsWith('@nix ')) this.#json(line.slice(5));
    else this.#plain(line);
    this.#emit();
  }

  /** What it shows now (undefined before nix announced anything). */
  current(): EnvironmentProgress | undefined {
    if (this.#kind === undefined) return undefined;
    let text: string;
    let fraction: number | undefined;
    if (this.#kind === 'fetching') {
      const total = this.#pathsTotal;
      const done = this.#pathsDoneExact ?? Math.max(0, this.#pathsStarted - 1);
      const bytes = [...this.#doneBytes.values()].reduce((a, b) => a + b, 0) / MIB;
      const size = this.#downloadMiB === undefined ? '' : bytes > 0 ? `, ${mib(Math.min(bytes, this.#downloadMiB))}/${mib(this.#downloadMiB)} MiB` : ` (${mib(this.#downloadMiB)} MiB download)`;
      text = total === undefined ? `fetching ${this.#pathsStarted} path${this.#pathsStarted === 1 ? '' : 's'}` : `fetching ${Math.min(done, total)}/${total} paths${size}`;
      if (this.#downloadMiB && bytes > 0) fraction = Math.min(1, bytes / this.#downloadMiB);
      else if (total) fraction = Math.min(1, done / total);
    } else if (this.#kind === 'building') {
      const total = this.#drvsTotal;
      const done = Math.max(0, this.#drvsStarted - 1);
      text = total === undefined ? 'building' : `building ${Math.min(done, total)}/${total} derivations`;
      if (total) fraction = Math.min(1, done / total);
    } else text = this.#current;
    if (this.#kind !== 'other' && this.#current) text += ` — ${this.#current}`;
    return Object.freeze({ text, ...(fraction !== undefined ? { fraction } : {}) });
  }

  #plain(line: string): void {
    let m: RegExpMatchArray | null;
    if ((m = line.match(/^(?:these (\d+) paths|this path) will be fetched \(([\d.]+) MiB download, ([\d.]+) MiB unpacked\)/))) {
      this.#pathsTotal = (this.#pathsTotal ?? 0) + Number(m[1] ?? 1);
      this.#downloadMiB = (this.#downloadMiB ?? 0) + Number(m[2]);
      this.#kind = 'fetching';
    } else if ((m = line.match(/^(?:these (\d+) derivations|this derivation) will be built:/))) {
      this.#drvsTotal = (this.#drvsTotal ?? 0) + Number(m[1] ?? 1);
      this.#kind ??= 'building';
    } else if ((m = line.match(/^copying path '([^']+)'(?: from '[^']*')?/))) {
      this.#pathsStarted++;
      this.#kind = 'fetching';
      this.#current = `copying ${storeName(m[1]!)}`;
    } else if ((m = line.match(/^building '([^']+)'/))) {
      this.#drvsStarted++;
      this.#kind = 'building';
      this.#current = `building ${storeName(m[1]!)}`;
    } else if (this.#kind === 'fetching' || this.#kind === 'building') {
      // A path's own download (a .nar) says less than the "copying …" it belongs to.
    } else if ((m = line.match(/^downloading '([^']+)'/))) {
      this.#kind = 'other';
      this.#current = `downloading ${urlLabel(m[1]!)}`;
    } else if ((m = line.match(/^unpacking '([^']+)'/)) || /^unpacking\b/.test(line)) {
      this.#kind = 'other';
      this.#current = m ? `unpacking ${urlLabel(m[1]!)}` : 'unpacking';
    }
  }

  #json(body: string): void {
    let e: { action?: string; id?: number; type?: number; text?: string; msg?: string; fields?: unknown[] };
    try {
      e = JSON.parse(body) as typeof e;
    } catch {
      return;
    }
    if (e.action === 'msg' && typeof e.msg === 'string') return this.#plain(e.msg);
    if (e.action === 'start' && typeof e.id === 'number') {
      if (typeof e.type === 'number') this.#activityType.set(e.id, e.type);
      if (e.text) this.#plain(e.text);
      return;
    }
    if (e.action !== 'result' || typeof e.id !== 'number' || !Array.isArray(e.fields)) return;
    const activity = this.#activityType.get(e.id);
    const [a, b] = e.fields;
    if (e.type === RES_PROGRESS && typeof a === 'number' && typeof b === 'number') {
      if (activity === ACT_COPY_PATHS && b > 0) {
        this.#pathsDoneExact = a;
        this.#pathsTotal = Math.max(this.#pathsTotal ?? 0, b);
        this.#kind = 'fetching';
      } else if (activity === ACT_FILE_TRANSFER) this.#doneBytes.set(e.id, a);
      else if (activity === ACT_BUILDS && b > 0) this.#drvsTotal = Math.max(this.#drvsTotal ?? 0, b);
    } else if (e.type === RES_SET_EXPECTED && a === ACT_FILE_TRANSFER && typeof b === 'number' && b > 0) {
      this.#downloadMiB = Math.max(this.#downloadMiB ?? 0, b / MIB);
    }
  }

  #emit(): void {
    const p = this.current();
    if (!p) return;
    const key = `${p.text}|${p.fraction ?? ''}`;
    if (key === this.#last) return;
    this.#last = key;
    this.onProgress(p);
  }
}

/** The one line a person reads: "Preparing the nix environment: fetching 3/12 paths, … (25%)". */
export function progressLine(p: EnvironmentProgress | undefined): string {
  if (!p) return 'Preparing the nix environment';
  return `Preparing the nix environment: ${p.text}`;
}
