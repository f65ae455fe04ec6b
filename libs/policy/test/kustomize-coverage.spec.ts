import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { KubeObject } from '@aks-gitops/cluster-model';
import { loadTree } from '@aks-gitops/policy';
import { findKubectls, kustomizeBuild } from '@aks-gitops/validation';
import { stringify } from 'yaml';

/*
 * "The gate judges what Flux applies" is only true if the objects the gate reads from a folder are
 * exactly the objects `kubectl kustomize` (what kustomize-controller runs) builds from it. Checked
 * for every generated folder of the committed tree, whatever apps it holds, and for a folder whose
 * manifests wrap objects in Lists.
 */

const REPO = path.resolve(__dirname, '..', '..', '..');
const kubectl = findKubectls()[0]?.path ?? 'kubectl';

function key(object: KubeObject): string {
  return `${object.apiVersion}/${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}

function sorted(objects: KubeObject[]): KubeObject[] {
  return [...objects].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Folders Flux builds: every folder with a kustomization.yaml, except Azure config and flux bootstrap's own. */
function builtFolders(root: string): string[] {
  const folders: string[] = [];
  const walk = (relative: string): void => {
    const absolute = path.join(root, relative);
    if (!fs.existsSync(absolute)) return;
    if (fs.existsSync(path.join(absolute, 'kustomization.yaml'))) folders.push(relative);
    for (const entry of fs.readdirSync(absolute, { withFileTypes: true })) {
      if (
        entry.isDirectory() &&
        entry.name !== 'azure' &&
        !(relative.startsWith('flux/') && entry.name === 'flux-system')
      )
        walk(path.posix.join(relative, entry.name));
    }
  };
  walk('clusters');
  walk('flux');
  return folders.sort();
}

async function gateObjectsByFolder(root: string): Promise<Map<string, KubeObject[]>> {
  const tree = await loadTree(root);
  expect(tree.unreadableFiles).toEqual([]);
  const byFolder = new Map<string, KubeObject[]>();
  for (const document of tree.documents) {
    const folder = path.posix.dirname(document.file);
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), document.object]);
  }
  return byFolder;
}

describe('the gate reads exactly what kubectl kustomize builds', () => {
  const folders = builtFolders(REPO);

  it('finds generated folders to compare', () => {
    expect(folders.some((folder) => folder.startsWith('clusters/'))).toBe(true);
    expect(folders.some((folder) => folder.startsWith('flux/'))).toBe(true);
  });

  let committed: Promise<Map<string, KubeObject[]>> | undefined;

  it.each(folders.map((folder) => [folder]))('%s', async (folder) => {
    committed ??= gateObjectsByFolder(REPO);
    const judged = (await committed).get(folder) ?? [];
    const built = kustomizeBuild(path.join(REPO, folder), { kubectl });
    expect(judged.length).toBeGreaterThan(0);
    expect(sorted(judged)).toEqual(sorted(built));
  });

  it('unwraps kind: List and nested *List exactly as kustomize does', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-kustomize-'));
    try {
      const folder = 'clusters/aks-dev-weu/orders-api';
      const configMap = (name: string): KubeObject => ({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, namespace: 'orders-api' },
        data: { a: 'b' },
      });
      const documents = [
        configMap('plain'),
        {
          apiVersion: 'v1',
          kind: 'List',
          items: [
            configMap('in-list'),
            { apiVersion: 'v1', kind: 'ConfigMapList', items: [configMap('in-nested-list')] },
          ],
        },
        { apiVersion: 'v1', kind: 'ConfigMapList', metadata: {}, items: [configMap('in-typed-list')] },
      ];
      fs.mkdirSync(path.join(root, folder), { recursive: true });
      fs.writeFileSync(
        path.join(root, folder, 'manifests.yaml'),
        documents.map((document) => stringify(document)).join('---\n'),
      );
      fs.writeFileSync(
        path.join(root, folder, 'kustomization.yaml'),
        'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - manifests.yaml\n',
      );
      const judged = (await gateObjectsByFolder(root)).get(folder) ?? [];
      const built = kustomizeBuild(path.join(root, folder), { kubectl });
      expect(judged.map((object) => object.metadata.name).sort()).toEqual([
        'in-list',
        'in-nested-list',
        'in-typed-list',
        'plain',
      ]);
      expect(sorted(judged)).toEqual(sorted(built));
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
