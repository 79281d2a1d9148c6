// The picker window's entry (bundled to renderer/dist/picker.js, an IIFE loaded
// by index.html with `defer`). window.api comes from preload (preload/index.ts).
import type { PickerApi } from '../preload/api-contract.js';
import { startPicker } from './picker-app.js';

const api = (window as unknown as { api?: PickerApi }).api;
if (api) startPicker(api, document);
else {
  const banner = document.getElementById('banner');
  if (banner) {
    banner.textContent = 'This window could not reach the app (its preload script did not load). Close it and open Profiles… again; if that fails, see Show logs.';
    banner.hidden = false;
  }
}
