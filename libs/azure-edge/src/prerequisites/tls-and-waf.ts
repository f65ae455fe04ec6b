import { compareStrings } from '../names';
import type { CertificateRow, PrerequisiteContext, WafRow } from './types';

const uniqueSorted = (xs: Iterable<string>) => [...new Set(xs)].sort(compareStrings);

/** `<vault>` and `<name>` of `/subscriptions/.../vaults/<vault>/secrets/<name>[/<version>]`, or undefined. */
function keyVaultSecret(id: string): { vault: string; name: string } | undefined {
  const m = /\/vaults\/([^/]+)\/secrets\/([^/]+)/i.exec(id);
  return m ? { vault: m[1], name: m[2] } : undefined;
}

/**
 * Key Vault certificates: the cluster's listener certificate with the DNS names the spec says it
 * covers and the hosts it must cover (every host that brings no certificate of its own), each
 * API's own certificate with its hosts, the App Gateway trusted root, Front Door's certificate.
 */
export function certificateRows(ctx: PrerequisiteContext): CertificateRow[] {
  const { cluster, inputs } = ctx;
  const l7 = cluster.l7;
  const kv = cluster.keyVault.name;
  const sharedHosts = uniqueSorted(inputs.routes.filter((r) => !r.certificate).map((r) => r.host));
  const own = new Map<string, { dnsNames: readonly string[]; hosts: string[]; apps: string[] }>();
  for (const r of inputs.routes) {
    if (!r.certificate) continue;
    const entry = own.get(r.certificate.name) ?? { dnsNames: r.certificate.dnsNames, hosts: [], apps: [] };
    entry.hosts.push(r.host);
    entry.apps.push(r.app);
    own.set(r.certificate.name, entry);
  }
  const certificates: CertificateRow[] = [];
  if (l7.kind === 'agic') {
    certificates.push({
      keyVault: kv,
      name: l7.sslCertificate,
      usedBy:
        'Application Gateway listener certificate (appgw-ssl-certificate), installed on the gateway from its Key Vault secret ID',
      mustCover: sharedHosts,
      dnsNames: [...l7.sslCertificateDnsNames],
      readBy: "the Application Gateway's user-assigned identity",
      source: 'AGIC-ANN',
    });
  } else {
    certificates.push({
      keyVault: kv,
      name: l7.tls.certificateName,
      usedBy: `listener ${l7.gateway.listener} of Gateway ${l7.gateway.namespace}/${l7.gateway.name}, synced by the Secrets Store CSI driver (objectType secret: key and chain)`,
      mustCover: sharedHosts,
      dnsNames: [...l7.tls.dnsNames],
      readBy: `identity ${l7.tls.clientId}`,
      source: 'CSI, AGC-*',
    });
  }
  for (const name of [...own.keys()].sort(compareStrings)) {
    const c = own.get(name)!;
    certificates.push({
      keyVault: kv,
      name,
      usedBy:
        l7.kind === 'agic'
          ? `listener certificate of ${uniqueSorted(c.apps).join(', ')} (appgw-ssl-certificate on its Ingress), installed on the Application Gateway from Key Vault`
          : `its own listener on Gateway ${l7.gateway.namespace}/${l7.gateway.name} for ${uniqueSorted(c.apps).join(', ')}, synced by the Secrets Store CSI driver`,
      mustCover: uniqueSorted(c.hosts),
      dnsNames: [...c.dnsNames],
      readBy: l7.kind === 'agic' ? "the Application Gateway's user-assigned identity" : `identity ${l7.tls.clientId}`,
      source: l7.kind === 'agic' ? 'AGIC-ANN' : 'CSI, AGC-*',
    });
  }
  if (l7.kind === 'agic' && l7.trustedRootCertificate)
    certificates.push({
      keyVault: kv,
      name: l7.trustedRootCertificate,
      usedBy: 'Application Gateway trusted root certificate for backend-protocol https',
      mustCover: [],
      readBy: 'the Application Gateway (uploaded as trusted root)',
      source: 'AGIC-ANN',
    });
  const backendCa = l7.kind === 'gateway-api' ? l7.backendCa : undefined;
  const caUsers = backendCa ? inputs.identities.filter((i) => i.clientId === backendCa.clientId) : [];
  if (backendCa && caUsers.length)
    certificates.push({
      keyVault: kv,
      name: backendCa.certificateName,
      usedBy: `CA of the pods' certificates, which Application Gateway for Containers verifies (BackendTLSPolicy verify); synced into ${uniqueSorted(caUsers.map((i) => i.namespace)).join(', ')} as Secret <api>-backend-ca (ca.crt). Import it without its private key`,
      mustCover: [],
      readBy: `identity ${backendCa.clientId}`,
      source: 'CSI-CERT, AGC-BTLS',
    });
  const fd = cluster.frontDoor;
  const fdSecret = fd?.certificateSecretId ? keyVaultSecret(fd.certificateSecretId) : undefined;
  if (fd && fdSecret)
    certificates.push({
      keyVault: fdSecret.vault,
      name: fdSecret.name,
      usedBy: `Front Door customer certificate of every custom domain of profile ${fd.resourceGroup}/${fd.profileName}`,
      mustCover: [...ctx.hosts],
      readBy: 'Azure Front Door (grant it read access to the secret before the first edge apply)',
      source: 'AFD-E2E, CDN-SDK',
    });
  return certificates;
}

/** WAF policies with the hosts behind each, and the Front Door WAF policy in front of every host. */
export function wafRows(ctx: PrerequisiteContext): { rows: WafRow[]; l7PolicyIds: string[] } {
  const { cluster, inputs } = ctx;
  const l7 = cluster.l7;
  const l7PolicyIds = uniqueSorted(inputs.routes.flatMap((r) => (r.wafPolicyId ? [r.wafPolicyId] : [])));
  const rows: WafRow[] = l7PolicyIds.map((id) => ({
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
    rows.push({
      id: fd.wafPolicyId,
      hosts: [...ctx.hosts],
      attachedBy: `Front Door security policy gitops-waf of profile ${fd.resourceGroup}/${fd.profileName} (written by npm run edge -- apply)`,
      source: 'AFD-E2E, CDN-SDK',
    });
  return { rows, l7PolicyIds };
}
