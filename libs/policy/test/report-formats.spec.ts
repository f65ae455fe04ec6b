import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ManifestDocument } from '@aks-gitops/cluster-model';
import {
  escapeData,
  escapeProperty,
  evaluate,
  formatGithub,
  formatJunit,
  formatSarif,
  githubAnnotation,
  runPolicy,
  RULES,
  type Finding,
  type PolicyCluster,
} from '@aks-gitops/policy';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { stringify } from 'yaml';
import { APP, CLUSTER, DIGEST, Fixture, PROD_CLUSTER } from './fixtures';
// The official SARIF 2.1.0 schema, vendored unchanged from OASIS (see libs/policy/README.md for its source).
import sarifSchema from './sarif-schema-2.1.0.json';

/*
 * The CI formats, produced by the real `policy` command over a tree written to disk (so findings
 * carry the line their document starts at), and checked against each format's own definition:
 * SARIF with the official JSON schema through ajv, JUnit with an XML parser, GitHub annotations
 * against the documented workflow-command syntax and escaping.
 */

const FLEET: PolicyCluster[] = [
  {
    name: CLUSTER,
    environment: 'dev',
    kubernetesVersion: '1.30',
    allowedRegistries: ['acr.azurecr.io'],
    l7: { kind: 'agic', ingressClassName: 'azure-application-gateway' },
  },
  {
    name: PROD_CLUSTER,
    environment: 'prod',
    kubernetesVersion: '1.30',
    allowedRegistries: ['acr.azurecr.io'],
    l7: { kind: 'agic', ingressClassName: 'azure-application-gateway' },
  },
];

/**
 * Writes documents as synth does: the generated layout (one manifests.yaml per folder, the Flux
 * files by role, a kustomization.yaml listing them), a `# Kind ns/name` comment above each object.
 */
async function writeTree(rootDir: string, documents: ManifestDocument[]): Promise<void> {
  const generatedFile = (document: ManifestDocument): string => {
    const parts = document.file.split('/');
    if (parts[0] !== 'flux') return `${parts.slice(0, 3).join('/')}/manifests.yaml`;
    return `flux/${parts[1]}/${document.object.kind === 'GitRepository' ? 'source' : 'platform'}.yaml`;
  };
  const byFile = new Map<string, ManifestDocument[]>();
  for (const document of documents) {
    if (document.file.endsWith('/kustomization.yaml')) continue;
    const file = generatedFile(document);
    byFile.set(file, [...(byFile.get(file) ?? []), document]);
  }
  const byFolder = new Map<string, string[]>();
  for (const [file, fileDocuments] of byFile) {
    await fs.mkdir(path.join(rootDir, path.dirname(file)), { recursive: true });
    const text = fileDocuments
      .map((document) => `# ${document.object.kind} ${document.object.metadata.name}\n${stringify(document.object)}`)
      .join('---\n');
    await fs.writeFile(path.join(rootDir, file), text);
    byFolder.set(path.posix.dirname(file), [
      ...(byFolder.get(path.posix.dirname(file)) ?? []),
      path.posix.basename(file),
    ]);
  }
  for (const [folder, files] of byFolder) {
    await fs.writeFile(
      path.join(rootDir, folder, 'kustomization.yaml'),
      `resources:\n${files
        .sort()
        .map((file) => `  - ${file}\n`)
        .join('')}`,
    );
  }
}

