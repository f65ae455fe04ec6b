import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { CLUSTERS } from '@aks-gitops/cluster-model';
import type { KubeObject } from '@aks-gitops/cluster-model';
import { validateObjects } from '@aks-gitops/validation';
import { REPO } from '../scratch';

/** Flux tells people: commit statuses on GitHub and a chat message naming the app when a Kustomization fails. */
const read = (cluster: string, file: string): KubeObject[] =>
  parseAllDocuments(fs.readFileSync(path.join(REPO, 'flux', cluster, file), 'utf8')).map((d) => d.toJS() as KubeObject);
type Source = { kind: string; name: string; namespace: string };
type AlertSpec = {
  providerRef: { name: string };
  eventSeverity: string;
  eventSources: Source[];
  eventMetadata?: Record<string, string>;
};

describe.each(CLUSTERS.map((c) => [c.name, c] as const))('flux/%s/notifications.yaml', (cluster, spec) => {
  const notifications = read(cluster, 'notifications.yaml');
  // The platform's Kustomization (flux-system) and every app's, in the app's namespace (the baseline writes them).
  const platformFolder = parseAllDocuments(
    fs.readFileSync(path.join(REPO, 'clusters', cluster, 'platform', 'manifests.yaml'), 'utf8'),
  ).map((d) => d.toJS() as KubeObject);
  const kustomizationObjects = [...read(cluster, 'platform.yaml'), ...platformFolder].filter(
    (o) => o.kind === 'Kustomization',
  );
  const kustomizations = kustomizationObjects.map((o) => o.metadata.name);
  const namespaceOf = (name: string) => kustomizationObjects.find((o) => o.metadata.name === name)?.metadata.namespace;
  const alerts = notifications.filter((o) => o.kind === 'Alert');
  const provider = (name: string) =>
    notifications.find((o) => o.kind === 'Provider' && o.metadata.name === name)?.spec as Record<string, unknown>;

  it('is listed in the folder kustomization Flux applies', () => {
    expect(
      (
        parse(fs.readFileSync(path.join(REPO, 'flux', cluster, 'kustomization.yaml'), 'utf8')) as {
          resources: string[];
        }
      ).resources,
    ).toContain('notifications.yaml');
  });

  it('passes the Flux notification CRD schemas (and those schemas are really checked)', () => {
    expect(validateObjects(notifications)).toEqual([]);
    const wrongType = { ...notifications[0], spec: { ...(notifications[0].spec as object), type: 'carrier-pigeon' } };
    expect(validateObjects([wrongType]).length).toBeGreaterThan(0);
  });

  it('sets GitHub commit statuses from every Kustomization, with the token from a Secret', () => {
    expect(provider('github-commit-status')).toEqual({
      type: 'github',
      address: spec.flux.url,
      secretRef: { name: 'flux-github-commit-status' },
    });
    const status = alerts.find((a) => a.metadata.name === 'commit-status')!.spec as AlertSpec;
    expect(status.providerRef).toEqual({ name: 'github-commit-status' });
    expect(status.eventSources.map((s) => s.name).sort()).toEqual([...kustomizations].sort());
  });

  it('sends chat messages through a webhook whose address is only in a Secret, never in git', () => {
    expect(provider('chat')).toEqual({ type: 'msteams', secretRef: { name: 'flux-chat-webhook' } });
    expect(JSON.stringify(notifications)).not.toMatch(/webhook\.office\.com|hooks\.slack\.com/);
  });

  it('has an error alert for every Kustomization, naming its app and cluster', () => {
    expect(kustomizations).toContain('platform');
    for (const name of kustomizations) {
      const alert = alerts.find((a) => a.metadata.name === `${name}-failures`);
      expect(alert?.spec).toEqual({
        providerRef: { name: 'chat' },
        eventSeverity: 'error',
        eventSources: [{ kind: 'Kustomization', name, namespace: namespaceOf(name) }],
        eventMetadata: { app: name, cluster },
      });
    }
    expect(alerts.find((a) => a.metadata.name === 'source-aks-gitops-failures')?.spec).toMatchObject({
      eventSeverity: 'error',
      eventSources: [{ kind: 'GitRepository', name: 'aks-gitops', namespace: 'flux-system' }],
    });
  });
});
