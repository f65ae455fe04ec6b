import type { KubeObject } from '@aks-gitops/cluster-model';
import { kindKey } from './kind-schema';
import { isRecord } from './object-path';
import { dedupeProblems, problemFor, type SchemaProblem } from './schema-problem';
import { notServedProblem } from './kubernetes-apis';
import { fieldsNotServed } from './kubernetes-fields';
import { schemaFor } from './schema-registry';

export interface ValidateOptions {
  /**
   * `<apiVersion>/<kind>` entries (e.g. `alb.networking.azure.io/v1/ApplicationLoadBalancer`) that
   * may pass without a schema. Anything else without one is a problem, so a kind nobody can check
   * is an explicit, reviewable decision rather than a silent pass. A kind that has a schema is
   * validated even when listed.
   */
  allowSchemaless?: readonly string[];
  /** Also report fields the schema does not declare, like `kubeconform -strict`. Default true. */
  strict?: boolean;
  /**
   * The cluster's Kubernetes minor (`1.30`): a built-in API version that minor does not serve
   * (removed, or added later) is a problem at `apiVersion` (kubernetes-apis.ts). Field schemas
   * come from the closest available version (`closestKubernetesSchemaVersion`). Default: no check.
   */
  kubernetesVersion?: string;
}

/** Validates one object against its upstream schema. Never throws for bad input: it reports it. */
export function validateObject(obj: KubeObject, options: ValidateOptions = {}): SchemaProblem[] {
  return validateWith(obj, options.strict ?? true, new Set(options.allowSchemaless ?? []), minorOf(options));
}

/** Validates many objects; problems come back in input order. */
export function validateObjects(objs: Iterable<KubeObject>, options: ValidateOptions = {}): SchemaProblem[] {
  const strict = options.strict ?? true;
  const allowed = new Set(options.allowSchemaless ?? []);
  const minor = minorOf(options);
  const problems: SchemaProblem[] = [];
  for (const obj of objs) problems.push(...validateWith(obj, strict, allowed, minor));
  return problems;
}

function minorOf(options: ValidateOptions): number | undefined {
  if (options.kubernetesVersion === undefined) return undefined;
  const m = /^1\.(\d+)$/.exec(options.kubernetesVersion);
  if (!m) throw new Error(`kubernetesVersion ${JSON.stringify(options.kubernetesVersion)} is not "1.<minor>"`);
  return Number(m[1]);
}

function validateWith(
  obj: KubeObject,
  strict: boolean,
  allowSchemaless: ReadonlySet<string>,
  minor: number | undefined,
): SchemaProblem[] {
  // Typed as KubeObject, but this is the gate for generated or hand-written YAML: check the shape.
  const value: unknown = obj;
  if (!isRecord(value)) return [problemFor({} as KubeObject, '', 'not an object')];
  const { apiVersion, kind } = value;
  if (typeof apiVersion !== 'string' || apiVersion === '')
    return [problemFor(obj, 'apiVersion', 'required field is missing')];
  if (typeof kind !== 'string' || kind === '') return [problemFor(obj, 'kind', 'required field is missing')];
  const notServed = minor === undefined ? undefined : notServedProblem(apiVersion, kind, minor);
  if (notServed) return [problemFor(obj, 'apiVersion', notServed)];
  const newerFields = minor === undefined ? [] : fieldsNotServed(obj, minor).map(([p, m]) => problemFor(obj, p, m));
  const schema = schemaFor(apiVersion, kind);
  if (!schema) {
    return allowSchemaless.has(kindKey(apiVersion, kind))
      ? []
      : [problemFor(obj, '', `no schema for ${kindKey(apiVersion, kind)}`)];
  }
  return dedupeProblems([...newerFields, ...schema.validate(obj, strict)]);
}
