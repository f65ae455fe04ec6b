import { stringify } from 'yaml';

/**
 * The one serializer for everything written under clusters/ and flux/. Keys come sorted from
 * cdk8s (and are sorted here for objects built outside it), arrays keep their order, no line
 * folding: the same objects always give the same bytes.
 */
export function toYaml(obj: unknown, header?: string): string {
  const body = stringify(obj, { lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false });
  return header ? `# ${header}\n${body}` : body;
}

/** Recursively sorts object keys; for plain objects that do not come from cdk8s. */
export function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeys) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value as Record<string, unknown>).sort()) out[k] = sortKeys((value as Record<string, unknown>)[k]);
    return out as T;
  }
  return value;
}

export function kustomizationYaml(resources: readonly string[], header: string): string {
  return toYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [...resources].sort() }, header);
}
