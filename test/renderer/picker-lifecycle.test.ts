// Activate, start/stop and delete in the built picker window: buttons follow the
// states main pushes (the stub pushes them here), deleting a profile with a VM
// needs its name typed, and edits to a running profile offer "Restart now".
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { closeWithoutProblems, instance, sampleState, useChromium } from './picker-harness.js';
import type { PickerPage } from './picker-harness.js';


/** Which of the header's buttons are enabled, by label. */
async function enabled(page: Page): Promise<Record<string, boolean>> {
  return page.evaluate(() => Object.fromEntries(['set-active', 'start', 'stop', 'delete'].map((id) => [id, !(document.getElementById(id) as HTMLButtonElement).disabled])));
}
/** The header's state line: the phase, then " · Active profile" while its badge shows. */
const phaseText = (page: Page) =>
  page.evaluate(() => [document.getElementById('editor-phase')!.textContent, ...(document.getElementById('editor-active')!.hidden ? [] : ['Active profile'])].join(' · '));
const listStatus = (page: Page, name: string) => page.locator(`#profile-list [data-profile="${name}"] .profile-status`).textContent();

describe('picker window: lifecycle (real Chromium)', () => {
  const open = useChromium();
  let picker: PickerPage;
  const done = (): Promise<void> => closeWithoutProblems(picker);

  it('makes a profile active', async () => {
    picker = await open(sampleState());
    const { page } = picker;
    await page.locator('#profile-list .profile-item', { hasText: 'light' }).click();
    expect(await page.getByRole('button', { name: 'Make active' }).isEnabled()).toBe(true);
    await page.getByRole('button', { name: 'Make active' }).click();
    await expect.poll(() => picker.callsOf('setActiveProfile')).toEqual([{ action: 'setActiveProfile', args: ['light'] }]);
    await expect.poll(() => page.locator('#profile-list [data-profile="light"] .badge').textContent()).toBe('Active');
    expect(await page.locator('#profile-list [data-profile="k8s"] .badge').count()).toBe(0);
    expect(await page.locator('#set-active').isVisible()).toBe(false);
    expect(await page.locator('#editor-active').textContent()).toBe('Active profile');
    expect(await phaseText(page)).toBe('Not created · Active profile');
    await done();
  });

  it('enables start and stop from the pushed state: none → starting → running → stopping → stopped → error', async () => {
    picker = await open(sampleState());
    const { page } = picker;
    expect(await phaseText(page)).toBe('Not created · Active profile');
    expect(await enabled(page)).toEqual({ 'set-active': false, start: true, stop: false, delete: true });

    await page.getByRole('button', { name: 'Start' }).click();
    await expect.poll(() => picker.callsOf('startProfile')).toEqual([{ action: 'startProfile', args: ['k8s'] }]);

    await picker.setInstance('k8s', instance('k8s', 'starting', { stage: 'provisioning ... (kubernetes)' }));
    await expect.poll(() => phaseText(page)).toBe('Starting… · Active profile');
    expect(await page.locator('#lifecycle-hint').textContent()).toBe('provisioning ... (kubernetes)');
    expect(await listStatus(page, 'k8s')).toBe('Starting…');
    expect(await enabled(page)).toEqual({ 'set-active': false, start: false, stop: true, delete: true });

    await picker.setInstance('k8s', instance('k8s', 'running'));
    await expect.poll(() => phaseText(page)).toBe('Running · Active profile');
    expect(await page.locator('#lifecycle-hint').isHidden()).toBe(true);
    expect(await enabled(page)).toEqual({ 'set-active': false, start: false, stop: true, delete: true });
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => picker.callsOf('stopProfile')).toEqual([{ action: 'stopProfile', args: ['k8s'] }]);

    await picker.setInstance('k8s', instance('k8s', 'stopping'));
    await expect.poll(() => phaseText(page)).toBe('Stopping… · Active profile');
    expect(await enabled(page)).toEqual({ 'set-active': false, start: false, stop: false, delete: false });
    expect(await page.locator('#lifecycle-hint').textContent()).toBe('Wait until it has finished stopping.');

    await picker.setInstance('k8s', instance('k8s', 'stopped'));
    await expect.poll(() => phaseText(page)).toBe('Stopped · Active profile');
    expect(await enabled(page)).toEqual({ 'set-active': false, start: true, stop: false, delete: true });

    await picker.setInstance('k8s', instance('k8s', 'error', { error: { message: 'error starting vm: exit status 1', logTail: ['line one', 'line two'] } }));
    await expect.poll(() => phaseText(page)).toBe('Error · Active profile');
    expect(await page.locator('#error-summary').textContent()).toBe('error starting vm: exit status 1');
    expect(await page.locator('#error-log').textContent()).toBe('line one\nline two');
    expect(await enabled(page)).toEqual({ 'set-active': false, start: true, stop: true, delete: true });
    await done();
  });

  it('shows a refused start in the alert banner', async () => {
    picker = await open(sampleState());
    const { page } = picker;
    await picker.failNext('startProfile', { code: 'NIX_NOT_FOUND', message: 'nix-shell was not found: install Nix, then try again.' });
    await page.getByRole('button', { name: 'Start' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('nix-shell was not found: install Nix, then try again.');
    expect(await page.getByRole('button', { name: 'Start' }).isEnabled()).toBe(true);
    await done();
  });

  it("shows a call that main answered with a thrown error (Electron's 'Error invoking remote method'), and recovers", async () => {
    picker = await open(sampleState());
    const { page } = picker;
    await picker.rejectNext('startProfile', 'controller exploded');
    await page.getByRole('button', { name: 'Start' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('The app did not answer (controller exploded). Try again; if it persists, see Show logs.');
    expect(await page.getByRole('button', { name: 'Start' }).isEnabled()).toBe(true);
    await done();
  });

  it('keeps Start disabled while there are unsaved edits', async () => {
    picker = await open(sampleState());
    const { page } = picker;
    await page.getByLabel('CPUs').fill('6');
    expect(await page.getByRole('button', { name: 'Start' }).isDisabled()).toBe(true);
    expect(await page.locator('#lifecycle-hint').textContent()).toBe('Save your changes before starting.');
    await page.getByRole('button', { name: 'Save' }).click(); // valid, so it is saved…
    await expect.poll(() => page.locator('#notice-text').textContent()).toBe('Saved "k8s".');
    await page.getByLabel('CPUs').fill('7');
    await page.getByRole('button', { name: 'Revert' }).click(); // …and Revert goes back to what was saved
    expect(await page.locator('#notice').isHidden()).toBe(true);
    expect(await page.getByRole('button', { name: 'Start' }).isEnabled()).toBe(true);
    expect(await page.getByLabel('CPUs').inputValue()).toBe('6');
    await done();
  });

  it('deletes a profile without a VM after a plain confirmation', async () => {
    picker = await open(sampleState());
    const { page } = picker;
    await page.locator('#profile-list .profile-item', { hasText: 'light' }).click();
    await page.getByRole('button', { name: 'Delete…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete "light"?' });
    await dialog.waitFor();
    expect(await page.locator('#delete-confirm-field').isHidden()).toBe(true);
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => picker.callsOf('deleteProfile')).toEqual([{ action: 'deleteProfile', args: ['light'] }]);
    await expect.poll(() => page.locator('#profile-list .profile-name').allTextContents()).toEqual(['k8s']);
    expect(await page.locator('#editor-title').textContent()).toBe('k8s');
    expect(await page.locator('#notice-text').textContent()).toBe('Deleted "light".');
    await done();
  });

  it('asks for the typed name before deleting a profile whose VM exists', async () => {
    picker = await open(sampleState({ instances: { k8s: instance('k8s', 'running') } }));
    const { page } = picker;
    await page.getByRole('button', { name: 'Delete…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete "k8s"?' });
    await dialog.waitFor();
    expect(await page.locator('#delete-text').textContent()).toBe(
      'This profile has a VM the app started (Running). Deleting the profile also stops and deletes that VM and its data. This cannot be undone.',
    );
    const confirm = dialog.getByRole('button', { name: 'Delete' });
    expect(await confirm.isDisabled()).toBe(true);
    const typed = dialog.getByLabel('Type k8s to confirm');
    await typed.fill('k8');
    expect(await confirm.isDisabled()).toBe(true);
    await typed.press('Enter'); // Enter with the wrong name does nothing
    expect(await dialog.isVisible()).toBe(true);
    await typed.fill('K8S');
    expect(await confirm.isDisabled()).toBe(true);
    await typed.fill('k8s');
    expect(await confirm.isEnabled()).toBe(true);
    await confirm.click();
    await expect.poll(() => picker.callsOf('deleteProfile')).toEqual([{ action: 'deleteProfile', args: ['k8s', 'k8s'] }]);
    await expect.poll(() => page.locator('#profile-list .profile-name').allTextContents()).toEqual(['light']);
    await done();
  });

  it('cancels a delete with Escape and sends nothing; a VM started elsewhere is said to be left alone', async () => {
    picker = await open(sampleState({ instances: { k8s: instance('k8s', 'stopped', { startedByApp: false }) } }));
    const { page } = picker;
    await page.getByRole('button', { name: 'Delete…' }).click();
    await page.locator('#delete-dialog[open]').waitFor();
    expect(await page.locator('#delete-text').textContent()).toContain('that the app did not start; it is left as it is');
    expect(await page.locator('#delete-confirm-field').isVisible()).toBe(true);
    await page.keyboard.type('k8s');
    await page.keyboard.press('Escape');
    await page.locator('#delete-dialog').waitFor({ state: 'hidden' });
    expect(await picker.callsOf('deleteProfile')).toEqual([]);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('delete');
    await done();
  });

  it('says edits to a running profile apply at next start, and offers Restart now', async () => {
    picker = await open(sampleState({ instances: { k8s: instance('k8s', 'running') } }));
    const { page } = picker;
    await page.getByRole('button', { name: /^Heavy/ }).click();
    expect(await page.locator('#save-hint').textContent()).toBe('Applies at next start');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('#notice-text').textContent()).toBe('Saved. "k8s" is running: the changes apply at its next start.');
    expect(await page.locator('#save-hint').textContent()).toBe('');
    await page.getByRole('button', { name: 'Restart now' }).click();
    await expect.poll(() => picker.callsOf('restartProfile')).toEqual([{ action: 'restartProfile', args: ['k8s'] }]);
    await expect.poll(() => page.locator('#notice-text').textContent()).toBe('Restarted "k8s" with the saved settings.');
    expect(await page.getByRole('button', { name: 'Restart now' }).isHidden()).toBe(true);
    await done();
  });

  it('disables every action while the app tears down on quit', async () => {
    picker = await open(sampleState({ instances: { k8s: instance('k8s', 'running') } }));
    const { page } = picker;
    await picker.setQuitting(true);
    await picker.push({ teardown: { running: true, items: [{ profile: 'k8s', step: 'stopping' }] } });
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('The app is quitting: instances are being stopped and deleted.');
    expect(await enabled(page)).toEqual({ 'set-active': false, start: false, stop: false, delete: false });
    await page.getByLabel('CPUs').fill('2');
    expect(await page.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
    await done();
  });

  it('says "cleaning up", not "quitting", while the launch-time cleanup of an earlier session runs', async () => {
    picker = await open(sampleState({ instances: { k8s: instance('k8s', 'running') } }));
    const { page } = picker;
    await picker.push({ teardown: { running: true, items: [{ profile: 'k8s', step: 'stopping' }] } });
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toBe('Cleaning up instances an earlier session left behind: they are being stopped and deleted.');
    expect(await enabled(page)).toEqual({ 'set-active': false, start: false, stop: false, delete: false });
    await picker.push({ teardown: { running: false, items: [{ profile: 'k8s', step: 'done' }] } });
    await expect.poll(() => enabled(page).then((e) => e['set-active'] || e.start || e.stop)).toBe(true);
    await done();
  });

  it('stays disabled for the whole quit: after the teardown, while main waits for Retry / Quit anyway or collects garbage', async () => {
    picker = await open(sampleState({ instances: { k8s: instance('k8s', 'running') } }));
    const { page } = picker;
    await picker.setQuitting(true);
    await picker.push({ teardown: { running: true, items: [{ profile: 'k8s', step: 'stopping' }] } });
    // The teardown failed and main now waits for the quit window's choice: the snapshot no longer says "running".
    await picker.push({ teardown: { running: false, items: [{ profile: 'k8s', step: 'failed' }] } });
    await picker.setInstance('k8s', instance('k8s', 'stopped'));
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('The app is quitting: nothing can be started or changed until it has quit.');
    expect(await enabled(page)).toEqual({ 'set-active': false, start: false, stop: false, delete: false });
    await page.getByLabel('CPUs').fill('2');
    expect(await page.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
    // The save shortcut does not bypass it (main would answer BUSY anyway).
    await page.keyboard.press('Control+s');
    await new Promise((r) => setTimeout(r, 50));
    const changes = (await picker.calls()).filter((c) => !['getState', 'listProfiles', 'getProfile'].includes(c.action));
    expect(changes).toEqual([]);
    await done();
  });

  it('falls back to the active profile when the one in the editor is deleted elsewhere', async () => {
    picker = await open(sampleState());
    const { page } = picker;
    await page.locator('#profile-list .profile-item', { hasText: 'light' }).click();
    await picker.push({ profiles: sampleState().snapshot.profiles.filter((p) => p.name !== 'light') });
    await expect.poll(() => page.locator('#editor-title').textContent()).toBe('k8s');
    await done();
  });
});
