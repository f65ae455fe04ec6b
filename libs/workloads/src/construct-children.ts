import type { IConstruct } from 'constructs';

/**
 * Keeps a construct's children in a dictionary-mode object (one without a prototype), set before
 * its first child is added. For the per-app App and AppChart of every app on every cluster the
 * first child id is per app (the chart's `<cluster>--<app>`, then the app's own construct ids).
 *
 * Why: constructs keeps children in a plain `{}` keyed by id. Each such object whose first key is
 * new adds a transition to V8's one map for empty objects, which takes at most 1,536; once it is
 * full, every object the synth then builds from `{}` with a key first seen later (most keys of a
 * manifest) gets a map of its own instead of a shared one. At 2,000 apps that was ~900,000 extra
 * maps, property access gone megamorphic everywhere, and a full synth a third slower per object
 * than at 1,000 (BENCHMARKS.md, "growth"). A dictionary-mode object makes no transitions.
 *
 * It relies on constructs' `Node._children` (an own field, undefined until the first child) and
 * does nothing when that is not where it is: speed only, never output. A test fails if it stops
 * taking effect after an upgrade (test/construct-children.spec.ts).
 */
export function useDictionaryChildren(scope: IConstruct): boolean {
  const node = scope.node as unknown as { _children?: unknown };
  if (!Object.prototype.hasOwnProperty.call(node, '_children') || node._children !== undefined) return false;
  node._children = Object.create(null);
  return true;
}
