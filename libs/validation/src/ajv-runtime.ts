import { loadVia } from './package-loader';
import type { AjvLikeError } from './schema-problem';

/**
 * One ajv instance for the JSON schemas we keep in libs/validation/schemas (CRDs without an npm
 * model). It is the ajv that @kubernetes-models/validate itself depends on, loaded through that
 * package (no extra dependency, same version and semantics as the model validators), configured as
 * @kubernetes-models/validate configures its runtime instance: allErrors (report everything, not
 * the first failure), strictTypes off (CRD schemas put `nullable` and `type` side by side).
 * `strict: false` makes ajv ignore the `x-kubernetes-*` extension keywords instead of rejecting
 * the schema; those we honour (preserve-unknown-fields) are handled in crd-schemas.ts.
 */
export interface CompiledSchema {
  (data: unknown): boolean;
  errors?: AjvLikeError[] | null;
}

interface AjvInstance {
  compile(schema: object): CompiledSchema;
}

type AjvConstructor = new (options: Record<string, unknown>) => AjvInstance;
type AddFormats = (ajv: AjvInstance) => unknown;

function defaultExport<T>(mod: unknown): T {
  const withDefault = mod as { default?: T };
  return withDefault.default ?? (mod as T);
}

let instance: AjvInstance | undefined;

export function sharedAjv(): AjvInstance {
  if (!instance) {
    const Ajv = defaultExport<AjvConstructor>(loadVia('@kubernetes-models/validate', 'ajv'));
    const addFormats = defaultExport<AddFormats>(loadVia('@kubernetes-models/validate', 'ajv-formats'));
    instance = new Ajv({ allErrors: true, strict: false, strictTypes: false });
    // date-time, int32, int64, ... as used by controller-gen CRDs.
    addFormats(instance);
  }
  return instance;
}
