import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type Invocation, optionFlag, UsageError } from './command-spec';

const json = (v: unknown): string => JSON.stringify(v, null, 2) + '\n';

/**
 * `aks-gitops new-app <name> [--l4] [--no-install]`: scaffolds apps/<name> as an Nx project:
 * package.json (the dependencies Nx reads the graph from; in its "nx" field the project name, tag
 * `type:app` and the targets lint, typecheck and test as empty stubs, whose commands, inputs and
 * caching are nx.json's targetDefaults like every project's), a starter src/index.ts and its test.
 * Then runs `npm install` so the workspace link and package-lock.json include it (CI runs `npm ci`,
 * which needs both). Rendering belongs to the `fleet` Nx project (tools/fleet), which depends on
 * every app. The output is Prettier-clean as written.
 */
export function newApp({ values, positionals, root }: Invocation): number {
  const [name] = positionals;
  if (!/^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/.test(name))
    throw new UsageError(`"${name}" is not a lowercase DNS label of at most 40 characters (it becomes the namespace)`);
  const l4 = optionFlag(values, 'l4');
  const dir = join(root, 'apps', name);
  if (existsSync(dir)) {
    process.stderr.write(`error: apps/${name} already exists\n`);
    return 1;
  }
  const files: Record<string, string> = {
    'package.json': json({
      name: `@aks-gitops/${name}`,
      version: '0.0.0',
      private: true,
      main: 'src/index.ts',
      dependencies: { '@aks-gitops/workloads': '*', '@aks-gitops/synth': '*' },
      nx: { name, tags: ['type:app'], targets: { lint: {}, typecheck: {}, test: {} } },
    }),
    'src/index.ts': l4
      ? `import { L4Service, defineApp } from '@aks-gitops/workloads';

export default defineApp({
  name: '${name}',
  deploy: ({ scope, cluster }) => {
    // Starts on non-prod clusters; prod needs the image pinned as registry/repo:tag@sha256:<digest>.
    // The registry must be one the cluster allows (allowedRegistries in its ClusterSpec).
    if (cluster.environment === 'prod') return;
    new L4Service(scope, 'service', {
      image: 'contoso.azurecr.io/${name}:0.1.0',
      ports: [{ name: 'tcp', port: 9000 }],
      exposure: { mode: 'private', allowedSources: ['192.168.0.0/24'] },
      address: 'auto', // synth allocates a free ILB address and records it in clusters/<cluster>/azure/allocations.json
    });
  },
});
`
      : `import { L7Api, defineApp } from '@aks-gitops/workloads';

export default defineApp({
  name: '${name}',
  deploy: ({ scope, cluster }) => {
    // Starts on non-prod clusters; prod needs the image pinned as registry/repo:tag@sha256:<digest>.
    // The registry must be one the cluster allows (allowedRegistries in its ClusterSpec).
    if (cluster.environment === 'prod') return;
    new L7Api(scope, 'api', {
      image: 'contoso.azurecr.io/${name}:0.1.0',
      port: 8080,
      // A host the cluster's listener certificate covers (its DNS names are in the ClusterSpec).
      routes: [{ host: '${name}.contoso.com', paths: ['/'] }],
    });
  },
});
`,
    [`test/${name}.spec.ts`]: `import * as path from 'node:path';
import { CLUSTERS } from '@aks-gitops/cluster-model';
import { loadApps, synthesizeFleet } from '@aks-gitops/synth';

// The whole fleet, as npm run synth loads it: the apps ${name} calls, and those that call it, are
// checked against each other (ports, consent, conflicts).
const fleet = loadApps(path.join(__dirname, '..', '..'));

describe('${name}', () => {
  it('synthesizes with the whole fleet on every cluster, and deploys to at least one', () => {
    const out = synthesizeFleet({ clusters: CLUSTERS, apps: fleet, onlyApps: ['${name}'] });
    expect(CLUSTERS.filter((c) => out.units.has(\`clusters/\${c.name}/${name}\`)).length).toBeGreaterThan(0);
  });
});
`,
  };
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), content);
  }
  if (optionFlag(values, 'no-install')) {
    process.stdout.write(`created apps/${name}; run npm install to link it and update package-lock.json\n`);
    return 0;
  }
  process.stdout.write(`created apps/${name}; running npm install to link it and update package-lock.json\n`);
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) return r.status ?? 1;
  process.stdout.write(
    `next: edit apps/${name}/src/index.ts, then npm run synth and commit apps/, clusters/, flux/ and package-lock.json\n`,
  );
  return 0;
}
