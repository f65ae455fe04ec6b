/**
 * Which upstream field schemas the model packages carry. kubernetes-models 4.5.1 is generated
 * from the Kubernetes 1.33 OpenAPI; 5.x (1.36) is ESM-only and cannot be `require()`d by this
 * CommonJS toolchain, and no npm package carries one OpenAPI per minor. So every cluster's fields
 * validate against the one available version, while which API versions exist is checked per minor
 * (`validateObjects(..., { kubernetesVersion })`, kubernetes-apis.ts); tests name both in their titles.
 */
export const KUBERNETES_SCHEMA_VERSIONS: readonly string[] = ['1.33'];
/** GitRepository and Kustomization are vendored from the controllers' own CRDs (schemas/); other Flux kinds fall back to @kubernetes-models/flux-cd 2.3.4 (Flux 2.2). */
export const FLUX_SCHEMA_VERSION = 'Flux CRDs of source-controller v1.9.1 and kustomize-controller v1.9.4';
/** Gateway and HTTPRoute are vendored from kubernetes-sigs/gateway-api v1.6.1 (standard channel); other kinds fall back to @kubernetes-models/gateway-api 0.5.1 (v1.0.0). */
export const GATEWAY_API_SCHEMA_VERSION = 'Gateway API v1.6.1 CRDs';

/** The available Kubernetes schema version closest to a cluster's `1.<minor>` (the newer one on a tie). */
export function closestKubernetesSchemaVersion(clusterVersion: string): string {
  const minor = (v: string) => Number(v.split('.')[1]);
  const want = minor(clusterVersion);
  return [...KUBERNETES_SCHEMA_VERSIONS].sort(
    (a, b) => Math.abs(minor(a) - want) - Math.abs(minor(b) - want) || minor(b) - minor(a),
  )[0];
}

/** What a cluster of `clusterVersion` is validated against, for test titles. */
export function kubernetesValidationLabel(clusterVersion: string): string {
  const schema = closestKubernetesSchemaVersion(clusterVersion);
  return `the API versions Kubernetes ${clusterVersion} serves and the Kubernetes ${schema} field schemas${schema === clusterVersion ? '' : ' (the closest available)'}`;
}
