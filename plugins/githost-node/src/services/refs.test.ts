import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readRefsFromFiles } from './refs';

/** What git itself lists, to compare with. */
function forEachRef(gitDir: string): Record<string, string> {
  const out = execFileSync(
    'git',
    ['--git-dir', gitDir, 'for-each-ref', '--format=%(objectname) %(refname)'],
    { encoding: 'utf8' },
  );
  return Object.fromEntries(
    out
      .trim()
      .split('\n')
      .filter(Boolean)
      .map(line => [line.split(' ')[1], line.split(' ')[0]]),
  );
}

describe('readRefsFromFiles', () => {
  let dir: string;
  let bare: string;
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_AUTHOR_NAME: 'Ada',
        GIT_AUTHOR_EMAIL: 'ada@example.com',
        GIT_COMMITTER_NAME: 'Ada',
        GIT_COMMITTER_EMAIL: 'ada@example.com',
      },
    }).trim();

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'refs-'));
    bare = path.join(dir, 'repo.git');
    const work = path.join(dir, 'work');
    git(dir, 'init', '--quiet', '--bare', bare);
    git(dir, 'init', '--quiet', '-b', 'main', work);
    for (const n of [1, 2, 3]) {
      fs.writeFileSync(path.join(work, 'f.txt'), `${n}\n`);
      git(work, 'add', '.');
      git(work, 'commit', '--quiet', '-m', `c${n}`);
      git(work, 'branch', `feature/deep/b${n}`);
    }
    git(work, 'tag', 'light');
    git(work, 'tag', '-a', 'annotated', '-m', 'an annotated tag');
    git(work, 'push', '--quiet', bare, '--all');
    git(work, 'push', '--quiet', bare, '--tags');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lists what git lists: loose refs, nested branches, both kinds of tags', async () => {
    const refs = await readRefsFromFiles(bare);
    expect(Object.keys(refs!)).toContain('refs/heads/feature/deep/b2');
    expect(Object.keys(refs!)).toContain('refs/tags/annotated');
    expect(refs).toEqual(forEachRef(bare));
  });

  it('reads packed refs, skipping peeled lines, with a loose ref winning over its packed line', async () => {
    git(bare, 'pack-refs', '--all');
    expect(fs.existsSync(path.join(bare, 'refs/heads/main'))).toBe(false);
    expect(await readRefsFromFiles(bare)).toEqual(forEachRef(bare));
    // Move main (a loose file now), delete a packed branch.
    git(bare, 'update-ref', 'refs/heads/main', 'refs/heads/feature/deep/b1');
    git(bare, 'update-ref', '-d', 'refs/heads/feature/deep/b2');
    const refs = await readRefsFromFiles(bare);
    expect(refs).toEqual(forEachRef(bare));
    expect(refs!['refs/heads/main']).toBe(
      git(bare, 'rev-parse', 'refs/heads/feature/deep/b1'),
    );
    expect(refs!['refs/heads/feature/deep/b2']).toBeUndefined();
  });

  it('ignores the lock file of a ref being written (the ref is still the old one)', async () => {
    const main = git(bare, 'rev-parse', 'refs/heads/main');
    fs.writeFileSync(path.join(bare, 'refs/heads/main.lock'), 'partial');
    expect((await readRefsFromFiles(bare))!['refs/heads/main']).toBe(main);
  });

  it('leaves it to git when the files cannot answer for sure', async () => {
    git(bare, 'symbolic-ref', 'refs/heads/alias', 'refs/heads/main');
    expect(await readRefsFromFiles(bare)).toBeUndefined();
    git(bare, 'symbolic-ref', '--delete', 'refs/heads/alias');
    expect(await readRefsFromFiles(bare)).toEqual(forEachRef(bare));

    fs.writeFileSync(path.join(bare, 'refs/heads/junk'), 'not a ref\n');
    expect(await readRefsFromFiles(bare)).toBeUndefined();
    fs.rmSync(path.join(bare, 'refs/heads/junk'));

    fs.mkdirSync(path.join(bare, 'reftable'));
    expect(await readRefsFromFiles(bare)).toBeUndefined();
  });
});
