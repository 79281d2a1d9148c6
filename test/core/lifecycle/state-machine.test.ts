import { describe, expect, it } from 'vitest';
import { isAppError } from '../../../main/core/errors.js';
import { nextPhase, phaseFromListing } from '../../../main/core/lifecycle/state-machine.js';
import type { InstancePhase } from '../../../main/core/model.js';

describe('instance state machine', () => {
  it('walks the whole life: gone → starting → running → stopping → stopped → deleting → gone', () => {
    let phase: InstancePhase = 'gone';
    const path: InstancePhase[] = [phase];
    for (const type of ['start', 'started', 'stop', 'stopped', 'delete', 'deleted'] as const) {
      phase = nextPhase(phase, { type });
      path.push(phase);
    }
    expect(path).toEqual(['gone', 'starting', 'running', 'stopping', 'stopped', 'deleting', 'gone']);
  });

  it('fails into error from any busy phase and can start again from error', () => {
    for (const busy of ['starting', 'stopping', 'deleting'] as const) expect(nextPhase(busy, { type: 'failed' })).toBe('error');
    expect(nextPhase('error', { type: 'start' })).toBe('starting');
  });

  it.each([
    ['starting', 'start'],
    ['stopping', 'start'],
    ['deleting', 'stop'],
    ['running', 'stopped'],
    ['gone', 'failed'],
  ] as const)('refuses %s --%s-->', (from, type) => {
    let error: unknown;
    try {
      nextPhase(from, { type });
    } catch (e) {
      error = e;
    }
    expect(isAppError(error, 'BUSY')).toBe(true);
  });

  it('lets a refresh change only idle phases', () => {
    expect(nextPhase('running', { type: 'observed', phase: 'stopped' })).toBe('stopped');
    expect(nextPhase('starting', { type: 'observed', phase: 'gone' })).toBe('starting');
    expect(nextPhase('stopping', { type: 'observed', phase: 'running' })).toBe('stopping');
  });

  it('settles a cancelled operation on what colima reports', () => {
    expect(nextPhase('starting', { type: 'cancelled', observed: 'running' })).toBe('running');
    expect(() => nextPhase('running', { type: 'cancelled', observed: 'stopped' })).toThrow();
  });

  it('maps colima list statuses (colima-cli §6)', () => {
    expect(phaseFromListing({ status: 'Running' })).toBe('running');
    expect(phaseFromListing({ status: 'Stopped' })).toBe('stopped');
    expect(phaseFromListing({ status: 'Broken' })).toBe('error');
    expect(phaseFromListing({})).toBe('error');
    expect(phaseFromListing(undefined)).toBe('gone');
  });
});
