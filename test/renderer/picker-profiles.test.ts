// Creating, editing and renaming profiles in the built picker window, the live
// `colima start` preview, and field-level validation (shared validateProfile,
// plus errors main sends back), in real Chromium with the stub window.api.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEFAULT_PROFILE } from '../../main/core/profiles/validate.js';
import { closeWithoutProblems, sampleState, useChromium } from './picker-harness.js';
import type { PickerPage } from './picker-harness.js';


/** The visible error tied to a control: aria-invalid, aria-describedby → its message. */
async function fieldError(page: Page, controlId: string): Promise<string | null> {
  return page.evaluate((id) => {
    const control = document.getElementById(id)!;
    if (control.getAttribute('aria-invalid') !== 'true') return null;
    const errorId = `${id}-error`;
    const described = (control.getAttribute('aria-describedby') ?? '').split(' ');
    const error = document.getElementById(errorId)!;
    if (!described.includes(errorId) || error.hidden || error.getBoundingClientRect().height === 0) return null;
    return error.textContent;
  }, controlId);
}

const preview = (page: Page) => page.locator('#argv-preview').textContent();

describe('picker window: profiles (real Chromium)', () => {
  const open = useChromium();
  let picker: PickerPage;
  const done = (): Promise<void> => closeWithoutProblems(picker);

  it('lists the profiles with their state and marks the active one', async () => {
    picker = await open(sampleState({ instances: { light: { profile: 'light', phase: 'running', startedByApp: true } } }));
    const items = picker.page.locator('#profile-list .profile-item');
    await expect.poll(() => items.allTextContents()).toEqual(['k8sActiveNot created', 'lightRunning']);
    expect(await items.nth(0).getAttribute('aria-current')).toBe('true');
    expect(await picker.page.locator('#editor-title').textContent()).toBe('k8s');
    expect(await picker.page.locator('#f-cpus').inputValue()).toBe('4');
    await done();
  });

  it('creates a profile from a preset, with images, showing the exact command', async () => {
    picker = await open(sampleState());
    const { page } = picker;
    await page.getByRole('button', { name: 'New profile' }).click();
    expect(await page.locator('#editor-title').textContent()).toBe('New profile');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-name');
    await page.getByLabel('Name').fill('team-a');
    await page.getByRole('button', { name: /^Light/ }).click();
    expect(await page.getByRole('button', { name: /^Light/ }).getAttribute('aria-pressed')).toBe('true');
    await page.getByLabel('Images to pull').fill('nginx:1.27\nghcr.io/org/app:v1');
    await expect.poll(() => preview(page)).toBe(
      [
        'colima start --profile team-a --cpus 2 --memory 4 --disk 100 --runtime containerd --kubernetes --network-address',
        'colima nerdctl --profile team-a -- --namespace k8s.io pull nginx:1.27',
        'colima nerdctl --profile team-a -- --namespace k8s.io pull ghcr.io/org/app:v1',
      ].join('\n'),
    );
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => picker.callsOf('saveProfile')).toEqual([
      { action: 'saveProfile', args: [{ ...DEFAULT_PROFILE, name: 'team-a', cpus: 2, memoryGiB: 4, images: ['nginx:1.27', 'ghcr.io/org/app:v1'] }] },
    ]);
    await expect.poll(() => page.locator('#profile-list [aria-current="true"] .profile-name').textContent()).toBe('team-a');
    expect(await page.locator('#notice-text').textContent()).toBe('Saved "team-a".');
    expect(await page.locator('#save').isDisabled()).toBe(true);
    await done();
  });

  it('edits a profile: memory, Kubernetes version and switches; the preview follows each change', async () => {
    picker = await open(sampleState());
    const { page } = picker;
    await page.locator('#profile-list .profile-item', { hasText: 'light' }).click();
    expect(await page.getByLabel('CPUs').inputValue()).toBe('2');
    expect(await preview(page)).toBe('colima start --profile light --cpus 2 --memory 4 --disk 40 --runtime containerd --kubernetes=false');
    await page.getByLabel('Memory').fill('6.5');
    await page.getByLabel('Run Kubernetes (k3s)').check();
    await page.getByLabel('Version').fill('v1.35.0+k3s1');
    await page.getByLabel('Switch kubectl to this cluster after start').uncheck();
    await page.getByLabel('Keep the data disk on teardown').check();
    await expect.poll(() => preview(page)).toBe(
      'colima start --profile light --cpus 2 --memory 6.5 --disk 40 --runtime containerd --kubernetes --kubernetes-version v1.35.0+k3s1 --activate=false',
    );
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => picker.callsOf('saveProfile')).toEqual([
      {
        action: 'saveProfile',
        args: [{ ...DEFAULT_PROFILE, name: 'light', cpus: 2, memoryGiB: 6.5, diskGiB: 40, kubernetes: true, kubernetesVersion: 'v1.35.0+k3s1', networkAddress: false, switchKubeContext: false, keepData: true, images: [] }],
      },
    ]);
    await done();
  });

  it('renames a profile by sending the previous name', async () => {
    picker = await open(sampleState());
    const { page } = picker;
    await page.locator('#profile-list .profile-item', { hasText: 'light' }).click();
    await page.getByLabel('Name').fill('light-2');
    await page.getByLabel('Name').press('Enter');
    await expect.poll(async () => (await picker.callsOf('saveProfile')).map((c) => [(c.args[0] as { name: string }).name, c.args[1]])).toEqual([['light-2', 'light']]);
    await expect.poll(() => page.locator('#profile-list .profile-name').allTextContents()).toEqual(['k8s', 'light-2']);
    expect(await page.locator('#editor-title').textContent()).toBe('light-2');
    await done();
  });

  it('omits --network-address off macOS and says so', async () => {
    picker = await open(sampleState({}, 'linux'));
    const { page } = picker;
    await expect.poll(() => preview(page)).toBe('colima start --profile k8s --cpus 4 --memory 8 --disk 100 --runtime containerd --kubernetes');
    expect(await page.locator('#f-network-address-hint').textContent()).toContain('macOS only');
    await done();
  });

  it('shows every invalid field next to it, refuses to save, and clears each error once fixed', async () => {
    picker = await open(sampleState());
    const { page } = picker;
    await page.getByLabel('Name').fill('Team A; touch pwned');
    await page.getByLabel('CPUs').fill('12');
    await page.getByLabel('Memory').fill('0.7');
    await page.getByLabel('Disk', { exact: true }).fill('5');
    await page.getByLabel('Version').fill('1.30');
    await page.getByLabel('Images to pull').fill('nginx\n--privileged');
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await fieldError(page, 'f-name')).toContain('lower-case letters, digits and single hyphens');
    expect(await fieldError(page, 'f-cpus')).toContain('CPUs: 12 is more than this machine has (8); use 1–8.');
    expect(await fieldError(page, 'f-memory')).toContain('Memory: 0.7 GiB is below the minimum of 1 GiB.');
    expect(await fieldError(page, 'f-disk')).toContain('Disk: 5 GiB is below the minimum of 10 GiB; use 10–4096 GiB.');
    expect(await fieldError(page, 'f-k8s-version')).toContain('v1.35.0+k3s1');
    expect(await fieldError(page, 'f-images')).toContain('"--privileged" is not an image reference');
    expect(await fieldError(page, 'f-runtime')).toBeNull();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-name');
    expect(await page.locator('#notice-text').textContent()).toBe('Not saved: fix 6 fields: Name, CPUs, Memory, Disk, Kubernetes version, Images.');
    expect(await preview(page)).toMatch(/^Not a valid profile yet: /);
    expect(await picker.callsOf('saveProfile')).toEqual([]);

    await page.getByLabel('Name').fill('team-a');
    await page.getByLabel('Disk', { exact: true }).fill('50');
    expect(await fieldError(page, 'f-name')).toBeNull();
    expect(await fieldError(page, 'f-disk')).toBeNull();
    expect(await fieldError(page, 'f-cpus')).toContain('use 1–8');
    await done();
  });

  it('does not flag a text field while it is being typed, only once it is left', async () => {
    picker = await open(sampleState());
    const { page } = picker;
    await page.getByRole('button', { name: 'New profile' }).click();
    await page.getByLabel('Name').fill('team-');
    expect(await fieldError(page, 'f-name')).toBeNull();
    await page.getByLabel('Name').press('Tab');
    expect(await fieldError(page, 'f-name')).toContain('single hyphens');
    await done();
  });

  it('refuses a new profile whose name is taken', async () => {
    picker = await open(sampleState());
    const { page } = picker;
    await page.getByRole('button', { name: 'New profile' }).click();
    await page.getByLabel('Name').fill('light');
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await fieldError(page, 'f-name')).toBe('A profile named "light" already exists; choose another name.');
    expect(await picker.callsOf('saveProfile')).toEqual([]);
    await done();
  });

  it('shows an error main sends back on its field, and other errors in the alert banner', async () => {
    picker = await open(sampleState());
    const { page } = picker;
    await picker.failNext('saveProfile', {
      code: 'INVALID_INPUT',
      message: 'Disk must be a whole number of GiB from 10 to 4096.',
      field: 'diskGiB',
      fieldErrors: [{ field: 'diskGiB', message: 'Disk must be a whole number of GiB from 10 to 4096.' }],
    });
    await page.getByLabel('Disk', { exact: true }).fill('200');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => fieldError(page, 'f-disk')).toBe('Disk must be a whole number of GiB from 10 to 4096.');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-disk');

    await picker.failNext('saveProfile', { code: 'BUSY', message: 'The profile store is busy; try again in a moment.' });
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('The profile store is busy; try again in a moment.');
    await page.keyboard.press('Escape');
    expect(await page.locator('#banner').isHidden()).toBe(true);
    await done();
  });

  it('bounds CPU and memory by the host and disables presets it cannot run', async () => {
    picker = await open(sampleState({ host: { cpus: 4, memoryGiB: 7 } }));
    const { page } = picker;
    expect(await page.getByLabel('CPUs').getAttribute('max')).toBe('4');
    expect(await page.getByLabel('Memory').getAttribute('max')).toBe('7');
    expect(await page.getByRole('button', { name: /^Light/ }).isEnabled()).toBe(true);
    expect(await page.getByRole('button', { name: /^Standard/ }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: /^Heavy/ }).isDisabled()).toBe(true);
    expect(await page.locator('#presets-hint').textContent()).toBe(
      'Standard (4 CPUs, 8 GiB) and Heavy (8 CPUs, 16 GiB) need more than this machine has (4 CPUs, 7 GiB).',
    );
    // The stored k8s profile wants 8 GiB: shown as it is and flagged at once, never silently clamped.
    expect(await page.getByLabel('Memory').inputValue()).toBe('8');
    expect(await fieldError(page, 'f-memory')).toContain('Memory: 8 GiB is more than this machine has (7 GiB); use 1–7 GiB.');
    expect(await fieldError(page, 'f-cpus')).toBeNull();
    await page.getByRole('button', { name: 'New profile' }).click();
    expect(await page.getByLabel('CPUs').inputValue()).toBe('4');
    expect(await page.getByLabel('Memory').inputValue()).toBe('7');
    await done();
  });

  it('asks before discarding unsaved edits when another profile is picked', async () => {
    picker = await open(sampleState());
    const { page } = picker;
    await page.getByLabel('CPUs').fill('6');
    await page.locator('#profile-list .profile-item', { hasText: 'light' }).click();
    await page.locator('#discard-dialog[open]').waitFor();
    await page.getByRole('button', { name: 'Keep editing' }).click();
    await page.locator('#discard-dialog').waitFor({ state: 'hidden' });
    expect(await page.locator('#editor-title').textContent()).toBe('k8s');
    expect(await page.getByLabel('CPUs').inputValue()).toBe('6');
    await page.locator('#profile-list .profile-item', { hasText: 'light' }).click();
    await page.getByRole('button', { name: 'Discard' }).click();
    await expect.poll(() => page.locator('#editor-title').textContent()).toBe('light');
    expect(await page.getByLabel('CPUs').inputValue()).toBe('2');
    await done();
  });

  it('opens a new profile, fitted to the host, when there are no profiles yet', async () => {
    picker = await open(sampleState({ profiles: [], activeProfile: '', host: { cpus: 2, memoryGiB: 3 } }));
    const { page } = picker;
    expect(await page.locator('#profile-list .profile-item').count()).toBe(0);
    expect(await page.locator('#editor-title').textContent()).toBe('New profile');
    expect(await page.getByLabel('Name').inputValue()).toBe('dev');
    expect(await preview(page)).toBe('colima start --profile dev --cpus 2 --memory 3 --disk 100 --runtime containerd --kubernetes --network-address');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('#profile-list .profile-name').allTextContents()).toEqual(['dev']);
    await done();
  });

  it('refills the form when the profile changes elsewhere and there are no local edits', async () => {
    picker = await open(sampleState());
    const { page } = picker;
    const { snapshot } = sampleState();
    await picker.push({ profiles: snapshot.profiles.map((p) => (p.name === 'k8s' ? { ...p, cpus: 6 } : p)) });
    await expect.poll(() => page.getByLabel('CPUs').inputValue()).toBe('6');
    await done();
  });
});
