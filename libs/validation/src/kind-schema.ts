import type { KubeObject } from '@aks-gitops/cluster-model';
import type { SchemaProblem } from './schema-problem';

/** A validator for one apiVersion/kind, whatever its schema source. Built once, then cached. */
export interface KindSchema {
  readonly apiVersion: string;
  readonly kind: string;
  /** Provenance for reports, e.g. `kubernetes-models@4.5.1`. */
  readonly source: string;
  /** `strict`: also report fields the schema does not declare. */
  validate(obj: KubeObject, strict: boolean): SchemaProblem[];
}

export interface GroupVersion {
  /** `''` for the core group (`apiVersion: v1`). */
  group: string;
  version: string;
}

// DNS-subdomain group and a Kubernetes version string. Checked before either is used to build a
// module path, so an odd apiVersion can never make us load an arbitrary file.
const GROUP = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const VERSION = /^v[1-9][0-9]*((alpha|beta)[1-9][0-9]*)?$/;
const KIND = /^[A-Z][A-Za-z0-9]*$/;

export function parseApiVersion(apiVersion: string): GroupVersion | undefined {
  const parts = apiVersion.split('/');
  const [group, version] = parts.length === 1 ? ['', parts[0]] : parts.length === 2 ? parts : [];
  if (group === undefined || version === undefined) return undefined;
  if (group !== '' && !GROUP.test(group)) return undefined;
  if (!VERSION.test(version)) return undefined;
  return { group, version };
}

export function isKindName(kind: string): boolean {
  return KIND.test(kind);
}

/** The key callers use in `allowSchemaless` and FREE_FORM_FIELDS: `apps/v1/Deployment`, `v1/Service`. */
export function kindKey(apiVersion: string, kind: string): string {
  return `${apiVersion}/${kind}`;
}
