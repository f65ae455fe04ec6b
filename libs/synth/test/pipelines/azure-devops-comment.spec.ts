import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { COMMENT_MARKER } from '@aks-gitops/diff';
import { REPO } from '../scratch';

/**
 * Azure DevOps parity with the GitHub workflow's sticky diff comment: azure-pipelines.yml posts
 * `npm run diff -- --markdown` to the pull request as ONE comment thread and edits it on every push.
 * The step is run here as Azure Pipelines runs it (its script under bash, its `env`, the predefined
 * variables every script gets), against a local server that answers the Azure DevOps REST API 7.1
 * pull request thread endpoints as documented, and records every request.
 */
type Comment = { id: number; parentCommentId: number; content: string; commentType: number; isDeleted?: boolean };
type Thread = { id: number; status: number; comments: Comment[]; isDeleted?: boolean };
type Request = { method: string; path: string; apiVersion: string | null; auth?: string; body?: unknown };

const PROJECT = '6ce954b1-ce1f-45d1-b94d-e6bf2464ba2c';
const REPOSITORY = '3411ebc1-d5aa-464f-9615-0b527bc66719';
const PR = 42;
const TOKEN = 'job-access-token';
const THREADS = `/contoso/${PROJECT}/_apis/git/repositories/${REPOSITORY}/pullRequests/${PR}/threads`;

class LocalAzureDevOps {
  readonly threads: Thread[] = [];
  readonly requests: Request[] = [];
  /** Answer every request with this status instead (e.g. 403 for a token without the permission). */
  refuse?: number;
  private server = http.createServer((req, res) => this.handle(req, res));
  url = '';

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/contoso/`;
  }
  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString('utf8')));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
      this.requests.push({
        method: req.method ?? '',
        path: url.pathname,
        apiVersion: url.searchParams.get('api-version'),
        auth: req.headers.authorization,
        body,
      });
      const send = (status: number, json?: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(json === undefined ? '' : JSON.stringify(json));
      };
      if (this.refuse)
        return send(this.refuse, { message: 'TF401027: You need the Git "PullRequestContribute" permission' });
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return send(401, { message: 'unauthorized' });
      if (url.searchParams.get('api-version') !== '7.1') return send(400, { message: 'api-version' });
      if (url.pathname === THREADS && req.method === 'GET')
        return send(200, { value: this.threads, count: this.threads.length });
      if (url.pathname === THREADS && req.method === 'POST') {
        const b = body as { comments: Omit<Comment, 'id'>[]; status: number };
        // Comment IDs are unique per pull request, not per thread (REST reference: "IDs start at 1
        // and are unique to a pull request").
        let next = Math.max(0, ...this.threads.flatMap((t) => t.comments.map((c) => c.id))) + 1;
        const thread: Thread = {
          id: 100 + this.threads.length,
          status: b.status,
          comments: b.comments.map((c) => ({ ...c, id: next++ })),
        };
        this.threads.push(thread);
        return send(200, thread);
      }
      const m = new RegExp(`^${THREADS}/(\\d+)/comments/(\\d+)$`).exec(url.pathname);
      if (m && req.method === 'PATCH') {
        const comment = this.threads.find((t) => t.id === Number(m[1]))?.comments.find((c) => c.id === Number(m[2]));
        if (!comment) return send(404, { message: 'no such comment' });
        comment.content = (body as { content: string }).content;
        return send(200, comment);
      }
      send(404, { message: `no route ${req.method} ${url.pathname}` });
    });
  }
}

// The step as azure-pipelines.yml declares it.
type Step = {
  script?: string;
  displayName?: string;
  condition?: string;
  continueOnError?: boolean;
  env?: Record<string, string>;
};
const doc = parse(fs.readFileSync(path.join(REPO, 'azure-pipelines.yml'), 'utf8')) as {
  stages: { stage: string; jobs: { steps: Step[] }[] }[];
};
const steps = doc.stages.find((s) => s.stage === 'validate')!.jobs[0].steps;
const commentStep = steps.find((s) => s.displayName === 'Post the diff as one updatable PR comment')!;
const diffStep = steps.find((s) => s.script?.includes('npm run --silent diff --'))!;

/** Runs the step's script as the agent would: macros expanded, step env plus the predefined variables. */
function runStep(
  server: LocalAzureDevOps,
  tempDir: string,
  overrides: Record<string, string | undefined> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const macros: Record<string, string> = { 'Agent.TempDirectory': tempDir, 'System.AccessToken': TOKEN };
  const expand = (s: string) => s.replace(/\$\(([\w.]+)\)/g, (all, name: string) => macros[name] ?? all);
  const stepEnv = Object.fromEntries(Object.entries(commentStep.env ?? {}).map(([k, v]) => [k, expand(v)]));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    SYSTEM_COLLECTIONURI: server.url,
    SYSTEM_TEAMPROJECTID: PROJECT,
    BUILD_REPOSITORY_ID: REPOSITORY,
    SYSTEM_PULLREQUEST_PULLREQUESTID: String(PR),
    BUILD_REASON: 'PullRequest',
    ...stepEnv,
  };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-c', expand(commentStep.script as string)], {
      cwd: REPO,
      env,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('Azure DevOps: the diff as one updatable pull request comment', () => {
  let server: LocalAzureDevOps;
  let temp: string;
  beforeEach(async () => {
    server = new LocalAzureDevOps();
    await server.start();
    temp = fs.mkdtempSync(path.join(os.tmpdir(), 'aks-gitops-ado-'));
  });
  afterEach(async () => {
    await server.stop();
    fs.rmSync(temp, { recursive: true, force: true });
  });
  const writeDiff = (text: string) => fs.writeFileSync(path.join(temp, 'diff.md'), text);

  it('is a PR-only step after the diff step, with the job token mapped in, that cannot fail the validation', () => {
    expect(steps.indexOf(commentStep)).toBe(steps.indexOf(diffStep) + 1);
    expect(diffStep.script).toContain('> "$(Agent.TempDirectory)/diff.md"');
    expect(commentStep.script).toBe('node tools/azure-devops-pr-comment.mjs --file "$(Agent.TempDirectory)/diff.md"');
    expect(commentStep.condition).toBe("and(succeededOrFailed(), eq(variables['Build.Reason'], 'PullRequest'))");
    expect(commentStep.env).toEqual({ SYSTEM_ACCESSTOKEN: '$(System.AccessToken)' });
    expect(commentStep.continueOnError).toBe(true);
  });

  it('the first push creates one closed thread (no comment-resolution policy blocks on it); later pushes edit that comment', async () => {
    // Someone else's thread on the PR: never touched.
    server.threads.push({
      id: 7,
      status: 1,
      comments: [
        { id: 1, parentCommentId: 0, content: 'please add a test', commentType: 1 },
        { id: 2, parentCommentId: 1, content: `${COMMENT_MARKER} quoted in a reply`, commentType: 1 },
      ],
    });
    writeDiff('## aks-gitops diff\n\n- **new public exposure** · first push\n');
    const first = await runStep(server, temp);
    expect([first.code, first.stderr]).toEqual([0, '']);
    expect(first.stdout).toBe('pull request comment thread 101: created\n');
    expect(server.threads).toHaveLength(2);
    const ours = server.threads[1];
    expect(ours.status).toBe(4);
    expect(ours.comments).toEqual([
      {
        id: 3,
        parentCommentId: 0,
        commentType: 1,
        content: '<!-- aks-gitops-diff -->\n## aks-gitops diff\n\n- **new public exposure** · first push\n',
      },
    ]);

    // What `npm run diff -- --markdown` writes starts with the marker already: posted as it is.
    writeDiff(`${COMMENT_MARKER}\n## aks-gitops diff\n\n- **new public exposure** · second push\n`);
    const second = await runStep(server, temp);
    expect([second.code, second.stdout]).toEqual([0, 'pull request comment thread 101: updated\n']);
    expect(server.threads).toHaveLength(2);
    expect(server.threads[1].comments[0].content).toBe(
      '<!-- aks-gitops-diff -->\n## aks-gitops diff\n\n- **new public exposure** · second push\n',
    );
    expect(server.threads[0].comments[0].content).toBe('please add a test');

