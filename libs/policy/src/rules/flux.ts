import type { ManifestDocument } from '@aks-gitops/cluster-model';
import { isFluxGitRepository, isFluxKustomization, namespaceOf } from '../object-identity';
import type { RuleContext } from '../rule-context';
import { asRecord, asRecords, asString, show } from '../unknown-value';

/*
 * Flux only does what its objects say: a wrong path applies nothing (or the wrong folder) without
 * failing the build, prune off leaves deleted objects running forever, and an app applied before
 * the platform baseline runs in a namespace without default-deny or Pod Security labels.
 */

export const PLATFORM_KUSTOMIZATION = 'platform';
/** The bootstrap Kustomization applies `platform` itself, so it cannot depend on it. */
const BOOTSTRAP_KUSTOMIZATION = 'flux-system';
const FLUX_NAMESPACE = 'flux-system';
/** Go duration syntax, which is what Flux parses (`10m`, `1h30m`, `90s`). */
const GO_DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

/** `./clusters/aks-dev-weu/orders-api/` → `clusters/aks-dev-weu/orders-api`, as existingPaths spells folders. */
export function normalizeRepoPath(path: string): string {
  return path
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/^\.$/, '')
    .replace(/\/+$/, '');
}

export function checkFlux(context: RuleContext): void {
  const kustomizations = context.cluster.documents.filter((document) => isFluxKustomization(document.object));
  const hasPlatform = kustomizations.some((document) => document.object.metadata.name === PLATFORM_KUSTOMIZATION);
  for (const document of kustomizations) checkKustomization(document, hasPlatform, context);
  for (const document of context.cluster.documents) {
    if (isFluxKustomization(document.object) || isFluxGitRepository(document.object)) checkInterval(document, context);
  }
}

function checkKustomization(
  document: ManifestDocument,
  hasPlatform: boolean,
  { existingPaths, report }: RuleContext,
): void {
  const spec = asRecord(document.object.spec) ?? {};
  const name = document.object.metadata.name;

  const path = asString(spec.path);
  if (path === undefined || path.trim() === '') {
    report(
      'flux-path-exists',
      document,
      'spec.path is unset, so Flux would apply the whole repository',
      'Set spec.path to ./clusters/<cluster>/<app>.',
    );
  } else if (existingPaths && normalizeRepoPath(path) !== '' && !existingPaths.has(normalizeRepoPath(path))) {
    report(
      'flux-path-exists',
      document,
      `spec.path ${show(path)} does not exist in the repository`,
      'Point spec.path at a generated folder (run synth), or remove the Kustomization.',
    );
  }

  if (spec.prune !== true) {
    report(
      'flux-prune-enabled',
      document,
      `spec.prune is ${show(spec.prune)}`,
      'Set spec.prune: true so objects removed from git are removed from the cluster.',
    );
  }

  if (name === PLATFORM_KUSTOMIZATION || name === BOOTSTRAP_KUSTOMIZATION) return;
  const ownNamespace = namespaceOf(document.object);
  const dependsOnPlatform = asRecords(spec.dependsOn).some(
    // An app's Kustomization lives in the app's namespace and depends on flux-system/platform.
    (dependency) =>
      dependency.name === PLATFORM_KUSTOMIZATION &&
      (dependency.namespace === undefined ||
        dependency.namespace === ownNamespace ||
        dependency.namespace === FLUX_NAMESPACE),
  );
  if (!dependsOnPlatform) {
    report(
      'flux-depends-on-platform',
      document,
      `spec.dependsOn is ${show(spec.dependsOn)} (must include {name: ${PLATFORM_KUSTOMIZATION}})`,
      `Add {name: ${PLATFORM_KUSTOMIZATION}} to spec.dependsOn.`,
    );
  } else if (!hasPlatform) {
    report(
      'flux-depends-on-platform',
      document,
      `depends on ${PLATFORM_KUSTOMIZATION}, but this cluster has no ${PLATFORM_KUSTOMIZATION} Kustomization, so it will never reconcile`,
      `Generate the ${PLATFORM_KUSTOMIZATION} Kustomization for this cluster (flux/<cluster>/).`,
    );
  }
}

function checkInterval(document: ManifestDocument, { report }: RuleContext): void {
  const interval = asRecord(document.object.spec)?.interval;
  if (typeof interval === 'string' && GO_DURATION.test(interval)) return;
  report(
    'flux-interval-set',
    document,
    `spec.interval is ${show(interval)}`,
    'Set spec.interval to a duration such as 10m (Kustomization) or 1m (GitRepository).',
  );
}
