/** The plain-data shape every generated Kubernetes object has once synthesized. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** An object together with the repository-relative file it is (or will be) written to. */
export interface ManifestDocument {
  /** e.g. `clusters/aks-dev-weu/orders-api/deployment-orders-api.yaml` */
  file: string;
  object: KubeObject;
  /** 1-based line where the object's YAML document starts, when it was read from a file (policy reports point there). */
  line?: number;
}

/**
 * Annotation that records an explicit, reviewed exception to a policy rule on the object that
 * needs it: `waivers.aks-gitops.io/<rule-id>: <reason>`. Constructs write it when an app loosens
 * a default; the policy gate reports the finding as waived instead of failing.
 */
export const WAIVER_ANNOTATION_PREFIX = 'waivers.aks-gitops.io/';

/** Flux: objects that must survive their Kustomization being removed (namespaces, volumes). */
export const FLUX_PRUNE_ANNOTATION = 'kustomize.toolkit.fluxcd.io/prune';
export const FLUX_PRUNE_DISABLED = 'disabled';
