/**
 * Growth stays linear only while V8's one map for empty objects can take new transitions: once a
 * run spends its 1,536 on per-app keys, every object built later from `{}` with a new key gets a
 * map of its own, and at 2,000 apps a full synth was a third slower per object than at 1,000
 * (BENCHMARKS.md, "Growth"; libs/workloads/src/construct-children.ts). Speed is measured by the
 * benchmark, not here; this checks the cause, which is deterministic: a fleet larger than the
 * limit, whose apps use construct ids, names, hosts and config keys of their own, synthesized
 * fully and then with the caches, never fills that map (probed in the CLI's own process as output
 * units are staged). Without the dictionary-mode children of the per-app charts alone it fails
 * ("full at probe 1": filled while the first cluster's apps were declared).
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { FLEET, REGISTER, makeScratch, removeScratch, writeApp, writeFleet } from './support/scratch';

const PROBE = path.join(__dirname, 'support', 'empty-object-map-synth.cjs');
const APPS = 1_700;

let root = '';
afterAll(() => removeScratch(root));

function cliWithProbe(args: readonly string[]): string {
  const env: NodeJS.ProcessEnv = { ...process.env, AKS_GITOPS_ROOT: root };
  delete env.NX_BASE;
  const out = execFileSync(
    process.execPath,
    ['--allow-natives-syntax', '--require', REGISTER, PROBE, ...args, '--clusters-module', 'fleet.ts'],
    { env, encoding: 'utf8', maxBuffer: 1 << 28 },
  );
  return /EMPTY-OBJECT-MAP: (.*)/.exec(out)?.[1] ?? `no probe line in: ${out.slice(-500)}`;
}

describe("a fleet past V8's transition limit never fills its empty-object map", () => {
  it(`${APPS} apps with their own ids, names, hosts and config keys: full synth, then --changed and --app with the caches`, () => {
    root = makeScratch('empty-object-map');
    writeFleet(root, FLEET);
    for (let i = 0; i < APPS; i++) {
      const app = `svc-${String(i).padStart(4, '0')}`;
      const key = `${app.toUpperCase().replace('-', '_')}_URL`;
      writeApp(
        root,
        app,
        `    new L7Api(scope, '${app}-api', {
      image: IMG('${app}'),
      port: 8080,
      routes: [{ host: '${app}.example.com', paths: ['/'] }],
      config: { ${key}: 'https://${app}.example.com', LOG_FORMAT: 'json' },
      replicas: 2,
    });`,
      );
    }
    expect(cliWithProbe(['synth'])).toMatch(/^never full \(\d+ probes\)$/);
    writeApp(
      root,
      'svc-0042',
      `    new L7Api(scope, 'svc-0042-api', {
      image: IMG('svc-0042'),
      port: 8080,
      routes: [{ host: 'svc-0042.example.com', paths: ['/'] }],
      replicas: 3,
    });`,
    );
    expect(cliWithProbe(['synth', '--changed'])).toMatch(/^never full \(\d+ probes\)$/);
    expect(cliWithProbe(['synth', '--app', 'svc-0007'])).toMatch(/^never full \(\d+ probes\)$/);
  }, 180_000);
});
