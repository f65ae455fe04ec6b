import { createRequire } from 'node:module';

/**
 * Loads schema packages by computed path, with Node's own resolver.
 *
 * Why not `import`: the model to load depends on the object's apiVersion/kind, and loading all of
 * kubernetes-models up front costs ~4 MB of validator code per process. Node's resolver honours the
 * packages' `exports` maps (4.x is CommonJS, so plain require works; 5.x would not).
 */
const nodeRequire = createRequire(__filename);

/** `undefined` when the specifier does not resolve (no such model); load errors still throw. */
export function loadOptional(specifier: string): unknown {
  try {
    nodeRequire.resolve(specifier);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') return undefined;
    throw error;
  }
  return nodeRequire(specifier);
}

/** Absolute file a specifier resolves to (to find the package.json it belongs to). */
export function resolvePath(specifier: string): string {
  return nodeRequire.resolve(specifier);
}

/**
 * Loads `specifier` as `owner` resolves it. Used for what our declared packages depend on
 * (ajv and ajv-formats via @kubernetes-models/validate, ObjectMeta via kubernetes-models), so we get
 * the very copy they use rather than whatever happens to be hoisted.
 */
export function loadVia(owner: string, specifier: string): unknown {
  return createRequire(nodeRequire.resolve(owner))(specifier);
}
