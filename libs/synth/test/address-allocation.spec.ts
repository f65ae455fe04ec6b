/**
 * `address: 'auto'` on an L4Service: synth allocates a free internal load balancer address and
 * records it in the committed `clusters/<cluster>/azure/allocations.json`, which it reads back, so
 * an address never moves when other apps are added or removed. Tried as a user would: apps written
 * under apps/, the real CLI, drift afterwards.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  CLUSTER_NAMES,
  FLEET_MODULE,
  hashTree,
  removeScratch,
  runCli,
  runSynthCli,
  scratchRepo,
  writeApp,
} from './reliability/support/scratch';

const roots: string[] = [];
afterAll(() => roots.forEach(removeScratch));

const IPV4 = 'service.beta.kubernetes.io/azure-load-balancer-ipv4';
/** The reliability fleet's ILB subnets: rel-dev 10.10.4.0/24, rel-prod 10.20.4.0/24. */
const NET: Record<string, string> = { 'rel-dev': '10.10.4', 'rel-prod': '10.20.4' };

const db = (address: string, exposure = `{ mode: 'private', allowedSources: ['192.168.50.0/24'] }`) =>
  `    new L4Service(scope, 'db', {
      image: IMG('db'),
      ports: [{ name: 'pg', port: 5432 }],
      exposure: ${exposure},
      address: ${address},
    });`;

function repo(label: string, apps: Record<string, string>): string {
  const root = scratchRepo(`alloc-${label}`, apps);
  roots.push(root);
  return root;
}

async function synth(root: string, extra: string[] = []): Promise<{ code: number | null; out: string }> {
  const r = await runSynthCli(root, extra, { direct: true });
  return { code: r.code, out: r.stdout + r.stderr };
}

async function synthOk(root: string, extra: string[] = []): Promise<void> {
  const r = await synth(root, extra);
  if (r.code !== 0) throw new Error(`synth ${extra.join(' ')} exited ${r.code}:\n${r.out}`);
}

async function drift(root: string): Promise<{ code: number | null; out: string }> {
  const r = await runCli(root, ['drift', '--clusters-module', FLEET_MODULE], { direct: true });
  return { code: r.code, out: r.stdout + r.stderr };
}

/** The address in an app's Service on a cluster, as Flux would apply it. */
function serviceAddress(root: string, cluster: string, app: string): string | undefined {
  const text = fs.readFileSync(path.join(root, 'clusters', cluster, app, 'manifests.yaml'), 'utf8');
  const service = parseAllDocuments(text)
    .map((d) => d.toJS() as { kind: string; metadata: { annotations?: Record<string, string> } })
    .find((o) => o.kind === 'Service');
  return service?.metadata.annotations?.[IPV4];
}

interface Allocations {
  addresses: Array<{ address: string; app: string; workload: string; how: string }>;
  released: Array<{ address: string; app: string; workload: string }>;
}
const allocations = (root: string, cluster: string): Allocations =>
  JSON.parse(fs.readFileSync(path.join(root, 'clusters', cluster, 'azure', 'allocations.json'), 'utf8'));

/** app -> address on every cluster, from the Services (and checked against allocations.json). */
function addressesOf(root: string, apps: string[]): Record<string, Record<string, string | undefined>> {
  const out: Record<string, Record<string, string | undefined>> = {};
  for (const c of CLUSTER_NAMES) {
    const recorded = allocations(root, c).addresses;
    out[c] = {};
    for (const app of apps) {
      const ip = serviceAddress(root, c, app);
      expect(recorded.filter((a) => a.app === app).map((a) => a.address)).toEqual([ip]);
      out[c][app] = ip;
    }
  }
  return out;
}
const everywhere = (byApp: Record<string, number>) =>
  Object.fromEntries(
    CLUSTER_NAMES.map((c) => [
      c,
      Object.fromEntries(Object.entries(byApp).map(([app, last]) => [app, `${NET[c]}.${last}`])),
    ]),
  );

