import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { CLUSTERS } from '@aks-gitops/cluster-model';
import type { KubeObject } from '@aks-gitops/cluster-model';
import { findKubectls, kustomizeBuild, validateObjects } from '@aks-gitops/validation';
import { REPO, ScratchRepo } from './support/scratch-repo';

/**
 * A user adds apps exactly as README "Adding a workload" says, in a scratch copy of this repository
 * holding the example fleet: an L7 API that calls orders-api (the README's invoices-api, with
 * orders-api's consent added on orders-api's side) and two L4 services from the `--l4` scaffold,
 * one of them pinned by digest for prod. Then every fleet-wide check CI runs must pass, the
 * scaffolded tests included, and Nx must see only the changed apps and the fleet as affected.
 */
const INVOICES_API = fs
  .readFileSync(path.join(REPO, 'README.md'), 'utf8')
  .match(/```ts\n(import \{ L7Api, defineApp \}[\s\S]*?)```/)?.[1];
const SCHEMALESS = ['alb.networking.azure.io/v1/WebApplicationFirewallPolicy'];
const DIGEST = `sha256:${'4'.repeat(64)}`;
// The repository's own clusters, whatever they are named: the scaffolds deploy to non-prod ones.
const NON_PROD = CLUSTERS.filter((c) => c.environment !== 'prod').map((c) => c.name);
const PROD = CLUSTERS.filter((c) => c.environment === 'prod').map((c) => c.name);

let repo: ScratchRepo;
beforeAll(() => {
  repo = ScratchRepo.create('adding-apps');
  repo.git('checkout', '-q', '-b', 'add-apps');
  repo.newApp('invoices-api');
  repo.write('apps/invoices-api/src/index.ts', INVOICES_API ?? 'README has no invoices-api example');
  // The callee's consent, as the README says: orders-api's owners add invoices-api to acceptCallsFrom.
  repo.edit('apps/orders-api/src/index.ts', 'acceptCallsFrom: [', "acceptCallsFrom: ['invoices-api', ");
  repo.newApp('ledger-db', '--l4');
  // Pinned by digest: it deploys to prod clusters too.
  repo.edit('apps/ledger-db/src/index.ts', "if (cluster.environment === 'prod') return;", '');
  repo.edit(
    'apps/ledger-db/src/index.ts',
    "'contoso.azurecr.io/ledger-db:0.1.0'",
    `'contoso.azurecr.io/ledger-db:0.1.0@${DIGEST}'`,
  );
  repo.newApp('game-server', '--l4');
  repo.lockfile();
}, 120_000);
afterAll(() => repo?.remove());

describe('adding an L7 API that calls an existing app and two L4 services, as the README says', () => {
  it('synth writes them; the drift check and the policy gate over the committed tree pass', () => {
    expect(repo.npm('synth').status).toBe(0);
    for (const cluster of NON_PROD) {
      for (const app of ['invoices-api', 'ledger-db', 'game-server'])
        expect(fs.existsSync(path.join(repo.root, 'clusters', cluster, app, 'manifests.yaml'))).toBe(true);
    }
    // Pinned by digest, ledger-db runs on prod clusters too; the unpinned game-server does not.
    for (const cluster of PROD) {
      expect(fs.existsSync(path.join(repo.root, 'clusters', cluster, 'ledger-db/manifests.yaml'))).toBe(true);
      expect(fs.existsSync(path.join(repo.root, 'clusters', cluster, 'game-server'))).toBe(false);
    }
    expect(repo.npm('drift').status).toBe(0);
    expect(repo.npm('policy').status).toBe(0);
  });

  it("gives the two L4 scaffolds different internal LB addresses, allocated (address: 'auto') and recorded", () => {
    const ips = ['game-server', 'ledger-db'].map((app) => {
      const svc = parseAllDocuments(repo.read(`clusters/${NON_PROD[0]}/${app}/manifests.yaml`))
        .map((d) => d.toJS() as KubeObject)
        .find((o) => o.kind === 'Service');
      return svc?.metadata.annotations?.['service.beta.kubernetes.io/azure-load-balancer-ipv4'];
    });
    expect(ips[0]).toBeDefined();
    expect(ips[0]).not.toBe(ips[1]);
    const recorded = (
      JSON.parse(repo.read(`clusters/${NON_PROD[0]}/azure/allocations.json`)) as {
        addresses: Array<{ address: string; app: string; how: string }>;
      }
    ).addresses.filter((a) => a.how === 'auto');
    expect(recorded.map((a) => [a.app, a.address])).toEqual([
      ['game-server', ips[0]],
      ['ledger-db', ips[1]],
    ]);
  });

  it('every generated folder builds with the real kustomize into schema-valid objects', () => {
    const [kubectl] = findKubectls();
    const dirs: string[] = [];
    const walk = (dir: string) => {
      if (fs.existsSync(path.join(dir, 'kustomization.yaml'))) dirs.push(dir);
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) walk(path.join(dir, e.name));
    };
    walk(path.join(repo.root, 'clusters'));
    walk(path.join(repo.root, 'flux'));
    expect(dirs.map((d) => path.relative(repo.root, d))).toContain(`clusters/${NON_PROD[0]}/invoices-api`);
    for (const dir of dirs) {
      const built = kustomizeBuild(dir, { kubectl: kubectl.path });
      const listed = (parse(fs.readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8')) as { resources: string[] })
        .resources;
      expect(built.length).toBe(
        listed.flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8'))).length,
      );
      // clusters/<cluster>/... and flux/<cluster>/...: checked against what that cluster's minor serves.
      const version = CLUSTERS.find(
        (c) => c.name === path.relative(repo.root, dir).split(path.sep)[1],
      )?.kubernetesVersion;
      expect(version).toBeDefined();
      expect(validateObjects(built, { allowSchemaless: SCHEMALESS, kubernetesVersion: version })).toEqual([]);
    }
  });

  it('the scaffolded tests pass, for the app that calls another and for the one pinned by digest', () => {
    for (const app of ['invoices-api', 'ledger-db', 'game-server']) {
      const r = repo.nx('test', app, '--skip-nx-cache', '--output-style=static');
      expect(`${app}: exit ${r.status}\n${r.status === 0 ? '' : r.stdout + r.stderr}`).toBe(`${app}: exit 0\n`);
    }
  });

  it('makes only the new apps, the consenting orders-api and the fleet project affected (the lockfile change affects nothing else)', () => {
    repo.commit('add invoices-api, ledger-db, game-server; orders-api accepts invoices-api');
    const r = repo.ok(repo.nx('show', 'projects', '--affected', '--base=main', '--head=HEAD'));
    expect(
      r.stdout
        .split('\n')
        .filter((l) => l !== '')
        .sort(),
    ).toEqual(['fleet', 'game-server', 'invoices-api', 'ledger-db', 'orders-api']);
  });
});
