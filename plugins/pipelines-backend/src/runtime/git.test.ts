import fs from 'node:fs';
import path from 'node:path';
import { cleanupTempDirs, createGitClient, tempDir } from '@gitops/test-utils';
import { lsRemote } from './git';

afterAll(() => cleanupTempDirs());

describe('lsRemote', () => {
  const { run } = createGitClient();

  async function repository() {
    const bare = path.join(tempDir(), 'svc.git');
    await run(['init', '--bare', '--initial-branch=main', bare]);
    const work = tempDir();
    await run(['clone', bare, work]);
    fs.writeFileSync(path.join(work, 'a.txt'), 'a\n');
    await run(['-C', work, 'add', '.']);
    await run(['-C', work, 'commit', '-m', 'first']);
    await run(['-C', work, 'push', 'origin', 'main']);
    await run(['-C', work, 'checkout', '-b', 'feature/x']);
    fs.writeFileSync(path.join(work, 'b.txt'), 'b\n');
    await run(['-C', work, 'add', '.']);
    await run(['-C', work, 'commit', '-m', 'second']);
    await run(['-C', work, 'push', 'origin', 'feature/x']);
    const sha = async (ref: string) =>
      (await run(['-C', work, 'rev-parse', ref])).stdout.trim();
    return { bare, main: await sha('main'), feature: await sha('feature/x') };
  }

  it('resolves the default branch and a named branch from the remote', async () => {
    const repo = await repository();
    expect(await lsRemote(repo.bare)).toEqual({
      ref: 'main',
      sha: repo.main,
      defaultBranch: 'main',
    });
    expect(await lsRemote(repo.bare, 'feature/x')).toEqual({
      ref: 'feature/x',
      sha: repo.feature,
      defaultBranch: 'main',
    });
  });

  it('names what is missing or malformed', async () => {
    const repo = await repository();
    await expect(lsRemote(repo.bare, 'nope')).rejects.toThrow(
      /has no branch "nope"/,
    );
    await expect(
      lsRemote(repo.bare, '--upload-pack=touch /tmp/x'),
    ).rejects.toThrow(/is not a branch name/);
    await expect(lsRemote(path.join(tempDir(), 'missing.git'))).rejects.toThrow(
      /git ls-remote .*missing.git failed/,
    );
  });
});
