import { apiGroupOf, RESERVED_NAMESPACES, type ManifestDocument } from '@aks-gitops/cluster-model';
import { FLUX_NAMESPACE, FLUX_SOURCE_NAME, PLATFORM_FOLDER, placeOfFile } from '../generated-layout';
import { describeObject } from '../object-identity';
import type { RuleContext } from '../rule-context';
import { normalizeRepoPath } from './flux';
import { asRecord, show } from '../unknown-value';

/*
 * Flux's bootstrap Kustomization applies flux/<cluster>/ with cluster-admin rights, and every
 * Kustomization or source decides what else gets applied, from where and as whom. So the Flux
 * objects are exactly the generated ones: in flux/<cluster>/ the GitRepository of this repository
 * and the platform's Kustomization (and per-app ones, in a flat layout), and in the platform
 * baseline each app's own GitRepository and Kustomization in the app's namespace, with only the
 * fields synth writes. A second source, a
 * re-pointed path, a patch or post-build substitution, another service account, a HelmRelease in
 * an app folder: each would apply something the gate never judged, or with rights it never had.
 */

const FLUX_GROUP_SUFFIX = 'toolkit.fluxcd.io';
/** The account each app's Kustomization applies as (created in the app's namespace by the baseline). */
export const APP_APPLIER_SERVICE_ACCOUNT = 'flux-applier';
const KUSTOMIZATION_FIELDS: ReadonlySet<string> = new Set([
  'dependsOn',
  'interval',
  'path',
  'prune',
  'retryInterval',
  'serviceAccountName',
  'sourceRef',
  'targetNamespace',
  'timeout',
  'wait',
]);
const GIT_REPOSITORY_FIELDS: ReadonlySet<string> = new Set([
  'ignore',
  'interval',
  'ref',
  'secretRef',
  'timeout',
  'url',
]);
const RESERVED: ReadonlySet<string> = new Set(RESERVED_NAMESPACES);
/** Outgoing notifications synth writes in flux/<cluster>/notifications.yaml (no Receiver: it would let outsiders trigger reconciles). */
const NOTIFICATION_KINDS: ReadonlySet<string> = new Set(['Provider', 'Alert']);
const FIX =
  'Remove it: clusters/ and flux/ are generated; the Flux objects come from libs/synth/src/render/flux/flux-wiring.ts (run npm run synth).';

export function isFluxObject(document: ManifestDocument): boolean {
  const group = apiGroupOf(document.object.apiVersion);
  return group === FLUX_GROUP_SUFFIX || group.endsWith(`.${FLUX_GROUP_SUFFIX}`);
}

export function checkFluxGenerated({ cluster, report }: RuleContext): void {
  for (const document of cluster.documents) {
    const place = placeOfFile(document.file);
    const flux = isFluxObject(document);
    if (place.kind === 'flux') {
      const problems = flux
        ? fluxObjectProblems(document, cluster.name, 'flux')
        : [
            `flux/${cluster.name}/ holds only the generated GitRepository and Kustomizations, and it is applied with cluster-admin rights`,
          ];
      for (const problem of problems) report('flux-generated-only', document, problem, FIX);
    } else if (flux && place.kind === 'platform') {
      for (const problem of fluxObjectProblems(document, cluster.name, 'tenant'))
        report('flux-generated-only', document, problem, FIX);
    } else if (flux) {
      report(
        'flux-generated-only',
        document,
        `${describeObject(document.object)} is a Flux object outside flux/${cluster.name}/ and the platform baseline; it would apply or fetch things with Flux's rights`,
        FIX,
      );
    }
  }
}

/**
 * `flux`: the objects in flux/<cluster>/, all in flux-system (the source, the platform's
 * Kustomization and, in a flat layout, one Kustomization per app). `tenant`: the baseline's
 * per-app pair in the app's own namespace (GitRepository aks-gitops and Kustomization <app>),
 * which must apply the app's folder into its namespace as its flux-applier account.
 */
