import { GLOB_LIMITS, compileGlob, hasGlob, splitStaticPrefix } from './glob';

/** File paths of a repository, dot files and odd names included. */
const PATHS = [
  'catalog-info.yaml',
  'kubernetes/deployment.yaml',
  'kubernetes/service.yaml',
  'kubernetes/nested/x.yaml',
  'docs/index.md',
  '.github/workflows/ci.yaml',
  '.hidden.yaml',
  'a/.b/c.yaml',
  'src/app.test.ts',
  'src/app.ts',
  'README.md',
  'readme.md',
  'file1.txt',
  'file2.txt',
  'filea.txt',
  'x{a}.txt',
  'we ird[1].yaml',
  'a',
  'a/b',
  'a/b/c/d.yaml',
];

/**
 * What Backstage's GitHub reader answers for each pattern: computed once with
 * `minimatch` (v10, default options, as `GithubUrlReader.search` calls it)
 * over PATHS and pinned here, so the matcher keeps GitHub's results.
 */
const MINIMATCH: Array<[string, string[]]> = [
  ['*.yaml', ['catalog-info.yaml', 'we ird[1].yaml']],
  [
    '**/*.yaml',
    [
      'catalog-info.yaml',
      'kubernetes/deployment.yaml',
      'kubernetes/service.yaml',
      'kubernetes/nested/x.yaml',
      'we ird[1].yaml',
      'a/b/c/d.yaml',
    ],
  ],
  [
    'kubernetes/*.yaml',
    ['kubernetes/deployment.yaml', 'kubernetes/service.yaml'],
  ],
  [
    'kubernetes/**',
    [
      'kubernetes/deployment.yaml',
      'kubernetes/service.yaml',
      'kubernetes/nested/x.yaml',
    ],
  ],
  [
    '**',
    [
      'catalog-info.yaml',
      'kubernetes/deployment.yaml',
      'kubernetes/service.yaml',
      'kubernetes/nested/x.yaml',
      'docs/index.md',
      'src/app.test.ts',
      'src/app.ts',
      'README.md',
      'readme.md',
      'file1.txt',
      'file2.txt',
      'filea.txt',
      'x{a}.txt',
      'we ird[1].yaml',
      'a',
      'a/b',
      'a/b/c/d.yaml',
    ],
  ],
  [
    '*',
    [
      'catalog-info.yaml',
      'README.md',
      'readme.md',
      'file1.txt',
      'file2.txt',
      'filea.txt',
      'x{a}.txt',
      'we ird[1].yaml',
      'a',
    ],
  ],
  [
    '**/*',
    [
      'catalog-info.yaml',
      'kubernetes/deployment.yaml',
      'kubernetes/service.yaml',
      'kubernetes/nested/x.yaml',
      'docs/index.md',
      'src/app.test.ts',
      'src/app.ts',
      'README.md',
      'readme.md',
      'file1.txt',
      'file2.txt',
      'filea.txt',
      'x{a}.txt',
      'we ird[1].yaml',
      'a',
      'a/b',
      'a/b/c/d.yaml',
    ],
  ],
  [
    '{catalog-info,docs/index}.{yaml,md}',
    ['catalog-info.yaml', 'docs/index.md'],
  ],
  ['src/*.{ts,tsx}', ['src/app.test.ts', 'src/app.ts']],
  ['src/**/*.test.ts', ['src/app.test.ts']],
  ['file[0-9].txt', ['file1.txt', 'file2.txt']],
  ['file[!0-9].txt', ['filea.txt']],
  ['file?.txt', ['file1.txt', 'file2.txt', 'filea.txt']],
  ['[Rr]EADME.md', ['README.md']],
  ['.github/**/*.yaml', ['.github/workflows/ci.yaml']],
  ['**/.github/**', ['.github/workflows/ci.yaml']],
  ['.*', ['.hidden.yaml']],
  [
    '*/**/*.yaml',
    [
      'kubernetes/deployment.yaml',
      'kubernetes/service.yaml',
      'kubernetes/nested/x.yaml',
      'a/b/c/d.yaml',
    ],
  ],
  ['x{a}.txt', ['x{a}.txt']],
  ['we ird\\[1\\].yaml', ['we ird[1].yaml']],
  ['a/**', ['a/b', 'a/b/c/d.yaml']],
  ['a/**/d.yaml', ['a/b/c/d.yaml']],
  ['**/c/*', ['a/b/c/d.yaml']],
  ['{a,b}/{b,c}', ['a/b']],
  ['*.{yaml}', []],
  ['docs/*.m?', ['docs/index.md']],
  ['k*/d*.yaml', ['kubernetes/deployment.yaml']],
];

function matcher(pattern: string) {
  const compiled = compileGlob(pattern);
  if (!compiled.ok) throw new Error(compiled.reason);
  return compiled.match;
}

describe('compileGlob', () => {
  it.each(MINIMATCH)(
    '%s matches what minimatch matches',
    (pattern, expected) => {
      const match = matcher(pattern);
      expect(PATHS.filter(p => match(p))).toEqual(expected);
    },
  );

  it('answers the ReDoS pattern of issue 10 in bounded time', () => {
    // This pattern over a long file name froze the backend for 8.8 s with the
    // old RegExp matcher (21 s with minimatch). The two-pointer matcher does
    // it in well under a millisecond; the bound is generous (a shared CI
    // machine) but three orders of magnitude below the old time.
    const name = `${'a'.repeat(250)}b`;
    const deep = Array(60).fill('a'.repeat(200)).join('/');
    const start = performance.now();
    expect(matcher('*a*a*a*a*a*a*a*a*a*ac')(name)).toBe(false);
    expect(matcher(`${'*a'.repeat(200)}c`)(name)).toBe(false);
    expect(matcher(`${'**/'.repeat(30)}*a*a*a*a*a*a*a*a*a*ac`)(deep)).toBe(
      false,
    );
    expect(matcher('*a*a*a*a*a*a*a*a*a*ab')(name)).toBe(true);
    expect(performance.now() - start).toBeLessThan(100);
  });

  it('refuses patterns beyond its limits, with the reason, before matching', () => {
    expect(compileGlob('a'.repeat(GLOB_LIMITS.maxPatternLength + 1))).toEqual({
      ok: false,
      reason:
        'Glob pattern is 1025 characters long, more than the 1024 allowed',
    });
    expect(compileGlob('{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}')).toEqual({
      ok: false,
      reason: 'Glob pattern expands to more than 64 alternatives',
    });
    expect(compileGlob(Array(65).fill('*').join('/'))).toEqual({
      ok: false,
      reason: 'Glob pattern has more than 64 path segments',
    });
    expect(compileGlob('!*.yaml')).toMatchObject({ ok: false });
    expect(compileGlob('+(a|b).yaml')).toMatchObject({ ok: false });
  });

  it('tells globs from exact paths and splits off the literal folder', () => {
    expect(hasGlob('kubernetes/deployment.yaml')).toBe(false);
    expect(hasGlob('kubernetes/*.yaml')).toBe(true);
    expect(hasGlob('file[12].txt')).toBe(true);
    expect(splitStaticPrefix('kubernetes/base/**/*.yaml')).toEqual({
      prefix: 'kubernetes/base',
      rest: '**/*.yaml',
    });
  });
});
