// Stale colima config folders from another install: ~/.colima,
// ~/.config/colima, $XDG_CONFIG_HOME/colima or $COLIMA_HOME. colima uses
// exactly one of them (colima-base-dir.ts, colima-cli §1); profiles and VMs in
// the others are invisible to `colima list`, and a global colima of another
// version may be using them.
import path from 'node:path';
import { shellCommand } from '../maintenance/shell-quote.js';
import { colimaProfilesIn, describeReason, hasContent, isDirectory, profileOfInstanceId, resolveColimaBaseDir } from './colima-base-dir.js';
import { finding, type DoctorCheck, type Finding } from './types.js';

export const colimaConfigCheck: DoctorCheck = {
  id: 'colima-config',
  category: 'colima-config',
  title: 'One colima config folder, without leftovers from another install',
  async run(deps) {
    const base = resolveColimaBaseDir(deps.env, deps.homeDir, deps.platform);
    const used = `colima uses ${base.dir} ${describeReason(base)}.`;
    const findings: Finding[] = [];

    if (base.ignoredColimaHome) {
      findings.push(
        finding(colimaConfigCheck, {
          id: 'colima-config.colima-home-missing',
          severity: 'warning',
          title: 'COLIMA_HOME names a folder that does not exist',
          explanation:
            `COLIMA_HOME is ${base.ignoredColimaHome}, but colima silently ignores it until the folder exists (colima-cli §14.10). ` +
            `${used} Create the folder, or unset COLIMA_HOME if it is left over.`,
          fix: shellCommand(['mkdir', '-p', base.ignoredColimaHome]),
        }),
      );
    }

    if (base.xdgWarning) {
      const target = path.join(deps.env.XDG_CONFIG_HOME ?? '', 'colima');
      findings.push(
        finding(colimaConfigCheck, {
          id: 'colima-config.xdg-ignored',
          severity: 'warning',
          title: '~/.colima hides $XDG_CONFIG_HOME/colima',
          explanation:
            `XDG_CONFIG_HOME is set, but ~/.colima exists, so colima ignores ${target} and prints ` +
            '"found ~/.colima, ignoring $XDG_CONFIG_HOME..." on every command. Move ~/.colima there (colima\'s own advice)' +
            (isDirectory(target) ? `, but ${target} exists already: move ~/.colima aside instead and keep it until you no longer need it.` : '.'),
          fix: isDirectory(target)
            ? shellCommand(['mv', path.join(deps.homeDir, '.colima'), path.join(deps.homeDir, '.colima.old')])
            : shellCommand(['mv', path.join(deps.homeDir, '.colima'), target]),
        }),
      );
    }

    // Every other folder colima could have used, that holds something.
    for (const dir of base.candidates) {
      if (dir === base.dir || dir === base.ignoredColimaHome || !hasContent(dir)) continue;
      if (base.xdgWarning && dir === path.join(deps.env.XDG_CONFIG_HOME ?? '', 'colima')) continue; // said above
      const { profiles, limaInstances } = colimaProfilesIn(dir);
      const vms = limaInstances.map(profileOfInstanceId);
      findings.push(
        finding(colimaConfigCheck, {
          id: `colima-config.stale.${dir}`,
          severity: 'warning',
          title: `A colima config folder that colima ignores: ${dir}`,
          explanation:
            `${used} ${dir} is left from another install or an older setup` +
            (profiles.length ? `; it holds the profiles ${profiles.join(', ')}` : '') +
            (vms.length ? ` and the VMs of ${vms.join(', ')}, which may still be running under the colima that made them (stop them with that colima first)` : '') +
            '. Nothing there shows up in `colima list`. Move it aside (nothing is deleted) once you no longer need it.',
          fix: shellCommand(['mv', dir, `${dir}.old`]),
        }),
      );
    }

    // Profiles in the folder colima does use that the app knows nothing about.
    const known = new Set([...(deps.appProfileNames?.() ?? []), ...((await deps.ledgerProfiles?.()) ?? [])]);
    const { profiles, limaInstances } = colimaProfilesIn(base.dir);
    const foreign = [...new Set([...profiles, ...limaInstances.map(profileOfInstanceId)])].filter((p) => !known.has(p));
    if (foreign.length > 0) {
      findings.push(
        finding(colimaConfigCheck, {
          id: 'colima-config.foreign-profiles',
          severity: 'info',
          title: `colima profiles the app did not create: ${foreign.join(', ')}`,
          explanation:
            `${used} It holds profiles that are not the app's, from another install or from colima used by hand. ` +
            'The app never stops or deletes them; they share the config folder and the disk with its instances.',
          fix: 'colima list',
        }),
      );
    }
    return findings;
  },
};
