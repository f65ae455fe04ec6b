import { WAIVER_ANNOTATION_PREFIX, type ManifestDocument } from '@aks-gitops/cluster-model';
import { podTemplateOf } from './pod-template';
import { findRule } from './rule-catalog';
import type { RuleContext } from './rule-context';
import { asStringMap, show } from './unknown-value';

/*
 * A waiver is a reviewed exception written next to the thing it excuses:
 * `waivers.aks-gitops.io/<rule-id>: <why>`. The finding stays in the report (marked waived) so
 * exceptions remain visible; only the verdict changes. A waiver without a reason is not a review,
 * so it waives nothing and is itself an error.
 */

interface WaiverAnnotation {
  /** Where it was found, for messages: the object's metadata or its pod template's. */
  location: 'metadata' | 'pod template';
  key: string;
  ruleId: string;
  reason: string;
}

function waiverAnnotationsIn(annotations: Record<string, string>, location: WaiverAnnotation['location']): WaiverAnnotation[] {
  return Object.entries(annotations)
    .filter(([key]) => key.startsWith(WAIVER_ANNOTATION_PREFIX))
    .map(([key, reason]) => ({ location, key, ruleId: key.slice(WAIVER_ANNOTATION_PREFIX.length), reason }));
}

/**
 * Pod rules accept waivers on the pod template too: constructs that loosen a pod setting naturally
 * annotate the template they changed.
 */
function waiverAnnotationsOf(document: ManifestDocument): WaiverAnnotation[] {
  const { object } = document;
  const own = waiverAnnotationsIn(asStringMap(object.metadata?.annotations), 'metadata');
  const pod = podTemplateOf(object);
  // A Pod's template is the Pod itself; do not count its annotations twice.
  if (!pod || object.kind === 'Pod') return own;
  return [...own, ...waiverAnnotationsIn(pod.annotations, 'pod template')];
}

/** Resolves "is this rule waived on this object, and why", caching per document. */
export class WaiverLookup {
  private readonly cache = new Map<ManifestDocument, Map<string, string>>();

  reasonFor(document: ManifestDocument, ruleId: string): string | undefined {
    let reasons = this.cache.get(document);
    if (!reasons) {
      reasons = new Map();
      // Metadata comes first, so a metadata reason wins over a template one for the same rule.
      for (const waiver of waiverAnnotationsOf(document)) {
        const reason = waiver.reason.trim();
        if (reason !== '' && !reasons.has(waiver.ruleId)) reasons.set(waiver.ruleId, reason);
      }
      this.cache.set(document, reasons);
    }
    return reasons.get(ruleId);
  }
}

/** Reports waivers that cannot work: an empty reason, or a rule id that does not exist or cannot be waived. */
export function checkWaiverAnnotations({ cluster, report }: RuleContext): void {
  for (const document of cluster.documents) {
    for (const waiver of waiverAnnotationsOf(document)) {
      const definition = findRule(waiver.ruleId);
      if (!definition || !definition.waivable) {
        report(
          'waiver-unknown-rule',
          document,
          `${waiver.location} annotation ${waiver.key} names ${definition ? 'a rule that cannot be waived' : 'no known rule'}: ${show(waiver.ruleId)}`,
          'Use the id of a waivable rule from the policy RULES list, or remove the annotation.',
        );
      } else if (waiver.reason.trim() === '') {
        report(
          'waiver-without-reason',
          document,
          `${waiver.location} annotation ${waiver.key} has an empty reason, so it waives nothing`,
          `Write why the exception is acceptable (and who approved it) as the value of ${waiver.key}.`,
        );
      }
    }
  }
}
