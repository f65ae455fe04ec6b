import type { ClusterSpec } from '@aks-gitops/cluster-model';
import { compareStrings, dnatGroupName, dnatRuleName } from './names';
import type { PublicL4Endpoint } from './public-l4-endpoint';

/**
 * What the IaC team must have in place in Azure for a cluster's generated manifests to carry
 * traffic: subnets and their delegations, the egress route through the firewall, the firewall's
 * public IPs, Key Vault certificates, WAF policies, federated credentials, role assignments and DNS
 * records. Derived from the cluster spec and from what the apps declare, so it stays in step with
 * the apps: an app with a workload identity adds its federated credential, a host adds its DNS
 * record. Every row says where the requirement comes from (`source`, a key of docs/azure-facts.md
 * or of the shared Azure reference) and, where the cluster spec cannot know a value, says so in
 * `fillIn` instead of guessing.
 */
export interface PrerequisiteInputs {
  /** Every L7 route host with the app it belongs to and the WAF policy in front of it. */
  routes: ReadonlyArray<{ app: string; host: string; wafPolicyId?: string }>;
  /** ServiceAccounts that use Azure workload identity. */
  identities: ReadonlyArray<{
    app: string;
    namespace: string;
    serviceAccount: string;
    clientId: string;
    keyVaultSecrets: boolean;
  }>;
  /** Internal load balancer frontends that get a Private Link Service. */
  privateLinks: ReadonlyArray<{ app: string; workload: string; ip: string }>;
  firewallEndpoints: readonly PublicL4Endpoint[];
  /** The gateway TLS sync ServiceAccount of a gateway-api cluster (`<namespace>/<name>`), if any. */
  gatewayTlsServiceAccount?: { namespace: string; name: string };
}

export const PREREQUISITES_KIND = 'aks-gitops.io/azure-prerequisites';
export const PREREQUISITES_JSON_FILE = 'prerequisites.json';
export const PREREQUISITES_MD_FILE = 'prerequisites.md';

/** The audience of every workload identity federated credential (Azure workload identity). */
export const WORKLOAD_IDENTITY_AUDIENCE = 'api://AzureADTokenExchange';

export interface SubnetRow {
  role: string;
  /** The subnet's resource ID, when the cluster spec holds it. */
  id?: string;
  name?: string;
  cidr: string;
  where: string;
  delegation?: string;
  privateLinkServiceNetworkPolicies?: 'Disabled';
  requirements: string[];
  usedBy: string[];
  source: string;
}
export interface RouteRow {
  addressPrefix: string;
  nextHopType: string;
  nextHopIpAddress?: string;
  associateWith: string;
  why: string;
  fillIn?: string;
  source: string;
}
export interface PublicIpRow {
  address: string;
  rules: string[];
  source: string;
}
/** `mustCover`: the hosts routed through the certificate's listener; `dnsNames`: the names the cluster spec says it covers, when it lists them. */
export interface CertificateRow {
  keyVault: string;
  name: string;
  usedBy: string;
  mustCover: string[];
  dnsNames?: string[];
  readBy: string;
  source: string;
}
export interface WafRow {
  id: string;
  hosts: string[];
  attachedBy: string;
  source: string;
}
export interface FederatedCredentialRow {
  clientId: string;
  issuer?: string;
  subject: string;
  audience: string;
  for: string;
  fillIn?: string;
  source: string;
}
export interface RoleAssignmentRow {
  principal: string;
  role: string;
  scope: string;
  why: string;
  fillIn?: string;
  source: string;
}
export interface DnsRecordRow {
  host: string;
  type: 'A' | 'CNAME';
  target?: string;
  fillIn?: string;
  apps: string[];
  source: string;
}

export interface Prerequisites {
  $comment: string;
  kind: typeof PREREQUISITES_KIND;
  version: 1;
  cluster: string;
  subscriptionId: string;
  region: string;
  subnets: SubnetRow[];
  routes: RouteRow[];
  firewall: { policyId: string; ruleCollectionGroup: string; priority: number; publicIps: PublicIpRow[] };
  certificates: CertificateRow[];
  wafPolicies: WafRow[];
  federatedCredentials: FederatedCredentialRow[];
  roleAssignments: RoleAssignmentRow[];
  dnsRecords: DnsRecordRow[];
}

const AGC_GATEWAY_CLASS = 'azure-alb-external';
const uniqueSorted = (xs: Iterable<string>) => [...new Set(xs)].sort(compareStrings);

