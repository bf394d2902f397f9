import { parseYaml } from './parseYaml';
import { formatProblem } from './problems';

function problemsOf(text: string, limits = {}) {
  const result = parseYaml('build-info.yaml', text, limits);
  if (result.ok) throw new Error('expected problems, got a clean parse');
  return result.problems;
}

describe('parseYaml', () => {
  it('returns the data of a clean document', () => {
    const result = parseYaml(
      'build-info.yaml',
      'version: 2\ntemplate:\n  type: javaBackend\n',
    );
    expect(result).toMatchObject({
      ok: true,
      documents: [{ data: { version: 2, template: { type: 'javaBackend' } } }],
    });
  });

  it('keeps YAML 1.1 booleans as strings (core schema)', () => {
    const result = parseYaml('x.yaml', 'a: yes\nb: true\n');
    expect(result.ok && result.documents[0].data).toEqual({
      a: 'yes',
      b: true,
    });
  });

  it('names file, line and column of a syntax error', () => {
    const problems = problemsOf(
      'version: 2\ntemplate:\n  type: [javaBackend\n',
    );
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatchObject({ file: 'build-info.yaml', line: 4 });
    expect(formatProblem(problems[0])).toMatch(/^build-info\.yaml:\d+:\d+: /);
  });

  it('points at a mapping nested where it cannot be', () => {
    const problems = problemsOf(
      'version: 2\ntemplate:\n  type: a\n   extra: b\n',
    );
    expect(problems[0]).toMatchObject({ line: 3, column: 9 });
  });

  it('rejects duplicate keys at the second occurrence', () => {
    const problems = problemsOf('version: 2\nversion: 3\n');
    expect(problems).toEqual([
      expect.objectContaining({
        line: 2,
        column: 1,
        message: expect.stringMatching(/duplicate key/),
      }),
    ]);
  });

  it('rejects custom tags instead of dropping them', () => {
    const problems = problemsOf('version: !!js/function "x"\n');
    expect(problems[0]).toMatchObject({
      line: 1,
      column: 10,
      message: expect.stringMatching(/unsupported YAML tag/),
    });
  });

  it('stops an alias bomb', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
      '',
    ].join('\n');
    const problems = problemsOf(bomb);
    expect(problems[0].message).toMatch(/alias/);
    expect(problems[0]).toMatchObject({ line: 1, column: 1 });
  });

  it('refuses files over the size limit before parsing them', () => {
    const problems = problemsOf(`a: "${'x'.repeat(2000)}"\n`, {
      maxBytes: 1000,
    });
    expect(problems).toEqual([
      expect.objectContaining({
        line: 1,
        column: 1,
        message: expect.stringMatching(/more than the limit of 1000 bytes/),
      }),
    ]);
  });

  it('counts multi-byte characters as bytes', () => {
    // 400 characters, 1200 bytes.
    const problems = problemsOf(`a: "${'€'.repeat(400)}"\n`, {
      maxBytes: 1000,
    });
    expect(problems[0].message).toMatch(/bytes/);
  });

  it('refuses more documents than allowed, pointing at the start of the first extra one', () => {
    const problems = problemsOf('a: 1\n---\nb: 2\n---\nc: 3\n', {
      maxDocuments: 2,
    });
    expect(problems).toEqual([
      expect.objectContaining({
        line: 4,
        column: 1,
        message: expect.stringMatching(/3 YAML documents/),
      }),
    ]);
  });

  it('rejects __proto__ keys with their data path', () => {
    const problems = problemsOf(
      'template:\n  __proto__:\n    polluted: true\n',
    );
    expect(problems).toEqual([
      expect.objectContaining({
        line: 2,
        column: 3,
        path: 'template.__proto__',
      }),
    ]);
    expect(({} as any).polluted).toBeUndefined();
  });

  it('reports every problem of a file at once', () => {
    const problems = problemsOf('a: 1\na: 2\nb: !custom x\nb: 3\n');
    expect(problems.map(p => p.line)).toEqual(
      expect.arrayContaining([2, 3, 4]),
    );
  });

  it('maps data paths back to positions', () => {
    const result = parseYaml(
      'deployment-info.yaml',
      [
        'version: 1',
        'components:',
        '- componentId: example-app',
        '  tugboat:',
        '    backends:',
        '    - backend: nomad',
        '',
      ].join('\n'),
    );
    if (!result.ok) throw new Error('expected a clean parse');
    const doc = result.documents[0];
    expect(
      doc.problemAt(
        ['components', 0, 'tugboat', 'backends', 0, 'backend'],
        'unknown backend',
      ),
    ).toEqual({
      file: 'deployment-info.yaml',
      line: 6,
      column: 16,
      path: 'components[0].tugboat.backends[0].backend',
      message: 'unknown backend',
    });
    // A missing key is reported at the deepest part of the path that exists.
    expect(
      doc.problemAt(['components', 0, 'automatedCanary'], 'missing'),
    ).toMatchObject({ line: 3, column: 3 });
  });

  it('finds duplicate keys in nested maps, with their path', () => {
    const problems = problemsOf('a:\n  - b: 1\n    c: 2\n    b: 3\n');
    expect(problems).toEqual([
      expect.objectContaining({ line: 4, column: 5, path: 'a[0].b' }),
    ]);
  });

  it('counts documents from their markers, leading comments included', () => {
    const problems = problemsOf('# header\n---\na: 1\n---\nb: 2\n', {
      maxDocuments: 1,
    });
    expect(problems).toEqual([
      expect.objectContaining({
        line: 4,
        column: 1,
        message: expect.stringMatching(/2 YAML documents/),
      }),
    ]);
  });

  it('refuses too many aliases before building the data', () => {
    const refs = Array.from({ length: 150 }, (_, i) => `k${i}: *a`).join('\n');
    const problems = problemsOf(`x: &a 1\n${refs}\n`);
    expect(problems[0].message).toMatch(
      /too many alias references \(limit 100\)/,
    );
  });

  it('checks keys in linear time: a map of 5,000 keys is fine', () => {
    const text = Array.from({ length: 5000 }, (_, i) => `k${i}: v`).join('\n');
    const result = parseYaml('x.yaml', text);
    expect(
      result.ok && Object.keys(result.documents[0].data as object),
    ).toHaveLength(5000);
  });

  it('treats an empty file as one empty document', () => {
    const result = parseYaml('x.yaml', '');
    expect(result.ok).toBe(true);
  });
});