    // Same diff again: nothing written.
    const third = await runStep(server, temp);
    expect([third.code, third.stdout]).toEqual([0, 'pull request comment thread 101: unchanged\n']);

    expect(server.requests.map((r) => `${r.method} ${r.path.slice(THREADS.length) || '/'}`)).toEqual([
      'GET /',
      'POST /',
      'GET /',
      'PATCH /101/comments/3',
      'GET /',
    ]);
    for (const r of server.requests) expect([r.apiVersion, r.auth]).toEqual(['7.1', `Bearer ${TOKEN}`]);
  });

  it('a token without the permission (or a fork build): exit 1 saying which permission, nothing written', async () => {
    writeDiff('diff\n');
    server.refuse = 403;
    const r = await runStep(server, temp);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/HTTP 403 \(give the project build service identity "Contribute to pull requests"/);
    expect(server.threads).toEqual([]);
  });

  it('without the token mapped, or outside a pull-request build: exit 2 naming the variable, no request', async () => {
    writeDiff('diff\n');
    const noToken = await runStep(server, temp, { SYSTEM_ACCESSTOKEN: undefined });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('SYSTEM_ACCESSTOKEN is not set: map it in the step');
    const noPr = await runStep(server, temp, { SYSTEM_PULLREQUEST_PULLREQUESTID: undefined });
    expect(noPr.code).toBe(2);
    expect(noPr.stderr).toContain('SYSTEM_PULLREQUEST_PULLREQUESTID is not set');
    const plainHttp = await runStep(server, temp, { SYSTEM_COLLECTIONURI: 'http://dev.azure.com/contoso/' });
    expect(plainHttp.code).toBe(2);
    expect(plainHttp.stderr).toContain('is not https');
    expect(server.requests).toEqual([]);
  });
});
