import { WAIVER_ANNOTATION_PREFIX, type ManifestDocument } from '@aks-gitops/cluster-model';
import { appOfFile, appsOf } from './generated-layout';
import { namespaceOf } from './object-identity';
import { podTemplateOf } from './pod-template';
import type { RuleId } from './rule-catalog';
import { findRule } from './rule-definitions';
import type { RuleContext } from './rule-context';
import { asStringMap, show } from './unknown-value';

/*
 * A waiver is a reviewed exception written next to the thing it excuses:
 * `waivers.aks-gitops.io/<rule-id>: <why>`. The finding stays in the report (marked waived) so
 * exceptions remain visible; only the verdict changes. A waiver without a reason is not a review,
 * so it waives nothing and is itself an error.
 */

export interface WaiverAnnotation {
  /** Where it was found, for messages: the object's metadata or its pod template's. */
  location: 'metadata' | 'pod template';
  key: string;
  ruleId: string;
  reason: string;
}

function waiverAnnotationsIn(
  annotations: Record<string, string>,
  location: WaiverAnnotation['location'],
): WaiverAnnotation[] {
  return Object.entries(annotations)
    .filter(([key]) => key.startsWith(WAIVER_ANNOTATION_PREFIX))
    .map(([key, reason]) => ({ location, key, ruleId: key.slice(WAIVER_ANNOTATION_PREFIX.length), reason }));
}

/**
 * Pod rules accept waivers on the pod template too: constructs that loosen a pod setting naturally
 * annotate the template they changed.
 */
export function waiverAnnotationsOf(document: ManifestDocument): WaiverAnnotation[] {
  const { object } = document;
  const own = waiverAnnotationsIn(asStringMap(object.metadata?.annotations), 'metadata');
  const pod = podTemplateOf(object);
  // A Pod's template is the Pod itself; do not count its annotations twice.
  if (!pod || object.kind === 'Pod') return own;
  return [...own, ...waiverAnnotationsIn(pod.annotations, 'pod template')];
}

/** Placeholders people type to get past a required field; none of them says why. */
const PLACEHOLDER_REASONS: ReadonlySet<string> = new Set([
  'n/a',
  'na',
  'none',
  'todo',
  'tbd',
  'x',
  'xx',
  'xxx',
  'fixme',
  'wip',
  'temp',
  'temporary',
  'test',
  'testing',
  'ok',
  'yes',
  'waived',
  'waiver',
  'needed',
  'required',
  'because',
  'see ticket',
  '-',
  '.',
  '?',
]);
export const MIN_REASON_LENGTH = 15;
export const MIN_REASON_WORDS = 3;
/** Characters that make a key a pattern rather than one rule id. */
const PATTERN_CHARACTERS = /[*?[\]{}()|^$+\\]/;

/** Why a waiver reason is not a real sentence, or undefined when it is one. */
export function reasonProblem(reason: string): string | undefined {
  const trimmed = reason.trim();
  if (trimmed === '') return 'an empty reason';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(trimmed)) return 'a reason with control characters';
  if (PLACEHOLDER_REASONS.has(trimmed.toLowerCase().replace(/[.!]+$/, '')))
    return `a placeholder reason (${JSON.stringify(trimmed)})`;
  const words = trimmed.split(/\s+/).filter((word) => /\p{L}/u.test(word));
  if (trimmed.length < MIN_REASON_LENGTH || words.length < MIN_REASON_WORDS) {
    return `a reason too short to say why (${JSON.stringify(trimmed)}: needs at least ${MIN_REASON_WORDS} words and ${MIN_REASON_LENGTH} characters)`;
  }
  return undefined;
}

export function isWildcardWaiverKey(ruleId: string): boolean {
  return ruleId === '' || PATTERN_CHARACTERS.test(ruleId);
}

/**
 * Whether the folder that holds an object may waive rules on it: an app's folder only on objects
 * in the app's own namespace, and no other folder on objects in an app's namespace. Otherwise a
 * team could excuse findings on another team's objects, or the platform on an app's.
 */
