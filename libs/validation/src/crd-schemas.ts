import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from '@aks-gitops/cluster-model';
import { sharedAjv, type CompiledSchema } from './ajv-runtime';
import { kindKey, type KindSchema } from './kind-schema';
import { validateObjectMeta } from './object-meta';
import { isRecord } from './object-path';
import { problemsFromAjvErrors, type SchemaProblem } from './schema-problem';

/**
 * Kinds with no npm model, validated from JSON files in libs/validation/schemas/: each holds one
 * CRD version's openAPIV3Schema plus a header naming the upstream repository, path and commit
 * (see the files' `$comment` and `source`). Adding a kind = adding a file; nothing to register.
 */
export const SCHEMA_DIR = join(__dirname, '..', 'schemas');

export interface CrdSchemaSource {
  repository: string;
  path: string;
  commit: string;
  /** false where the file is a community copy or hand-written, not the vendor's own CRD. */
  firstParty?: boolean;
}

interface CrdSchemaFile {
  source: CrdSchemaSource;
  group: string;
  version: string;
  kind: string;
  openAPIV3Schema: Record<string, unknown>;
}

function isCrdSchemaFile(value: unknown): value is CrdSchemaFile {
  return (
    isRecord(value) &&
    isRecord(value.source) &&
    typeof value.group === 'string' &&
    typeof value.version === 'string' &&
    typeof value.kind === 'string' &&
    isRecord(value.openAPIV3Schema)
  );
}

let files: Map<string, CrdSchemaFile> | undefined;

/** All schema files, keyed `<apiVersion>/<kind>`. Read once (a few KB). */
export function crdSchemaFiles(): ReadonlyMap<string, CrdSchemaFile> {
  if (!files) {
    files = new Map();
    for (const name of readdirSync(SCHEMA_DIR)
      .filter((n) => n.endsWith('.json'))
      .sort()) {
      const parsed: unknown = JSON.parse(readFileSync(join(SCHEMA_DIR, name), 'utf8'));
      if (!isCrdSchemaFile(parsed))
        throw new Error(
          `${join(SCHEMA_DIR, name)}: not a CRD schema file (needs source, group, version, kind, openAPIV3Schema)`,
        );
      const apiVersion = parsed.group === '' ? parsed.version : `${parsed.group}/${parsed.version}`;
      files.set(kindKey(apiVersion, parsed.kind), parsed);
    }
  }
  return files;
}

/**
 * Makes a structural schema reject undeclared fields, as the API server's pruning (and
 * `kubectl --validate=strict`) does: every object schema that lists `properties` gets
 * `additionalProperties: false`, unless it is a map (has `additionalProperties`) or is marked
 * `x-kubernetes-preserve-unknown-fields`. Only the structural spine (properties, items,
 * additionalProperties) is touched: inside allOf/anyOf/oneOf/not, properties merely constrain
 * values of fields declared beside them, so closing those would reject valid objects.
 */
export function closeStructuralSchema(node: unknown): unknown {
  if (!isRecord(node)) return node;
  const out: Record<string, unknown> = { ...node };
  if (isRecord(node.properties)) {
    out.properties = Object.fromEntries(
      Object.entries(node.properties).map(([key, child]) => [key, closeStructuralSchema(child)]),
    );
    if (node.additionalProperties === undefined && node['x-kubernetes-preserve-unknown-fields'] !== true) {
      out.additionalProperties = false;
    }
  }
  if (isRecord(node.items)) out.items = closeStructuralSchema(node.items);
  if (isRecord(node.additionalProperties)) out.additionalProperties = closeStructuralSchema(node.additionalProperties);
  return out;
}

function describe(source: CrdSchemaSource): string {
  const origin = source.firstParty === false ? ' (not first-party)' : '';
  return `${source.repository}@${source.commit.slice(0, 12)}:${source.path}${origin}`;
}

export function findCrdSchema(apiVersion: string, kind: string): KindSchema | undefined {
  const file = crdSchemaFiles().get(kindKey(apiVersion, kind));
  if (!file) return undefined;
  let compiled: CompiledSchema | undefined;
  // A CRD leaves metadata as `{type: object}` for the API server to check as ObjectMeta; a schema
  // that spells out metadata itself (our kustomization.yaml one) is trusted as is.
  const properties = file.openAPIV3Schema.properties;
  const metadataSchema = isRecord(properties) ? properties.metadata : undefined;
  const checkObjectMeta = !(isRecord(metadataSchema) && isRecord(metadataSchema.properties));
  return {
    apiVersion,
    kind,
    source: describe(file.source),
    validate(obj: KubeObject, strict: boolean): SchemaProblem[] {
      // Compiled on first use and kept: compiling is the expensive part of ajv.
      compiled ??= sharedAjv().compile(closeStructuralSchema(file.openAPIV3Schema) as object);
      let errors = compiled(obj) ? [] : (compiled.errors ?? []);
      // Non-strict: the same compiled schema, minus the unknown-field verdicts.
      if (!strict) errors = errors.filter((e) => e.keyword !== 'additionalProperties');
      const problems = problemsFromAjvErrors(obj, errors, obj);
      if (checkObjectMeta) problems.push(...validateObjectMeta(obj, strict));
      return problems;
    },
  };
}
