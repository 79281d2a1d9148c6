import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../../main/core/ledger/ledger.js';
import { contextToRestore } from '../../../main/core/teardown/kubeconfig.js';

const entry = (profile: string, previousContext: string | undefined, startedAt: string): LedgerEntry => ({
  profile,
  instanceId: `colima-${profile}`,
  keepData: false,
  switchedContext: previousContext !== undefined,
  ...(previousContext !== undefined ? { previousContext } : {}),
  startedAt,
  pid: 1,
});

describe('which kube context to restore', () => {
  const a = entry('a', 'kind-mine', '2026-08-21T10:00:00Z');
  const b = entry('b', 'colima-a', '2026-08-21T10:05:00Z');

  it('restores the context that was current before the instance took over', () => {
    expect(contextToRestore('colima-a', [a], [a])).toBe('kind-mine');
  });
  it('follows the chain through instances deleted together', () => {
    expect(contextToRestore('colima-b', [a, b], [a, b])).toBe('kind-mine');
  });
  it('stops at an instance that still exists', () => {
    expect(contextToRestore('colima-b', [b], [a, b])).toBe('colima-a');
  });
  it('restores after colima unset the current context (deleting a running instance)', () => {
    expect(contextToRestore(undefined, [a, b], [a, b])).toBe('kind-mine');
  });
  it('leaves a context the user chose themselves alone', () => {
    expect(contextToRestore('prod', [a, b], [a, b])).toBeUndefined();
  });
  it('does nothing for an instance that never switched', () => {
    const c = entry('c', undefined, '2026-08-21T10:00:00Z');
    expect(contextToRestore('colima-c', [c], [c])).toBeUndefined();
  });
});
