// What the window shows when a call to main rejects instead of answering with
// {ok:false} (main's handler crashed, or was not registered yet). Electron only
// carries the message across: ipcRenderer.invoke rejects with
// `Error invoking remote method '<channel>': Error: <message>`, the error's class,
// code and other properties are lost.
import type { IpcError } from '../preload/api-contract.js';

const REMOTE_PREFIX = /^Error invoking remote method '[^']*': (?:[A-Za-z]*Error: )?/;

export function rejectedCallError(e: unknown): IpcError {
  const raw = e instanceof Error ? e.message : String(e);
  const message = raw.replace(REMOTE_PREFIX, '').trim() || 'no reason given';
  return { code: 'INTERNAL', message: `The app did not answer (${message}). Try again; if it persists, see Show logs.` };
}
