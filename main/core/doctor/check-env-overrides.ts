// Environment variables that redirect colima, docker or kubectl away from what
// the app set up (colima-cli §10). The app inherits them (and so does every
// command it runs in the nix environment), and so does the user's terminal.
import path from 'node:path';
import { finding, type DoctorCheck, type DoctorDeps, type Finding } from './types.js';

export const envOverridesCheck: DoctorCheck = {
  id: 'env-overrides',
  category: 'environment',
  title: 'No DOCKER_HOST, KUBECONFIG or COLIMA_PROFILE override redirects the tools',
  async run(deps) {
    const env = deps.env;
    const findings: Finding[] = [];
    const usesDocker = deps.activeProfile?.()?.runtime === 'docker';
    const unsetFix = (name: string): string => (deps.platform === 'darwin' ? `unset ${name}; launchctl unsetenv ${name}` : `unset ${name}`);
    const rcNote = (name: string): string =>
      ` Remove it from your shell startup file (~/.zshrc, ~/.bashrc, ~/.profile) too` +
      (deps.platform === 'darwin' ? `; the second command clears it for apps started from the Dock or at login.` : '.') +
      ` (${name} is set to "${env[name]}".)`;

    if (env.COLIMA_PROFILE) {
      findings.push(
        finding(envOverridesCheck, {
          id: 'env-overrides.COLIMA_PROFILE',
          // The app strips it from every command it runs (nix/nix-tool-runner.ts), so only terminals are affected.
          severity: 'info',
          title: 'COLIMA_PROFILE is set',
          explanation:
            'colima uses it as the default profile and silently filters `colima list` to it (colima-cli §1, §6, §14.5). ' +
            'The app removes it from the commands it runs, but in a terminal `colima list` shows only that profile ' +
            'and `colima stop` without --profile acts on it.' +
            rcNote('COLIMA_PROFILE'),
          fix: unsetFix('COLIMA_PROFILE'),
        }),
      );
    }

    for (const name of ['DOCKER_HOST', 'DOCKER_CONTEXT'] as const) {
      if (!env[name]) continue;
      findings.push(
        finding(envOverridesCheck, {
          id: `env-overrides.${name}`,
          severity: usesDocker ? 'warning' : 'info',
          title: `${name} is set`,
          explanation:
            `The docker CLI sends every command to ${name} instead of the docker context colima creates; colima itself does not read it ` +
            `(colima-cli §10). ` +
            (usesDocker
              ? 'The active profile uses the docker runtime, so `docker` will not reach its VM.'
              : "The active profile uses containerd, where the environment's `docker` runs `colima nerdctl`, so only other docker CLIs are affected.") +
            rcNote(name),
          fix: unsetFix(name),
        }),
      );
    }

    if (env.KUBECONFIG) findings.push(kubeconfigFinding(deps, env.KUBECONFIG, unsetFix('KUBECONFIG'), rcNote('KUBECONFIG')));

    if (env.LIMA_HOME) {
      findings.push(
        finding(envOverridesCheck, {
          id: 'env-overrides.LIMA_HOME',
          severity: 'info',
          title: 'LIMA_HOME is set',
          explanation:
            `colima keeps its VMs in ${env.LIMA_HOME} instead of <colima config>/_lima (colima-cli §1, §10). ` +
            'Instances made with and without it do not see each other.' +
            rcNote('LIMA_HOME'),
          fix: unsetFix('LIMA_HOME'),
        }),
      );
    }
    return findings;
  },
};

function kubeconfigFinding(deps: DoctorDeps, value: string, fix: string, rcNote: string): Finding {
  const paths = value.split(path.delimiter).filter(Boolean);
  const first = paths[0] ?? value;
  const several = paths.length > 1;
  return finding(envOverridesCheck, {
    id: 'env-overrides.KUBECONFIG',
    severity: several ? 'warning' : 'info',
    title: several ? `KUBECONFIG lists ${paths.length} files` : 'KUBECONFIG is set',
    explanation:
      `colima merges each instance's cluster, user and context into the first KUBECONFIG file, ${first}, instead of ` +
      `${path.join(deps.homeDir, '.kube', 'config')} (colima-cli §7, abiosoft/colima#1627)` +
      (several ? ', while kubectl reads all of them and takes current-context from the first that sets one' : '') +
      '. The kube context switches the app makes go through kubectl and follow the same KUBECONFIG.' +
      rcNote,
    fix,
  });
}
