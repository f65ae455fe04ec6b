import { asRecords, asString, asStringList, asStringMap, isRecord } from './unknown-value';

/**
 * Kubernetes LabelSelector semantics as NetworkPolicy and PodDisruptionBudget (policy/v1) apply
 * them: `{}` selects every pod, a missing selector selects none, and an unknown operator selects
 * none (the API server would reject it, so it must not count as coverage here).
 */
export function selectorMatches(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  if (!isRecord(selector)) return false;
  for (const [key, value] of Object.entries(asStringMap(selector.matchLabels))) {
    if (labels[key] !== value) return false;
  }
  for (const expression of asRecords(selector.matchExpressions)) {
    if (!expressionMatches(expression, labels)) return false;
  }
  return true;
}

function expressionMatches(expression: Record<string, unknown>, labels: Readonly<Record<string, string>>): boolean {
  const key = asString(expression.key);
  if (key === undefined) return false;
  const has = Object.prototype.hasOwnProperty.call(labels, key);
  const values = asStringList(expression.values);
  switch (expression.operator) {
    case 'In':
      return has && values.includes(labels[key]);
    case 'NotIn':
      return !has || !values.includes(labels[key]);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    default:
      return false;
  }
}

/** True for `{}` (or only empty lists): a selector that picks every pod in its namespace. */
export function isEmptySelector(selector: unknown): boolean {
  if (!isRecord(selector)) return false;
  return (
    Object.keys(asStringMap(selector.matchLabels)).length === 0 && asRecords(selector.matchExpressions).length === 0
  );
}

/** `app=orders-api, tier=api`: how selectors and label sets are shown in messages. */
export function showLabels(labels: Readonly<Record<string, string>>): string {
  const pairs = Object.keys(labels)
    .sort()
    .map((key) => `${key}=${labels[key]}`);
  return pairs.length > 0 ? `{${pairs.join(', ')}}` : '{}';
}

/**
 * Finds the selectors that could match a pod without testing every selector against every pod.
 * Each selector is filed under one of its matchLabels pairs (any pod it matches must carry that
 * pair), so a lookup only touches selectors sharing that pair with the pod. The pair chosen is the
 * rarest one among all selectors, so a label every policy repeats (`part-of: shop`) does not put
 * them all in one bucket. Selectors without matchLabels cannot be filed and are always returned.
 * Callers still confirm each candidate with selectorMatches.
 */
export class SelectorIndex<T> {
  private readonly pending: { pairs: string[]; item: T }[] = [];
  private byLabelPair: Map<string, T[]> | undefined;
  private readonly unfiled: T[] = [];

  add(selector: unknown, item: T): void {
    const matchLabels = isRecord(selector) ? asStringMap(selector.matchLabels) : {};
    const pairs = Object.keys(matchLabels)
      .sort()
      .map((key) => labelPair(key, matchLabels[key]));
    if (pairs.length === 0) this.unfiled.push(item);
    else this.pending.push({ pairs, item });
    this.byLabelPair = undefined;
  }

  candidates(labels: Readonly<Record<string, string>>): T[] {
    const byLabelPair = this.byLabelPair ?? this.file();
    const found = [...this.unfiled];
    for (const [key, value] of Object.entries(labels)) {
      const bucket = byLabelPair.get(labelPair(key, value));
      if (bucket) found.push(...bucket);
    }
    return found;
  }

  /** Files every pending selector under its least common pair; done once, on the first lookup. */
  private file(): Map<string, T[]> {
    const frequency = new Map<string, number>();
    for (const { pairs } of this.pending) for (const pair of pairs) frequency.set(pair, (frequency.get(pair) ?? 0) + 1);
    const byLabelPair = new Map<string, T[]>();
    for (const { pairs, item } of this.pending) {
      let rarest = pairs[0];
      for (const pair of pairs) if ((frequency.get(pair) ?? 0) < (frequency.get(rarest) ?? 0)) rarest = pair;
      const bucket = byLabelPair.get(rarest);
      if (bucket) bucket.push(item);
      else byLabelPair.set(rarest, [item]);
    }
    this.byLabelPair = byLabelPair;
    return byLabelPair;
  }
}

function labelPair(key: string, value: string): string {
  return `${key}\u0000${value}`;
}
