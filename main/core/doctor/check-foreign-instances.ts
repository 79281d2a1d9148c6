// colima instances running that the app did not start. The app only ever
// tears down what its ledger lists, so these keep running after quit and hold
// CPU, memory and disk that the app's own profiles compete for (peers.md §3:
// PD stops only what it started; our ledger is the same promise).
import { shellCommand } from '../maintenance/shell-quote.js';
import { finding, skip, type DoctorCheck, type Finding } from './types.js';

export const foreignInstancesCheck: DoctorCheck = {
  id: 'foreign-instances',
  category: 'instances',
  title: 'No colima instance runs that the app did not start',
  async run(deps) {
    if (!deps.listInstances) return skip('the colima instance list is not available here');
    if (!deps.ledgerProfiles) return skip('the ledger of app-started instances is not available here');
    const [instances, ledger] = await Promise.all([deps.listInstances(), deps.ledgerProfiles()]);
    const started = new Set(ledger);
    const findings: Finding[] = [];
    for (const instance of instances) {
      if (instance.status !== 'Running' || started.has(instance.name)) continue;
      const size = [
        instance.cpus ? `${instance.cpus} CPUs` : '',
        instance.memoryBytes ? `${+(instance.memoryBytes / 2 ** 30).toFixed(1)} GiB memory` : '',
      ].filter(Boolean);
      findings.push(
        finding(foreignInstancesCheck, {
          id: `foreign-instances.${instance.name}`,
          severity: 'warning',
          title: `colima profile "${instance.name}" is running, but the app did not start it`,
          explanation:
            `It was started outside the app (by hand, by another tool, or before the app existed)${size.length ? ` and uses ${size.join(' and ')}` : ''}. ` +
            'The app leaves it alone: quitting will not stop or delete it. Stop it yourself if you do not need it.',
          fix: shellCommand(['colima', 'stop', '--profile', instance.name]),
        }),
      );
    }
    return findings;
  },
};
