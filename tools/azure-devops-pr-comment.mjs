#!/usr/bin/env node
// `node tools/azure-devops-pr-comment.mjs --file diff.md`: posts a Markdown file (the output of
// `npm run diff -- --markdown`) to the Azure Repos pull request an Azure Pipelines PR build runs
// for, as ONE comment thread that every later run edits in place (the GitHub workflow's sticky
// comment, on Azure DevOps). The thread is found by the marker on its first comment's first line;
// nothing else is read or touched.
//
// Azure DevOps REST API 7.1 (docs/azure-facts.md, "Azure DevOps pull request comments"):
//   GET   {collection}{project}/_apis/git/repositories/{repo}/pullRequests/{pr}/threads
//   POST  .../threads                                  { comments: [{ parentCommentId: 0, content, commentType: 1 }], status }
//   PATCH .../threads/{threadId}/comments/{commentId}  { content }
// Authenticated with the job's access token (`env: SYSTEM_ACCESSTOKEN: $(System.AccessToken)`); the
// project's build service identity needs "Contribute to pull requests" on the repository. The rest
// comes from the predefined variables Azure Pipelines exports to every script:
// SYSTEM_COLLECTIONURI, SYSTEM_TEAMPROJECTID, BUILD_REPOSITORY_ID, SYSTEM_PULLREQUEST_PULLREQUESTID.
//
// Exit codes: 0 posted or updated; 1 Azure DevOps refused or failed (the message says why); 2 usage
// or a missing variable.
import { readFileSync } from 'node:fs';
import { URL } from 'node:url';

/** The first line of the comment, as `npm run diff -- --markdown` writes it (libs/diff COMMENT_MARKER). */
const MARKER = '<!-- aks-gitops-diff -->';
const API_VERSION = '7.1';
// Closed, not active: a branch policy "Check for comment resolution" must not block the merge on
// an informational comment (thread status 4 = closed; 1 = active).
const THREAD_STATUS_CLOSED = 4;
const COMMENT_TYPE_TEXT = 1;
/** Azure DevOps refuses longer comment content; `diff --markdown` stays far below it (about 60,000). */
const MAX_CONTENT = 150_000;

function usage(message) {
  process.stderr.write(`error: ${message}\nusage: node tools/azure-devops-pr-comment.mjs --file <diff.md>\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const i = argv.indexOf('--file');
  if (i < 0 || !argv[i + 1] || argv.length !== 2) usage('--file <path> is required (and nothing else)');
  return { file: argv[i + 1] };
}

function env(name) {
  const value = process.env[name];
  if (!value) {
    usage(
      name === 'SYSTEM_ACCESSTOKEN'
        ? 'SYSTEM_ACCESSTOKEN is not set: map it in the step (env: SYSTEM_ACCESSTOKEN: $(System.AccessToken))'
        : `${name} is not set: run this in an Azure Pipelines pull-request build of an Azure Repos repository`,
    );
  }
  return value;
}

/** https only; plain http to a loopback address is allowed for tests against a local server. */
function threadsUrl() {
  const collection = new URL(env('SYSTEM_COLLECTIONURI'));
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(collection.hostname);
  if (collection.protocol !== 'https:' && !(collection.protocol === 'http:' && loopback))
    usage(`SYSTEM_COLLECTIONURI ${collection.href} is not https`);
  const base = collection.href.endsWith('/') ? collection.href : `${collection.href}/`;
  const project = encodeURIComponent(env('SYSTEM_TEAMPROJECTID'));
  const repo = encodeURIComponent(env('BUILD_REPOSITORY_ID'));
  const pr = env('SYSTEM_PULLREQUEST_PULLREQUESTID');
  if (!/^\d+$/.test(pr)) usage(`SYSTEM_PULLREQUEST_PULLREQUESTID is ${JSON.stringify(pr)}, not a pull request number`);
  return `${base}${project}/_apis/git/repositories/${repo}/pullRequests/${pr}/threads`;
}

async function call(method, url, body) {
  const res = await globalThis.fetch(`${url}?api-version=${API_VERSION}`, {
    method,
    headers: {
      Authorization: `Bearer ${env('SYSTEM_ACCESSTOKEN')}`,
      Accept: 'application/json',
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) {
    const hint =
      res.status === 401 || res.status === 403
        ? ' (give the project build service identity "Contribute to pull requests" on this repository, and map SYSTEM_ACCESSTOKEN in the step; a fork build cannot comment: its diff is in the run summary)'
        : '';
    throw new Error(`${method} ${url}: HTTP ${res.status}${hint}: ${text.slice(0, 500)}`);
  }
  return text ? JSON.parse(text) : {};
}

/** A thread's first comment: the one that answers no other (comment IDs are unique per pull request, not per thread). */
function rootComment(thread) {
  const comments = thread.comments ?? [];
  return comments.find((c) => c.parentCommentId === 0) ?? comments[0];
}

/** The thread this tool created before: the first comment of a live thread starts with the marker. */
function findThread(threads) {
  return (threads ?? []).find((t) => {
    const first = rootComment(t);
    return !t.isDeleted && first && !first.isDeleted && String(first.content ?? '').startsWith(MARKER);
  });
}

async function main() {
  const { file } = parseArgs(process.argv.slice(2));
  let markdown;
  try {
    markdown = readFileSync(file, 'utf8');
  } catch (e) {
    usage(`cannot read ${file}: ${e.message}`);
  }
  // `npm run diff -- --markdown` starts with the marker itself (libs/diff COMMENT_MARKER).
  let content = markdown.startsWith(MARKER) ? markdown : `${MARKER}\n${markdown}`;
  if (content.length > MAX_CONTENT) {
    content = `${content.slice(0, MAX_CONTENT - 200)}\n\n_Cut at ${MAX_CONTENT} characters: run \`npm run diff\` for all of it._\n`;
  }
  env('SYSTEM_ACCESSTOKEN');
  const url = threadsUrl();
  const existing = findThread((await call('GET', url)).value);
  if (existing) {
    const comment = rootComment(existing);
    if (comment.content === content) {
      process.stdout.write(`pull request comment thread ${existing.id}: unchanged\n`);
      return;
    }
    await call('PATCH', `${url}/${existing.id}/comments/${comment.id}`, { content });
    process.stdout.write(`pull request comment thread ${existing.id}: updated\n`);
    return;
  }
  const created = await call('POST', url, {
    comments: [{ parentCommentId: 0, content, commentType: COMMENT_TYPE_TEXT }],
    status: THREAD_STATUS_CLOSED,
  });
  process.stdout.write(`pull request comment thread ${created.id}: created\n`);
}

main().catch((e) => {
  process.stderr.write(`error: ${e.message}\n`);
  process.exit(1);
});
