import type { ManifestDocument } from '@aks-gitops/cluster-model';
import { buildClusterIndex } from './cluster-index';
import { expandListDocuments } from './list-expansion';
import type { ClusterSummary, Finding, PolicyCluster, PolicyInput, PolicyReport, Severity } from './model';
import { clusterOfFile, describeObject, isEvaluated, isKubeObject } from './object-identity';
import type { RuleId } from './rule-catalog';
import { ruleDefinition } from './rule-definitions';
import type { ClusterCheck, Report } from './rule-context';
import { checkAvailability } from './rules/availability';
import { checkContainerResources } from './rules/container-resources';
import { checkFlux } from './rules/flux';
import { checkHighUidGid } from './rules/high-uid-gid';
import { checkApiVersions } from './rules/api-versions';
import { checkImageRegistries } from './rules/image-registries';
import { checkIngressHygiene } from './rules/ingress-hygiene';
import { checkSecretHandling } from './rules/secret-handling';
import { checkServiceExposure } from './rules/service-exposure';
import { checkImages, PROD_ENVIRONMENT } from './rules/images';
import { checkNamespaces } from './rules/namespaces';
import { checkNetworkPolicies } from './rules/network-policies';
import { checkPodSecurityStandards } from './rules/pod-security-standards';
import { checkSecrets } from './rules/secrets';
import { checkServiceAccountToken } from './rules/service-account-token';
import { checkServices } from './rules/services';
import { checkTls } from './rules/tls';
import { checkWaf } from './rules/waf';
import { checkClusterExtensions } from './rules/cluster-extensions';
import { checkFluxGenerated } from './rules/flux-generated';
import { checkRbac } from './rules/rbac';
import { checkTenancy } from './rules/tenancy';
import { appsOf } from './generated-layout';
import { compareStrings } from './unknown-value';
import { checkWaiverAnnotations, WaiverLookup } from './waivers';

/** Cluster name for documents outside `clusters/<cluster>/` and `flux/<cluster>/`; they are still judged. */
export const UNASSIGNED_CLUSTER = '(unassigned)';

const CLUSTER_CHECKS: readonly ClusterCheck[] = [
  checkPodSecurityStandards,
  checkHighUidGid,
  checkServiceAccountToken,
  checkNetworkPolicies,
  checkServices,
  checkTls,
  checkWaf,
  checkSecrets,
  checkImages,
  checkContainerResources,
  checkAvailability,
  checkNamespaces,
  checkFlux,
  checkTenancy,
  checkRbac,
  checkClusterExtensions,
  checkFluxGenerated,
  checkIngressHygiene,
  checkSecretHandling,
  checkImageRegistries,
  checkApiVersions,
  checkServiceExposure,
  checkWaiverAnnotations,
];

/**
 * Judges generated manifests against every rule in RULES. Pure and deterministic: the same input
 * gives the same report, byte for byte once formatted, whatever order the documents came in.
 */