describe('CI report formats', () => {
  let rootDir: string;
  let prodFixture: Fixture;

  beforeEach(async () => {
    rootDir = await fs.mkdtemp(path.join(os.tmpdir(), 'policy-formats-'));
    const dev = new Fixture();
    dev.container().image = 'quay.io/vendor/orders-api:1.4.2';
    dev.annotate(
      'Deployment',
      APP,
      'waivers.aks-gitops.io/read-only-root-filesystem',
      'legacy image writes /var/cache, tracked in OPS-7',
    );
    (dev.containerSecurityContext() as Record<string, unknown>).readOnlyRootFilesystem = false;
    const prod = new Fixture({ cluster: PROD_CLUSTER, environment: 'prod' });
    prod.container().image = `quay.io/vendor/orders-api:1.4.2@${DIGEST}`;
    prod.add(prod.appFolder, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'legacy-db', namespace: APP },
      spec: { type: 'ExternalName', externalName: 'db,100%:5432.partner.example.com' },
    });
    for (const fixture of [dev, prod])
      for (const document of fixture.documents)
        if (document.file.startsWith(fixture.appFolder) && !document.file.endsWith('kustomization.yaml'))
          document.file = `${fixture.appFolder}/manifests.yaml`;
    prodFixture = prod;
    await writeTree(rootDir, [...dev.documents, ...prod.documents]);
  });

  afterEach(async () => {
    await fs.rm(rootDir, { recursive: true, force: true });
  });

  async function run(format: string): Promise<{ code: number; stdout: string }> {
    let stdout = '';
    const code = await runPolicy(
      { format },
      {
        rootDir,
        clusters: FLEET,
        stdout: (text) => (stdout += text),
        stderr: () => undefined,
      },
    );
    return { code, stdout };
  }

  async function lineOf(file: string, line: number): Promise<string> {
    return (await fs.readFile(path.join(rootDir, file), 'utf8')).split('\n')[line - 1];
  }

  it('the loader records where each object starts, so every object finding points at its apiVersion line', async () => {
    const { stdout } = await run('json');
    const findings = JSON.parse(stdout).findings as Finding[];
    expect(
      findings.map((finding) => [
        finding.cluster,
        finding.ruleId,
        finding.object,
        finding.severity,
        Boolean(finding.waived),
      ]),
    ).toEqual([
      [CLUSTER, 'image-registry', `Deployment ${APP}/${APP}`, 'warning', false],
      [CLUSTER, 'read-only-root-filesystem', `Deployment ${APP}/${APP}`, 'error', true],
      [PROD_CLUSTER, 'image-registry', `Deployment ${APP}/${APP}`, 'error', false],
      [PROD_CLUSTER, 'service-external-name', `Service ${APP}/legacy-db`, 'error', false],
    ]);
    for (const finding of findings) {
      expect(finding.file).toBe(`clusters/${finding.cluster}/${APP}/manifests.yaml`);
      expect(await lineOf(finding.file, finding.line as number)).toMatch(/^apiVersion: /);
      expect(await lineOf(finding.file, (finding.line as number) - 1)).toBe(
        `# ${finding.object.split(' ')[0]} ${finding.object.split('/').pop()}`,
      );
    }
  });

  it('sarif: valid against the official SARIF 2.1.0 schema, with rule metadata, physical locations and waivers as suppressions', async () => {
    const { code, stdout } = await run('sarif');
    expect(code).toBe(1);
    const log = JSON.parse(stdout);
    const ajv = new Ajv04({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(sarifSchema);
    const valid = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);

    const [run0] = log.runs;
    expect(run0.tool.driver.rules.map((rule: { id: string }) => rule.id)).toEqual(RULES.map((rule) => rule.id));
    expect(run0.tool.driver.rules.find((rule: { id: string }) => rule.id === 'image-registry')).toEqual(
      expect.objectContaining({
        defaultConfiguration: { level: 'error' },
        properties: expect.objectContaining({ category: 'images', waivable: true, severityOutsideProd: 'warning' }),
      }),
    );
    const external = run0.results.find((result: { ruleId: string }) => result.ruleId === 'service-external-name');
    expect(external.level).toBe('error');
    expect(run0.tool.driver.rules[external.ruleIndex].id).toBe('service-external-name');
    const location = external.locations[0].physicalLocation;
    expect(location.artifactLocation).toEqual({
      uri: `clusters/${PROD_CLUSTER}/${APP}/manifests.yaml`,
      uriBaseId: '%SRCROOT%',
    });
    expect(await lineOf(location.artifactLocation.uri, location.region.startLine)).toBe('apiVersion: v1');
    expect(external.locations[0].logicalLocations).toEqual([
      { fullyQualifiedName: `${PROD_CLUSTER}/Service ${APP}/legacy-db`, kind: 'object' },
    ]);
    const waived = run0.results.find((result: { ruleId: string }) => result.ruleId === 'read-only-root-filesystem');
    expect(waived.suppressions).toEqual([
      { kind: 'inSource', status: 'accepted', justification: 'legacy image writes /var/cache, tracked in OPS-7' },
    ]);
  });

  // The scenario: dev has a warning (image from an unknown registry) and a waived error (writable
  // root); prod has the same image as an error and an ExternalName Service whose target carries
  // `%`, `:` and `,`. Each app's objects share one multi-document manifests.yaml, as synth writes them.

  it('sarif: a log that breaks the schema is rejected (the validator is really checking)', () => {
    const ajv = new Ajv04({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(sarifSchema);
    const log = JSON.parse(formatSarif(evaluate(prodFixture.input())));
    log.runs[0].results[0].level = 'fatal';
    expect(validate(log)).toBe(false);
  });

  it('junit: well-formed XML, one testsuite per cluster, one testcase per rule and object', async () => {
    const { stdout } = await run('junit');
    expect(XMLValidator.validate(stdout)).toBe(true);
    const parsed = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      isArray: (name) => ['testsuite', 'testcase'].includes(name),
    }).parse(stdout);
    const suites = parsed.testsuites.testsuite as Array<
      Record<string, unknown> & { testcase: Array<Record<string, unknown>> }
    >;
    expect(suites.map((suite) => suite.name)).toEqual([CLUSTER, PROD_CLUSTER]);
    const [dev, prod] = suites;
    // Every rule appears in every suite: as "no findings" or once per object it found.
    expect(dev.testcase.length).toBe(RULES.length);
    expect(prod.testcase.length).toBe(RULES.length);
    expect(dev).toEqual(
      expect.objectContaining({ tests: String(RULES.length), failures: '0', errors: '0', skipped: '1' }),
    );
    expect(prod).toEqual(
      expect.objectContaining({ tests: String(RULES.length), failures: '2', errors: '0', skipped: '0' }),
    );
    expect(parsed.testsuites).toEqual(
      expect.objectContaining({ tests: String(2 * RULES.length), failures: '2', skipped: '1' }),
    );

    const byName = (suite: (typeof suites)[number], name: string) =>
      suite.testcase.find((testcase) => testcase.name === name) as Record<string, unknown>;
    const failure = byName(prod, `service-external-name: Service ${APP}/legacy-db`);
    expect(failure.classname).toBe(`${PROD_CLUSTER}.service-external-name`);
    expect(failure.file).toBe(`clusters/${PROD_CLUSTER}/${APP}/manifests.yaml`);
    expect((failure.failure as Record<string, string>).type).toBe('service-external-name');
    expect((failure.failure as Record<string, string>)['#text']).toContain('db,100%:5432.partner.example.com');
    expect(byName(dev, `read-only-root-filesystem: Deployment ${APP}/${APP}`).skipped).toEqual({
      message: 'waived: legacy image writes /var/cache, tracked in OPS-7',
    });
    const warning = byName(dev, `image-registry: Deployment ${APP}/${APP}`);
    expect(warning.failure).toBeUndefined();
    expect(warning['system-out']).toContain('warning: container "app": image "quay.io/vendor/orders-api:1.4.2"');
    expect(byName(dev, 'pss-privileged: no findings')).toEqual({
      classname: `${CLUSTER}.pss-privileged`,
      name: 'pss-privileged: no findings',
      time: '0',
    });
  });

  it('junit: escapes XML metacharacters and replaces characters XML cannot carry', () => {
    const finding: Finding = {
      ruleId: 'service-external-name',
      severity: 'error',
      cluster: CLUSTER,
      file: 'clusters/x.yaml',
      object: 'Service a/b',
      message: '<a href="x">&\u0007',
      fix: "it's fine",
    };
    const xml = formatJunit({
      ok: false,
      findings: [finding],
      summary: [{ cluster: CLUSTER, objects: 1, errors: 1, warnings: 0, waived: 0 }],
    });
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain('message="&lt;a href=&quot;x&quot;&gt;&amp;\uFFFD"');
    expect(xml).toContain('fix: it&apos;s fine');
  });

  it('github: one workflow command per finding on the generated file and line, then the verdict', async () => {
    const { code, stdout } = await run('github');
    expect(code).toBe(1);
    const lines = stdout.trimEnd().split('\n');
    expect(lines.pop()).toBe('policy FAILED: 2 errors, 1 warning, 1 waived across 2 clusters');
    // ::<command> <key>=<value>,...::<message>: values and message carry no raw separators or newlines.
    const syntax = /^::(error|warning|notice) ((?:[a-z]+=[^,:\r\n]*)(?:,[a-z]+=[^,:\r\n]*)*)::([^\r\n]*)$/;
    const annotations = lines.map((line) => {
      const match = syntax.exec(line);
      expect(match).not.toBeNull();
      const [, command, properties, message] = match as RegExpExecArray;
      return {
        command,
        properties: Object.fromEntries(
          properties
            .split(',')
            .map((pair) => [pair.slice(0, pair.indexOf('=')), unescape(pair.slice(pair.indexOf('=') + 1))]),
        ),
        message: unescape(message),
      };
    });
    expect(annotations.map((annotation) => annotation.command)).toEqual(['warning', 'notice', 'error', 'error']);
    for (const annotation of annotations) {
      expect(await lineOf(annotation.properties.file, Number(annotation.properties.line))).toMatch(/^apiVersion: /);
    }
    const external = annotations[3];
    expect(external.properties).toEqual({
      file: `clusters/${PROD_CLUSTER}/${APP}/manifests.yaml`,
      line: expect.any(String),
      title: `service-external-name Service ${APP}/legacy-db (${PROD_CLUSTER})`,
    });
    expect(external.message).toBe(
      'ExternalName Service points the in-cluster name at "db,100%:5432.partner.example.com", outside the cluster\'s egress policy and review\nfix: Call the external host by its own name through an explicit egress rule (egress with cidr and reason), or waive it with the reason.',
    );
    expect(
      annotations[1].message.startsWith('waived (error): legacy image writes /var/cache, tracked in OPS-7\n'),
    ).toBe(true);
  });

  it('github: escapes %, CR and LF in messages and also : and , in properties, as the runner expects', () => {
    expect(escapeData('100% done\r\nnext: a, b')).toBe('100%25 done%0D%0Anext: a, b');
    expect(escapeProperty('clusters/a,b/c:d%.yaml')).toBe('clusters/a%2Cb/c%3Ad%25.yaml');
    const finding: Finding = {
      ruleId: 'image-tag',
      severity: 'error',
      cluster: 'c',
      file: 'clusters/c/x:y,z.yaml',
      line: 7,
      object: 'Deployment a/b',
      message: 'bad: 50%\nnow',
      fix: 'pin, then retry',
    };
    expect(githubAnnotation(finding)).toBe(
      '::error file=clusters/c/x%3Ay%2Cz.yaml,line=7,title=image-tag Deployment a/b (c)::bad: 50%25%0Anow%0Afix: pin, then retry',
    );
  });

  it('github: the in-synth gate has no files on disk yet, so its annotations name the file without a line', () => {
    const fixture = new Fixture();
    fixture.container().image = 'quay.io/vendor/orders-api:1.4.2';
    const output = formatGithub(evaluate(fixture.input()));
    expect(output.split('\n')[0]).toBe(
      `::warning file=clusters/${CLUSTER}/${APP}/deployment-${APP}.yaml,title=image-registry Deployment ${APP}/${APP} (${CLUSTER})::container "app": image "quay.io/vendor/orders-api:1.4.2" comes from registry quay.io (repository vendor/orders-api), which is not in cluster ${CLUSTER}'s allowedRegistries ["acr.azurecr.io"]%0Afix: Push the image to an allowed registry (e.g. import it into acr.azurecr.io) and reference it there, add "quay.io/vendor/orders-api" to allowedRegistries in the cluster spec after review, or waive it with the reason.`,
    );
  });

  it('rejects an unknown format with exit 2', async () => {
    let stderr = '';
    expect(
      await runPolicy(
        { format: 'xml' },
        {
          rootDir,
          clusters: FLEET,
          stdout: () => undefined,
          stderr: (text) => (stderr += text),
        },
      ),
    ).toBe(2);
    expect(stderr).toContain('--format needs one of table, json, sarif, junit, github (got "xml")');
  });
});

/** The runner's unescaping: the inverse of escapeProperty/escapeData. */
function unescape(value: string): string {
  return value
    .replace(/%0D/g, '\r')
    .replace(/%0A/g, '\n')
    .replace(/%3A/g, ':')
    .replace(/%2C/g, ',')
    .replace(/%25/g, '%');
}
