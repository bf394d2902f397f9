import fs from 'node:fs';
import path from 'node:path';
import { removeTmpDirs, tmpDir } from './__testUtils__/fixtures';
import { SandboxSession } from './process';

/**
 * The executor's side of the sandbox when the sandbox misbehaves: bwrap is
 * replaced by small scripts that fail the ways a broken bwrap or launcher
 * would. (The real sandbox is proven in sandbox.test.ts.)
 */
describe('SandboxSession faults', () => {
  afterAll(removeTmpDirs);

  const shape = { workspace: '/nonexistent', readOnly: [], network: false };
  const limits = (log: string[] = []) => ({
    timeoutMs: 10_000,
    maxOutputBytes: 1024,
    signal: new AbortController().signal,
    log: async (data: Buffer | string) => {
      log.push(data.toString());
    },
  });
  function fakeBwrap(script: string): string {
    const file = path.join(tmpDir('fake-bwrap'), 'bwrap');
    fs.writeFileSync(file, `#!/bin/sh\n${script}\n`, { mode: 0o755 });
    return file;
  }

  it('fails the step when bwrap cannot be started', async () => {
    const session = new SandboxSession('/nonexistent/bwrap', shape);
    const result = await session.run(['true'], {}, limits());
    expect(result.spawnError).toMatch(/^the sandbox ended: spawn .*ENOENT/);
    expect(session.usable).toBe(false);
  });

  it('names what bwrap said when the sandbox ends under the step', async () => {
    const session = new SandboxSession(
      fakeBwrap('echo "bwrap: Creating new namespace failed" >&2; exit 1'),
      shape,
    );
    const result = await session.run(['true'], {}, limits());
    expect(result).toEqual({
      timedOut: false,
      cancelled: false,
      truncated: false,
      spawnError:
        'the sandbox ended (bwrap exited with status 1): bwrap: Creating new namespace failed',
    });
  });

  it('ends a sandbox whose output is not frames, keeping what came before', async () => {
    // One valid output frame, then garbage.
    const session = new SandboxSession(
      fakeBwrap(
        `read line; printf 'o\\000\\000\\000\\003ok\\nnot a frame'; exec sleep 30`,
      ),
      shape,
    );
    const log: string[] = [];
    const result = await session.run(['true'], {}, limits(log));
    expect(log).toEqual(['ok\n']);
    expect(result.spawnError).toContain(
      'the sandbox wrote output that is not a frame',
    );
    expect(session.usable).toBe(false);
  });

  it('times out a launcher that never answers', async () => {
    const session = new SandboxSession(fakeBwrap('exec sleep 30'), shape);
    const result = await session.run(
      ['true'],
      {},
      {
        ...limits(),
        timeoutMs: 200,
      },
    );
    expect(result).toEqual({
      timedOut: true,
      cancelled: false,
      truncated: false,
    });
  });
});