describe("address: 'auto'", () => {
  it('gives two apps added at once the first free addresses from offset 100, in app name order, recorded in allocations.json', async () => {
    // Written in reverse name order: the allocation follows the names, not the order of the files.
    const root = repo('two', { 'zeta-db': db(`'auto'`), 'alpha-db': db(`'auto'`) });
    await synthOk(root);
    expect(addressesOf(root, ['alpha-db', 'zeta-db'])).toEqual(everywhere({ 'alpha-db': 100, 'zeta-db': 101 }));
    expect(allocations(root, 'rel-dev')).toMatchObject({
      addresses: [
        { address: '10.10.4.100', app: 'alpha-db', workload: 'alpha-db', how: 'auto' },
        { address: '10.10.4.101', app: 'zeta-db', workload: 'zeta-db', how: 'auto' },
      ],
      released: [],
    });
    expect((await drift(root)).code).toBe(0);
  });

  it('skips addresses other apps name explicitly, and feeds the firewall DNAT rule', async () => {
    const root = repo('explicit', {
      'alpha-db': db(`{ offset: 100 }`),
      'beta-db': db(`'auto'`, `{ mode: 'public-via-firewall', sourceAddresses: ['*'] }`),
    });
    await synthOk(root);
    expect(addressesOf(root, ['alpha-db', 'beta-db'])).toEqual(everywhere({ 'alpha-db': 100, 'beta-db': 101 }));
    expect(allocations(root, 'rel-dev').addresses.map((a) => [a.app, a.how])).toEqual([
      ['alpha-db', 'explicit'],
      ['beta-db', 'auto'],
    ]);
    const dnat = fs.readFileSync(path.join(root, 'clusters/rel-dev/azure/firewall-dnat.json'), 'utf8');
    expect(dnat).toContain('"10.10.4.101"');
  });

  it('never moves an address when apps are added and removed; a freed address is not reused in the change that frees it', async () => {
    const root = repo('stable', { 'alpha-db': db(`'auto'`), 'zeta-db': db(`'auto'`) });
    await synthOk(root);

    // Added between the two by name: gets the next free address; the others stay.
    writeApp(root, 'mid-db', db(`'auto'`));
    await synthOk(root);
    expect(addressesOf(root, ['alpha-db', 'mid-db', 'zeta-db'])).toEqual(
      everywhere({ 'alpha-db': 100, 'mid-db': 102, 'zeta-db': 101 }),
    );

    // alpha-db removed and beta-db added in one change: beta-db does not get alpha-db's address.
    fs.rmSync(path.join(root, 'apps', 'alpha-db'), { recursive: true });
    writeApp(root, 'beta-db', db(`'auto'`));
    await synthOk(root);
    expect(addressesOf(root, ['beta-db', 'mid-db', 'zeta-db'])).toEqual(
      everywhere({ 'beta-db': 103, 'mid-db': 102, 'zeta-db': 101 }),
    );
    expect(allocations(root, 'rel-dev').released).toEqual([
      { address: '10.10.4.100', app: 'alpha-db', workload: 'alpha-db' },
    ]);
    expect((await drift(root)).code).toBe(0);

    // Later: a new app still prefers a never-used address over a released one ...
    writeApp(root, 'gamma-db', db(`'auto'`));
    await synthOk(root);
    expect(addressesOf(root, ['gamma-db'])).toEqual(everywhere({ 'gamma-db': 104 }));
    // ... and alpha-db, back, gets its old address again.
    writeApp(root, 'alpha-db', db(`'auto'`));
    await synthOk(root);
    expect(addressesOf(root, ['alpha-db', 'beta-db', 'gamma-db', 'mid-db', 'zeta-db'])).toEqual(
      everywhere({ 'alpha-db': 100, 'beta-db': 103, 'gamma-db': 104, 'mid-db': 102, 'zeta-db': 101 }),
    );
    expect(allocations(root, 'rel-dev').released).toEqual([]);

    // The same through the claims cache (synth --app replays the other apps) and --changed.
    await synthOk(root, ['--app', 'mid-db']);
    await synthOk(root, ['--changed']);
    expect(addressesOf(root, ['alpha-db', 'beta-db', 'gamma-db', 'mid-db', 'zeta-db'])).toEqual(
      everywhere({ 'alpha-db': 100, 'beta-db': 103, 'gamma-db': 104, 'mid-db': 102, 'zeta-db': 101 }),
    );
    expect((await drift(root)).code).toBe(0);
  });

  it('switching an app from an explicit address to auto keeps its address', async () => {
    const root = repo('switch', { 'alpha-db': db(`{ offset: 30 }`), 'beta-db': db(`'auto'`) });
    await synthOk(root);
    writeApp(root, 'alpha-db', db(`'auto'`));
    await synthOk(root);
    expect(addressesOf(root, ['alpha-db', 'beta-db'])).toEqual(everywhere({ 'alpha-db': 30, 'beta-db': 100 }));
    expect(allocations(root, 'rel-prod').addresses.map((a) => a.how)).toEqual(['auto', 'auto']);
  });

  it('an explicit address on an allocated one fails synth naming both apps, and writes nothing', async () => {
    const root = repo('collide', { 'alpha-db': db(`'auto'`), 'zeta-db': db(`'auto'`) });
    await synthOk(root);
    const before = hashTree(root);
    writeApp(root, 'hand-db', db(`'10.10.4.101'`));
    const r = await synth(root);
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      "cluster rel-dev, app hand-db, field L4Service(hand-db).address: 10.10.4.101 is allocated to zeta-db/zeta-db (address: 'auto', recorded in clusters/rel-dev/azure/allocations.json)",
    );
    expect(r.out).toContain("Fix: use address: 'auto' or another free address for hand-db");
    expect(hashTree(root)).toEqual(before);
  });

  it('an explicit address freed by another app in the same change fails naming both; a later change may take it', async () => {
    const root = repo('freed', { 'alpha-db': db(`'auto'`), 'zeta-db': db(`'auto'`) });
    await synthOk(root);
    const before = hashTree(root);
    fs.rmSync(path.join(root, 'apps', 'zeta-db'), { recursive: true });
    writeApp(root, 'hand-db', db(`{ offset: 101 }`));
    const r = await synth(root);
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      'cluster rel-dev, app hand-db, field L4Service(hand-db).address: 10.10.4.101 was allocated to zeta-db/zeta-db, which this change removes or moves',
    );
    expect(hashTree(root)).toEqual(before);

    // The removal first, then the address in a later change.
    fs.rmSync(path.join(root, 'apps', 'hand-db'), { recursive: true });
    await synthOk(root);
    writeApp(root, 'hand-db', db(`{ offset: 101 }`));
    await synthOk(root);
    expect(addressesOf(root, ['alpha-db', 'hand-db'])).toEqual(everywhere({ 'alpha-db': 100, 'hand-db': 101 }));
  });

  it('drift names a deleted allocations.json and an address edited in it', async () => {
    const root = repo('drift', { 'alpha-db': db(`'auto'`), 'zeta-db': db(`'auto'`) });
    await synthOk(root);
    const file = path.join(root, 'clusters/rel-dev/azure/allocations.json');
    const text = fs.readFileSync(file, 'utf8');

    fs.rmSync(file);
    const deleted = await drift(root);
    expect(deleted.code).toBe(1);
    expect(deleted.out).toContain('clusters/rel-dev/azure/allocations.json');

    // Moving an address on purpose is an edit of the record; until synth runs, drift names the app.
    fs.writeFileSync(file, text.replace('"10.10.4.101"', '"10.10.4.150"'));
    const edited = await drift(root);
    expect(edited.code).toBe(1);
    expect(edited.out).toContain('clusters/rel-dev/zeta-db/manifests.yaml');
    await synthOk(root);
    expect(serviceAddress(root, 'rel-dev', 'zeta-db')).toBe('10.10.4.150');
    expect((await drift(root)).code).toBe(0);
  });

  it('a malformed allocations.json fails synth naming the file, and writes nothing', async () => {
    const root = repo('malformed', { 'alpha-db': db(`'auto'`) });
    await synthOk(root);
    fs.writeFileSync(path.join(root, 'clusters/rel-prod/azure/allocations.json'), '{ "addresses": 3 }\n');
    const before = hashTree(root);
    const r = await synth(root);
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      'cluster rel-prod, field clusters/rel-prod/azure/allocations.json: has no "addresses" and "released" lists',
    );
    expect(hashTree(root)).toEqual(before);
  });
});
