import { FLUX_PRUNE_ANNOTATION, FLUX_PRUNE_DISABLED } from '@aks-gitops/cluster-model';
import { isClusterScoped } from '../object-identity';
import type { RuleContext } from '../rule-context';
import { asStringMap, show } from '../unknown-value';

/*
 * Namespaces are the unit everything else hangs off: Pod Security admission is switched on by
 * their labels, NetworkPolicies and RBAC are scoped by them. An object without one lands wherever
 * the applier's context points (usually `default`, which has none of the baseline).
 */

const PSS_LABEL_PREFIX = 'pod-security.kubernetes.io/';
const PSS_MODES = ['enforce', 'audit', 'warn'] as const;

export function checkNamespaces(context: RuleContext): void {
  checkPlacement(context);
  checkDeclared(context);
  checkNamespaceObjects(context);
}

function checkPlacement({ cluster, report }: RuleContext): void {
  for (const document of cluster.documents) {
    const { object } = document;
    if (isClusterScoped(object)) continue;
    const namespace = object.metadata.namespace;
    if (namespace === undefined || namespace === '') {
      report(
        'namespace-required',
        document,
        `${object.kind} ${object.metadata.name} sets no metadata.namespace`,
        'Set metadata.namespace to the app namespace.',
      );
    } else if (namespace === 'default') {
      report(
        'no-default-namespace',
        document,
        'object is in the default namespace',
        'Move it to the app namespace; default has no Pod Security labels and no default-deny.',
      );
    }
  }
}

function checkDeclared({ cluster, report }: RuleContext): void {
  for (const [namespace, workloads] of cluster.workloadsByNamespace) {
    // `default` always exists and is already reported by no-default-namespace.
    if (namespace === 'default' || cluster.namespaceObjects.has(namespace)) continue;
    for (const workload of workloads) {
      report(
        'namespace-declared',
        workload.document,
        `namespace ${namespace} is not declared by a Namespace object in this cluster, so its Pod Security labels are not applied`,
        `Add a Namespace ${namespace} to the cluster baseline (clusters/<cluster>/platform).`,
      );
    }
  }
}

function checkNamespaceObjects({ cluster, report }: RuleContext): void {
  for (const document of cluster.byKind.get('Namespace') ?? []) {
    const labels = asStringMap(document.object.metadata.labels);
    const rawLabels = document.object.metadata.labels ?? {};
    const notRestricted = PSS_MODES.filter((mode) => labels[`${PSS_LABEL_PREFIX}${mode}`] !== 'restricted');
    if (notRestricted.length > 0) {
      report(
        'namespace-pss-restricted',
        document,
        notRestricted
          .map((mode) => `${PSS_LABEL_PREFIX}${mode} is ${show(rawLabels[`${PSS_LABEL_PREFIX}${mode}`])}`)
          .join(', '),
        `Label the namespace ${PSS_MODES.map((mode) => `${PSS_LABEL_PREFIX}${mode}: restricted`).join(', ')}.`,
      );
    }
    // An unpinned version follows the cluster's Kubernetes version, so an AKS upgrade can start rejecting pods.
    const unpinned = PSS_MODES.map((mode) => `${PSS_LABEL_PREFIX}${mode}-version`).filter(
      (key) => labels[key] === undefined || labels[key] === '' || labels[key] === 'latest',
    );
    if (unpinned.length > 0) {
      report(
        'namespace-pss-version-pinned',
        document,
        unpinned.map((key) => `${key} is ${show(rawLabels[key])}`).join(', '),
        'Pin each pod-security.kubernetes.io/<mode>-version label to a minor version such as v1.30.',
      );
    }
    // Flux would delete the namespace, and every PVC in it, when its Kustomization is removed or renamed.
    const prune = asStringMap(document.object.metadata.annotations)[FLUX_PRUNE_ANNOTATION];
    if (prune?.toLowerCase() !== FLUX_PRUNE_DISABLED) {
      report(
        'namespace-prune-disabled',
        document,
        `${FLUX_PRUNE_ANNOTATION} is ${show(prune)}`,
        `Annotate the namespace ${FLUX_PRUNE_ANNOTATION}: ${FLUX_PRUNE_DISABLED}.`,
      );
    }
  }
}
