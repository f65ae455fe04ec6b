import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startStagingWriter, stagingWriterProgram } from '../../src/write/staging-writer';

/**
 * The writer thread runs the text of `stagingWriterProgram`, whatever compiled it (here
 * @swc/jest; under the CLI register.cjs, exercised by every CLI test that writes). These tests run
 * it in a real thread.
 */
describe('the staging writer thread', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'staging-writer-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes every unit it is handed, nested folders included, then reports success', async () => {
    const writer = startStagingWriter('staging');
    writer.thread.postMessage({
      dir: path.join(dir, 'a'),
      files: [
        ['manifests.yaml', 'x: 1\n'],
        ['kustomization.yaml', 'resources: []\n'],
      ],
    });
    writer.thread.postMessage({ dir: path.join(dir, 'flux', 'c'), files: [['deep/er/notifications.yaml', 'y\n']] });
    writer.thread.postMessage('done');
    await writer.done;
    await writer.thread.terminate();
    expect(fs.readFileSync(path.join(dir, 'a', 'manifests.yaml'), 'utf8')).toBe('x: 1\n');
    expect(fs.readFileSync(path.join(dir, 'a', 'kustomization.yaml'), 'utf8')).toBe('resources: []\n');
    expect(fs.readFileSync(path.join(dir, 'flux', 'c', 'deep', 'er', 'notifications.yaml'), 'utf8')).toBe('y\n');
  });

  it('reports the first failure with its errno code and path, and writes nothing after it', async () => {
    const writer = startStagingWriter('staging .synth-staging', 'ENOSPC');
    writer.thread.postMessage({ dir: path.join(dir, 'a'), files: [['f', '1']] });
    writer.thread.postMessage({ dir: path.join(dir, 'b'), files: [['f', '2']] });
    writer.thread.postMessage('done');
    await expect(writer.done).rejects.toMatchObject({
      message: `staging .synth-staging: ENOSPC: injected write failure, ${path.join(dir, 'a')}`,
      code: 'ENOSPC',
      path: path.join(dir, 'a'),
    });
    await writer.thread.terminate();
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('is self-contained: its program names nothing outside itself', () => {
    // What the thread evaluates: the function's own text, with only its parameter in scope.
    const run = new Function('deps', `(${stagingWriterProgram.toString()})(deps);`) as (deps: unknown) => void;
    const handlers: Array<(m: unknown) => void> = [];
    const posted: unknown[] = [];
    run({
      port: {
        on: (_: string, h: (m: unknown) => void) => handlers.push(h),
        postMessage: (m: unknown) => posted.push(m),
      },
      fs,
      path,
    });
    handlers[0]({ dir: path.join(dir, 'u'), files: [['f', 'z']] });
    handlers[0]('done');
    expect(posted).toEqual([{}]);
    expect(fs.readFileSync(path.join(dir, 'u', 'f'), 'utf8')).toBe('z');
  });
});
