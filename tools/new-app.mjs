#!/usr/bin/env node
// `npm run new-app -- <name> [--l4]`: scaffolds apps/<name> as an Nx project (package.json with the
// dependencies Nx reads the graph from, project.json with the synth/lint/typecheck/test targets,
// Jest and TypeScript configs, a starter src/index.ts and test), then runs `npm install` so the
// workspace link and package-lock.json include it (CI runs `npm ci`, which needs both).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [name, ...flags] = process.argv.slice(2);
const l4 = flags.includes('--l4');
if (!name || !/^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/.test(name)) {
  process.stderr.write('usage: npm run new-app -- <name> [--l4]\n  <name>: a lowercase DNS label of at most 40 characters (it becomes the namespace)\n');
  process.exit(2);
}
const dir = join(root, 'apps', name);
if (existsSync(dir)) {
  process.stderr.write(`error: apps/${name} already exists\n`);
  process.exit(1);
}
const json = (v) => JSON.stringify(v, null, 2) + '\n';
const files = {
  'package.json': json({ name: `@aks-gitops/${name}`, version: '0.0.0', private: true, main: 'src/index.ts', dependencies: { '@aks-gitops/workloads': '*', '@aks-gitops/synth': '*' } }),
  'project.json': json({
    name,
    $schema: '../../node_modules/nx/schemas/project-schema.json',
    sourceRoot: `apps/${name}/src`,
    projectType: 'application',
    tags: ['type:app'],
    targets: {
      lint: { command: `eslint --max-warnings=0 apps/${name}` },
      typecheck: { command: `tsc -p apps/${name}/tsconfig.json` },
      test: { command: `jest -c apps/${name}/jest.config.js --json --outputFile=dist/test-results/${name}.json`, outputs: [`{workspaceRoot}/dist/test-results/${name}.json`] },
    },
  }),
  'jest.config.js': `module.exports = { ...require('../../jest.preset.js'), displayName: '${name}', rootDir: __dirname };\n`,
  'tsconfig.json': json({ extends: '../../tsconfig.base.json', compilerOptions: { noEmit: true, baseUrl: '../..' }, include: ['src/**/*.ts', 'test/**/*.ts'] }),
  'src/index.ts': l4
    ? `import { L4Service, defineApp } from '@aks-gitops/workloads';

export default defineApp({
  name: '${name}',
  deploy: ({ scope, cluster }) => {
    // Starts on non-prod clusters; prod needs the image pinned as registry/repo:tag@sha256:<digest>.
    if (cluster.environment === 'prod') return;
    new L4Service(scope, 'service', {
      image: 'registry.example.com/${name}:0.1.0',
      ports: [{ name: 'tcp', port: 9000 }],
      exposure: { mode: 'private', allowedSources: ['192.168.0.0/24'] },
      address: { offset: 100 }, // pick a free offset in the cluster's internal LB subnet
    });
  },
});
`
    : `import { L7Api, defineApp } from '@aks-gitops/workloads';

export default defineApp({
  name: '${name}',
  deploy: ({ scope, cluster }) => {
    // Starts on non-prod clusters; prod needs the image pinned as registry/repo:tag@sha256:<digest>.
    if (cluster.environment === 'prod') return;
    new L7Api(scope, 'api', {
      image: 'registry.example.com/${name}:0.1.0',
      port: 8080,
      routes: [{ host: \`${name}.\${cluster.name}.contoso.com\`, paths: ['/'] }],
    });
  },
});
`,
  [`test/${name}.spec.ts`]: `import { CLUSTERS } from '@aks-gitops/cluster-model';
import { synthesizeFleet } from '@aks-gitops/synth';
import app from '@aks-gitops/${name}';

describe('${name}', () => {
  it('deploys to every non-prod cluster, and not yet to prod', () => {
    const out = synthesizeFleet({ clusters: CLUSTERS, apps: [app] });
    for (const c of CLUSTERS) expect(out.units.has(\`clusters/\${c.name}/${name}\`)).toBe(c.environment !== 'prod');
  });
});
`,
};
for (const [file, content] of Object.entries(files)) {
  mkdirSync(dirname(join(dir, file)), { recursive: true });
  writeFileSync(join(dir, file), content);
}
process.stdout.write(`created apps/${name}; running npm install to link it and update package-lock.json\n`);
const r = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);
process.stdout.write(`next: edit apps/${name}/src/index.ts, then npm run synth and commit apps/, clusters/, flux/ and package-lock.json\n`);
