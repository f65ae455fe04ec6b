import { yamlDocuments } from '@aks-gitops/policy';
import type { KubeDoc } from './model';

export interface CommittedTree {
  /** `cluster` -> `group` -> object id -> object. */
  readonly objects: Map<string, Map<string, Map<string, KubeDoc>>>;
  /** `cluster` -> the DNAT rules of clusters/<cluster>/azure/firewall-dnat.json, by name. */
  readonly dnat: Map<string, Map<string, Record<string, unknown>>>;
  /** Every other file, by path. */
  readonly other: Map<string, string>;
}

export const objectId = (o: KubeDoc): string =>
  `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;

const isKubeDoc = (v: unknown): v is KubeDoc =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as KubeDoc).kind === 'string' &&
  typeof (v as KubeDoc).metadata?.name === 'string';

/** Flux objects that belong to an app (its Kustomization is named after it) are shown with the app. */
function fluxGroup(obj: KubeDoc, appFolders: ReadonlySet<string>): string {
  return obj.kind === 'Kustomization' && appFolders.has(obj.metadata.name) ? obj.metadata.name : 'flux';
}

/**
 * Sorts committed files into objects per cluster and folder. Kustomize's own config files are
 * skipped (they only list the folder's files); a file that cannot be parsed is kept as a
 * plain file, so the diff still shows that it changed. `paths`: every file of the commit, when
 * `files` holds only some of them (a Flux Kustomization is shown with its app when the commit
 * has a folder of that name).
 */
export function readCommittedTree(
  files: ReadonlyMap<string, string>,
  paths: Iterable<string> = files.keys(),
): CommittedTree {
  const objects: CommittedTree['objects'] = new Map();
  const dnat: CommittedTree['dnat'] = new Map();
  const other = new Map<string, string>();
  const appFolders = new Set<string>();
  for (const file of paths) {
    const [top, , folder] = file.split('/');
    if (top === 'clusters' && folder !== 'platform' && folder !== 'azure') appFolders.add(folder);
  }
  const put = (cluster: string, group: string, obj: KubeDoc): void => {
    const byGroup = objects.get(cluster) ?? new Map<string, Map<string, KubeDoc>>();
    objects.set(cluster, byGroup);
    const byId = byGroup.get(group) ?? new Map<string, KubeDoc>();
    byGroup.set(group, byId);
    byId.set(objectId(obj), obj);
  };
  for (const [file, text] of files) {
    const parts = file.split('/');
    const cluster = parts[1];
    if (parts[0] === 'clusters' && parts[2] === 'azure') {
      if (parts[3] === 'firewall-dnat.json') {
        const rules = dnatRules(text);
        if (rules) {
          dnat.set(cluster, rules);
          continue;
        }
      }
      other.set(file, text);
      continue;
    }
    if (!/\.ya?ml$/.test(file) || parts.length < 3) {
      other.set(file, text);
      continue;
    }
    // The policy gate's reader: js-yaml first (several times faster on machine-written files), `yaml` for what it refuses.
    const docs = yamlDocuments(text);
    if (docs.some((d) => 'problem' in d)) other.set(file, text);
    for (const d of docs) {
      const v = 'value' in d ? d.value : undefined;
      if (!isKubeDoc(v) || (v.apiVersion ?? '').startsWith('kustomize.config.k8s.io/')) continue;
      put(cluster, parts[0] === 'flux' ? fluxGroup(v, appFolders) : parts[2], v);
    }
  }
  return { objects, dnat, other };
}

function dnatRules(text: string): Map<string, Record<string, unknown>> | undefined {
  try {
    const json = JSON.parse(text) as {
      body?: { properties?: { ruleCollections?: { name?: string; rules?: Record<string, unknown>[] }[] } };
    };
    const rules = new Map<string, Record<string, unknown>>();
    for (const collection of json.body?.properties?.ruleCollections ?? []) {
      for (const rule of collection.rules ?? []) rules.set(String(rule.name), rule);
    }
    return rules;
  } catch {
    return undefined;
  }
}
