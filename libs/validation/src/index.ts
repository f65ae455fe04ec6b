// @aks-gitops/validation: upstream-schema validation of Kubernetes objects and the real
// kustomize (`kubectl kustomize`), for tests and CI.
export type { SchemaProblem } from './schema-problem';
export { validateObject, validateObjects, type ValidateOptions } from './validate';
export { schemaSource } from './schema-registry';
export { FREE_FORM_FIELDS } from './free-form-fields';
export { findKubectls, type FindKubectlsOptions, type KubectlBinary } from './kubectl';
export {
  kustomizeBuild,
  kustomizeBuildMany,
  parseManifestStream,
  type KustomizeBuildManyOptions,
  type KustomizeBuildOptions,
} from './kustomize-build';
export {
  KUBERNETES_SCHEMA_VERSIONS,
  FLUX_SCHEMA_VERSION,
  GATEWAY_API_SCHEMA_VERSION,
  closestKubernetesSchemaVersion,
  kubernetesValidationLabel,
} from './schema-versions';
export { KUBERNETES_SERVED_RANGES, type ServedRange, notServedProblem } from './kubernetes-apis';
