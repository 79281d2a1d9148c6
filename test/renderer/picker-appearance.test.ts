// The picker's look in light and dark mode (screenshots saved as artifacts to
// test-results/screenshots/), its CSP really being enforced, and no console or
// page errors while it renders.
import { describe, expect, it } from 'vitest';
import { statSync } from 'node:fs';
import { closeWithoutProblems, instance, sampleState, screenshot, useChromium } from './picker-harness.js';


describe('picker window appearance (real Chromium)', () => {
  const open = useChromium();

  const runningState = () =>
    sampleState({
      instances: {
        k8s: instance('k8s', 'running'),
        light: instance('light', 'starting', { stage: 'provisioning ... (kubernetes)' }),
      },
    });

  for (const scheme of ['light', 'dark'] as const) {
    it(`renders the editor in ${scheme} mode with the system colour scheme`, async () => {
      const picker = await open(runningState(), { colorScheme: scheme });
      const { page } = picker;
      await expect.poll(() => page.locator('#editor-phase').textContent()).toContain('Running');
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const [r, g, b] = background.match(/\d+/g)!.map(Number);
      const luminance = (0.2126 * r! + 0.7152 * g! + 0.0722 * b!) / 255;
      if (scheme === 'dark') expect(luminance).toBeLessThan(0.2);
      else expect(luminance).toBeGreaterThan(0.9);
      const file = await screenshot(page, `picker-${scheme}`);
      expect(statSync(file).size).toBeGreaterThan(10_000);
      await closeWithoutProblems(picker);
    });

    it(`shows field errors and the delete confirmation legibly in ${scheme} mode`, async () => {
      const picker = await open(runningState(), { colorScheme: scheme });
      const { page } = picker;
      // k8s runs (a VM the app started), so its name is read-only: CPUs takes the third error.
      await page.locator('#f-cpus').fill('12');
      await page.locator('#f-disk').fill('5');
      await page.locator('#f-k8s-version').fill('1.30');
      await page.getByRole('button', { name: 'Save' }).click();
      await expect.poll(() => page.locator('.field-error:not([hidden])').count()).toBe(3);
      await screenshot(page, `picker-errors-${scheme}`);
      await page.getByRole('button', { name: 'Revert' }).click();
      await page.getByRole('button', { name: 'Delete…' }).click();
      await page.locator('#delete-dialog[open]').waitFor();
      await screenshot(page, `picker-delete-${scheme}`);
      await closeWithoutProblems(picker);
    });
  }

  for (const scheme of ['light', 'dark'] as const) {
    it(`shows a start in progress, a failed instance and a new profile in ${scheme} mode`, async () => {
      const picker = await open(runningState(), { colorScheme: scheme });
      const { page } = picker;
      await page.locator('#profile-list .profile-item', { hasText: 'light' }).click();
      await expect.poll(() => page.locator('#lifecycle-hint').textContent()).toBe('provisioning ... (kubernetes)');
      await screenshot(page, `picker-starting-${scheme}`);
      await picker.setInstance('light', instance('light', 'error', { error: { message: 'error starting vm: error at \'starting\': exit status 1', logTail: ['level=info msg="starting colima"', 'level=fatal msg="error starting vm"'] } }));
      await expect.poll(() => page.locator('#error-summary').textContent()).toContain('error starting vm');
      await page.locator('#error-summary').click();
      await screenshot(page, `picker-error-${scheme}`);
      await page.getByRole('button', { name: 'New profile' }).click();
      await screenshot(page, `picker-new-${scheme}`);
      await closeWithoutProblems(picker);
    });
  }

  it('stays usable at the window’s minimum size (560×420)', async () => {
    const picker = await open(runningState(), { width: 560, height: 420 });
    const { page } = picker;
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    for (const id of ['save', 'start', 'stop', 'new-profile']) expect(await page.locator(`#${id}`).isVisible(), id).toBe(true);
    const save = await page.locator('#save').boundingBox();
    expect(save!.y + save!.height).toBeLessThanOrEqual(420);
    await screenshot(page, 'picker-minimum-size-light');
    await closeWithoutProblems(picker);
  });

  it('enforces its CSP: an injected inline script is blocked and reported', async () => {
    const picker = await open(sampleState());
    const { page } = picker;
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(csp).toContain("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:");
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true;';
      document.head.append(script);
    });
    expect(await page.evaluate(() => (window as unknown as { __inlineRan?: boolean }).__inlineRan)).toBeUndefined();
    await expect.poll(() => picker.problems.join('\n')).toMatch(/Content Security Policy/);
    await picker.close();
  });

  it('uses no inline style attributes and loads nothing from the network', async () => {
    const picker = await open(runningState());
    const { page } = picker;
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.reload();
    await page.locator('#profile-list .profile-item').first().waitFor();
    expect(await page.locator('[style]').count()).toBe(0);
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
    await closeWithoutProblems(picker);
  });
});
