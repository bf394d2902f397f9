import fs from 'node:fs';
import path from 'node:path';
import { cleanupTempDirs, tempDir } from '@gitops/test-utils';
import { GitRepositoryStore } from './GitRepositoryStore';
import { runGit } from './git';

// Many git processes per test, on a machine that may be busy.
jest.setTimeout(60_000);

const author = { name: 'Ada', email: 'ada@example.com' };

afterAll(() => cleanupTempDirs());

async function storeWith(
  files: Record<string, string | Buffer>,
  options: { maxBlobBytes?: number; maxConcurrentReads?: number },
) {
  const store = new GitRepositoryStore({
    root: path.join(tempDir(), 'git'),
    ...options,
  });
  await store.create('team-a', 'svc');
  const source = tempDir();
  for (const [file, content] of Object.entries(files)) {
    fs.writeFileSync(path.join(source, file), content);
  }
  await store.commitDirectory('team-a', 'svc', {
    sourceDir: source,
    branch: 'master',
    message: 'files',
    author,
  });
  return store;
}

describe('GitRepositoryStore reads, bounded', () => {
  it('refuses a file over maxBlobBytes before reading it, and streams the others', async () => {
    const store = await storeWith(
      { 'big.bin': Buffer.alloc(2000, 1), 'ok.txt': 'x'.repeat(1000) },
      { maxBlobBytes: 1000 },
    );
    await expect(
      store.readFile('team-a', 'svc', 'master', 'big.bin'),
    ).rejects.toThrow(
      'big.bin at master in team-a/svc is 2000 bytes, more than the 1000 bytes served (githost.limits.maxBlobBytes)',
    );
    await expect(
      store.openFile('team-a', 'svc', 'master', 'big.bin'),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    const file = await store.openFile('team-a', 'svc', 'master', 'ok.txt');
    expect(file.size).toBe(1000);
    const chunks: Buffer[] = [];
    for await (const chunk of file.stream()) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('x'.repeat(1000));
  });

  it('serves at most maxConcurrentReads reads at once; the others wait', async () => {
    const store = await storeWith(
      { 'a.txt': 'a'.repeat(200_000), 'b.txt': 'b\n' },
      { maxConcurrentReads: 1 },
    );
    const first = (
      await store.openFile('team-a', 'svc', 'master', 'a.txt')
    ).stream();
    const reading = first[Symbol.asyncIterator]();
    await reading.next(); // holds the only read slot
    let done = false;
    const second = store
      .readFile('team-a', 'svc', 'master', 'b.txt')
      .then(file => {
        done = true;
        return file;
      });
    await new Promise(resolve => setTimeout(resolve, 300));
    expect(done).toBe(false);
    await reading.return?.(); // the first reader goes away
    expect((await second).content.toString()).toBe('b\n');
  });

  it('resolves a short name to the branch or the tag, and refuses one that is both', async () => {
    const store = await storeWith({ 'a.txt': 'a\n' }, {});
    const { headCommit } = await store.describe('team-a', 'svc');
    expect(await store.resolveRef('team-a', 'svc', 'master')).toBe(headCommit);
    expect(await store.resolveRef('team-a', 'svc', headCommit!)).toBe(
      headCommit,
    );
    await expect(
      store.resolveRef('team-a', 'svc', headCommit!.slice(0, 8)),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
    await runGit(['tag', 'master', headCommit!], {
      gitDir: store.repositoryPath('team-a', 'svc'),
    });
    await expect(store.resolveRef('team-a', 'svc', 'master')).rejects.toThrow(
      'Ref master of team-a/svc is ambiguous: it names both a branch and a tag; use refs/heads/master or refs/tags/master',
    );
    expect(await store.resolveRef('team-a', 'svc', 'refs/tags/master')).toBe(
      headCommit,
    );
  });
});