/** Builds the list; a pure function of its inputs, with every list in a stable order. */
export function buildPrerequisites(cluster: ClusterSpec, inputs: PrerequisiteInputs): Prerequisites {
  const l7 = cluster.l7;
  const agc = l7.kind === 'gateway-api' && l7.gatewayClassName === AGC_GATEWAY_CLASS;
  const hosts = uniqueSorted(inputs.routes.map((r) => r.host));
  const appsOf = (pred: (r: PrerequisiteInputs['routes'][number]) => boolean) =>
    uniqueSorted(inputs.routes.filter(pred).map((r) => r.app));
  const kv = cluster.keyVault.name;
  const kvScope = `Key Vault ${kv} (tenant ${cluster.keyVault.tenantId})`;

  // Subnets.
  const subnets: SubnetRow[] = [];
  if (l7.kind === 'agic') {
    subnets.push({
      role: 'Application Gateway subnet',
      cidr: cluster.network.l7SourceCidr,
      where: 'cluster VNet (or peered)',
      requirements: ['dedicated to the Application Gateway (WAF_v2)', 'pods admit L7 traffic from this CIDR only'],
      usedBy: appsOf(() => true),
      source: 'AGIC-NET',
    });
  } else if (agc) {
    subnets.push({
      role: 'Application Gateway for Containers association subnet',
      cidr: cluster.network.l7SourceCidr,
      where: 'cluster VNet (AGC in a peered VNet is not supported with CNI Overlay)',
      delegation: 'Microsoft.ServiceNetworking/trafficControllers',
      requirements: [
        'at least /24; exactly /24 with Azure CNI Overlay',
        'one association per Application Gateway for Containers',
        'pods admit L7 traffic from this CIDR only',
      ],
      usedBy: appsOf(() => true),
      source: 'AGC-NET, AGC-QS',
    });
  }
  const ilb = cluster.network.internalLoadBalancerSubnet;
  const plsApps = uniqueSorted(inputs.privateLinks.map((p) => p.app));
  subnets.push({
    role: 'internal load balancer subnet',
    name: ilb.name,
    cidr: ilb.cidr,
    where: 'cluster VNet',
    ...(plsApps.length ? { privateLinkServiceNetworkPolicies: 'Disabled' as const } : {}),
    requirements: [
      'the cluster identity can read and join it (annotation azure-load-balancer-internal-subnet)',
      ...(plsApps.length
        ? [
            `also the Private Link Service NAT subnet (azure-pls-ip-configuration-subnet) of ${plsApps.join(', ')}: privateLinkServiceNetworkPolicies Disabled`,
          ]
        : []),
    ],
    usedBy: uniqueSorted([...inputs.firewallEndpoints.map((e) => e.app), ...plsApps]),
    source: plsApps.length ? 'CPA-LB, CPA-PLS, PLS-NP' : 'CPA-LB',
  });
  // A shared frontend's Private Link Service may take its NAT addresses from a subnet of its own.
  for (const f of cluster.sharedFrontends ?? []) {
    const nat = f.privateLink?.natSubnet;
    if (!f.privateLink || !nat) continue;
    const onFrontend = Object.entries(cluster.frontendAssignments ?? {})
      .filter(([, name]) => name === f.name)
      .map(([app]) => app);
    const viaGateway = l7.kind === 'gateway-api' && l7.frontend === f.name ? appsOf(() => true) : [];
    subnets.push({
      role: `Private Link Service NAT subnet of shared frontend ${f.name}`,
      name: nat.name,
      cidr: nat.cidr,
      where: 'cluster VNet',
      privateLinkServiceNetworkPolicies: 'Disabled',
      requirements: [
        `NAT addresses of Private Link Service ${f.privateLink.name} (azure-pls-ip-configuration-subnet); consumers, Front Door included, reach the pods from them`,
        'cloud-provider-azure disables its PLS network policies itself: the cluster identity needs write access to this subnet',
      ],
      usedBy: uniqueSorted([...onFrontend, ...viaGateway]),
      source: 'CPA-PLS, CPA-PLSGO, PLS-OV',
    });
  }
  subnets.push({
    role: 'AzureFirewallSubnet',
    name: 'AzureFirewallSubnet',
    cidr: cluster.network.firewallSubnetCidr,
    where: 'hub VNet, peered with the cluster VNet',
    requirements: ['at least /26', 'DNAT traffic reaches pods SNATed to an address of this subnet'],
    usedBy: uniqueSorted(inputs.firewallEndpoints.map((e) => e.app)),
    source: 'FW-NAT',
  });

  // Egress through the firewall: the precondition for DNAT replies to leave the way they came.
  const routes: RouteRow[] = [
    {
      addressPrefix: '0.0.0.0/0',
      nextHopType: 'VirtualAppliance',
      associateWith:
        "the cluster's node subnet (and pod subnet, with Azure CNI pod subnets); outboundType userDefinedRouting",
      why: 'spoke egress goes through the hub firewall; DNAT replies then return through the firewall that translated them (no asymmetric routing)',
      fillIn: `nextHopIpAddress: the Azure Firewall's private IP in ${cluster.network.firewallSubnetCidr}; the node subnet is not in the cluster spec`,
      source: 'AKS-UDR, AKS-EGRESS, FW-LB',
    },
  ];

  // Firewall public IPs and the rules that use them.
  const publicIps: PublicIpRow[] = cluster.network.firewallPublicIps.map((address) => ({
    address,
    rules: uniqueSorted(
      inputs.firewallEndpoints
        .filter((e) => e.firewallPublicIp === address)
        .map(
          (e) =>
            `${dnatRuleName(e.app, e.service, e.portName, e.protocol)} (${e.protocol} ${e.firewallPort} -> ${e.ilbIp}:${e.servicePort})`,
        ),
    ),
    source: 'FW-LB',
  }));

  // Certificates in Key Vault.
  const certificates: CertificateRow[] = [];
  if (l7.kind === 'agic') {
    certificates.push({
      keyVault: kv,
      name: l7.sslCertificate,
      usedBy:
        'Application Gateway listener certificate (appgw-ssl-certificate), installed on the gateway from its Key Vault secret ID',
      mustCover: hosts,
      readBy: "the Application Gateway's user-assigned identity",
      source: 'AGIC-ANN',
    });
    if (l7.trustedRootCertificate)
      certificates.push({
        keyVault: kv,
        name: l7.trustedRootCertificate,
        usedBy: 'Application Gateway trusted root certificate for backend-protocol https',
        mustCover: [],
        readBy: 'the Application Gateway (uploaded as trusted root)',
        source: 'AGIC-ANN',
      });
  } else {
    certificates.push({
      keyVault: kv,
      name: l7.tls.certificateName,
      usedBy: `listener ${l7.gateway.listener} of Gateway ${l7.gateway.namespace}/${l7.gateway.name}, synced by the Secrets Store CSI driver (objectType secret: key and chain)`,
      mustCover: hosts,
      readBy: `identity ${l7.tls.clientId}`,
      source: 'CSI, AGC-*',
    });
  }

  // WAF policies.
  const wafIds = uniqueSorted(inputs.routes.flatMap((r) => (r.wafPolicyId ? [r.wafPolicyId] : [])));
  const wafPolicies: WafRow[] = wafIds.map((id) => ({
    id,
    hosts: uniqueSorted(inputs.routes.filter((r) => r.wafPolicyId === id).map((r) => r.host)),
    attachedBy:
      l7.kind === 'agic'
        ? 'Ingress annotation appgw.ingress.kubernetes.io/waf-policy-for-path'
        : 'WebApplicationFirewallPolicy (alb.networking.azure.io/v1) per HTTPRoute',
    source: l7.kind === 'agic' ? 'AGIC-ANN' : 'AGC-WAF',
  }));
  const fd = cluster.frontDoor;
  if (fd)
    wafPolicies.push({
      id: fd.wafPolicyId,
      hosts,
      attachedBy: `Front Door security policy gitops-waf of profile ${fd.resourceGroup}/${fd.profileName} (written by npm run edge -- apply)`,
      source: 'AFD-E2E, CDN-SDK',
    });

  // Workload identity: one federated credential per ServiceAccount that uses it.
  const issuer = cluster.oidcIssuerUrl;
  const issuerFill = issuer
    ? undefined
    : "issuer: the cluster's OIDC issuer URL (az aks show --query oidcIssuerProfile.issuerUrl); set oidcIssuerUrl in the cluster spec to have it written here";
  const federated: FederatedCredentialRow[] = [];
  const roles: RoleAssignmentRow[] = [];
  const fc = (clientId: string, namespace: string, sa: string, what: string): FederatedCredentialRow => ({
    clientId,
    ...(issuer ? { issuer } : {}),
    subject: `system:serviceaccount:${namespace}:${sa}`,
    audience: WORKLOAD_IDENTITY_AUDIENCE,
    for: what,
    ...(issuerFill ? { fillIn: issuerFill } : {}),
    source: 'WI, BASE',
  });
  for (const i of inputs.identities) {
    federated.push(fc(i.clientId, i.namespace, i.serviceAccount, `app ${i.app}`));
    if (i.keyVaultSecrets)
      roles.push({
        principal: `identity ${i.clientId} (app ${i.app})`,
        role: 'Key Vault Secrets User',
        scope: kvScope,
        why: 'the Secrets Store CSI driver reads its keyVaultSecrets with this identity',
        source: 'CSI',
      });
  }
  const tlsSa = inputs.gatewayTlsServiceAccount;
  if (l7.kind === 'gateway-api' && tlsSa) {
    federated.push(
      fc(
        l7.tls.clientId,
        tlsSa.namespace,
        tlsSa.name,
        `gateway TLS sync of ${l7.gateway.namespace}/${l7.gateway.name}`,
      ),
    );
    roles.push({
      principal: `identity ${l7.tls.clientId} (gateway TLS sync)`,
      role: 'Key Vault Secrets User',
      scope: kvScope,
      why: `reads certificate ${l7.tls.certificateName} as a secret (objectType secret) to get its private key`,
      source: 'CSI',
    });
  }
  if (l7.kind === 'agic') {
    roles.push({
      principal: "the Application Gateway's user-assigned identity",
      role: 'Key Vault Secrets User',
      scope: kvScope,
      why: `the gateway installs its listener certificate ${l7.sslCertificate} from Key Vault`,
      fillIn: 'principal: the identity assigned to the Application Gateway',
      source: 'AGW-KV',
    });
    roles.push({
      principal: 'the AGIC identity',
      role: 'as the AGIC installation guide requires for the Application Gateway and its resource group',
      scope: 'the Application Gateway',
      why: 'AGIC programs the gateway from Ingress objects',
      fillIn: 'role and principal: not confirmed in docs/azure-facts.md; follow the AGIC installation guide',
      source: 'UNCONFIRMED',
    });
  } else if (agc) {
    roles.push({
      principal: 'the ALB Controller identity',
      role: 'AppGw for Containers Configuration Manager',
      scope: "the cluster's node resource group",
      why: 'the ALB Controller creates and programs Application Gateway for Containers',
      fillIn: 'principal: the ALB Controller identity; scope: the node resource group',
      source: 'AGC-QS',
    });
    roles.push({
      principal: 'the ALB Controller identity',
      role: 'Network Contributor',
      scope: `the association subnet ${cluster.network.l7SourceCidr}`,
      why: 'Microsoft.Network/virtualNetworks/subnets/join/action when associating AGC with the subnet',
      fillIn: 'principal: the ALB Controller identity; scope: the subnet resource ID',
      source: 'AGC-QS',
    });
    for (const w of wafIds)
      roles.push({
        principal: 'the ALB Controller identity',
        role: 'Network Contributor (for applicationGatewayWebApplicationFirewallPolicies/join/action)',
        scope: `WAF policy ${w}`,
        why: 'attaching the WAF policy to the AGC routes',
        fillIn: 'principal: the ALB Controller identity',
        source: 'AGC-WAF',
      });
  }

  // DNS: one record per host, pointing at the frontend that serves it.
  const dnsRecords: DnsRecordRow[] = hosts.map((host): DnsRecordRow => {
    const apps = appsOf((r) => r.host === host);
    if (l7.kind === 'agic') {
      return {
        host,
        type: 'A',
        apps,
        fillIn: `target: the Application Gateway's ${l7.usePrivateIp ? 'private' : 'public'} frontend IP`,
        source: 'AGIC-ANN',
      };
    }
    if (agc) {
      return {
        host,
        type: 'CNAME',
        apps,
        fillIn: `target: the FQDN of the Application Gateway for Containers frontend of Gateway ${l7.gateway.namespace}/${l7.gateway.name} (its status.addresses)`,
        source: 'AGC-*',
      };
    }
    return {
      host,
      type: 'A',
      apps,
      fillIn: `target: the load balancer IP of the ${l7.gatewayClassName} gateway Service of ${l7.gateway.namespace}/${l7.gateway.name}`,
      source: 'CPA-LB',
    };
  });

  return {
    $comment: `Generated by aks-gitops (npm run synth) for the IaC team: what Azure must provide for cluster ${cluster.name}. Do not edit.`,
    kind: PREREQUISITES_KIND,
    version: 1,
    cluster: cluster.name,
    subscriptionId: cluster.subscriptionId,
    region: cluster.region,
    subnets,
    routes,
    firewall: {
      policyId: cluster.firewall.policyId,
      ruleCollectionGroup: dnatGroupName(cluster.name),
      priority: cluster.firewall.ruleCollectionGroupPriority,
      publicIps,
    },
    certificates,
    wafPolicies,
    federatedCredentials: federated.sort((a, b) =>
      compareStrings(`${a.subject} ${a.clientId}`, `${b.subject} ${b.clientId}`),
    ),
    roleAssignments: roles.sort((a, b) =>
      compareStrings(`${a.scope} ${a.role} ${a.principal}`, `${b.scope} ${b.role} ${b.principal}`),
    ),
    dnsRecords,
  };
}

