import { APP_ALLOWED_KINDS, ConfigError, appAllowedKind } from '@aks-gitops/cluster-model';
import type { KubeObject } from '@aks-gitops/cluster-model';

/**
 * What an app's folder may hold (the contract in libs/cluster-model/src/tenancy.ts): namespaced
 * objects of an allowed kind, all in the app's own namespace. Checked on the rendered objects
 * before any YAML exists, whatever made them (a construct, an escape hatch, a raw ApiObject or an
 * Include), so an app's code cannot become cluster admin: Flux applies an app's folder, and the
 * policy gate checks the same contract again on files written by hand.
 */
export function enforceAppContract(objects: readonly KubeObject[], app: string, cluster: string): KubeObject[] {
  const out: KubeObject[] = [];
  for (const obj of expandLists(objects, app, cluster)) {
    checkAppObject(obj, app, cluster);
    out.push(obj);
  }
  return out;
}

/** `Kind namespace/name` as messages name an object (`<cluster-scoped>` when there is no namespace). */
export function describeObject(obj: KubeObject): string {
  const ns = obj.metadata?.namespace;
  return `${obj.kind ?? '<no kind>'} ${ns ? ns : '<no namespace>'}/${obj.metadata?.name ?? '<no name>'}`;
}

/**
 * `kind: List` and every `*List` (`ConfigMapList`, `RoleBindingList`, ...) are expanded into their
 * items, recursively, so nothing hides inside one from the checks; each item stays in the folder of
 * the List. A List without an `items` array is rejected: kubectl and kustomize would read it in
 * ways that differ (or not at all).
 */
export function expandLists(objects: readonly KubeObject[], app: string, cluster: string): KubeObject[] {
  const out: KubeObject[] = [];
  const visit = (obj: KubeObject, depth: number): void => {
    if (!isList(obj)) {
      out.push(obj);
      return;
    }
    const items = (obj as { items?: unknown }).items;
    if (
      !Array.isArray(items) ||
      depth > 8 ||
      !items.every((i) => i !== null && typeof i === 'object' && !Array.isArray(i))
    ) {
      throw new ConfigError({
        cluster,
        app,
        field: `object ${describeObject(obj)}`,
        problem: `is a ${obj.kind} whose items are not a list of objects`,
        fix: 'emit each object on its own instead of wrapping them in a List',
      });
    }
    for (const item of items as KubeObject[]) visit(item, depth + 1);
  };
  for (const obj of objects) visit(obj, 0);
  return out;
}

function isList(obj: KubeObject): boolean {
  return typeof obj.kind === 'string' && obj.kind.endsWith('List');
}

function checkAppObject(obj: KubeObject, app: string, cluster: string): void {
  const field = `object ${describeObject(obj)}`;
  const allowed =
    typeof obj.apiVersion === 'string' && typeof obj.kind === 'string'
      ? appAllowedKind(obj.apiVersion, obj.kind)
      : undefined;
  if (!allowed) {
    throw new ConfigError({
      cluster,
      app,
      field,
      problem: `${obj.apiVersion}/${obj.kind} is not a kind an app may emit (allowed: ${APP_ALLOWED_KINDS.map((k) => k.kind).join(', ')})`,
      fix: "cluster-scoped objects belong in the cluster baseline (libs/workloads ClusterBaseline); RBAC beyond a namespaced Role, webhooks, CRDs, Flux objects and Secrets are the platform's (Secrets come from Key Vault through keyVaultSecrets)",
    });
  }
  const ns = obj.metadata?.namespace;
  if (ns !== app) {
    throw new ConfigError({
      cluster,
      app,
      field,
      problem: ns
        ? `is in namespace "${ns}", and an app writes only into its own namespace "${app}"`
        : `has no metadata.namespace, and every object of an app lives in its namespace "${app}"`,
      fix: ns
        ? `set metadata.namespace to "${app}"; to let another app reach you, list it in acceptCallsFrom, never write into its namespace (cluster-scoped objects belong in the cluster baseline)`
        : `set metadata.namespace: "${app}"`,
    });
  }
}
