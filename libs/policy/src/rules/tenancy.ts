import {
  apiGroupOf,
  appAllowedKind,
  PLATFORM_OBJECTS_IN_APP_NAMESPACE,
  platformObjectName,
  RESERVED_NAMESPACES,
  type ManifestDocument,
  type PlatformObject,
} from '@aks-gitops/cluster-model';
import { appOfFile, appsOf, folderOfFile, placeOfFile } from '../generated-layout';
import { describeObject, isClusterScoped, namespaceOf } from '../object-identity';
import type { RuleContext } from '../rule-context';

/*
 * Flux applies every folder with the rights it is given, so a folder can do whatever its objects
 * say. An app's folder is the work of one team: it may hold only objects in the app's own
 * namespace, of the kinds its constructs make (APP_ALLOWED_KINDS, the single source). Everything
 * that reaches beyond (cluster-scoped objects, system namespaces, another team's namespace, a
 * second copy of someone else's object) would make every app author a cluster admin.
 */

const RESERVED: ReadonlySet<string> = new Set(RESERVED_NAMESPACES);
/**
 * Exactly the objects the platform baseline puts into each app's namespace (declared once in
 * libs/cluster-model/src/tenancy.ts, where the baseline takes their names from). Anything else in an
 * app's namespace must come from the app's own folder, so the app's owners review it.
 */
const PLATFORM_OBJECTS: readonly PlatformObject[] = Object.values(PLATFORM_OBJECTS_IN_APP_NAMESPACE);

/** group/kind/namespace/name: what the API server (and Flux's inventory) calls one object. */
export function objectKey(document: ManifestDocument): string {
  const { object } = document;
  const namespace = isClusterScoped(object) ? '' : (object.metadata.namespace ?? '');
  return `${apiGroupOf(object.apiVersion)}/${object.kind}/${namespace}/${object.metadata.name}`;
}

export function checkTenancy(context: RuleContext): void {
  const apps = appsOf(context.cluster.documents);
  checkAppContract(context);
  checkNamespaceOwners(context, apps);
  checkSingleOwner(context);
}

function checkAppContract({ cluster, report }: RuleContext): void {
  for (const document of cluster.documents) {
    const app = appOfFile(document.file);
    if (app === undefined) continue;
    const { object } = document;
    const where = `app ${app} (${folderOfFile(document.file)})`;
    if (isClusterScoped(object)) {
      report(
        'app-namespaced',
        document,
        `${where} emits the cluster-scoped ${object.kind} ${object.metadata.name}; an app may only emit objects in its own namespace`,
        'Cluster-scoped objects belong in the cluster baseline (libs/workloads ClusterBaseline, reviewed by the platform team); remove it from the app.',
      );
      continue;
    }
    if (!appAllowedKind(object.apiVersion, object.kind)) {
      report(
        'app-allowed-kind',
        document,
        `${where} emits a ${object.kind} (${object.apiVersion}), which is not a kind an app may emit`,
        'Use the kinds in APP_ALLOWED_KINDS (libs/cluster-model/src/tenancy.ts); anything else belongs in the cluster baseline, and Secrets in Key Vault.',
      );
    }
    const namespace = namespaceOf(object);
    if (namespace !== undefined && RESERVED.has(namespace)) {
      report(
        'reserved-namespace',
        document,
        `${where} writes into ${namespace}, a namespace reserved for Kubernetes, AKS, its add-ons or Flux`,
        `Put the object in the app's own namespace ${app}; reserved namespaces (RESERVED_NAMESPACES) are for the platform only.`,
      );
    } else if (namespace !== undefined && namespace !== app) {
      report(
        'app-own-namespace',
        document,
        `${where} writes into namespace ${namespace}; an app may only write into its own namespace ${app}`,
        `Set metadata.namespace to ${app}. To reach another app, declare the call (calls: [...]) and let that app accept it in its own folder.`,
      );
    }
  }
}

function checkNamespaceOwners({ cluster, report }: RuleContext, apps: ReadonlySet<string>): void {
  for (const document of cluster.documents) {
    const namespace = namespaceOf(document.object);
    if (namespace === undefined || !apps.has(namespace)) continue;
    if (appOfFile(document.file) === namespace) continue;
    const place = placeOfFile(document.file);
    const { object } = document;
    const group = apiGroupOf(object.apiVersion);
    const isAllowed = (allowed: PlatformObject): boolean =>
      allowed.group === group &&
      allowed.kind === object.kind &&
      platformObjectName(allowed, namespace) === object.metadata.name;
    if (place.kind === 'platform' && PLATFORM_OBJECTS.some(isAllowed)) continue;
    const allowedList = PLATFORM_OBJECTS.map((allowed) => `${allowed.kind} ${allowed.name}`).join(', ');
    report(
      'namespace-owned-by-app',
      document,
      `${folderOfFile(document.file)} puts ${object.kind} ${object.metadata.name} into namespace ${namespace}, which belongs to app ${namespace}`,
      place.kind === 'platform'
        ? `The baseline may put only ${allowedList} into an app's namespace; anything else comes from the app's own folder.`
        : `Only app ${namespace}'s folder (clusters/${cluster.name}/${namespace}) writes into namespace ${namespace}; ${object.kind === 'NetworkPolicy' ? 'ingress into an app is accepted by that app (it lists its callers)' : 'remove the object'}.`,
    );
  }
}

function checkSingleOwner({ cluster, report }: RuleContext): void {
  const seen = new Map<string, ManifestDocument>();
  for (const document of cluster.documents) {
    const key = objectKey(document);
    const first = seen.get(key);
    if (!first) {
      seen.set(key, document);
      continue;
    }
    const firstFolder = folderOfFile(first.file);
    const folder = folderOfFile(document.file);
    const where = firstFolder === folder ? `twice in ${folder}` : `in ${firstFolder} and in ${folder}`;
    report(
      'object-single-owner',
      document,
      `${describeObject(document.object)} is written ${where}; Flux would let the last apply win and prune it when either folder drops it`,
      "Keep exactly one copy, in the folder of the team that owns the namespace (an app's objects in the app's folder, platform objects in platform/).",
    );
  }
}
