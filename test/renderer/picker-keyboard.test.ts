// The picker window used with the keyboard alone: Tab order, arrow keys in the
// profile list, Enter to save, Escape to cancel, and a visible focus ring.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEFAULT_PROFILE } from '../../main/core/profiles/validate.js';
import { closeWithoutProblems, sampleState, screenshot, useChromium } from './picker-harness.js';
import type { PickerPage } from './picker-harness.js';


/** The focused element: its id (or profile name) and whether a focus ring is drawn. */
async function focused(page: Page): Promise<{ id: string; ring: boolean }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { id: 'body', ring: false };
    const style = getComputedStyle(el);
    const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
    return { id: el.id || `profile:${el.dataset.profile ?? el.tagName}`, ring };
  });
}

async function tabTo(page: Page, id: string, maxTabs = 40, key: 'Tab' | 'Shift+Tab' = 'Tab'): Promise<void> {
  for (let i = 0; i < maxTabs; i++) {
    if ((await focused(page)).id === id) return;
    await page.keyboard.press(key);
  }
  throw new Error(`${key} never reached #${id}`);
}

describe('picker window: keyboard only (real Chromium)', () => {
  const open = useChromium();
  let picker: PickerPage;

  it('creates a profile with the keyboard alone, focus always visible', async () => {
    picker = await open(sampleState());
    const { page } = picker;
    await page.keyboard.press('Tab');
    expect(await focused(page)).toEqual({ id: 'profile:k8s', ring: true });
    await page.keyboard.press('ArrowDown');
    expect(await focused(page)).toEqual({ id: 'profile:light', ring: true });
    await page.keyboard.press('Enter');
    expect(await page.locator('#editor-title').textContent()).toBe('light');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toEqual({ id: 'new-profile', ring: true });
    await page.keyboard.press('Enter');
    expect(await focused(page)).toEqual({ id: 'f-name', ring: true });
    await page.keyboard.type('kb-only'); // replaces the selected suggestion
    await tabTo(page, 'f-cpus');
    await page.keyboard.press('ArrowUp'); // a stepper: 4 → 5 cores
    expect(await page.locator('#f-cpus').inputValue()).toBe('5');
    await tabTo(page, 'f-kubernetes');
    await page.keyboard.press('Space');
    expect(await page.locator('#f-kubernetes').isChecked()).toBe(false);
    expect((await focused(page)).ring).toBe(true);
    await screenshot(page, 'picker-keyboard-light');
    await tabTo(page, 'f-disk', 5, 'Shift+Tab');
    await page.keyboard.press('Enter'); // implicit submission from a number field
    await expect.poll(() => picker.callsOf('saveProfile')).toEqual([
      { action: 'saveProfile', args: [{ ...DEFAULT_PROFILE, name: 'kb-only', cpus: 5, kubernetes: false, images: [] }] },
    ]);
    await expect.poll(() => page.locator('#profile-list [aria-current="true"]').getAttribute('data-profile')).toBe('kb-only');
    await closeWithoutProblems(picker);
  });

  it('reaches Delete… and every header action by Tab, opens and cancels the dialog with Enter and Escape', async () => {
    picker = await open(sampleState());
    const { page } = picker;
    await tabTo(page, 'start');
    await tabTo(page, 'delete', 60);
    await page.keyboard.press('Enter');
    await page.locator('#delete-dialog[open]').waitFor();
    expect((await focused(page)).id).toBe('delete-cancel');
    await page.keyboard.press('Escape');
    await page.locator('#delete-dialog').waitFor({ state: 'hidden' });
    expect(await focused(page)).toEqual({ id: 'delete', ring: true });
    expect(await picker.callsOf('deleteProfile')).toEqual([]);
    await closeWithoutProblems(picker);
  });

  it('saves with Ctrl+S, and keeps the focus on a usable control when Start becomes disabled', async () => {
    picker = await open(sampleState());
    const { page } = picker;
    await tabTo(page, 'f-cpus');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Control+s');
    await expect.poll(async () => (await picker.callsOf('saveProfile')).length).toBe(1);
    await tabTo(page, 'start', 80);
    await page.keyboard.press('Enter');
    await picker.setInstance('k8s', { profile: 'k8s', phase: 'starting', startedByApp: true });
    await expect.poll(() => focused(page)).toEqual({ id: 'stop', ring: true });
    await closeWithoutProblems(picker);
  });
});
