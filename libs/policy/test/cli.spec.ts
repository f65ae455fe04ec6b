import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ManifestDocument } from '@aks-gitops/cluster-model';
import { loadTree, runPolicy, type PolicyArgs, type PolicyCluster } from '@aks-gitops/policy';
import { stringify } from 'yaml';
import { APP, CLUSTER, Fixture, PROD_CLUSTER } from './fixtures';

const FLEET: PolicyCluster[] = [
  { name: CLUSTER, environment: 'dev' },
  { name: PROD_CLUSTER, environment: 'prod' },
];

/** The file synth would write a fixture document into: one manifests.yaml per folder, the Flux files by role. */
function generatedFile(document: ManifestDocument): string {
  const parts = document.file.split('/');
  if (parts[0] === 'flux') {
    const name = document.object.kind === 'GitRepository' ? 'source.yaml' : 'platform.yaml';
    return `flux/${parts[1]}/${name}`;
  }
  return `${parts.slice(0, 3).join('/')}/manifests.yaml`;
}

/** Writes documents the way synth does: the generated layout, several documents per file, a kustomization.yaml per folder. */
async function writeTree(rootDir: string, documents: ManifestDocument[]): Promise<void> {
  const byFile = new Map<string, ManifestDocument[]>();
  for (const document of documents) {
    if (document.file.endsWith('/kustomization.yaml')) continue;
    const file = generatedFile(document);
    byFile.set(file, [...(byFile.get(file) ?? []), document]);
  }
  const byFolder = new Map<string, string[]>();
  for (const [file, fileDocuments] of byFile) {
    await fs.mkdir(path.join(rootDir, path.dirname(file)), { recursive: true });
    await fs.writeFile(
      path.join(rootDir, file),
      fileDocuments.map((document) => stringify(document.object)).join('---\n'),
    );
    byFolder.set(path.posix.dirname(file), [
      ...(byFolder.get(path.posix.dirname(file)) ?? []),
      path.posix.basename(file),
    ]);
  }
  for (const [folder, files] of byFolder) {
    await fs.writeFile(
      path.join(rootDir, folder, 'kustomization.yaml'),
      `# Generated\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${files
        .sort()
        .map((file) => `  - ${file}\n`)
        .join('')}`,
    );
  }
}

/** A dev and a prod cluster; the platform baseline of dev goes into one multi-document file. */
function fleetDocuments(): { dev: Fixture; prod: Fixture } {
  const dev = new Fixture();
  for (const document of dev.documents)
    if (document.file.startsWith(dev.platformFolder)) document.file = `${dev.platformFolder}/baseline.yaml`;
  const prod = new Fixture({ cluster: PROD_CLUSTER, environment: 'prod' });
  return { dev, prod };
}

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(rootDir: string, args: PolicyArgs): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runPolicy(args, {
    rootDir,
    clusters: FLEET,
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  });
  return { code, stdout, stderr };
}

