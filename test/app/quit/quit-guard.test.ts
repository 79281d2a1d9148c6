// The app's controller once a quit has begun: every way to start something
// (or change profiles) answers BUSY "Quitting: …" until the exit, while stops
// and the teardown itself (Retry) still go through.
import { describe, expect, it } from 'vitest';
import { quittingMessage, refuseStartsWhileQuitting } from '../../../main/app/quit/quit-guard.js';
import type { QuitState } from '../../../main/app/quit/quit.js';
import { AppError, isAppError } from '../../../main/core/errors.js';
import type { Profile } from '../../../main/core/model.js';
import { FakeController, profile, snapshotOf } from '../../fixtures/fake-controller.js';

/** FakeController whose profile saves and deletes succeed and are recorded. */
class ProfileController extends FakeController {
  override saveProfile(input?: unknown): Profile {
    this.calls.push('saveProfile');
    return input as Profile;
  }
  override async deleteProfile(name?: string): Promise<void> {
    this.calls.push(`deleteProfile ${name ?? ''}`);
  }
}

async function busyMessage(run: () => unknown): Promise<string> {
  try {
    await run();
  } catch (e) {
    expect(isAppError(e, 'BUSY'), String(e)).toBe(true);
    return (e as AppError).message;
  }
  throw new Error('expected BUSY, but it went through');
}

describe('refuseStartsWhileQuitting', () => {
  it('passes everything through while the app runs', async () => {
    const inner = new ProfileController(snapshotOf());
    const guarded = refuseStartsWhileQuitting(inner, () => 'running');
    await guarded.start('k8s');
    await guarded.toggleActive();
    guarded.saveProfile(profile('new'));
    await guarded.deleteProfile('dev');
    expect(inner.calls).toEqual(['start k8s', 'toggleActive', 'saveProfile', 'deleteProfile dev']);
  });

  it.each(['tearing-down', 'awaiting-choice', 'finishing', 'exiting'] as const)('refuses starts, saves and deletes during "%s"', async (phase: QuitState) => {
    const inner = new ProfileController(snapshotOf({ instances: { k8s: { phase: 'stopped' } } }));
    const guarded = refuseStartsWhileQuitting(inner, () => phase);
    const messages = [
      await busyMessage(() => guarded.start('k8s')),
      await busyMessage(() => guarded.toggleActive()),
      await busyMessage(() => guarded.saveProfile(profile('new'))),
      await busyMessage(() => guarded.deleteProfile('dev')),
    ];
    for (const m of messages) expect(m).toBe(quittingMessage(phase));
    expect(inner.calls).toEqual([]);
  });

  it('stops, a toggle that stops, the teardown (Retry) and reads still work while quitting', async () => {
    const inner = new ProfileController(snapshotOf({ instances: { k8s: { phase: 'running' } } }));
    const guarded = refuseStartsWhileQuitting(inner, () => 'awaiting-choice');
    await guarded.stop('k8s');
    await guarded.toggleActive();
    await expect(guarded.teardownAll()).resolves.toEqual({ ok: true, remaining: [] });
    await guarded.refresh();
    guarded.setActiveProfile('dev');
    expect(guarded.snapshot().activeProfile).toBe('dev');
    expect(inner.calls).toEqual(['stop k8s', 'toggleActive', 'teardownAll', 'setActiveProfile dev']);
  });

  it('each message starts with "Quitting:" and says what to do', () => {
    expect(quittingMessage('tearing-down')).toMatch(/^Quitting: .*nothing new can start.*Open it again/);
    expect(quittingMessage('awaiting-choice')).toMatch(/^Quitting: .*quit window \(Retry or Quit anyway\)/);
    expect(quittingMessage('finishing')).toMatch(/^Quitting: .*open it again to start a cluster/);
  });
});
