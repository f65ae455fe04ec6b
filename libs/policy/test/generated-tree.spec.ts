import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { evaluate, loadTree, type Finding } from '@aks-gitops/policy';
import { stringify } from 'yaml';
import { APP, CLUSTER, Fixture } from './fixtures';

/*
 * The standalone gate reads the committed tree, which anyone can edit. It must judge exactly what
 * Flux would apply: Lists unwrapped, kustomization.yaml limited to listing its own files, and no
 * file that synth did not write.
 */

let root: string;

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'policy-tree-'));
});

afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

async function write(file: string, text: string): Promise<void> {
  await fs.mkdir(path.join(root, path.dirname(file)), { recursive: true });
  await fs.writeFile(path.join(root, file), text);
}

const KUSTOMIZATION =
  'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - manifests.yaml\n';

/** A compliant one-app cluster in the generated layout. */
async function writeGeneratedTree(fixture = new Fixture()): Promise<void> {
  const folders = new Map<string, string[]>();
  for (const document of fixture.documents) {
    if (document.file.endsWith('kustomization.yaml')) continue;
    const parts = document.file.split('/');
    const folder = parts[0] === 'flux' ? `flux/${parts[1]}` : parts.slice(0, 3).join('/');
    folders.set(folder, [...(folders.get(folder) ?? []), stringify(document.object)]);
  }
  for (const [folder, documents] of folders) {
    const file = folder.startsWith('flux/') ? 'platform.yaml' : 'manifests.yaml';
    await write(`${folder}/${file}`, documents.join('---\n'));
    await write(`${folder}/kustomization.yaml`, KUSTOMIZATION.replace('manifests.yaml', file));
  }
}

async function findings(): Promise<Finding[]> {
  const tree = await loadTree(root);
  return evaluate({
    documents: tree.documents,
    clusters: [{ name: CLUSTER, environment: 'dev' }],
    existingPaths: tree.existingPaths,
    unreadableFiles: tree.unreadableFiles,
  }).findings;
}

function rulesAndFiles(list: Finding[]): string[][] {
  return list.map((finding) => [finding.ruleId, finding.file]);
}

const PRIVILEGED_POD = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'root-shell', namespace: APP },
  spec: {
    containers: [{ name: 'shell', image: 'docker.io/library/busybox:1.36', securityContext: { privileged: true } }],
  },
};

