import { ConfigError } from './config-error';
import type { ClusterSpec } from './cluster-spec';
import { ENVIRONMENTS, NETWORK_POLICY_ENGINES } from './cluster-spec';
import { firewallPolicyIdProblem, FIREWALL_POLICY_ID_TEMPLATE } from './firewall-policy-id';
import { registryPatternProblem } from './registry-pattern';
import { networkModelProblems } from './validate-network-model';
import { validateClusterL7 } from './validate-cluster-l7';
import { validateClusterNetwork } from './validate-cluster-network';
import { validateTopology } from './validate-topology';
import { dnsLabelProblem, guidProblem, httpsUrlProblem, intRangeProblem, oneOfProblem } from './validators';

export { AGC_RESOURCE_ID, SUBNET_ID, WAF_POLICY_ID } from './azure-resource-ids';
export { dnsNamesProblem } from './validators';

const K8S_VERSION = /^1\.(2[89]|3\d)$/;
const REGION = /^[a-z][a-z0-9]+$/;
const GIT_URL = /^(https:\/\/|ssh:\/\/)[^\s]+$/;

/**
 * Checks one cluster spec and returns every problem found, each naming the cluster and field.
 * The checks are the ones Azure or Kubernetes would otherwise report late (at deploy time) or
 * never (a firewall IP that is private, an ILB subnet outside the VNet).
 */
export function validateCluster(spec: ClusterSpec): ConfigError[] {
  const errors: ConfigError[] = [];
  const cluster = typeof spec?.name === 'string' ? spec.name : '<unnamed>';
  const fail = (field: string, problem: string, fix: string) =>
    errors.push(new ConfigError({ cluster, field, problem, fix }));
  const check = (field: string, problem: string | undefined, fix: string) => problem && fail(field, problem, fix);

  check(
    'name',
    dnsLabelProblem(spec.name, 40),
    'use a lowercase DNS label of at most 40 characters, e.g. "aks-prod-weu"',
  );
  check('environment', oneOfProblem(spec.environment, ENVIRONMENTS), `pick one of ${ENVIRONMENTS.join(', ')}`);
  if (typeof spec.region !== 'string' || !REGION.test(spec.region)) {
    fail(
      'region',
      `${JSON.stringify(spec.region)} is not an Azure region name`,
      'use the lowercase programmatic name, e.g. "westeurope"',
    );
  }
  if (typeof spec.kubernetesVersion !== 'string' || !K8S_VERSION.test(spec.kubernetesVersion)) {
    fail(
      'kubernetesVersion',
      `${JSON.stringify(spec.kubernetesVersion)} is not a supported minor version`,
      'use "1.28" to "1.39" (minor only, no patch)',
    );
  }
  check('subscriptionId', guidProblem(spec.subscriptionId), 'use the subscription GUID, lowercase');
  check(
    'networkPolicyEngine',
    oneOfProblem(spec.networkPolicyEngine, NETWORK_POLICY_ENGINES),
    'pick the engine the cluster was created with',
  );

  validateClusterNetwork(spec, fail, check);
  validateClusterL7(spec, fail, check);
  const net = spec.network ?? ({} as ClusterSpec['network']);
  const p = spec.l7;

  if (p && net.plugin !== undefined) {
    for (const m of networkModelProblems(spec)) fail(m.field, m.problem, m.fix);
  } else if (net.plugin === undefined) {
    fail(
      'network.plugin',
      'is not set',
      'name the network plugin and mode the cluster was created with: azure-cni-overlay, azure-cni-pod-subnet, azure-cni-node-subnet or kubenet',
    );
  }
  check(
    'keyVault.name',
    typeof spec.keyVault?.name === 'string' && /^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/.test(spec.keyVault.name)
      ? undefined
      : `${JSON.stringify(spec.keyVault?.name)} is not a Key Vault name`,
    'use 3-24 letters, digits and dashes',
  );
  check('keyVault.tenantId', guidProblem(spec.keyVault?.tenantId), 'use the Entra tenant GUID');
  check(
    'firewall.policyId',
    firewallPolicyIdProblem(spec.firewall?.policyId),
    `use the full resource ID of the Firewall Policy (it may be in the hub's subscription): ${FIREWALL_POLICY_ID_TEMPLATE}`,
  );
  check(
    'firewall.ruleCollectionGroupPriority',
    intRangeProblem(spec.firewall?.ruleCollectionGroupPriority, 100, 65000),
    'Azure accepts rule collection group priorities from 100 to 65000',
  );
  if (typeof spec.flux?.url !== 'string' || !GIT_URL.test(spec.flux.url)) {
    fail(
      'flux.url',
      `${JSON.stringify(spec.flux?.url)} is not a Git URL Flux can pull`,
      'use https://... or ssh://git@...',
    );
  }
  if (spec.oidcIssuerUrl !== undefined) {
    check(
      'oidcIssuerUrl',
      httpsUrlProblem(spec.oidcIssuerUrl),
      'use the issuer URL AKS reports: az aks show -g <rg> -n <cluster> --query oidcIssuerProfile.issuerUrl',
    );
  }
  if (!Array.isArray(spec.allowedRegistries) || spec.allowedRegistries.length === 0) {
    fail(
      'allowedRegistries',
      `is ${Array.isArray(spec.allowedRegistries) ? 'empty' : JSON.stringify(spec.allowedRegistries)}`,
      'list the registries this cluster may pull from, e.g. ["contoso.azurecr.io", "mcr.microsoft.com"]',
    );
  } else {
    spec.allowedRegistries.forEach((entry, i) =>
      check(
        `allowedRegistries[${i}]`,
        registryPatternProblem(entry),
        'write a registry host or host/path-prefix, e.g. "contoso.azurecr.io" or "ghcr.io/contoso"',
      ),
    );
    if (new Set(spec.allowedRegistries).size !== spec.allowedRegistries.length)
      fail('allowedRegistries', 'lists a registry twice', 'list each registry once');
  }
  if (typeof spec.flux?.branch !== 'string' || !/^[A-Za-z0-9._/-]+$/.test(spec.flux.branch)) {
    fail(
      'flux.branch',
      `${JSON.stringify(spec.flux?.branch)} is not a branch name`,
      'name the branch Flux tracks, e.g. "main"',
    );
  }
  errors.push(...validateTopology(spec));
  return errors;
}
