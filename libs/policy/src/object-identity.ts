import type { KubeObject, ManifestDocument } from '@aks-gitops/cluster-model';
import { isRecord } from './unknown-value';

/**
 * Kinds the API server stores without a namespace. Anything not listed is treated as namespaced, so
 * an unknown CRD kind without a namespace is reported rather than silently landing in `default`.
 */
const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'APIService',
  'CertificateSigningRequest',
  'ClusterIssuer',
  'ClusterRole',
  'ClusterRoleBinding',
  'CSIDriver',
  'CSINode',
  'CustomResourceDefinition',
  'FlowSchema',
  'GatewayClass',
  'IngressClass',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding',
  'MutatingWebhookConfiguration',
  'Namespace',
  'Node',
  'PersistentVolume',
  'PriorityClass',
  'PriorityLevelConfiguration',
  'RuntimeClass',
  'StorageClass',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration',
  'VolumeAttachment',
  'VolumeSnapshotClass',
]);

export function isClusterScoped(object: KubeObject): boolean {
  return CLUSTER_SCOPED_KINDS.has(object.kind);
}

/** Namespace of a namespaced object, or undefined when it is cluster-scoped or did not set one. */
export function namespaceOf(object: KubeObject): string | undefined {
  const namespace = object.metadata?.namespace;
  return typeof namespace === 'string' && namespace !== '' && !isClusterScoped(object) ? namespace : undefined;
}

/** `Kind namespace/name`: the form reviewers search for in findings and in `kubectl get`. */
export function describeObject(object: KubeObject): string {
  const namespace = namespaceOf(object);
  const name = object.metadata?.name ?? '<unnamed>';
  return namespace ? `${object.kind} ${namespace}/${name}` : `${object.kind} ${name}`;
}

/** The minimum every rule relies on; anything less is reported as unreadable instead of judged. */
export function isKubeObject(value: unknown): value is KubeObject {
  return (
    isRecord(value) &&
    typeof value.apiVersion === 'string' &&
    typeof value.kind === 'string' &&
    isRecord(value.metadata) &&
    typeof value.metadata.name === 'string'
  );
}

const KUSTOMIZE_FILE_NAMES: ReadonlySet<string> = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

/**
 * `kustomization.yaml` files are build instructions for kustomize, not objects Flux applies, so no
 * rule may judge them (they have no namespace, no pods, nothing to secure). They need no metadata,
 * and kustomize even lets them omit apiVersion and kind, so a file of that name with no kind counts.
 */
export function isKustomizeConfig(value: unknown, file?: string): boolean {
  if (!isRecord(value)) return false;
  if (
    value.kind === 'Kustomization' &&
    typeof value.apiVersion === 'string' &&
    value.apiVersion.startsWith('kustomize.config.k8s.io/')
  )
    return true;
  const baseName = file?.replace(/\\/g, '/').split('/').pop();
  return baseName !== undefined && KUSTOMIZE_FILE_NAMES.has(baseName) && value.kind === undefined;
}

export function isFluxKustomization(object: KubeObject): boolean {
  return object.kind === 'Kustomization' && object.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/');
}

export function isFluxGitRepository(object: KubeObject): boolean {
  return object.kind === 'GitRepository' && object.apiVersion.startsWith('source.toolkit.fluxcd.io/');
}

/** Splits a repo-relative path into segments whatever separator the caller used. */
function segments(file: string): string[] {
  return file.replace(/\\/g, '/').replace(/^\.\//, '').split('/');
}

/** The cluster a generated file belongs to: `clusters/<cluster>/…` or `flux/<cluster>/…`. */
export function clusterOfFile(file: string): string | undefined {
  const parts = segments(file);
  // At least root/cluster/file: `clusters/stray.yaml` names no cluster.
  if (parts.length >= 3 && (parts[0] === 'clusters' || parts[0] === 'flux') && parts[1] !== '') return parts[1];
  return undefined;
}

/** Azure config lives next to the manifests (`clusters/<cluster>/azure/`) but is not Kubernetes. */
export function isAzureConfigFile(file: string): boolean {
  const parts = segments(file);
  return parts[0] === 'clusters' && parts[2] === 'azure';
}

/**
 * `flux/<cluster>/flux-system/` holds what `flux bootstrap` commits (Flux's own controllers and
 * CRDs), owned by the bootstrap, not by synth; the layout check admits only its known files there.
 */
export function isFluxBootstrapFile(file: string): boolean {
  const parts = segments(file);
  return parts[0] === 'flux' && parts.length >= 4 && parts[2] === 'flux-system';
}

/** Documents the gate judges: everything except kustomize build files, Azure config and Flux's bootstrap. */
export function isEvaluated(document: ManifestDocument): boolean {
  return (
    !isKustomizeConfig(document.object, document.file) &&
    !isAzureConfigFile(document.file) &&
    !isFluxBootstrapFile(document.file)
  );
}
