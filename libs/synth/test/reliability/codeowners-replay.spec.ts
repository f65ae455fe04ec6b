/**
 * `synth --app X` replays the other apps' claims from the cache instead of loading them. Their
 * owners are cached with the claims, so `.github/CODEOWNERS` is always what a full synth writes:
 * never a stale file that only the drift check would catch.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLAIMS_CACHE_FILE, CODEOWNERS_FILE } from '@aks-gitops/synth';
import {
  FIXTURE_APPS,
  FLEET_MODULE,
  appSource,
  copyRepo,
  makeScratch,
  readTree,
  removeScratch,
  runCli,
  writeAppFile,
  writeFleet,
  FLEET,
} from './support/scratch';

const roots: string[] = [];
afterAll(() => roots.forEach(removeScratch));

const OWNERS: Record<string, string[]> = {
  orders: ['@contoso/orders-team'],
  payments: ['@contoso/payments-team', 'payments-oncall@contoso.com'],
  broker: ['@contoso/iot-team'],
  ingest: ['@contoso/telemetry-team'],
};
const withOwners = (name: string, owners: readonly string[]) =>
  appSource(name, FIXTURE_APPS[name] as string).replace(
    `name: ${JSON.stringify(name)},\n`,
    `name: ${JSON.stringify(name)},\n  owners: ${JSON.stringify(owners)},\n`,
  );
const ownerLine = (codeowners: string, pattern: string) =>
  codeowners.split('\n').find((l) => l.startsWith(`${pattern} `) || l === pattern);

async function ok(root: string, args: readonly string[]): Promise<string> {
  const r = await runCli(root, args, { direct: true });
  if (r.code !== 0) throw new Error(`${args.join(' ')} exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

describe('synth --app with replayed apps writes the CODEOWNERS a full synth writes', () => {
  let base = '';
  beforeAll(async () => {
    base = makeScratch('owners-base');
    roots.push(base);
    writeFleet(base, FLEET);
    for (const [name, owners] of Object.entries(OWNERS)) writeAppFile(base, name, withOwners(name, owners));
    await ok(base, ['synth', '--clusters-module', FLEET_MODULE]);
  }, 60_000);

  it("the cache keeps each app's owners with its claims", () => {
    const cache = JSON.parse(fs.readFileSync(path.join(base, CLAIMS_CACHE_FILE), 'utf8')) as {
      apps: Record<string, { owners: string[] }>;
    };
    expect(Object.fromEntries(Object.entries(cache.apps).map(([name, e]) => [name, e.owners]))).toEqual(OWNERS);
  });

  it("change an app's owners, synth --app another app: CODEOWNERS has the new owners and every replayed app's, and drift passes", async () => {
    const root = copyRepo(base, 'owners-change');
    roots.push(root);
    writeAppFile(root, 'broker', withOwners('broker', ['@contoso/new-iot-team']));
    // ingest is wired to no app: broker (changed) is declared, orders and payments are replayed.
    const out = await ok(root, ['synth', '--clusters-module', FLEET_MODULE, '--app', 'ingest']);
    expect(out).toContain(`2 app(s) declared, 2 replayed from ${CLAIMS_CACHE_FILE}`);
    const codeowners = fs.readFileSync(path.join(root, CODEOWNERS_FILE), 'utf8');
    expect(ownerLine(codeowners, '/apps/broker/')).toMatch(/ @contoso\/new-iot-team$/);
    expect(ownerLine(codeowners, '/clusters/*/broker/')).toMatch(/ @contoso\/new-iot-team$/);
    expect(ownerLine(codeowners, '/apps/orders/')).toMatch(/ @contoso\/orders-team$/);
    expect(ownerLine(codeowners, '/apps/payments/')).toMatch(/ @contoso\/payments-team payments-oncall@contoso\.com$/);
    const drift = await runCli(root, ['drift', '--clusters-module', FLEET_MODULE], { direct: true });
    expect([drift.code, drift.stdout.trim()]).toEqual([
      0,
      'drift: clusters/, flux/ and .github/CODEOWNERS match the code',
    ]);

    // Byte for byte what a full synth without any cache writes from the same sources.
    const ref = copyRepo(root, 'owners-ref');
    roots.push(ref);
    fs.rmSync(path.join(ref, '.synth-cache'), { recursive: true, force: true });
    await ok(ref, ['synth', '--clusters-module', FLEET_MODULE, '--no-cache']);
    expect(readTree(root).get(CODEOWNERS_FILE)).toBe(readTree(ref).get(CODEOWNERS_FILE));
    expect(readTree(root)).toEqual(readTree(ref));
  }, 120_000);

  it('an app that drops its owners goes back to the platform team, also when another app is synthesized', async () => {
    const root = copyRepo(base, 'owners-drop');
    roots.push(root);
    writeAppFile(root, 'orders', appSource('orders', FIXTURE_APPS.orders as string));
    await ok(root, ['synth', '--clusters-module', FLEET_MODULE, '--app', 'broker']);
    const codeowners = fs.readFileSync(path.join(root, CODEOWNERS_FILE), 'utf8');
    const platform = (ownerLine(codeowners, '*') as string).replace(/^\*\s+/, '');
    expect(ownerLine(codeowners, '/apps/orders/')).toMatch(
      new RegExp(` ${platform.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`),
    );
    const drift = await runCli(root, ['drift', '--clusters-module', FLEET_MODULE], { direct: true });
    expect([drift.code, drift.stdout.trim()]).toEqual([
      0,
      'drift: clusters/, flux/ and .github/CODEOWNERS match the code',
    ]);
  }, 120_000);
});