export function prerequisitesJson(p: Prerequisites): string {
  return `${JSON.stringify(p, null, 2)}\n`;
}

/** The same list for people: one table per kind of resource, "(fill in)" where the spec cannot know. */
export function prerequisitesMarkdown(p: Prerequisites): string {
  const cell = (s: string | undefined) => (s === undefined || s === '' ? '' : s.replace(/\|/g, '\\|'));
  const table = (header: string[], rows: string[][]) =>
    rows.length === 0
      ? ['(none)']
      : [
          `| ${header.join(' | ')} |`,
          `| ${header.map(() => '---').join(' | ')} |`,
          ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
        ];
  const fill = (x: { fillIn?: string }) => (x.fillIn ? `**fill in:** ${x.fillIn}` : '');
  const lines = [
    `# Azure prerequisites of cluster ${p.cluster}`,
    '',
    `Generated by aks-gitops (npm run synth) from the cluster spec and the apps. Do not edit. The same list, for tools: \`${PREREQUISITES_JSON_FILE}\`.`,
    `Subscription ${p.subscriptionId}, region ${p.region}. Sources are keys of docs/azure-facts.md and the shared Azure reference.`,
    '',
    '## Subnets',
    '',
    ...table(
      ['Role', 'Name', 'CIDR', 'Where', 'Delegation', 'PLS network policies', 'Requirements', 'Used by', 'Source'],
      p.subnets.map((s) => [
        s.role,
        s.name ?? '',
        s.cidr,
        s.where,
        s.delegation ?? '',
        s.privateLinkServiceNetworkPolicies ?? '',
        s.requirements.join('; '),
        s.usedBy.join(', '),
        s.source,
      ]),
    ),
    '',
    '## Route table (spoke egress through the firewall)',
    '',
    ...table(
      ['Address prefix', 'Next hop', 'Associate with', 'Why', 'Open', 'Source'],
      p.routes.map((r) => [
        r.addressPrefix,
        `${r.nextHopType}${r.nextHopIpAddress ? ` ${r.nextHopIpAddress}` : ''}`,
        r.associateWith,
        r.why,
        fill(r),
        r.source,
      ]),
    ),
    '',
    '## Azure Firewall',
    '',
    `Firewall Policy \`${p.firewall.policyId}\`, rule collection group \`${p.firewall.ruleCollectionGroup}\` at priority ${p.firewall.priority} (written by \`npm run edge -- apply\`).`,
    '',
    ...table(
      ['Public IP', 'DNAT rules', 'Source'],
      p.firewall.publicIps.map((i) => [i.address, i.rules.join('<br>') || '(none yet)', i.source]),
    ),
    '',
    '## Key Vault certificates',
    '',
    ...table(
      ['Key Vault', 'Certificate', 'Used by', 'Must cover these hosts', 'Read by', 'Source'],
      p.certificates.map((c) => [
        c.keyVault,
        c.name,
        c.usedBy,
        c.mustCover.join(', ') || '(no routes yet)',
        c.readBy,
        c.source,
      ]),
    ),
    '',
    '## WAF policies',
    '',
    ...table(
      ['WAF policy', 'Hosts', 'Attached by', 'Source'],
      p.wafPolicies.map((w) => [`\`${w.id}\``, w.hosts.join(', '), w.attachedBy, w.source]),
    ),
    '',
    '## Workload identity federated credentials',
    '',
    ...table(
      ['Identity (client ID)', 'Issuer', 'Subject', 'Audience', 'For', 'Open', 'Source'],
      p.federatedCredentials.map((f) => [
        f.clientId,
        f.issuer ?? '(fill in)',
        `\`${f.subject}\``,
        f.audience,
        f.for,
        fill(f),
        f.source,
      ]),
    ),
    '',
    '## Role assignments',
    '',
    ...table(
      ['Principal', 'Role', 'Scope', 'Why', 'Open', 'Source'],
      p.roleAssignments.map((r) => [r.principal, r.role, r.scope, r.why, fill(r), r.source]),
    ),
    '',
    '## DNS records',
    '',
    ...table(
      ['Host', 'Type', 'Target', 'Apps', 'Source'],
      p.dnsRecords.map((d) => [d.host, d.type, d.target ?? `(fill in) ${d.fillIn ?? ''}`, d.apps.join(', '), d.source]),
    ),
    '',
  ];
  return lines.join('\n');
}
