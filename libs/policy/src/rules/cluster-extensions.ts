import { apiGroupOf } from '@aks-gitops/cluster-model';
import type { RuleContext } from '../rule-context';

/*
 * Admission webhooks and policies see (and may rewrite) every object any team creates; a CRD or an
 * APIService changes what the API server itself serves. The generated tree never needs one: they
 * are installed with the cluster (AKS add-ons, Flux, Gatekeeper), not by apps or the baseline.
 */

const ADMISSION_GROUP = 'admissionregistration.k8s.io';
const ADMISSION_KINDS: ReadonlySet<string> = new Set([
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding',
]);
const FIX_INSTALL =
  "Install it with the cluster (an AKS add-on, the Flux extension or the platform team's own pipeline), not from this repository.";

export function checkClusterExtensions({ cluster, report }: RuleContext): void {
  for (const document of cluster.documents) {
    const { object } = document;
    const group = apiGroupOf(object.apiVersion);
    if (group === ADMISSION_GROUP && ADMISSION_KINDS.has(object.kind)) {
      report(
        'no-admission-webhooks',
        document,
        `${object.kind} ${object.metadata.name} would intercept (and could rewrite or block) every team's objects`,
        FIX_INSTALL,
      );
    } else if (group === 'apiextensions.k8s.io' && object.kind === 'CustomResourceDefinition') {
      report(
        'no-custom-resource-definitions',
        document,
        `CustomResourceDefinition ${object.metadata.name} changes the API of the whole cluster`,
        FIX_INSTALL,
      );
    } else if (group === 'apiregistration.k8s.io' && object.kind === 'APIService') {
      report(
        'no-api-services',
        document,
        `APIService ${object.metadata.name} hands part of the cluster's API to another server`,
        FIX_INSTALL,
      );
    }
  }
}
