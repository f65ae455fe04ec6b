import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ManifestDocument } from '@aks-gitops/cluster-model';
import { stringify } from 'yaml';

/** The file synth would write a fixture document into: one manifests.yaml per folder, the Flux files by role. */
function generatedFile(document: ManifestDocument): string {
  const parts = document.file.split('/');
  if (parts[0] !== 'flux') return `${parts.slice(0, 3).join('/')}/manifests.yaml`;
  return `flux/${parts[1]}/${document.object.kind === 'GitRepository' ? 'source' : 'platform'}.yaml`;
}

/**
 * Writes fixture documents under `rootDir` as synth lays them out: one manifests.yaml per folder
 * (several documents, each under a `# Kind name` comment), the Flux files by role, and a
 * kustomization.yaml per folder listing them. The fixtures' own kustomization.yaml documents are
 * left out (the written one replaces them).
 */
export async function writeGeneratedTree(rootDir: string, documents: readonly ManifestDocument[]): Promise<void> {
  const byFile = new Map<string, ManifestDocument[]>();
  for (const document of documents) {
    if (document.file.endsWith('/kustomization.yaml')) continue;
    const file = generatedFile(document);
    byFile.set(file, [...(byFile.get(file) ?? []), document]);
  }
  const byFolder = new Map<string, string[]>();
  for (const [file, fileDocuments] of byFile) {
    await fs.mkdir(path.join(rootDir, path.dirname(file)), { recursive: true });
    const text = fileDocuments
      .map((document) => `# ${document.object.kind} ${document.object.metadata.name}\n${stringify(document.object)}`)
      .join('---\n');
    await fs.writeFile(path.join(rootDir, file), text);
    const folder = path.posix.dirname(file);
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), path.posix.basename(file)]);
  }
  for (const [folder, files] of byFolder) {
    const resources = files
      .sort()
      .map((file) => `  - ${file}\n`)
      .join('');
    await fs.writeFile(
      path.join(rootDir, folder, 'kustomization.yaml'),
      `# Generated\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${resources}`,
    );
  }
}