function fluxObjectProblems(document: ManifestDocument, cluster: string, where: 'flux' | 'tenant'): string[] {
  const { object } = document;
  const group = apiGroupOf(object.apiVersion);
  const spec = asRecord(object.spec) ?? {};
  const name = object.metadata.name;
  const namespace = object.metadata.namespace;
  const problems: string[] = [];
  if (where === 'flux' && namespace !== FLUX_NAMESPACE)
    problems.push(`metadata.namespace is ${show(namespace)}, not ${FLUX_NAMESPACE}`);
  if (where === 'tenant' && (namespace === undefined || namespace === FLUX_NAMESPACE || RESERVED.has(namespace))) {
    problems.push(
      `metadata.namespace is ${show(namespace)}; the baseline's Flux objects for an app live in the app's own namespace`,
    );
  }
  if (group === 'source.toolkit.fluxcd.io' && object.kind === 'GitRepository') {
    if (name !== FLUX_SOURCE_NAME)
      problems.push(`GitRepository ${name} is a second source; the only one is ${FLUX_SOURCE_NAME}`);
    problems.push(...unexpectedFields(spec, GIT_REPOSITORY_FIELDS, 'GitRepository'));
    return problems;
  }
  // Flux's notifications (commit status, alerts) only send events out; they apply and fetch nothing.
  if (where === 'flux' && group === 'notification.toolkit.fluxcd.io' && NOTIFICATION_KINDS.has(object.kind))
    return problems;
  if (group !== 'kustomize.toolkit.fluxcd.io' || object.kind !== 'Kustomization') {
    return [
      ...problems,
      `${object.kind} (${object.apiVersion}) is not generated; the only Flux objects are GitRepository ${FLUX_SOURCE_NAME} and Kustomizations`,
    ];
  }
  const expectedPath = `./clusters/${cluster}/${name}`;
  if (typeof spec.path !== 'string' || normalizeRepoPath(spec.path) !== normalizeRepoPath(expectedPath))
    problems.push(`spec.path is ${show(spec.path)}; Kustomization ${name} applies ${expectedPath}`);
  const source = asRecord(spec.sourceRef);
  if (
    source?.kind !== 'GitRepository' ||
    source.name !== FLUX_SOURCE_NAME ||
    (source.namespace !== undefined && source.namespace !== namespace)
  ) {
    problems.push(
      `spec.sourceRef is ${show(spec.sourceRef)}, not GitRepository ${FLUX_SOURCE_NAME} of its own namespace`,
    );
  }
  problems.push(...unexpectedFields(spec, KUSTOMIZATION_FIELDS, 'Kustomization'));
  if (name === PLATFORM_FOLDER) {
    // The platform Kustomization alone applies with the bootstrap's cluster rights, into no single namespace.
    if (where === 'tenant') problems.push(`Kustomization ${PLATFORM_FOLDER} belongs in flux/${cluster}/`);
    if (spec.targetNamespace !== undefined)
      problems.push(`spec.targetNamespace is ${show(spec.targetNamespace)}; the platform spans namespaces`);
    if (spec.serviceAccountName !== undefined)
      problems.push(
        `spec.serviceAccountName is ${show(spec.serviceAccountName)}; the platform applies with Flux's own account`,
      );
    return problems;
  }
  if (where === 'tenant' && name !== namespace)
    problems.push(
      `Kustomization ${name} sits in namespace ${show(namespace)}; an app's Kustomization lives in the app's namespace ${name}`,
    );
  // In the app's namespace the confinement is required; a flat flux/<cluster>/ Kustomization may omit it.
  if ((where === 'tenant' || spec.targetNamespace !== undefined) && spec.targetNamespace !== name) {
    problems.push(
      `spec.targetNamespace is ${show(spec.targetNamespace)}; app ${name} applies into its own namespace ${name}`,
    );
  }
  if (
    (where === 'tenant' || spec.serviceAccountName !== undefined) &&
    spec.serviceAccountName !== APP_APPLIER_SERVICE_ACCOUNT
  ) {
    problems.push(
      `spec.serviceAccountName is ${show(spec.serviceAccountName)}; app ${name} applies as ${APP_APPLIER_SERVICE_ACCOUNT}`,
    );
  }
  return problems;
}

function unexpectedFields(spec: Record<string, unknown>, allowed: ReadonlySet<string>, kind: string): string[] {
  return Object.keys(spec)
    .filter((field) => !allowed.has(field))
    .sort()
    .map((field) => `spec.${field} is set, which generated ${kind}s never set`);
}
