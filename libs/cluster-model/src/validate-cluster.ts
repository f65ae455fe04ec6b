import { ConfigError, ConfigErrors } from './config-error';
import type { ClusterSpec } from './cluster-spec';
import { ENVIRONMENTS, NETWORK_POLICY_ENGINES } from './cluster-spec';
import { Cidr, cidrContainsCidr, cidrsOverlap, isPrivateIpv4, parseCidr, parseIpv4 } from './ipv4';
import { FIREWALL_POLICY_ID_TEMPLATE, firewallPolicyIdProblem, firewallPolicyKey } from './firewall-policy-id';
import { registryPatternProblem } from './registry-pattern';
import { RESERVED_NAMESPACES } from './tenancy';
import { AGC_GATEWAY_CLASS, networkModelProblems } from './validate-network-model';
import { validateFleetTopology, validateTopology } from './validate-topology';
import { backendCaProblems } from './validate-backend-ca';
import {
  dnsLabelProblem,
  guidProblem,
  hostnameProblem,
  httpsUrlProblem,
  intRangeProblem,
  labelKeyProblem,
  labelValueProblem,
  oneOfProblem,
} from './validators';

export const WAF_POLICY_ID =
  /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/ApplicationGatewayWebApplicationFirewallPolicies\/[^/]+$/i;
const K8S_VERSION = /^1\.(2[89]|3\d)$/;
const REGION = /^[a-z][a-z0-9]+$/;
const GIT_URL = /^(https:\/\/|ssh:\/\/)[^\s]+$/;
const AZURE_NAME = /^[A-Za-z0-9][A-Za-z0-9._()-]{0,88}[A-Za-z0-9_)]$/;
export const SUBNET_ID =
  /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+\/subnets\/[^/]+$/i;
export const AGC_RESOURCE_ID =
  /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.ServiceNetworking\/trafficControllers\/[^/]+$/i;

