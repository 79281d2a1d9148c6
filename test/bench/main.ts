// `npm run bench`: every section from one run, printed as a table.
// Each section is a module exporting `run(report)`; add yours to SECTIONS.
export interface BenchReport {
  /** Records one measured figure, e.g. ('nix', 'cached env, median', 2.1, 'ms'). */
  figure(section: string, name: string, value: number, unit: string): void;
  note(section: string, text: string): void;
}

type Section = { readonly name: string; readonly load: () => Promise<{ run(report: BenchReport): Promise<void> }> };

const SECTIONS: Section[] = [
  { name: 'nix environment', load: () => import('./nix-env.bench.js') },
  { name: 'teardown', load: () => import('./teardown.bench.js') },
  { name: 'tray app', load: () => import('./app.bench.js') },
];

async function main(): Promise<void> {
  const rows: string[] = [];
  const report: BenchReport = {
    figure: (s, n, v, u) => rows.push(`${s.padEnd(18)} ${n.padEnd(52)} ${v.toFixed(2).padStart(10)} ${u}`),
    note: (s, t) => rows.push(`${s.padEnd(18)} ${t}`),
  };
  for (const s of SECTIONS) {
    process.stderr.write(`bench: ${s.name} ...\n`);
    await (await s.load()).run(report);
  }
  console.log(rows.join('\n'));
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
