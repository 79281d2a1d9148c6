// How a teardown step shows as the instance's phase (the tray shows phases,
// the quit window shows steps).
import type { InstancePhase, TeardownStep } from '../model.js';

export function phaseFromTeardownStep(step: TeardownStep): InstancePhase | undefined {
  switch (step) {
    case 'waiting':
      return undefined;
    case 'stopping':
    case 'force-stopping':
      return 'stopping';
    case 'deleting':
    case 'cleaning-kubeconfig':
      return 'deleting';
    case 'done':
      return 'gone';
    case 'failed':
      return 'error';
  }
}