export function evaluate(input: PolicyInput): PolicyReport {
  const environments = new Map(input.clusters.map((cluster) => [cluster.name, cluster.environment]));
  const specs = new Map<string, PolicyCluster>(input.clusters.map((cluster) => [cluster.name, cluster]));
  const documentsByCluster = new Map<string, ManifestDocument[]>();
  // Callers build documents in code, so the type promises a shape nothing enforced; rules would
  // crash on a missing metadata, so such objects are reported instead of judged.
  const unreadable = [...(input.unreadableFiles ?? [])];
  for (const document of expandListDocuments(input.documents, unreadable)) {
    if (!isEvaluated(document)) continue;
    if (!isKubeObject(document.object)) {
      unreadable.push({
        file: document.file,
        message: 'object is not a Kubernetes object (needs apiVersion, kind and metadata.name)',
      });
      continue;
    }
    const cluster = clusterOfFile(document.file) ?? UNASSIGNED_CLUSTER;
    const list = documentsByCluster.get(cluster);
    if (list) list.push(document);
    else documentsByCluster.set(cluster, [document]);
  }
  const clusterNames = [
    ...new Set([
      ...environments.keys(),
      ...documentsByCluster.keys(),
      ...unreadable.map((file) => clusterOfFile(file.file) ?? UNASSIGNED_CLUSTER),
    ]),
  ].sort(compareStrings);

  const findings: Finding[] = [];
  for (const cluster of clusterNames) {
    const documents = documentsByCluster.get(cluster) ?? [];
    const waivers = new WaiverLookup(appsOf(documents));
    const report: Report = (ruleId, subject, message, fix) => {
      const definition = ruleDefinition(ruleId);
      const reason = definition.waivable ? waivers.reasonFor(subject, ruleId) : undefined;
      const entry = finding(ruleId, cluster, subject.file, describeObject(subject.object), message, fix, reason);
      entry.severity = severityIn(ruleId, environments.get(cluster));
      if (subject.line !== undefined) entry.line = subject.line;
      findings.push(entry);
    };
    const index = buildClusterIndex(cluster, environments.get(cluster), documents, specs.get(cluster));
    for (const check of CLUSTER_CHECKS) check({ cluster: index, existingPaths: input.existingPaths, report });

    if (documents.length > 0 && !environments.has(cluster) && cluster !== UNASSIGNED_CLUSTER) {
      findings.push(
        finding(
          'cluster-environment-known',
          cluster,
          `clusters/${cluster}`,
          `Cluster ${cluster}`,
          `cluster ${cluster} has manifests but no environment was given, so environment rules (prod image digests) were not applied`,
          'Add the cluster to the fleet definition passed to the policy gate, or delete its stale folders.',
        ),
      );
    }
  }
  for (const file of unreadable) {
    findings.push(
      finding(
        file.ruleId ?? 'manifest-readable',
        clusterOfFile(file.file) ?? UNASSIGNED_CLUSTER,
        file.file,
        'File',
        file.message,
        file.fix ?? 'Fix the YAML so every document is a Kubernetes object (apiVersion, kind, metadata.name).',
      ),
    );
  }

  findings.sort(compareFindings);
  const summary = summarize(clusterNames, documentsByCluster, findings);
  return { findings, summary, ok: !findings.some((entry) => entry.severity === 'error' && !entry.waived) };
}

function finding(
  ruleId: RuleId,
  cluster: string,
  file: string,
  object: string,
  message: string,
  fix: string,
  waiverReason?: string,
): Finding {
  const result: Finding = { ruleId, severity: ruleDefinition(ruleId).severity, cluster, file, object, message, fix };
  if (waiverReason !== undefined) result.waived = { reason: waiverReason };
  return result;
}

/** A rule's severity on a cluster: some rules are errors in prod and warnings elsewhere. */
function severityIn(ruleId: RuleId, environment: string | undefined): Severity {
  const definition = ruleDefinition(ruleId);
  return definition.severityOutsideProd !== undefined && environment !== PROD_ENVIRONMENT
    ? definition.severityOutsideProd
    : definition.severity;
}

/** Total order over every field, so ties never fall back on input order. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareStrings(a.cluster, b.cluster) ||
    compareStrings(a.file, b.file) ||
    compareStrings(a.object, b.object) ||
    compareStrings(a.ruleId, b.ruleId) ||
    compareStrings(a.message, b.message) ||
    compareStrings(a.fix, b.fix) ||
    (a.line ?? 0) - (b.line ?? 0) ||
    compareStrings(a.waived?.reason ?? '', b.waived?.reason ?? '')
  );
}

function summarize(
  clusterNames: string[],
  documentsByCluster: Map<string, ManifestDocument[]>,
  findings: Finding[],
): ClusterSummary[] {
  const byCluster = new Map<string, ClusterSummary>(
    clusterNames.map((cluster) => [
      cluster,
      { cluster, objects: documentsByCluster.get(cluster)?.length ?? 0, errors: 0, warnings: 0, waived: 0 },
    ]),
  );
  for (const entry of findings) {
    const summary = byCluster.get(entry.cluster);
    if (!summary) continue;
    if (entry.waived) summary.waived += 1;
    else if (entry.severity === 'error') summary.errors += 1;
    else summary.warnings += 1;
  }
  return [...byCluster.values()];
}
