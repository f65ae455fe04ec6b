import type { PathSegment } from './object-path';

/**
 * Unknown-field detection by watching what the upstream validator reads.
 *
 * Why this works: every validator we drive is ajv-generated code, and for an object schema with
 * `properties` ajv emits one read per declared property (`data.replicas === undefined || ...`),
 * whether or not the data has it. A map (`additionalProperties: <schema>`, e.g. labels,
 * annotations, ConfigMap data) is instead iterated with `for (key in data)`. A free-form object
 * (`x-kubernetes-preserve-unknown-fields`, RawExtension) is type-checked and never looked into.
 * So, with the data behind a Proxy:
 *   - an object that was iterated is a map: any key is fine;
 *   - an object whose properties were read has a `properties` schema: a key present in the data
 *     that was never read is a field the schema does not declare, i.e. unknown (`spec.replcas`);
 *   - an object that was reached but never read or iterated is free-form: nothing to check.
 * That is `kubeconform -strict` semantics computed from the very schemas the packages ship
 * (kubernetes-models 4.x ships only precompiled validators, no JSON schemas to walk).
 *
 * Known limit (see free-form-fields.ts): ajv skips declared properties whose schema accepts
 * anything (`{}`: typed `any` in the packages' .d.ts), so such a field looks unknown; those are
 * listed explicitly. `anyOf` stops at the first passing branch; no object-valued `anyOf` exists in
 * the kinds shipped by these packages (only string formats), so this does not arise today.
 */
export interface FieldAccessTracker<T extends object> {
  /** Hand this to the validator instead of the data itself. */
  readonly proxy: T;
  /**
   * Paths of keys present in the data that the validator never read, inside objects whose schema
   * declares properties. `isFreeForm` exempts declared-but-unchecked fields (and all below them).
   */
  unknownFields(isFreeForm?: (segments: readonly PathSegment[]) => boolean): PathSegment[][];
}

interface AccessRecord {
  read: Set<string>;
  enumerated: boolean;
}

/** Property reads that are about the JS object, not the schema (deep-equal helpers, inspectors). */
const NON_SCHEMA_READS = new Set(['constructor', 'toJSON', 'then', '__proto__']);

/**
 * Wraps `root` and, lazily, every plain object and array reached from it. `root` itself may be a
 * model instance (its prototype carries `validate`); it must be a fresh copy the caller owns:
 * proxies of frozen objects would break Proxy invariants.
 */
export function trackFieldAccess<T extends object>(root: T): FieldAccessTracker<T> {
  const records = new WeakMap<object, AccessRecord>();
  const proxies = new WeakMap<object, object>();

  const wrap = <V>(value: V, force = false): V => {
    if (typeof value !== 'object' || value === null) return value;
    if (!force && !Array.isArray(value) && !isPlainObject(value)) return value;
    const existing = proxies.get(value);
    if (existing) return existing as V;
    const record: AccessRecord = { read: new Set(), enumerated: false };
    records.set(value, record);
    const proxy = new Proxy(value, {
      get(target, key, receiver) {
        if (typeof key === 'string') record.read.add(key);
        return wrap(Reflect.get(target, key, receiver));
      },
      has(target, key) {
        if (typeof key === 'string') record.read.add(key);
        return Reflect.has(target, key);
      },
      getOwnPropertyDescriptor(target, key) {
        if (typeof key === 'string') record.read.add(key);
        return Reflect.getOwnPropertyDescriptor(target, key);
      },
      ownKeys(target) {
        record.enumerated = true;
        return Reflect.ownKeys(target);
      },
    });
    proxies.set(value, proxy);
    return proxy;
  };

  const proxy = wrap(root, true);

  const unknownFields = (isFreeForm: (segments: readonly PathSegment[]) => boolean = () => false): PathSegment[][] => {
    const found: PathSegment[][] = [];
    const visit = (node: unknown, segments: PathSegment[]): void => {
      if (Array.isArray(node)) {
        node.forEach((item, index) => visit(item, [...segments, index]));
        return;
      }
      if (typeof node !== 'object' || node === null) return;
      const record = records.get(node);
      const declaresProperties =
        record !== undefined && !record.enumerated && [...record.read].some((key) => !NON_SCHEMA_READS.has(key));
      for (const key of Object.keys(node)) {
        const child = [...segments, key];
        if (declaresProperties && !record.read.has(key)) {
          if (!isFreeForm(child)) found.push(child);
          continue;
        }
        visit((node as Record<string, unknown>)[key], child);
      }
    };
    visit(root, []);
    return found;
  };

  return { proxy, unknownFields };
}

/**
 * A plain `{}` from any realm (its prototype is *an* Object.prototype): data may come from
 * structuredClone or another vm context (Jest), whose Object.prototype is not ours.
 */
function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || (typeof proto === 'object' && Object.getPrototypeOf(proto) === null);
}