export function folderOwnsObject(document: ManifestDocument, apps: ReadonlySet<string>): boolean {
  const namespace = namespaceOf(document.object);
  const app = appOfFile(document.file);
  if (app !== undefined) return namespace === app;
  return namespace === undefined || !apps.has(namespace);
}

/** Why a waiver annotation cannot waive anything (the rule it breaks), or undefined when it can. */
export function waiverProblem(
  document: ManifestDocument,
  waiver: WaiverAnnotation,
  apps: ReadonlySet<string>,
): { ruleId: RuleId; message: string; fix: string } | undefined {
  if (isWildcardWaiverKey(waiver.ruleId)) {
    return {
      ruleId: 'waiver-wildcard',
      message: `${waiver.location} annotation ${waiver.key} is a wildcard or pattern; a waiver excuses one named rule`,
      fix: `Replace it with one ${WAIVER_ANNOTATION_PREFIX}<rule-id> annotation per rule, each with its own reason.`,
    };
  }
  const definition = findRule(waiver.ruleId);
  if (!definition) {
    return {
      ruleId: 'waiver-unknown-rule',
      message: `${waiver.location} annotation ${waiver.key} names no known rule: ${show(waiver.ruleId)}`,
      fix: 'Use the id of a waivable rule from the policy RULES list, or remove the annotation.',
    };
  }
  if (!definition.waivable) {
    return {
      ruleId: 'waiver-not-waivable',
      message: `${waiver.location} annotation ${waiver.key} names ${waiver.ruleId}, which cannot be waived`,
      fix: 'Fix the finding instead; the rules marked "never" in libs/policy/README.md admit no exceptions.',
    };
  }
  if (!folderOwnsObject(document, apps)) {
    const app = appOfFile(document.file);
    return {
      ruleId: 'waiver-foreign-object',
      message: `${waiver.location} annotation ${waiver.key} sits on an object ${app !== undefined ? `outside app ${app}'s namespace` : `in app ${namespaceOf(document.object) ?? ''}'s namespace`}, so it waives nothing`,
      fix: 'A waiver counts only on an object the folder owns: an app waives its own objects in its own namespace.',
    };
  }
  const problem = reasonProblem(waiver.reason);
  if (problem) {
    return {
      ruleId: 'waiver-without-reason',
      message: `${waiver.location} annotation ${waiver.key} has ${problem}, so it waives nothing`,
      fix: `Write why the exception is acceptable (and who approved it) as a sentence in the value of ${waiver.key}.`,
    };
  }
  return undefined;
}

/** Resolves "is this rule waived on this object, and why", caching per document. */
export class WaiverLookup {
  private readonly cache = new Map<ManifestDocument, Map<string, string>>();

  /** `apps`: the cluster's app folders, which decide who may waive what. */
  constructor(private readonly apps: ReadonlySet<string>) {}

  reasonFor(document: ManifestDocument, ruleId: string): string | undefined {
    let reasons = this.cache.get(document);
    if (!reasons) {
      reasons = new Map();
      // Metadata comes first, so a metadata reason wins over a template one for the same rule.
      for (const waiver of waiverAnnotationsOf(document)) {
        if (waiverProblem(document, waiver, this.apps) === undefined && !reasons.has(waiver.ruleId))
          reasons.set(waiver.ruleId, waiver.reason.trim());
      }
      this.cache.set(document, reasons);
    }
    return reasons.get(ruleId);
  }
}

/** Reports waivers that cannot work: a wildcard, an unknown or unwaivable rule, a foreign object, no real reason. */
export function checkWaiverAnnotations({ cluster, report }: RuleContext): void {
  const apps = appsOf(cluster.documents);
  for (const document of cluster.documents) {
    for (const waiver of waiverAnnotationsOf(document)) {
      const problem = waiverProblem(document, waiver, apps);
      if (problem) report(problem.ruleId, document, problem.message, problem.fix);
    }
  }
}