describe('loadTree and runPolicy', () => {
  let rootDir: string;

  beforeEach(async () => {
    rootDir = await fs.mkdtemp(path.join(os.tmpdir(), 'policy-cli-'));
  });

  afterEach(async () => {
    await fs.rm(rootDir, { recursive: true, force: true });
  });

  async function writeFleet(mutate: (fleet: { dev: Fixture; prod: Fixture }) => void = () => undefined): Promise<void> {
    const fleet = fleetDocuments();
    mutate(fleet);
    await writeTree(rootDir, [...fleet.dev.documents, ...fleet.prod.documents]);
    // Azure config sits beside the manifests and must be ignored, even if it looks like YAML.
    await fs.mkdir(path.join(rootDir, 'clusters', CLUSTER, 'azure'), { recursive: true });
    await fs.writeFile(path.join(rootDir, 'clusters', CLUSTER, 'azure', 'firewall-dnat.json'), '{"rules": []}');
    await fs.writeFile(path.join(rootDir, 'clusters', CLUSTER, 'azure', 'traffic.md'), 'not: [a kubernetes object');
    // The kind-less form of a kustomization file, which kustomize also accepts.
    await fs.writeFile(
      path.join(rootDir, 'flux', CLUSTER, 'kustomization.yaml'),
      'resources:\n  - platform.yaml\n  - source.yaml\n',
    );
  }

  it('loads multi-document files, skips kustomization.yaml and azure/, and lists folders and clusters', async () => {
    await writeFleet();
    const tree = await loadTree(rootDir);
    const fixture = fleetDocuments();
    const expectedCount = [...fixture.dev.documents, ...fixture.prod.documents].filter(
      (document) => !document.file.endsWith('kustomization.yaml'),
    ).length;
    expect(tree.documents).toHaveLength(expectedCount);
    expect(
      tree.documents
        .filter((document) => document.file === `clusters/${CLUSTER}/platform/manifests.yaml`)
        .map((document) => document.object.kind),
    ).toEqual(['Namespace', 'NetworkPolicy', 'NetworkPolicy']);
    expect(
      tree.documents.some(
        (document) =>
          document.object.kind === 'Kustomization' && document.object.apiVersion.startsWith('kustomize.config'),
      ),
    ).toBe(false);
    expect(tree.unreadableFiles).toEqual([]);
    expect(tree.existingPaths.has(`clusters/${CLUSTER}/${APP}`)).toBe(true);
    expect(tree.existingPaths.has(`flux/${PROD_CLUSTER}`)).toBe(true);
    expect(tree.clusterNames).toEqual([CLUSTER, PROD_CLUSTER]);
  });

  it('exits 0 and prints a table when everything passes', async () => {
    await writeFleet();
    const result = await run(rootDir, {});
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`== ${CLUSTER} ==`);
    expect(result.stdout).toContain('policy PASSED');
  });

  it('exits 1 on an unwaived error and names the rule', async () => {
    await writeFleet(({ prod }) => (prod.containerSecurityContext().privileged = true));
    const result = await run(rootDir, {});
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/error +pss-privileged +Deployment orders-api\/orders-api/);
  });

  it('exits 0 when the only findings are warnings or waived', async () => {
    await writeFleet(({ dev }) => {
      dev.find('Namespace', APP).metadata.annotations = {};
      dev.containerSecurityContext().readOnlyRootFilesystem = false;
      dev.annotate('Deployment', APP, 'waivers.aks-gitops.io/read-only-root-filesystem', 'approved in SEC-1');
    });
    const result = await run(rootDir, { format: 'json' });
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as { ok: boolean; findings: { ruleId: string }[] };
    expect(parsed.ok).toBe(true);
    expect(parsed.findings.map((finding) => finding.ruleId).sort()).toEqual([
      'namespace-prune-disabled',
      'read-only-root-filesystem',
    ]);
  });

  it('prints JSON with --json', async () => {
    await writeFleet(({ dev }) => (dev.spec('Service', APP).type = 'NodePort'));
    const result = await run(rootDir, { format: 'json' });
    expect(result.code).toBe(1);
    const parsed = JSON.parse(result.stdout) as {
      ok: boolean;
      summary: { cluster: string }[];
      findings: { ruleId: string; file: string }[];
    };
    expect(parsed.ok).toBe(false);
    expect(parsed.summary.map((summary) => summary.cluster)).toEqual([CLUSTER, PROD_CLUSTER]);
    expect(parsed.findings).toEqual([
      expect.objectContaining({ ruleId: 'service-no-node-port', file: `clusters/${CLUSTER}/${APP}/manifests.yaml` }),
    ]);
  });

  it('filters to one cluster with --cluster', async () => {
    await writeFleet(({ prod }) => (prod.container().image = 'acr.azurecr.io/orders-api:1.4.2'));
    const dev = await run(rootDir, { cluster: CLUSTER, format: 'json' });
    expect(dev.code).toBe(0);
    expect(
      (JSON.parse(dev.stdout) as { summary: { cluster: string }[] }).summary.map((summary) => summary.cluster),
    ).toEqual([CLUSTER]);
    const prod = await run(rootDir, { cluster: PROD_CLUSTER });
    expect(prod.code).toBe(1);
    expect(prod.stdout).toContain('image-digest-in-prod');
    expect(prod.stdout).not.toContain(`== ${CLUSTER} ==`);
  });

  it('fails the Flux path rule when a Kustomization points at a missing folder', async () => {
    await writeFleet(({ dev }) => {
      dev.find('Kustomization', APP).metadata.name = 'payments';
      dev.spec('Kustomization', 'payments').path = `./clusters/${CLUSTER}/payments`;
    });
    const result = await run(rootDir, { format: 'json' });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual(
      expect.objectContaining({ findings: [expect.objectContaining({ ruleId: 'flux-path-exists' })] }),
    );
  });

  it('reports unparseable YAML as manifest-readable and exits 1', async () => {
    await writeFleet();
    await fs.writeFile(
      path.join(rootDir, 'clusters', CLUSTER, APP, 'broken.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\n',
    );
    await fs.writeFile(path.join(rootDir, 'clusters', CLUSTER, APP, 'list.yaml'), '- just\n- a list\n');
    const result = await run(rootDir, { format: 'json' });
    expect(result.code).toBe(1);
    const parsed = JSON.parse(result.stdout) as { findings: { ruleId: string; file: string; message: string }[] };
    // Neither file is one synth writes, and neither holds Kubernetes objects.
    expect(parsed.findings.map((finding) => [finding.ruleId, finding.file])).toEqual([
      ['file-generated', `clusters/${CLUSTER}/${APP}/broken.yaml`],
      ['manifest-readable', `clusters/${CLUSTER}/${APP}/broken.yaml`],
      ['file-generated', `clusters/${CLUSTER}/${APP}/list.yaml`],
      ['manifest-readable', `clusters/${CLUSTER}/${APP}/list.yaml`],
    ]);
    expect(parsed.findings[3].message).toBe(
      'document #1 is not a Kubernetes object (needs apiVersion, kind and metadata.name)',
    );
  });

  it('lists every waiver per cluster and app with --waivers, and says which ones count', async () => {
    await writeFleet(({ dev, prod }) => {
      dev.containerSecurityContext().readOnlyRootFilesystem = false;
      dev.annotate(
        'Deployment',
        APP,
        'waivers.aks-gitops.io/read-only-root-filesystem',
        'legacy JVM writes its cache, approved in SEC-123',
      );
      prod.annotate('Service', APP, 'waivers.aks-gitops.io/*', 'everything is fine here, trust me');
    });
    const table = await run(rootDir, { waivers: true });
    expect(table.code).toBe(1);
    expect(table.stdout).toMatch(
      new RegExp(
        `== ${CLUSTER} ==\\nAPP +OBJECT +RULE +STATUS\\n${APP} +Deployment ${APP}/${APP} +read-only-root-filesystem +counts\\n    reason \\(metadata\\): legacy JVM writes its cache, approved in SEC-123\\n${CLUSTER}: 1 waiver, 0 rejected`,
      ),
    );
    expect(table.stdout).toMatch(new RegExp(`${APP} +Service ${APP}/${APP} +\\* +REJECTED \\(waiver-wildcard\\)`));
    const json = await run(rootDir, { waivers: true, format: 'json' });
    expect(JSON.parse(json.stdout)).toEqual({
      waivers: [
        expect.objectContaining({
          cluster: CLUSTER,
          app: APP,
          object: `Deployment ${APP}/${APP}`,
          ruleId: 'read-only-root-filesystem',
          counts: true,
        }),
        expect.objectContaining({
          cluster: PROD_CLUSTER,
          app: APP,
          object: `Service ${APP}/${APP}`,
          ruleId: '*',
          counts: false,
          problem: expect.objectContaining({ ruleId: 'waiver-wildcard' }),
        }),
      ],
    });
  });

  it('exits 2 on a cluster that does not exist, naming the known ones (command-line syntax: libs/cli)', async () => {
    await writeFleet();
    const unknown = await run(rootDir, { cluster: 'aks-nowhere' });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown cluster aks-nowhere');
  });

  it('handles a root without manifests', async () => {
    const tree = await loadTree(rootDir);
    expect(tree).toEqual({ documents: [], existingPaths: new Set(), clusterNames: [], unreadableFiles: [] });
  });
});
