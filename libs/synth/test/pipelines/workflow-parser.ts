import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { REPO } from '../scratch';

/** What a workflow file runs, as GitHub's own parser reads it. */
export interface ParsedWorkflow {
  readonly errors: string[];
  readonly events: string[];
  readonly jobs: { id: string; if?: string; steps: { uses?: string; run?: string }[] }[];
}

interface ParserModule {
  parseWorkflow(
    file: { name: string; content: string },
    trace: unknown,
  ): { value?: unknown; context: { errors: { getErrors(): { message: string }[] } } };
  convertWorkflowTemplate(
    context: unknown,
    value: unknown,
  ): Promise<{
    errors?: { Message: string }[];
    events?: Record<string, unknown>;
    jobs?: { id: unknown; if?: unknown; steps?: { uses?: unknown; run?: unknown }[] }[];
  }>;
  NoOperationTraceWriter: new () => unknown;
}

let parser: ParserModule | undefined;

/**
 * GitHub's workflow parser (@actions/workflow-parser, the one behind the Actions language
 * service). It ships as ES modules that import JSON without import attributes, which neither
 * Node 20 nor Jest's CommonJS runtime load; esbuild (already the CLI's loader) bundles it into
 * one CommonJS file first, unchanged.
 */
function load(): ParserModule {
  if (parser) return parser;
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'aks-gitops-workflow-parser-')), 'parser.cjs');
  buildSync({
    stdin: { contents: "export * from '@actions/workflow-parser';", resolveDir: REPO },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: out,
    logLevel: 'silent',
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  parser = require(out) as ParserModule;
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  return parser;
}

const text = (token: unknown): string | undefined => {
  if (token === undefined || token === null) return undefined;
  const t = token as { value?: unknown; toString(): string };
  return typeof t.value === 'string' ? t.value : t.toString();
};

export async function parseWorkflowFile(file: string): Promise<ParsedWorkflow> {
  const { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } = load();
  const parsed = parseWorkflow(
    { name: path.basename(file), content: fs.readFileSync(file, 'utf8') },
    new NoOperationTraceWriter(),
  );
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  const template = parsed.value ? await convertWorkflowTemplate(parsed.context, parsed.value) : {};
  return {
    errors: [...errors, ...(template.errors ?? []).map((e) => e.Message)],
    events: Object.keys(template.events ?? {}),
    jobs: (template.jobs ?? []).map((job) => ({
      id: text(job.id) ?? '',
      if: text(job.if),
      steps: (job.steps ?? []).map((s) => ({ uses: text(s.uses), run: text(s.run) })),
    })),
  };
}