describe('the generated layout', () => {
  it('passes a tree exactly as synth writes it', async () => {
    await writeGeneratedTree();
    expect(await findings()).toEqual([]);
  });

  it.each([
    ['clusters/README.md'],
    ['clusters/extra.yaml'],
    [`clusters/${CLUSTER}/extra.yaml`],
    [`clusters/${CLUSTER}/${APP}/extra.yaml`],
    [`clusters/${CLUSTER}/${APP}/.hidden.yaml`],
    [`clusters/${CLUSTER}/${APP}/notes.txt`],
    [`clusters/${CLUSTER}/${APP}/sub/manifests.yaml`],
    [`clusters/${CLUSTER}/azure/extra.yaml`],
    [`clusters/${CLUSTER}/azure/traffic-1.md`],
    [`clusters/${CLUSTER}/azure/traffic-notes.md`],
    ['flux/extra.yaml'],
    [`flux/${CLUSTER}/extra.yaml`],
    // Synth wrote app Kustomizations here before each app got its own in the platform folder.
    [`flux/${CLUSTER}/apps.yaml`],
    [`flux/${CLUSTER}/apps/manifests.yaml`],
    [`flux/${CLUSTER}/flux-system/extra.yaml`],
  ])('refuses %s, which synth did not write', async (file) => {
    await writeGeneratedTree();
    await write(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: stray\n  namespace: orders-api\n');
    const result = await findings();
    expect(result).toContainEqual(expect.objectContaining({ ruleId: 'file-generated', file, severity: 'error' }));
    expect(result.find((finding) => finding.ruleId === 'file-generated')?.message).toContain(
      `${file} was not written by synth`,
    );
  });

  it.each([
    ['allocations.json'],
    ['traffic.md'],
    // At scale synth splits the traffic map into an index and pages (found at 1,000 apps: the
    // standalone gate refused synth's own pages).
    ['traffic-01.md'],
    ['traffic-14.md'],
    ['traffic-100.md'],
  ])('accepts clusters/<cluster>/azure/%s, which synth writes', async (file) => {
    await writeGeneratedTree();
    await write(`clusters/${CLUSTER}/azure/${file}`, '# generated\n');
    expect(await findings()).toEqual([]);
  });

  it('refuses a folder for an app or a cluster synth does not know, when told which exist', async () => {
    await writeGeneratedTree();
    await write(
      `clusters/${CLUSTER}/evil-api/manifests.yaml`,
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: evil-api\n',
    );
    await write(
      `clusters/aks-old-weu/${APP}/manifests.yaml`,
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: orders-api\n',
    );
    const tree = await loadTree(root, { knownApps: new Set([APP]), knownClusters: new Set([CLUSTER]) });
    expect(tree.unreadableFiles.map((problem) => [problem.ruleId, problem.file, problem.message])).toEqual([
      [
        'file-generated',
        `clusters/${CLUSTER}/evil-api/manifests.yaml`,
        `clusters/${CLUSTER}/evil-api/manifests.yaml was not written by synth: there is no app evil-api (apps/evil-api/); Flux would apply it without review`,
      ],
      [
        'file-generated',
        `clusters/aks-old-weu/${APP}/manifests.yaml`,
        `clusters/aks-old-weu/${APP}/manifests.yaml was not written by synth: cluster aks-old-weu is not in the fleet; Flux would apply it without review`,
      ],
    ]);
  });

  it('refuses a symbolic link', async () => {
    await writeGeneratedTree();
    await fs.symlink('/etc/hostname', path.join(root, 'clusters', CLUSTER, APP, 'linked.yaml'));
    expect(rulesAndFiles(await findings())).toContainEqual([
      'file-generated',
      `clusters/${CLUSTER}/${APP}/linked.yaml`,
    ]);
  });

  it('leaves the files flux bootstrap writes alone, and does not judge them', async () => {
    await writeGeneratedTree();
    await write(
      `flux/${CLUSTER}/flux-system/gotk-components.yaml`,
      stringify({
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'kustomizations.kustomize.toolkit.fluxcd.io' },
      }),
    );
    await write(
      `flux/${CLUSTER}/flux-system/gotk-sync.yaml`,
      stringify({
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
        kind: 'Kustomization',
        metadata: { name: 'flux-system', namespace: 'flux-system' },
        spec: { path: `./flux/${CLUSTER}` },
      }),
    );
    await write(
      `flux/${CLUSTER}/flux-system/kustomization.yaml`,
      'resources:\n  - gotk-components.yaml\n  - gotk-sync.yaml\n',
    );
    expect(await findings()).toEqual([]);
  });
});

describe('kustomization.yaml lists only files of its own folder', () => {
  const file = `clusters/${CLUSTER}/${APP}/kustomization.yaml`;

  it.each([
    ['configMapGenerator', 'configMapGenerator:\n  - name: x\n    literals: [a=b]\n'],
    ['secretGenerator', 'secretGenerator:\n  - name: x\n    literals: [a=b]\n'],
    ['generators', 'generators:\n  - gen.yaml\n'],
    [
      'patches',
      'patches:\n  - patch: "- op: remove\\n  path: /spec/template/spec/securityContext"\n    target: {kind: Deployment}\n',
    ],
    ['patchesStrategicMerge', 'patchesStrategicMerge:\n  - p.yaml\n'],
    ['patchesJson6902', 'patchesJson6902:\n  - path: p.yaml\n'],
    ['images', 'images:\n  - name: app\n    newName: evil.example.com/app\n'],
    ['namePrefix', 'namePrefix: x-\n'],
    ['nameSuffix', 'nameSuffix: -x\n'],
    ['namespace', 'namespace: kube-system\n'],
    ['commonLabels', 'commonLabels:\n  a: b\n'],
    ['labels', 'labels:\n  - pairs: {a: b}\n'],
    ['commonAnnotations', 'commonAnnotations:\n  a: b\n'],
    ['components', 'components:\n  - ../../component\n'],
    ['helmCharts', 'helmCharts:\n  - name: redis\n    repo: https://charts.example.com\n'],
    ['replacements', 'replacements:\n  - path: r.yaml\n'],
    ['transformers', 'transformers:\n  - t.yaml\n'],
    ['crds', 'crds:\n  - crd.json\n'],
    ['bases', 'bases:\n  - ../payments-api\n'],
    ['openapi', 'openapi:\n  path: schema.json\n'],
  ])('refuses %s, naming the file and the field', async (field, extra) => {
    await writeGeneratedTree();
    await write(file, KUSTOMIZATION + extra);
    const result = (await findings()).filter((finding) => finding.ruleId === 'kustomization-local-resources');
    expect(result).toEqual([expect.objectContaining({ file, severity: 'error' })]);
    expect(result[0].message).toContain(`${file}: ${field} is set`);
  });

  it.each([
    ['a remote resource', 'https://github.com/contoso/evil//deploy?ref=main', 'is a remote resource'],
    ['a git resource', 'git@github.com:contoso/evil.git', 'is a remote resource'],
    ['a parent-folder resource', '../payments-api', 'is not a file in this folder'],
    ['a resource in another cluster', '../../aks-prod-weu/orders-api/manifests.yaml', 'is not a file in this folder'],
    ['a missing file', 'other.yaml', 'does not exist in this folder'],
  ])('refuses %s', async (_name, resource, message) => {
    await writeGeneratedTree();
    await write(file, `${KUSTOMIZATION}  - ${JSON.stringify(resource)}\n`);
    const result = (await findings()).filter((finding) => finding.ruleId === 'kustomization-local-resources');
    expect(result).toEqual([expect.objectContaining({ file })]);
    expect(result[0].message).toContain('resources[1]');
    expect(result[0].message).toContain(message);
  });

  it('refuses a kustomize Component instead of a Kustomization', async () => {
    await writeGeneratedTree();
    await write(file, KUSTOMIZATION.replace('kind: Kustomization', 'kind: Component').replace('v1beta1', 'v1alpha1'));
    const messages = (await findings())
      .filter((finding) => finding.ruleId === 'kustomization-local-resources')
      .map((finding) => finding.message);
    expect(messages).toEqual([
      expect.stringContaining('apiVersion is'),
      expect.stringContaining('kind is "Component"'),
    ]);
  });
});

