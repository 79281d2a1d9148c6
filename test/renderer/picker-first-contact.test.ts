// Issue "First contact", the picker window: a failed save names and links its
// fields, the sticky footer never hides the last field, the command preview is
// readable at the minimum size, the network hint follows main's platform, a
// running profile's name is visibly fixed, and "active" reads as a state.
// Screenshots (light and dark, 820×600 and the minimum 560×420) go to
// test-results/screenshots/first-contact-*.png.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { closeWithoutProblems, instance, sampleState, screenshot, useChromium } from './picker-harness.js';

const SIZES = { default: { width: 820, height: 600 }, minimum: { width: 560, height: 420 } } as const;
const SCHEMES = ['light', 'dark'] as const;

/** Where `selector` sits relative to the editor's scroll viewport and the sticky footer's top edge. */
function placement(page: Page, selector: string) {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel)!.getBoundingClientRect();
    const editor = document.querySelector('.editor')!.getBoundingClientRect();
    const footer = document.querySelector('.form-footer')!.getBoundingClientRect();
    return { top: el.top, bottom: el.bottom, viewportTop: editor.top, footerTop: footer.top, visible: el.top >= editor.top && el.bottom <= footer.top + 0.5 };
  }, selector);
}

const scrollEditor = (page: Page, to: 'top' | 'bottom') =>
  page.evaluate((where) => {
    const editor = document.querySelector('.editor')!;
    editor.scrollTop = where === 'top' ? 0 : editor.scrollHeight;
  }, to);

const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id);

/** k8s (active) has a running VM the app started; light has none. */
const runningState = (platform = 'darwin') => sampleState({ instances: { k8s: instance('k8s', 'running') } }, platform);

describe('picker window: first contact (real Chromium)', () => {
  const open = useChromium();

  for (const scheme of SCHEMES) {
    for (const [size, viewport] of Object.entries(SIZES)) {
      const tag = `${scheme}-${size}`;

      it(`names the invalid fields after a failed save and links each one (${tag})`, async () => {
        const picker = await open(runningState(), { colorScheme: scheme, ...viewport });
        const { page } = picker;
        await page.getByLabel('CPUs').fill('12');
        await page.getByLabel('Memory').fill('0.7');
        await page.getByLabel('Disk', { exact: true }).fill('5');
        await scrollEditor(page, 'bottom');
        await page.getByRole('button', { name: 'Save' }).click();
        await expect.poll(() => focusedId(page)).toBe('f-cpus');
        expect(await picker.callsOf('saveProfile')).toEqual([]);
        expect((await placement(page, '#f-cpus')).visible).toBe(true);
        const notice = page.locator('#notice-text');
        expect(await notice.textContent()).toBe('Not saved: fix 3 fields: CPUs, Memory, Disk.');
        expect(await notice.getByRole('button').allTextContents()).toEqual(['CPUs', 'Memory', 'Disk']);
        await screenshot(page, `first-contact-errors-${tag}`);

        await scrollEditor(page, 'top');
        await notice.getByRole('button', { name: 'Disk' }).click();
        await expect.poll(() => focusedId(page)).toBe('f-disk');
        await expect.poll(async () => (await placement(page, '#f-disk')).visible).toBe(true);
        await screenshot(page, `first-contact-errors-disk-${tag}`);
        await closeWithoutProblems(picker);
      });

      it(`keeps the last field and the whole command above the sticky footer (${tag})`, async () => {
        const picker = await open(runningState(), { colorScheme: scheme, ...viewport });
        const { page } = picker;
        await scrollEditor(page, 'bottom');
        const last = await placement(page, '.form > .group:last-of-type .field:last-child');
        expect(last.bottom, `last field ends at ${last.bottom}, footer starts at ${last.footerTop}`).toBeLessThanOrEqual(last.footerTop);
        const preview = await page.locator('#argv-preview').evaluate((el) => ({
          text: el.textContent ?? '',
          clipped: el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1,
          wraps: getComputedStyle(el).whiteSpace.startsWith('pre-wrap'),
        }));
        expect(preview.text).toContain('--network-address');
        expect(preview).toMatchObject({ clipped: false, wraps: true });
        await screenshot(page, `first-contact-bottom-${tag}`);
        await closeWithoutProblems(picker);
      });

      it(`shows a running profile's name as read-only and "active" as a state (${tag})`, async () => {
        const picker = await open(runningState(), { colorScheme: scheme, ...viewport });
        const { page } = picker;
        const name = page.getByLabel('Name');
        expect(await name.getAttribute('readonly')).not.toBeNull();
        expect(await page.locator('#f-name-hint').textContent()).toMatch(/cannot be renamed while its VM exists/);
        expect(await name.getAttribute('aria-describedby')).toContain('f-name-hint');
        const looks = (id: string) => page.locator(id).evaluate((el) => ({ bg: getComputedStyle(el).backgroundColor, border: getComputedStyle(el).borderStyle }));
        const readOnlyLook = await looks('#f-name');
        expect(readOnlyLook).not.toEqual(await looks('#f-k8s-version'));
        const badge = page.locator('#editor-active');
        expect(await badge.isVisible()).toBe(true);
        expect(await badge.textContent()).toBe('Active profile');
        expect(await page.locator('#set-active').isVisible()).toBe(false);
        expect(await page.getByRole('button', { name: /^Active/ }).count()).toBe(0);
        await screenshot(page, `first-contact-header-${tag}`);

        await page.locator('#profile-list .profile-item', { hasText: 'light' }).click();
        await expect.poll(() => page.locator('#editor-title').textContent()).toBe('light');
        expect(await name.getAttribute('readonly')).toBeNull();
        expect(await page.locator('#f-name-hint').textContent()).not.toMatch(/renamed/);
        expect(await badge.isVisible()).toBe(false);
        expect(await page.getByRole('button', { name: 'Make active' }).isEnabled()).toBe(true);
        await screenshot(page, `first-contact-header-inactive-${tag}`);
        await page.getByRole('button', { name: 'Make active' }).click();
        await expect.poll(() => badge.isVisible()).toBe(true);
        expect(await page.locator('#set-active').isVisible()).toBe(false);
        await closeWithoutProblems(picker);
      });
    }

    it(`words the network option for the platform main reports (${scheme})`, async () => {
      const picker = await open(runningState('linux'), { colorScheme: scheme });
      const { page } = picker;
      await scrollEditor(page, 'bottom');
      const options = await page.locator('.form > .group:last-of-type').textContent();
      expect(options).not.toMatch(/Mac\b/);
      expect(await page.locator('#f-network-address-hint').textContent()).toBe('macOS only: colima ignores it on Linux, so it is not in the command.');
      expect(await page.locator('#f-network-address').isDisabled()).toBe(true);
      expect(await page.locator('#argv-preview').textContent()).not.toContain('--network-address');
      await screenshot(page, `first-contact-network-linux-${scheme}`);
      await closeWithoutProblems(picker);

      const mac = await open(runningState('darwin'), { colorScheme: scheme });
      expect(await mac.page.locator('#f-network-address-hint').textContent()).toContain('reachable from this Mac');
      expect(await mac.page.locator('#f-network-address').isDisabled()).toBe(false);
      await closeWithoutProblems(mac);
    });
  }

  it('lets a profile whose VM the app did not start be renamed', async () => {
    const picker = await open(sampleState({ instances: { k8s: instance('k8s', 'running', { startedByApp: false }) } }));
    expect(await picker.page.getByLabel('Name').getAttribute('readonly')).toBeNull();
    await closeWithoutProblems(picker);
  });
});
