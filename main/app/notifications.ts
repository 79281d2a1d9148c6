// Desktop notifications for what happens while the user looks elsewhere: a
// start that failed (with colima's last log lines) and a long start that
// finished. Decided by a pure function of two snapshots; shown through a tiny
// port so tests need no Electron.
import type { Notification as ElectronNotification, NotificationConstructorOptions } from 'electron';
import type { AppSnapshot } from '../core/model.js';

export interface Notice {
  readonly title: string;
  readonly body: string;
  /** Set on a failure notice: the profile whose operation failed (its log can be opened). */
  readonly failedProfile?: string;
  /** What a click does instead of the notifier's default action (e.g. open the operation's log). */
  readonly onClick?: () => void;
}

export interface Notifier {
  notify(notice: Notice): void;
}

export interface NotificationLike extends Pick<ElectronNotification, 'show'> {
  on(event: 'click', listener: () => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  /** Windows and macOS: the notification could not be shown. */
  on(event: 'failed', listener: () => void): unknown;
}

export type NotificationClass = {
  new (options: NotificationConstructorOptions): NotificationLike;
  isSupported(): boolean;
};

export interface ElectronNotifier extends Notifier {
  /** How many shown notifications are still kept (until clicked, closed or failed). */
  heldCount(): number;
}

/**
 * At most this many notifications are kept alive; older ones are let go. macOS
 * does not always emit 'close', so without a bound the set would only grow.
 */
export const MAX_HELD_NOTIFICATIONS = 50;

/** Electron's Notification; does nothing where the desktop has no notification service. */
export function electronNotifier(Notification: NotificationClass, onClick?: () => void): ElectronNotifier {
  // A Notification nobody references is garbage-collected with its click handler, so a
  // later click does nothing (electron/electron#16922): keep each one until it is done.
  const held = new Set<NotificationLike>();
  return {
    notify({ title, body, onClick: ownClick }) {
      if (!Notification.isSupported()) return;
      const n = new Notification({ title, body, silent: false });
      const release = (): void => void held.delete(n);
      const click = ownClick ?? onClick;
      n.on('click', () => {
        release();
        click?.();
      });
      n.on('close', release);
      n.on('failed', release);
      held.add(n);
      if (held.size > MAX_HELD_NOTIFICATIONS) held.delete(held.values().next().value as NotificationLike);
      n.show();
    },
    heldCount: () => held.size,
  };
}

/** How long a start must take before its end is worth a notification. */
export const LONG_START_MS = 30_000;

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/**
 * The notices for the change from `previous` to `next`. `startedAt` remembers
 * when each instance entered `starting` (updated here).
 */
export function noticesForChange(
  previous: AppSnapshot,
  next: AppSnapshot,
  startedAt: Map<string, number>,
  now: number,
  longStartMs = LONG_START_MS,
): Notice[] {
  const notices: Notice[] = [];
  for (const [name, instance] of Object.entries(next.instances)) {
    const before = previous.instances[name]?.phase;
    if (instance.phase === before) continue;
    if (instance.phase === 'starting') {
      startedAt.set(name, now);
      continue;
    }
    const began = startedAt.get(name);
    if (before === 'starting') startedAt.delete(name);
    if (instance.phase === 'error') {
      const tail = instance.error?.logTail.slice(-3) ?? [];
      notices.push({
        title: before === 'starting' ? `${name} failed to start` : `${name} failed`,
        body: [instance.error?.message ?? 'Unknown error.', ...tail].join('\n'),
        failedProfile: name,
      });
    } else if (instance.phase === 'running' && before === 'starting' && began !== undefined && now - began >= longStartMs) {
      notices.push({ title: `${name} is ready`, body: `Kubernetes is up after ${formatDuration(now - began)}.` });
    }
  }
  return notices;
}

export interface SnapshotFeed {
  snapshot(): AppSnapshot;
  subscribe(listener: (snapshot: AppSnapshot) => void): () => void;
}

/** Notifies on every relevant change; returns the unsubscribe function. */
export function notifyOnChanges(feed: SnapshotFeed, notifier: Notifier, now: () => number = Date.now, longStartMs = LONG_START_MS): () => void {
  let previous = feed.snapshot();
  const startedAt = new Map<string, number>();
  for (const [name, i] of Object.entries(previous.instances)) if (i.phase === 'starting') startedAt.set(name, now());
  return feed.subscribe((next) => {
    for (const notice of noticesForChange(previous, next, startedAt, now(), longStartMs)) notifier.notify(notice);
    previous = next;
  });
}
