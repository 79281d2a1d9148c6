// GC roots are touched on use: each time a cached environment is used, the
// mtime of its root links is renewed, so cleaners that drop old roots by age
// leave an environment in use alone.
import { lstatSync, mkdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveNixEnvironment } from '../../../main/core/nix/environment.js';
import { listRootLinks, touchRootLinks } from '../../../main/core/nix/gc-roots.js';
import { baseEnv, hermeticShell, realNix, tempDirs } from '../../fixtures/nix/harness.js';

const tmp = tempDirs();
afterEach(() => tmp.cleanup());

const LONG_AGO = new Date('2001-01-01T00:00:00Z');

/** What a root looks like to an age-based cleaner after a long time unused. */
function ageLinks(rootsDir: string): void {
  touchRootLinks(rootsDir, LONG_AGO);
}

describe('GC roots touched on use', () => {
  it('renews the root links of a cached environment each time it is used', async () => {
    const dir = tmp.make('touch');
    const shellNix = hermeticShell(dir, { unique: true });
    const options = { shellNix, cacheDir: path.join(dir, 'cache'), nix: await realNix(), baseEnv: baseEnv() };
    const first = await resolveNixEnvironment(options);
    first.release();
    const links = listRootLinks(first.rootsDir);
    expect(links.length).toBeGreaterThanOrEqual(2);

    ageLinks(first.rootsDir);
    expect(listRootLinks(first.rootsDir).every((l) => lstatSync(l.link).mtime.getTime() === LONG_AGO.getTime())).toBe(true);

    const again = await resolveNixEnvironment(options);
    expect(again.fromCache).toBe(true);
    for (const { link } of listRootLinks(again.rootsDir)) expect(lstatSync(link).mtime.getTime()).toBeGreaterThan(LONG_AGO.getTime());
    again.release();
  });

  it('touchRootLinks sets the given time on the links, not on what they point at; a missing folder is no error', () => {
    const dir = tmp.make('touch');
    const target = path.join(dir, 'target');
    writeFileSync(target, '');
    utimesSync(target, LONG_AGO, LONG_AGO);
    mkdirSync(path.join(dir, 'roots'));
    symlinkSync(target, path.join(dir, 'roots', 'path'));
    const when = new Date('2020-02-02T00:00:00Z');
    touchRootLinks(path.join(dir, 'roots'), when);
    expect(lstatSync(path.join(dir, 'roots', 'path')).mtime.getTime()).toBe(when.getTime());
    expect(lstatSync(target).mtime.getTime()).toBe(LONG_AGO.getTime());
    expect(() => touchRootLinks(path.join(dir, 'missing'))).not.toThrow();
  });
});
