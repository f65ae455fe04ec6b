import { findCrdSchema } from './crd-schemas';
import { isKindName, kindKey, parseApiVersion, type KindSchema } from './kind-schema';
import { findModelSchema } from './model-schemas';

/**
 * apiVersion/kind → validator. Our own CRD files win (they exist precisely because no package
 * has the kind), then the model packages. Hits and misses are both cached: a build validates
 * thousands of objects of a dozen kinds, and a miss costs a failed module resolution.
 */
const cache = new Map<string, KindSchema | null>();

export function schemaFor(apiVersion: string, kind: string): KindSchema | undefined {
  const key = kindKey(apiVersion, kind);
  let schema = cache.get(key);
  if (schema === undefined) {
    const gv = parseApiVersion(apiVersion);
    schema =
      gv && isKindName(kind)
        ? (findCrdSchema(apiVersion, kind) ?? findModelSchema(apiVersion, kind, gv) ?? null)
        : null;
    cache.set(key, schema);
  }
  return schema ?? undefined;
}

/** Where the schema for apiVersion/kind comes from (`kubernetes-models@4.5.1`, a repo@commit:path), or undefined. */
export function schemaSource(apiVersion: string, kind: string): string | undefined {
  return schemaFor(apiVersion, kind)?.source;
}
