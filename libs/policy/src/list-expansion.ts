import type { ManifestDocument } from '@aks-gitops/cluster-model';
import type { UnreadableFile } from './model';
import { isRecord } from './unknown-value';

/*
 * kustomize and `kubectl apply` unwrap `kind: List` (and every `<Kind>List`) into its items, so a
 * privileged Pod wrapped in a List reaches the cluster as a privileged Pod. The gate unwraps
 * Lists the same way before any rule looks at an object; a list it cannot unwrap is reported,
 * never skipped.
 */

/** Nesting deeper than this is refused rather than followed (nobody writes it on purpose). */
const MAX_LIST_DEPTH = 8;

export function isListKind(value: unknown): boolean {
  return (
    isRecord(value) &&
    typeof value.kind === 'string' &&
    /List$/.test(value.kind) &&
    typeof value.apiVersion === 'string'
  );
}

export interface ExpandedValue {
  /** The values the list stands for, Lists unwrapped at any depth; the value itself if it is no List. */
  values: unknown[];
  /** Why (part of) the list could not be unwrapped. */
  problems: string[];
}

/** Unwraps a value that may be a List (of Lists) into the objects kustomize would apply. */
export function expandLists(value: unknown, depth = 0): ExpandedValue {
  if (!isListKind(value)) return { values: [value], problems: [] };
  const list = value as { kind: string; items?: unknown };
  if (depth >= MAX_LIST_DEPTH)
    return { values: [], problems: [`${list.kind} nested more than ${MAX_LIST_DEPTH} deep`] };
  if (list.items === undefined || list.items === null) return { values: [], problems: [] };
  if (!Array.isArray(list.items))
    return { values: [], problems: [`${list.kind} has items that are not a list, so its objects cannot be judged`] };
  const result: ExpandedValue = { values: [], problems: [] };
  for (const item of list.items) {
    const inner = expandLists(item, depth + 1);
    result.values.push(...inner.values);
    result.problems.push(...inner.problems);
  }
  return result;
}

/** Lists built in code (an escape hatch, a raw ApiObject) are unwrapped as kustomize would. */
export function expandListDocuments(
  documents: readonly ManifestDocument[],
  unreadable: UnreadableFile[],
): ManifestDocument[] {
  if (!documents.some((document) => isListKind(document.object))) return documents as ManifestDocument[];
  const result: ManifestDocument[] = [];
  for (const document of documents) {
    if (!isListKind(document.object)) {
      result.push(document);
      continue;
    }
    const expanded = expandLists(document.object);
    for (const problem of expanded.problems) unreadable.push({ file: document.file, message: problem });
    for (const value of expanded.values)
      result.push({ file: document.file, object: value as ManifestDocument['object'] });
  }
  return result;
}
