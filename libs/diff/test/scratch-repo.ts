import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';

/** A throwaway git repository to commit crafted clusters/ and flux/ trees into. */
export class ScratchRepo {
  readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'aks-gitops-diff-'));

  constructor() {
    this.git('init', '-q', '-b', 'main');
  }

  git(...args: string[]): string {
    return execFileSync('git', args, {
      cwd: this.root,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@example.com',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@example.com',
        GIT_CONFIG_NOSYSTEM: '1',
        HOME: this.root,
      },
    }).trim();
  }

  write(file: string, content: string): this {
    fs.mkdirSync(path.dirname(path.join(this.root, file)), { recursive: true });
    fs.writeFileSync(path.join(this.root, file), content);
    return this;
  }

  /** A manifests.yaml of the given objects, as synth writes it (one document each). */
  manifests(file: string, objects: object[]): this {
    return this.write(file, objects.map((o) => `---\n${stringify(o)}`).join(''));
  }

  remove(file: string): this {
    fs.rmSync(path.join(this.root, file), { recursive: true, force: true });
    return this;
  }

  commit(message: string): string {
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', message);
    return this.git('rev-parse', 'HEAD');
  }

  cleanup(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

export const deployment = (app: string, image: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: app, namespace: app },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app } },
    template: { metadata: { labels: { app } }, spec: { containers: [{ name: app, image }] } },
  },
  ...extra,
});

export const networkPolicy = (app: string, from: object[], ports: object[], annotations?: Record<string, string>) => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: app, namespace: app, ...(annotations ? { annotations } : {}) },
  spec: { podSelector: { matchLabels: { app } }, policyTypes: ['Ingress', 'Egress'], ingress: [{ from, ports }] },
});

export const fluxKustomization = (app: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
  kind: 'Kustomization',
  metadata: { name: app, namespace: 'flux-system' },
  spec: {
    interval: '10m',
    path: `./clusters/aks-prod-weu/${app}`,
    prune: true,
    wait: true,
    sourceRef: { kind: 'GitRepository', name: 'aks-gitops' },
    ...extra,
  },
});

export const dnatFile = (cluster: string, rules: object[]) =>
  JSON.stringify(
    {
      kind: 'aks-gitops.io/firewall-dnat',
      version: 1,
      cluster,
      body: {
        name: `aks-gitops-${cluster}-dnat`,
        properties: { priority: 200, ruleCollections: [{ name: 'l4-dnat', rules }] },
      },
    },
    null,
    2,
  ) + '\n';

export const dnatRule = (name: string, port: string, sources = ['*']) => ({
  name,
  ruleType: 'NatRule',
  ipProtocols: ['TCP'],
  sourceAddresses: sources,
  destinationAddresses: ['203.0.113.20'],
  destinationPorts: [port],
  translatedAddress: '10.20.4.30',
  translatedPort: port,
});