describe('Lists are unwrapped before any rule runs', () => {
  it('judges a privileged Pod wrapped in kind: List', async () => {
    await writeGeneratedTree();
    const manifests = path.join(root, 'clusters', CLUSTER, APP, 'manifests.yaml');
    await fs.appendFile(manifests, `---\n${stringify({ apiVersion: 'v1', kind: 'List', items: [PRIVILEGED_POD] })}`);
    const result = await findings();
    expect(result).toContainEqual(
      expect.objectContaining({
        ruleId: 'pss-privileged',
        object: `Pod ${APP}/root-shell`,
        file: `clusters/${CLUSTER}/${APP}/manifests.yaml`,
      }),
    );
    expect(result).toContainEqual(
      expect.objectContaining({ ruleId: 'app-allowed-kind', object: `Pod ${APP}/root-shell` }),
    );
  });

  it('judges objects in a *List kind nested in a List', async () => {
    await writeGeneratedTree();
    const binding = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'own-the-cluster' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'ServiceAccount', name: APP, namespace: APP }],
    };
    const nested = {
      apiVersion: 'v1',
      kind: 'List',
      items: [{ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBindingList', items: [binding] }],
    };
    await fs.appendFile(path.join(root, 'clusters', CLUSTER, APP, 'manifests.yaml'), `---\n${stringify(nested)}`);
    const result = await findings();
    expect(result).toContainEqual(
      expect.objectContaining({ ruleId: 'rbac-no-privileged-binding', object: 'ClusterRoleBinding own-the-cluster' }),
    );
    expect(result).toContainEqual(
      expect.objectContaining({ ruleId: 'app-namespaced', object: 'ClusterRoleBinding own-the-cluster' }),
    );
  });

  it('reports a List whose items it cannot read', async () => {
    await writeGeneratedTree();
    await fs.appendFile(
      path.join(root, 'clusters', CLUSTER, APP, 'manifests.yaml'),
      `---\n${stringify({ apiVersion: 'v1', kind: 'List', items: { sneaky: PRIVILEGED_POD } })}`,
    );
    expect(rulesAndFiles(await findings())).toEqual([
      ['manifest-readable', `clusters/${CLUSTER}/${APP}/manifests.yaml`],
    ]);
  });

  it('unwraps Lists handed to evaluate() in memory too (synth, escape hatches)', () => {
    const fixture = new Fixture();
    fixture.documents.push({
      file: `${fixture.appFolder}/manifests.yaml`,
      object: { apiVersion: 'v1', kind: 'List', metadata: { name: '' }, items: [PRIVILEGED_POD] },
    });
    const result = evaluate(fixture.input()).findings;
    expect(result).toContainEqual(
      expect.objectContaining({ ruleId: 'pss-privileged', object: `Pod ${APP}/root-shell` }),
    );
  });
});
