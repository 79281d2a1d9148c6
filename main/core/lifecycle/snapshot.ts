// Builds one frozen AppSnapshot from the current sources. A settings file or
// ledger that cannot be read must not blank the UI: the previous values stay.
import { userMessage } from '../errors.js';
import type { Ledger } from '../ledger/ledger.js';
import type { Logger } from '../log.js';
import type { AppSnapshot, EnvironmentStatus, TeardownProgress } from '../model.js';
import type { ProfileStore } from '../profiles/store.js';
import type { InstanceTable } from './instances.js';

export interface SnapshotSources {
  readonly store: ProfileStore;
  readonly ledger: Ledger;
  readonly instances: InstanceTable;
  readonly environment?: { status(): EnvironmentStatus };
  readonly teardown?: TeardownProgress;
  readonly logger: Logger;
}

export function buildSnapshot(src: SnapshotSources, previous?: AppSnapshot): AppSnapshot {
  let profiles = previous?.profiles ?? [];
  let activeProfile = previous?.activeProfile ?? '';
  try {
    profiles = src.store.list();
    activeProfile = src.store.activeProfile();
  } catch (e) {
    src.logger.log('error', userMessage(e));
  }
  let ledgerNames = new Set(Object.values(previous?.instances ?? {}).filter((i) => i.startedByApp).map((i) => i.profile));
  try {
    ledgerNames = new Set(src.ledger.list().map((e) => e.profile));
  } catch (e) {
    src.logger.log('error', userMessage(e));
  }
  return Object.freeze({
    profiles,
    activeProfile,
    instances: src.instances.record([...profiles.map((p) => p.name), ...ledgerNames], (p) => ledgerNames.has(p)),
    environment: Object.freeze({ ...(src.environment?.status() ?? { kind: 'unresolved' as const }) }),
    ...(src.teardown ? { teardown: src.teardown } : {}),
    host: Object.freeze({ cpus: src.store.host.cpus, memoryGiB: src.store.host.memoryGiB }),
  });
}
