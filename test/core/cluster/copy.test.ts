// The copy strings of the cluster glance: the exact lines a person pastes into sh.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { colimaKubeconfigPath, kubeconfigExport, kubectlContextCommand } from '../../../main/core/cluster/copy.js';

describe('kubectlContextCommand', () => {
  it('switches to the glance context', () => {
    expect(kubectlContextCommand({ profile: 'dev', context: { known: true, value: 'colima-dev' } })).toBe('kubectl config use-context colima-dev');
  });

  it("falls back to colima's name for the context (colima, colima-<profile>) when the glance does not know it", () => {
    expect(kubectlContextCommand({ profile: 'dev', context: { known: false, reason: 'the instance is Stopped' } })).toBe('kubectl config use-context colima-dev');
    expect(kubectlContextCommand({ profile: 'default', context: { known: false, reason: 'x' } })).toBe('kubectl config use-context colima');
  });
});

describe('kubeconfigExport', () => {
  it('prints a plain path as is', () => {
    expect(kubeconfigExport('/home/me/.kube/config')).toBe('export KUBECONFIG=/home/me/.kube/config');
  });

  it('quotes a path with spaces, quotes and $ so that sh reads it back exactly', () => {
    const file = "/Users/Jo O'Neil/$HOME `x`/.kube/config";
    const line = kubeconfigExport(file);
    expect(line).toBe(`export KUBECONFIG='/Users/Jo O'\\''Neil/$HOME \`x\`/.kube/config'`);
    expect(execFileSync('/bin/sh', ['-c', `${line}; printf %s "$KUBECONFIG"`], { encoding: 'utf8' })).toBe(file);
  });

  it('names the file colima writes to: the first KUBECONFIG path, else ~/.kube/config (colima-cli §7)', () => {
    expect(colimaKubeconfigPath('/home/me')).toBe('/home/me/.kube/config');
    expect(colimaKubeconfigPath('/home/me', { KUBECONFIG: '' })).toBe('/home/me/.kube/config');
    expect(colimaKubeconfigPath('/home/me', { KUBECONFIG: '/a/one:/b/two' })).toBe('/a/one');
    expect(kubeconfigExport(colimaKubeconfigPath('/home/me'))).toBe('export KUBECONFIG=/home/me/.kube/config');
  });
});
