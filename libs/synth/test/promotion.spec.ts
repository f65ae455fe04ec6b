import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CLUSTERS, ConfigError } from '@aks-gitops/cluster-model';
import type { ClusterSpec } from '@aks-gitops/cluster-model';
import { promote, runSynth } from '@aks-gitops/synth';
import { L7Api, defineApp, promotedImage } from '@aks-gitops/workloads';
import { REPO, scratchRoot } from './scratch';

const DEV = CLUSTERS.find((c) => c.environment !== 'prod')!;
const PROD = CLUSTERS.find((c) => c.environment === 'prod')!;
const digest = (c: string) => `sha256:${c.repeat(64)}`;
const NEW = `ghcr.io/contoso/web:1.1.0@${digest('b')}`;
const OLD = `ghcr.io/contoso/web:1.0.0@${digest('a')}`;

/** The images of every pod template in a generated folder. */
function imagesIn(root: string, cluster: string, app: string): string[] {
  const text = fs.readFileSync(path.join(root, 'clusters', cluster, app, 'manifests.yaml'), 'utf8');
  return parseAllDocuments(text).flatMap((d) =>
    (
      (d.toJS() as { spec?: { template?: { spec?: { containers?: { image: string }[] } } } }).spec?.template?.spec
        ?.containers ?? []
    ).map((c) => c.image),
  );
}

describe('promotion: prod runs exactly the image dev ran', () => {
  let root: string;
  let cleanup: () => void;
  /** apps/web as an owner writes it: the image once, prod reading ../release.json (read here from disk, as the import does). */
  const web = (image: string) =>
    defineApp({
      name: 'web',
      deploy: ({ scope, cluster, app }) => {
        const release: unknown = JSON.parse(fs.readFileSync(path.join(root, 'apps/web/release.json'), 'utf8'));
        new L7Api(scope, 'api', {
          image: promotedImage({ cluster, app }, image, release),
          port: 8080,
          routes: [{ host: 'web.contoso.com', paths: ['/'] }],
          health: { readinessPath: '/ready', livenessPath: '/live' },
        });
      },
    });
  const writeWeb = (image: string, release: object) => {
    fs.mkdirSync(path.join(root, 'apps/web'), { recursive: true });
    fs.writeFileSync(path.join(root, 'apps/web/release.json'), JSON.stringify(release, null, 2) + '\n');
    return [web(image)];
  };
  beforeEach(() => ({ root, cleanup } = scratchRoot('promote')));
  afterEach(() => cleanup());

  it('a new image runs on dev at once, prod keeps the released one until promote records what dev runs', async () => {
    const apps = writeWeb(NEW, { image: OLD, verifiedOn: DEV.name });
    await runSynth({ root, apps });
    expect(imagesIn(root, DEV.name, 'web')).toEqual([NEW]);
    expect(imagesIn(root, PROD.name, 'web')).toEqual([OLD]);

    expect(promote({ root, app: 'web', clusters: CLUSTERS })).toEqual({ image: NEW, verifiedOn: DEV.name });
    expect(JSON.parse(fs.readFileSync(path.join(root, 'apps/web/release.json'), 'utf8'))).toMatchObject({
      image: NEW,
      verifiedOn: DEV.name,
    });
    const result = await runSynth({ root, apps });
    expect(imagesIn(root, PROD.name, 'web')).toEqual(imagesIn(root, DEV.name, 'web'));
    // Promotion changes prod's folder only.
    expect(result.plan.changedFiles.filter((f) => f.startsWith('clusters/'))).toEqual([
      `clusters/${PROD.name}/web/manifests.yaml`,
    ]);
  });

  it('promote refuses an image dev runs without a digest, naming the app and the fix', async () => {
    await runSynth({ root, apps: writeWeb('ghcr.io/contoso/web:1.1.0', { image: OLD }) });
    expect(() => promote({ root, app: 'web', clusters: CLUSTERS })).toThrow(/web.*not pinned by digest/s);
    expect(JSON.parse(fs.readFileSync(path.join(root, 'apps/web/release.json'), 'utf8'))).toEqual({ image: OLD });
  });

  it('promote refuses a prod cluster as the source and an unknown app', () => {
    writeWeb(NEW, { image: OLD });
    expect(() => promote({ root, app: 'web', clusters: CLUSTERS, from: PROD.name })).toThrow(/not a non-prod cluster/);
    expect(() => promote({ root, app: 'nope', clusters: CLUSTERS })).toThrow(/no app named "nope"/);
  });

  describe('promotedImage', () => {
    const on = (cluster: ClusterSpec, release: unknown) => () => promotedImage({ cluster, app: 'web' }, NEW, release);
    it('returns the app image on non-prod clusters and the release on prod', () => {
      expect(on(DEV, { image: OLD })()).toBe(NEW);
      expect(on(PROD, { image: OLD })()).toBe(OLD);
    });
    it.each([
      ['no release', undefined, /apps\/web\/release.json image/],
      ['a tag without a digest', { image: 'ghcr.io/contoso/web:1.0.0' }, /not pinned by digest/],
      [
        'another repository',
        { image: `ghcr.io/contoso/other:1.0.0@${digest('c')}` },
        /names ghcr.io\/contoso\/other, but the app's image is ghcr.io\/contoso\/web/,
      ],
    ])('rejects %s on prod with the cluster, app, field and the fix', (_label, release, message) => {
      expect(on(PROD, release)).toThrow(ConfigError);
      expect(on(PROD, release)).toThrow(message);
      expect(on(PROD, release)).toThrow(/npm run promote -- --app web/);
    });
  });

  it('every committed release.json is what the prod clusters run', () => {
    for (const app of fs.readdirSync(path.join(REPO, 'apps'))) {
      const file = path.join(REPO, 'apps', app, 'release.json');
      if (!fs.existsSync(file)) continue;
      const { image } = JSON.parse(fs.readFileSync(file, 'utf8')) as { image: string };
      for (const c of CLUSTERS.filter((c) => c.environment === 'prod')) {
        if (fs.existsSync(path.join(REPO, 'clusters', c.name, app)))
          expect([app, imagesIn(REPO, c.name, app)]).toEqual([app, [image]]);
      }
    }
  });
});
