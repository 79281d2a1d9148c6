// Notifications: a failed start (with colima's last log lines) and a long start
// that finished; nothing for a quick start, nothing where the desktop has no
// notification service.
import { describe, expect, it } from 'vitest';
import { electronNotifier, MAX_HELD_NOTIFICATIONS, noticesForChange, notifyOnChanges } from '../../main/app/notifications.js';
import { createElectronFake, FakeNotification } from '../fixtures/electron-fake.js';
import { FakeController, snapshotOf } from '../fixtures/fake-controller.js';

const starting = snapshotOf({ instances: { dev: { phase: 'starting', stage: 'creating and starting ... (vm)' } } });

describe('notifications', () => {
  it('a failed start names the profile, the error and the last three log lines', () => {
    const startedAt = new Map([['dev', 0]]);
    const failed = snapshotOf({
      instances: {
        dev: { phase: 'error', error: { message: 'colima start failed (exit 1).', logTail: ['one', 'two', 'three', 'level=fatal msg="error starting vm"'] } },
      },
    });
    expect(noticesForChange(starting, failed, startedAt, 5_000)).toEqual([
      // failedProfile: the tray makes a click open that start's log.
      { title: 'dev failed to start', body: 'colima start failed (exit 1).\ntwo\nthree\nlevel=fatal msg="error starting vm"', failedProfile: 'dev' },
    ]);
    expect(startedAt.has('dev')).toBe(false);
  });

  it('a start longer than 30 s says when it is ready; a quick one says nothing', () => {
    const running = snapshotOf({ instances: { dev: { phase: 'running' } } });
    expect(noticesForChange(starting, running, new Map([['dev', 0]]), 72_000)).toEqual([
      { title: 'dev is ready', body: 'Kubernetes is up after 1 min 12 s.' },
    ]);
    expect(noticesForChange(starting, running, new Map([['dev', 0]]), 12_000)).toEqual([]);
  });

  it('follows a controller: start time is taken when the phase becomes starting', () => {
    const controller = new FakeController(snapshotOf());
    const shown: string[] = [];
    let now = 1_000;
    notifyOnChanges(controller, { notify: (n) => shown.push(`${n.title}: ${n.body}`) }, () => now);
    controller.publish(starting);
    now += 40_000;
    controller.publish(snapshotOf({ instances: { dev: { phase: 'running' } } }));
    controller.publish(snapshotOf({ instances: { dev: { phase: 'running' } } }));
    expect(shown).toEqual(['dev is ready: Kubernetes is up after 40 s.']);
  });

  it('shows through Electron when supported; a click runs the given action', () => {
    const electron = createElectronFake();
    let clicked = 0;
    const notifier = electronNotifier(electron.Notification, () => clicked++);
    notifier.notify({ title: 't', body: 'b' });
    expect(FakeNotification.shown.map((n) => [n.title, n.body])).toEqual([['t', 'b']]);
    FakeNotification.shown[0]!.emit('click');
    expect(clicked).toBe(1);
    let opened = 0;
    notifier.notify({ title: 'failed', body: 'b', onClick: () => opened++ });
    FakeNotification.shown[1]!.emit('click');
    expect([clicked, opened]).toEqual([1, 1]); // a notice's own action replaces the default one
    FakeNotification.supported = false;
    notifier.notify({ title: 'x', body: 'y' });
    expect(FakeNotification.shown).toHaveLength(2);
  });

  it('keeps each notification referenced until it is clicked, closed or failed, so its click still works later', () => {
    // Electron drops an unreferenced Notification with its handlers (electron/electron#16922).
    const electron = createElectronFake();
    let clicked = 0;
    const notifier = electronNotifier(electron.Notification, () => clicked++);
    for (const title of ['a', 'b', 'c']) notifier.notify({ title, body: '' });
    expect(notifier.heldCount()).toBe(3);
    const [a, b, c] = FakeNotification.shown;
    b!.emit('close', {});
    expect(notifier.heldCount()).toBe(2);
    a!.emit('click', {});
    expect([clicked, notifier.heldCount()]).toEqual([1, 1]);
    c!.emit('failed', {}, 'Toast could not be shown');
    expect(notifier.heldCount()).toBe(0);
  });

  it('keeps at most MAX_HELD_NOTIFICATIONS (macOS does not always say when one is closed)', () => {
    const electron = createElectronFake();
    const notifier = electronNotifier(electron.Notification);
    for (let i = 0; i < MAX_HELD_NOTIFICATIONS + 5; i++) notifier.notify({ title: `n${i}`, body: '' });
    expect(notifier.heldCount()).toBe(MAX_HELD_NOTIFICATIONS);
  });
});
