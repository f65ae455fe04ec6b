import { CHECK_COMMANDS, cachesEnabled, cachesEnabledForArgv } from '@aks-gitops/synth';

/**
 * One switch decides for every cache (compiled code, claims, rendered record) whether a process
 * uses it: register.cjs asks it with the command line, a synth with its options.
 */
describe('the speed kit switch', () => {
  const env = {};

  it('lets synth use the caches by default', () => {
    expect(cachesEnabled({ command: 'synth', env })).toBe(true);
    expect(cachesEnabledForArgv(['synth', '--app', 'orders-api'], env)).toBe(true);
  });

  it('never lets the checks use a cache: drift and policy compile and declare from source', () => {
    expect(CHECK_COMMANDS).toEqual(['drift', 'policy']);
    expect(cachesEnabled({ command: 'drift', env })).toBe(false);
    expect(cachesEnabled({ command: 'policy', env })).toBe(false);
    expect(cachesEnabledForArgv(['drift', '--cluster', 'aks-dev-weu'], env)).toBe(false);
    expect(cachesEnabledForArgv(['policy'], env)).toBe(false);
  });

  it('turns every cache off with --no-cache', () => {
    expect(cachesEnabled({ command: 'synth', noCache: true, env })).toBe(false);
    expect(cachesEnabledForArgv(['synth', '--app', 'x', '--no-cache'], env)).toBe(false);
  });

  it('turns every cache off with AKS_GITOPS_NO_CACHE=1, for any command', () => {
    const off = { AKS_GITOPS_NO_CACHE: '1' };
    expect(cachesEnabled({ command: 'synth', env: off })).toBe(false);
    expect(cachesEnabledForArgv(['synth'], off)).toBe(false);
    expect(cachesEnabledForArgv(['edge', 'plan'], off)).toBe(false);
    expect(cachesEnabled({ command: 'synth', env: { AKS_GITOPS_NO_CACHE: '0' } })).toBe(true);
  });
});
