import type * as nodeFs from 'node:fs';
import type * as nodePath from 'node:path';
import { Worker } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';

/** What the main thread posts: one unit's files (path inside the unit, text) and where to stage them; then 'done'. */
export type StagingMessage =
  { readonly dir: string; readonly files: ReadonlyArray<readonly [string, string]> } | 'done';

/** What the thread answers to 'done': the first error, if any. */
export interface StagingReport {
  readonly error?: string;
  readonly code?: string;
  readonly path?: string;
}

/** Everything the thread's program uses, handed in (it can name nothing outside itself). */
export interface StagingWriterDeps {
  readonly port: Pick<MessagePort, 'on' | 'postMessage'>;
  readonly fs: Pick<typeof nodeFs, 'mkdirSync' | 'writeFileSync'>;
  readonly path: Pick<typeof nodePath, 'join' | 'dirname'>;
  /** Test hook: fail the first unit with this errno code (ENOSPC, EROFS, EACCES). */
  readonly failWrites?: string;
}

/**
 * The writer thread's whole program: units arrive in order and are written under their `dir`;
 * after 'done' it reports the first error, if any. Synchronous calls on purpose: the thread has
 * nothing else to do, and a SIGKILL stops it between two whole calls like the main thread.
 *
 * The thread runs the text of this function (`Function.prototype.toString()` of what the process's
 * TypeScript loader compiled it to: register.cjs under the CLI, @swc/jest under Jest), so the
 * thread needs no TypeScript loader of its own, and this code is typechecked and linted like the
 * rest. The price: the body must name nothing from outside it (no imports, no module constants);
 * whatever it needs comes in `deps`. `test/write/staging-writer.spec.ts` runs it in a real thread.
 */
export function stagingWriterProgram(deps: StagingWriterDeps): void {
  const { port, fs, path } = deps;
  let report: { error?: string; code?: string; path?: string } | undefined;
  let inject = deps.failWrites;
  port.on('message', (m: StagingMessage) => {
    if (m === 'done') {
      port.postMessage(report ?? {});
      return;
    }
    if (report) return;
    try {
      if (inject) {
        const injected = Object.assign(new Error(`${inject}: injected write failure, ${m.dir}`), {
          code: inject,
          path: m.dir,
        });
        inject = undefined;
        throw injected;
      }
      const made = new Set<string>();
      for (const [file, content] of m.files) {
        const target = path.join(m.dir, file);
        const parent = path.dirname(target);
        if (!made.has(parent)) {
          fs.mkdirSync(parent, { recursive: true });
          made.add(parent);
        }
        fs.writeFileSync(target, content);
      }
    } catch (e) {
      const err = e as { message?: unknown; code?: unknown; path?: unknown } | undefined;
      report = {
        error: typeof err?.message === 'string' && err.message ? err.message : String(e),
        code: typeof err?.code === 'string' ? err.code : undefined,
        path: typeof err?.path === 'string' ? err.path : undefined,
      };
    }
  });
}

/** A running writer thread and the promise of its report (rejected with the first error). */
export interface StagingWriter {
  readonly thread: Worker;
  readonly done: Promise<void>;
}

/**
 * Starts the writer thread. Plain JavaScript, no loaders (execArgv []): the thread only creates
 * folders and files. `errorPrefix` starts the message of a failure it reports.
 */
export function startStagingWriter(errorPrefix: string, failWrites?: string): StagingWriter {
  const source =
    `const { parentPort, workerData } = require('node:worker_threads');\n` +
    `(${stagingWriterProgram.toString()})({ port: parentPort, fs: require('node:fs'), path: require('node:path'), failWrites: workerData.failWrites });\n`;
  const thread = new Worker(source, { eval: true, execArgv: [], workerData: { failWrites } });
  const done = new Promise<void>((resolve, reject) => {
    thread.once('message', (m: StagingReport) =>
      m.error
        ? reject(Object.assign(new Error(`${errorPrefix}: ${m.error}`), { code: m.code, path: m.path }))
        : resolve(),
    );
    thread.once('error', reject);
    thread.once('exit', (code) => reject(new Error(`staging writer stopped (exit ${code}) before it finished`)));
  });
  done.catch(() => undefined); // observed by whoever awaits `done`
  return { thread, done };
}
