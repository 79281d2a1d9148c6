// `colima-k8s verify [NAME]`, and the cluster glance `status` prints: both on
// the core's cluster module (core/cluster/), through the app's kubectl.
import { glanceItems } from '../core/cluster/describe.js';
import { clusterGlance, type ClusterGlance } from '../core/cluster/glance.js';
import { verifyCluster } from '../core/cluster/verify.js';
import type { AppSnapshot } from '../core/model.js';
import type { CoreServices } from '../core/services.js';
import type { Command } from './args.js';
import { EXIT_FAILED, requireKnownProfile } from './input.js';
import { watchInterrupt } from './interrupt.js';
import type { CliIo } from './io.js';
import { oneLine } from './output.js';

type VerifyCommand = Extract<Command, { kind: 'verify' }>;

export async function runClusterCommand(command: VerifyCommand, services: CoreServices, io: CliIo): Promise<number> {
  const { store, ledger, kubectl, logger } = services;
  const name = command.name ?? store.activeProfile();
  requireKnownProfile(services, name, { recorded: true });
  const interrupt = watchInterrupt(io, () => io.stderr(`interrupted: cancelling the check of ${name} (its pod is deleted)\n`));
  io.stderr(`Verifying ${name}: running a short-lived pod (${command.image ?? 'busybox'}) ...\n`);
  try {
    const result = await verifyCluster({
      profile: name,
      kubectl,
      // Only a cluster the app started: a pod is never put on someone else's.
      isOwned: (profile) => ledger.get(profile) !== undefined,
      ...(command.image !== undefined ? { image: command.image } : {}),
      ...(command.timeoutSeconds !== undefined ? { limitMs: command.timeoutSeconds * 1000 } : {}),
      signal: interrupt.signal,
      logger,
    });
    if (result.ok) {
      io.stdout(`${name}: the cluster works: ${oneLine(result.message)}\n`);
      return 0;
    }
    io.stderr(`colima-k8s: ${name}: the check failed (${result.reason}): ${oneLine(result.message)}\n`);
    if (!result.cleanedUp && result.cleanupError) io.stderr(`colima-k8s: warning: its pod ${result.podName} could not be deleted: ${oneLine(result.cleanupError)}\n`);
    return result.reason === 'cancelled' ? 130 : EXIT_FAILED;
  } finally {
    interrupt.dispose();
  }
}

/** The glance of every running instance of the snapshot, by profile: one `colima list` for all, then ≤ 2 kubectl calls each. */
export async function runningGlances(snapshot: AppSnapshot, services: CoreServices, signal: AbortSignal): Promise<Map<string, ClusterGlance>> {
  const running = Object.values(snapshot.instances).filter((i) => i.phase === 'running');
  if (running.length === 0) return new Map();
  const { colima, kubectl, logger } = services;
  const listing = await colima.list({ signal, logger });
  const glances = await Promise.all(
    running.map((i) => clusterGlance({ profile: i.profile, colima, kubectl, instance: listing.find((l) => l.name === i.profile) ?? null, signal, logger })),
  );
  return new Map(glances.map((g) => [g.profile, g]));
}

/** One line per running cluster, under the status table. */
export function formatGlances(glances: ReadonlyMap<string, ClusterGlance>): string {
  return [...glances.values()]
    .sort((a, b) => a.profile.localeCompare(b.profile))
    .map((g) => `${oneLine(g.profile)}: ${glanceItems(g).map(oneLine).join(' · ')}\n`)
    .join('');
}