/** Problems of a certificate's DNS-name list: non-empty, each a hostname or single-label wildcard. */
export function dnsNamesProblem(names: unknown): string | undefined {
  if (!Array.isArray(names) || names.length === 0)
    return `${JSON.stringify(names)} is not a non-empty list of DNS names`;
  for (const n of names) {
    const p = hostnameProblem(n);
    if (p) return p;
  }
  return undefined;
}

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

  // Network facts: parse each CIDR once, then check containment and overlaps.
  const net = spec.network ?? ({} as ClusterSpec['network']);
  const cidrField = (field: string, value: unknown): Cidr | undefined => {
    const c = parseCidr(value as string);
    if (!c)
      fail(
        field,
        `${JSON.stringify(value)} is not an IPv4 CIDR with its host bits zero`,
        'write it as a network address, e.g. "10.240.4.0/24"',
      );
    return c;
  };
  const vnet = cidrField('network.vnetCidr', net.vnetCidr);
  const l7 = cidrField('network.l7SourceCidr', net.l7SourceCidr);
  const fw = cidrField('network.firewallSubnetCidr', net.firewallSubnetCidr);
  const ilbSubnet = net.internalLoadBalancerSubnet ?? ({} as { name: string; cidr: string });
  check(
    'network.internalLoadBalancerSubnet.name',
    typeof ilbSubnet.name === 'string' && AZURE_NAME.test(ilbSubnet.name)
      ? undefined
      : `${JSON.stringify(ilbSubnet.name)} is not an Azure subnet name`,
    'use the subnet name as it appears in the VNet',
  );
  const ilb = cidrField('network.internalLoadBalancerSubnet.cidr', ilbSubnet.cidr);
  if (vnet) {
    for (const [field, c] of [
      ['network.l7SourceCidr', l7],
      ['network.internalLoadBalancerSubnet.cidr', ilb],
    ] as const) {
      if (c && !cidrContainsCidr(vnet, c))
        fail(field, `${c.text} is outside the VNet ${vnet.text}`, 'use a subnet of network.vnetCidr');
    }
  }
  if (ilb && fw && cidrsOverlap(ilb, fw)) {
    fail(
      'network.internalLoadBalancerSubnet.cidr',
      `${ilb.text} overlaps the AzureFirewallSubnet ${fw.text}`,
      'give internal load balancers their own subnet',
    );
  }
  if (ilb && l7 && cidrsOverlap(ilb, l7)) {
    fail(
      'network.internalLoadBalancerSubnet.cidr',
      `${ilb.text} overlaps the L7 source subnet ${l7.text}`,
      'give internal load balancers their own subnet',
    );
  }
  if (net.podSubnetCidr !== undefined) {
    const pod = parseCidr(net.podSubnetCidr);
    if (pod && vnet && !cidrContainsCidr(vnet, pod))
      fail('network.podSubnetCidr', `${pod.text} is outside the VNet ${vnet.text}`, 'use a subnet of network.vnetCidr');
    // A Private Link Service in the pod subnet breaks with externalTrafficPolicy Local
    // (cloud-provider-azure pls-integration "Restrictions", kubernetes/kubernetes#95555).
    if (pod && ilb && cidrsOverlap(pod, ilb))
      fail(
        'network.podSubnetCidr',
        `${pod.text} overlaps the ILB subnet ${ilb.text}`,
        'keep internal load balancers (and Private Link NAT IPs) out of the pod subnet',
      );
    if (pod && l7 && cidrsOverlap(pod, l7))
      fail(
        'network.podSubnetCidr',
        `${pod.text} overlaps the L7 source subnet ${l7.text}`,
        'give the gateway subnet its own range',
      );
  }
  if (
    ilbSubnet.privateLinkServiceNetworkPoliciesDisabled !== undefined &&
    typeof ilbSubnet.privateLinkServiceNetworkPoliciesDisabled !== 'boolean'
  ) {
    fail(
      'network.internalLoadBalancerSubnet.privateLinkServiceNetworkPoliciesDisabled',
      `${JSON.stringify(ilbSubnet.privateLinkServiceNetworkPoliciesDisabled)} is not true or false`,
      'set true once the subnet has privateLinkServiceNetworkPolicies: Disabled',
    );
  }
  if (net.localDns !== undefined && typeof net.localDns !== 'boolean') {
    fail(
      'network.localDns',
      `${JSON.stringify(net.localDns)} is not true or false`,
      'set true when the node pools run AKS LocalDNS, false when they do not',
    );
  }
  if (fw && fw.prefix > 26) {
    fail(
      'network.firewallSubnetCidr',
      `${fw.text} is smaller than /26`,
      'Azure requires AzureFirewallSubnet to be at least /26',
    );
  }
  if (!Array.isArray(net.firewallPublicIps) || net.firewallPublicIps.length === 0) {
    fail('network.firewallPublicIps', 'is empty', 'list the public IPs of the Azure Firewall that fronts this cluster');
  } else {
    net.firewallPublicIps.forEach((ip, i) => {
      const n = parseIpv4(ip);
      if (n === undefined)
        fail(
          `network.firewallPublicIps[${i}]`,
          `${JSON.stringify(ip)} is not an IPv4 address`,
          'write a dotted IPv4 address',
        );
      else if (isPrivateIpv4(n))
        fail(
          `network.firewallPublicIps[${i}]`,
          `${ip} is a private address`,
          "use the firewall's public IP; DNAT rules match traffic arriving from the Internet",
        );
    });
    if (new Set(net.firewallPublicIps).size !== net.firewallPublicIps.length) {
      fail('network.firewallPublicIps', 'lists an address twice', 'list each public IP once');
    }
  }

  // L7 provider.
  const p = spec.l7;
  if (!p || (p.kind !== 'agic' && p.kind !== 'gateway-api')) {
    fail(
      'l7.kind',
      `${JSON.stringify((p as { kind?: unknown } | undefined)?.kind)} is not a supported L7 provider`,
      'use "agic" or "gateway-api"',
    );
  } else if (p.kind === 'agic') {
    if (typeof p.sslCertificate !== 'string' || !AZURE_NAME.test(p.sslCertificate)) {
      fail(
        'l7.sslCertificate',
        `${JSON.stringify(p.sslCertificate)} is not an App Gateway certificate name`,
        'name the listener certificate installed on the App Gateway from Key Vault',
      );
    }
    check(
      'l7.sslCertificateDnsNames',
      dnsNamesProblem(p.sslCertificateDnsNames),
      'list the DNS names (SANs) of the listener certificate, e.g. ["*.contoso.com"]',
    );
    if (p.wafPolicyId !== undefined && !WAF_POLICY_ID.test(p.wafPolicyId)) {
      fail(
        'l7.wafPolicyId',
        `${JSON.stringify(p.wafPolicyId)} is not a WAF policy resource ID`,
        'use /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/<name>',
      );
    }
    if (p.ingressClassName !== undefined)
      check(
        'l7.ingressClassName',
        dnsLabelProblem(p.ingressClassName),
        'use the IngressClass name AGIC was installed with',
      );
  } else {
    check(
      'l7.gatewayClassName',
      dnsLabelProblem(p.gatewayClassName),
      'use the GatewayClass name, e.g. "azure-alb-external"',
    );
    check('l7.gateway.namespace', dnsLabelProblem(p.gateway?.namespace), 'name the namespace of the shared Gateway');
    if (RESERVED_NAMESPACES.includes(p.gateway?.namespace)) {
      fail(
        'l7.gateway.namespace',
        `"${p.gateway.namespace}" is a system namespace; the baseline would put it under default deny and Pod Security restricted`,
        'give the shared Gateway its own namespace, e.g. "edge-gateway"',
      );
    }
    if (p.gatewayPodLabels !== undefined) {
      const labels = p.gatewayPodLabels as unknown;
      const entries =
        labels && typeof labels === 'object' && !Array.isArray(labels)
          ? Object.entries(labels as Record<string, unknown>)
          : [];
      if (entries.length === 0)
        fail(
          'l7.gatewayPodLabels',
          `${JSON.stringify(labels)} is not a non-empty map of labels`,
          'give the labels of the gateway pods, e.g. { istio: "aks-istio-ingressgateway-internal" }',
        );
      for (const [k, v] of entries) {
        const problem = labelKeyProblem(k) ?? labelValueProblem(v);
        if (problem) fail(`l7.gatewayPodLabels["${k}"]`, problem, 'use a valid Kubernetes label key and value');
      }
    }
    const syncImage = p.tls?.syncImage;
    if (
      syncImage !== undefined &&
      (typeof syncImage !== 'string' || !/^[^\s@]+(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/.test(syncImage))
    ) {
      fail(
        'l7.tls.syncImage',
        `${JSON.stringify(syncImage)} is not an image reference`,
        'use registry/repository:tag@sha256:<digest>',
      );
    } else if (
      spec.environment === 'prod' &&
      !(typeof syncImage === 'string' && /@sha256:[a-f0-9]{64}$/.test(syncImage))
    ) {
      fail(
        'l7.tls.syncImage',
        `is ${syncImage === undefined ? 'not set (the default registry.k8s.io/pause:3.10 is not pinned by digest)' : `"${syncImage}", not pinned by digest`}; prod clusters run only digest-pinned images`,
        'set l7.tls.syncImage to the pause image you mirror, pinned: registry/pause:3.10@sha256:<digest>',
      );
    }
    check('l7.gateway.name', dnsLabelProblem(p.gateway?.name), 'name the shared Gateway');
    check('l7.gateway.listener', dnsLabelProblem(p.gateway?.listener), 'name the HTTPS listener (sectionName)');
    validateAgcDeployment(spec, fail);
    check(
      'l7.tls.dnsNames',
      dnsNamesProblem(p.tls?.dnsNames),
      'list the DNS names (SANs) of the listener certificate, e.g. ["*.dev.contoso.com"]',
    );
    check(
      'l7.tls.certificateName',
      typeof p.tls?.certificateName === 'string' && /^[A-Za-z0-9-]{1,127}$/.test(p.tls.certificateName)
        ? undefined
        : `${JSON.stringify(p.tls?.certificateName)} is not a Key Vault certificate name`,
      'use the certificate name in Key Vault (letters, digits, dashes)',
    );
    if (p.wafPolicyId !== undefined && !WAF_POLICY_ID.test(p.wafPolicyId)) {
      fail(
        'l7.wafPolicyId',
        `${JSON.stringify(p.wafPolicyId)} is not a WAF policy resource ID`,
        'use /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/<name>',
      );
    }
    if (p.wafPolicyId !== undefined && p.gatewayClassName !== AGC_GATEWAY_CLASS) {
      fail(
        'l7.wafPolicyId',
        `is set but gatewayClassName is "${p.gatewayClassName}"; WAF policies attach only to Application Gateway for Containers (${AGC_GATEWAY_CLASS})`,
        'put the WAF in front of the in-cluster gateway instead, and remove wafPolicyId',
      );
    }
    if (p.externalWaf !== undefined) {
      if (p.gatewayClassName === AGC_GATEWAY_CLASS)
        fail(
          'l7.externalWaf',
          'is set on Application Gateway for Containers, which attaches WAF policies itself',
          'use l7.wafPolicyId instead',
        );
      else if (typeof p.externalWaf?.reason !== 'string' || !p.externalWaf.reason.trim())
        fail(
          'l7.externalWaf.reason',
          'is empty',
          'say which WAF protects the in-cluster gateway (it is recorded as a waiver on every route)',
        );
    }
    check(
      'l7.tls.clientId',
      guidProblem(p.tls?.clientId),
      'use the client ID of the identity that may read the certificate',
    );
    for (const m of backendCaProblems(p)) fail(m.field, m.problem, m.fix);
  }

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

type Fail = (field: string, problem: string, fix: string) => void;

/** `l7.agc`: required for AGC (azure-alb-external), meaningless for in-cluster gateways. */
function validateAgcDeployment(spec: ClusterSpec, fail: Fail): void {
  const p = spec.l7;
  if (p.kind !== 'gateway-api') return;
  const agc = p.agc;
  if (p.gatewayClassName !== AGC_GATEWAY_CLASS) {
    if (agc !== undefined)
      fail(
        'l7.agc',
        `is set but gatewayClassName is "${p.gatewayClassName}", not Application Gateway for Containers (${AGC_GATEWAY_CLASS})`,
        'remove l7.agc for an in-cluster gateway',
      );
    return;
  }
  if (!agc || typeof agc !== 'object') {
    fail(
      'l7.agc',
      'is not set, so nothing would program Application Gateway for Containers: the Gateway would never get an address',
      'declare l7.agc: { deployment: "managed", namespace, name, associationSubnetId } (the ALB Controller creates AGC) or { deployment: "bring-your-own", resourceId, frontendName }',
    );
    return;
  }
  if (agc.deployment === 'managed') {
    if (dnsLabelProblem(agc.namespace))
      fail(
        'l7.agc.namespace',
        dnsLabelProblem(agc.namespace) as string,
        'name the namespace of the ApplicationLoadBalancer, e.g. "alb-infra"',
      );
    else if (RESERVED_NAMESPACES.includes(agc.namespace))
      fail(
        'l7.agc.namespace',
        `"${agc.namespace}" is a system namespace`,
        'give the ApplicationLoadBalancer its own namespace, e.g. "alb-infra"',
      );
    if (dnsLabelProblem(agc.name))
      fail('l7.agc.name', dnsLabelProblem(agc.name) as string, 'name the ApplicationLoadBalancer');
    if (typeof agc.associationSubnetId !== 'string' || !SUBNET_ID.test(agc.associationSubnetId)) {
      fail(
        'l7.agc.associationSubnetId',
        `${JSON.stringify(agc.associationSubnetId)} is not a subnet resource ID`,
        'use /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/virtualNetworks/<vnet>/subnets/<subnet> (the subnet delegated to Microsoft.ServiceNetworking/trafficControllers)',
      );
    }
  } else if (agc.deployment === 'bring-your-own') {
    if (typeof agc.resourceId !== 'string' || !AGC_RESOURCE_ID.test(agc.resourceId)) {
      fail(
        'l7.agc.resourceId',
        `${JSON.stringify(agc.resourceId)} is not an Application Gateway for Containers resource ID`,
        'use /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.ServiceNetworking/trafficControllers/<name>',
      );
    }
    if (
      typeof agc.frontendName !== 'string' ||
      (!AZURE_NAME.test(agc.frontendName) && !/^[A-Za-z0-9]$/.test(agc.frontendName))
    ) {
      fail(
        'l7.agc.frontendName',
        `${JSON.stringify(agc.frontendName)} is not an AGC frontend name`,
        'name the frontend created for this Gateway',
      );
    }
  } else {
    fail(
      'l7.agc.deployment',
      `${JSON.stringify((agc as { deployment?: unknown }).deployment)} is not "managed" or "bring-your-own"`,
      'use "managed" (the ALB Controller creates AGC from an ApplicationLoadBalancer) or "bring-your-own"',
    );
  }
}

/** Validates a whole fleet: each cluster, plus names and firewall priorities across clusters. */
export function validateFleet(specs: readonly ClusterSpec[]): void {
  const errors = specs.flatMap(validateCluster);
  const seen = new Map<string, number>();
  specs.forEach((s, i) => {
    if (seen.has(s.name)) {
      errors.push(
        new ConfigError({
          cluster: s.name,
          field: 'name',
          problem: `is defined twice (entries ${seen.get(s.name)} and ${i})`,
          fix: 'give every cluster a unique name',
        }),
      );
    }
    seen.set(s.name, i);
  });
  // Azure processes the groups of one Firewall Policy by priority: two clusters' groups on one
  // policy must not share a priority. Different policies (hub-and-spoke with several hubs) may.
  const priorities = new Map<string, string>();
  for (const s of specs) {
    if (!s.firewall || firewallPolicyIdProblem(s.firewall.policyId)) continue; // reported by validateCluster
    const key = `${firewallPolicyKey(s.firewall.policyId)}#${s.firewall.ruleCollectionGroupPriority}`;
    const other = priorities.get(key);
    if (other) {
      errors.push(
        new ConfigError({
          cluster: s.name,
          field: 'firewall.ruleCollectionGroupPriority',
          problem: `${s.firewall.ruleCollectionGroupPriority} is already used by cluster ${other} in the same Firewall Policy ${s.firewall.policyId}`,
          fix: `give clusters ${other} and ${s.name} different priorities: each cluster's rule collection group needs its own priority within one Firewall Policy`,
        }),
      );
    }
    priorities.set(key, s.name);
  }
  errors.push(...validateFleetTopology(specs));
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new ConfigErrors(errors);
}
