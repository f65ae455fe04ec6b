import type { ManifestDocument } from '@aks-gitops/cluster-model';
import { SelectorIndex } from './label-selector';
import type { PolicyCluster } from './model';
import { namespaceOf } from './object-identity';
import { podTemplateOf, type WorkloadView } from './pod-template';
import { asRecord, asRecords, asString, getPath } from './unknown-value';

/**
 * Everything one cluster's rules need to look up, built in a single pass over its documents.
 * Cross-object rules (is this pod covered by a NetworkPolicy, a PDB, an HPA?) read these maps
 * instead of rescanning the document list, which keeps a 3,500-object fleet linear.
 */
export interface ClusterIndex {
  name: string;
  /** undefined when the caller did not say which environment the cluster is. */
  environment: string | undefined;
  /** What the caller said about the cluster (Kubernetes version, registries, L7 provider); undefined when nothing. */
  spec: PolicyCluster | undefined;
  documents: ManifestDocument[];
  workloads: WorkloadView[];
  /** Namespace objects by metadata.name. */
  namespaceObjects: Map<string, ManifestDocument>;
  /** Workloads per namespace: the "app namespaces" that must be isolated. */
  workloadsByNamespace: Map<string, WorkloadView[]>;
  networkPoliciesByNamespace: Map<string, ManifestDocument[]>;
  networkPolicySelectors: Map<string, SelectorIndex<ManifestDocument>>;
  disruptionBudgetSelectors: Map<string, SelectorIndex<ManifestDocument>>;
  /** HPAs by `namespace/Kind/name` of their scale target. */
  autoscalersByTarget: Map<string, ManifestDocument[]>;
  /** HTTPRoutes by `namespace/name` of each Gateway they name in parentRefs. */
  httpRoutesByGateway: Map<string, ManifestDocument[]>;
  /** Quick access for rules that care about one kind only. */
  byKind: Map<string, ManifestDocument[]>;
}

export function autoscalerTargetKey(namespace: string, kind: string, name: string): string {
  return `${namespace}/${kind}/${name}`;
}

export function gatewayKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function selectorIndexFor(
  map: Map<string, SelectorIndex<ManifestDocument>>,
  namespace: string,
): SelectorIndex<ManifestDocument> {
  let index = map.get(namespace);
  if (!index) {
    index = new SelectorIndex<ManifestDocument>();
    map.set(namespace, index);
  }
  return index;
}

export function buildClusterIndex(
  name: string,
  environment: string | undefined,
  documents: ManifestDocument[],
  spec?: PolicyCluster,
): ClusterIndex {
  const index: ClusterIndex = {
    name,
    environment,
    spec,
    documents,
    workloads: [],
    namespaceObjects: new Map(),
    workloadsByNamespace: new Map(),
    networkPoliciesByNamespace: new Map(),
    networkPolicySelectors: new Map(),
    disruptionBudgetSelectors: new Map(),
    autoscalersByTarget: new Map(),
    httpRoutesByGateway: new Map(),
    byKind: new Map(),
  };
  for (const document of documents) {
    const { object } = document;
    const namespace = namespaceOf(object);
    push(index.byKind, object.kind, document);

    const pod = podTemplateOf(object);
    if (pod) {
      const workload: WorkloadView = { document, object, namespace, pod };
      index.workloads.push(workload);
      if (namespace) push(index.workloadsByNamespace, namespace, workload);
      continue;
    }

    switch (object.kind) {
      case 'Namespace':
        // The first declaration wins; a duplicate is a synth bug the drift check catches.
        if (!index.namespaceObjects.has(object.metadata.name))
          index.namespaceObjects.set(object.metadata.name, document);
        break;
      case 'NetworkPolicy':
        if (namespace) {
          push(index.networkPoliciesByNamespace, namespace, document);
          selectorIndexFor(index.networkPolicySelectors, namespace).add(
            getPath(object, 'spec', 'podSelector'),
            document,
          );
        }
        break;
      case 'PodDisruptionBudget':
        if (namespace)
          selectorIndexFor(index.disruptionBudgetSelectors, namespace).add(
            getPath(object, 'spec', 'selector'),
            document,
          );
        break;
      case 'HorizontalPodAutoscaler': {
        const target = asRecord(getPath(object, 'spec', 'scaleTargetRef'));
        const kind = asString(target?.kind);
        const targetName = asString(target?.name);
        if (namespace && kind && targetName)
          push(index.autoscalersByTarget, autoscalerTargetKey(namespace, kind, targetName), document);
        break;
      }
      case 'HTTPRoute':
        for (const parent of asRecords(getPath(object, 'spec', 'parentRefs'))) {
          if ((parent.kind ?? 'Gateway') !== 'Gateway') continue;
          const parentName = asString(parent.name);
          const parentNamespace = asString(parent.namespace) ?? namespace;
          if (parentName && parentNamespace)
            push(index.httpRoutesByGateway, gatewayKey(parentNamespace, parentName), document);
        }
        break;
      default:
        break;
    }
  }
  return index;
}
