import fs from 'node:fs';
import path from 'node:path';
import { parseBuildInfo } from './buildInfo';

/**
 * The hostile corpus: every broken or malicious build-info.yaml gets a
 * clear problem at the right position, and never an exception or output.
 */
const dir = path.join(__dirname, '__fixtures__/hostile');
const cases: Record<
  string,
  { message: string; line: number; column?: number }
> = JSON.parse(fs.readFileSync(path.join(dir, 'cases.json'), 'utf8'));

function expectProblem(
  text: string,
  expected: { message: string; line: number; column?: number },
) {
  const result = parseBuildInfo({ path: 'build-info.yaml', text });
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.problems).toContainEqual(
    expect.objectContaining({
      file: 'build-info.yaml',
      line: expected.line,
      ...(expected.column ? { column: expected.column } : {}),
      message: expect.stringContaining(expected.message),
    }),
  );
}

describe('hostile build-info.yaml corpus', () => {
  it('covers every fixture file', () => {
    const files = fs.readdirSync(dir).filter(f => f.endsWith('.yaml'));
    expect(files.sort()).toEqual(Object.keys(cases).sort());
    expect(files.length).toBeGreaterThanOrEqual(40);
  });

  it.each(Object.entries(cases))('%s', (file, expected) => {
    expectProblem(fs.readFileSync(path.join(dir, file), 'utf8'), expected);
  });

  it('stops an alias bomb', () => {
    const lines = ['version: 2', 'a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) {
      lines.push(
        `${'abcdefgh'[i]}: &${'abcdefgh'[i]} [${Array(10)
          .fill(`*${'abcdefgh'[i - 1]}`)
          .join(', ')}]`,
      );
    }
    expectProblem(`${lines.join('\n')}\n`, {
      message: 'too many alias references',
      line: 1,
    });
  });

  it('refuses a 5 MB file', () => {
    const text = `version: 2\ntemplate:\n  type: javaBackend\n# ${'x'.repeat(
      5 * 1024 * 1024,
    )}\n`;
    expectProblem(text, {
      message: 'more than the limit of 65536 bytes',
      line: 1,
      column: 1,
    });
  });

  it('refuses a 1,000-document file', () => {
    const text = Array(1000).fill('version: 2\n').join('---\n');
    expectProblem(text, { message: '1000 YAML documents', line: 2, column: 1 });
  });

  it('refuses a 10,000-entry merge chain by its size, before parsing it', () => {
    const lines = ['version: 2', 'a0: &a0 {type: javaBackend}'];
    for (let i = 1; i < 10000; i++)
      lines.push(`a${i}: &a${i} {<<: *a${i - 1}}`);
    lines.push('template: *a9999');
    expectProblem(`${lines.join('\n')}\n`, {
      message: 'more than the limit of 65536 bytes',
      line: 1,
      column: 1,
    });
  });

  it('refuses a 1,000-entry merge chain by its alias count', () => {
    const lines = ['version: 2', 'a0: &a0 {type: javaBackend}'];
    for (let i = 1; i < 1000; i++) lines.push(`a${i}: &a${i} {<<: *a${i - 1}}`);
    lines.push('template: *a999');
    // Merge keys are not YAML 1.2: the aliases count against the limit.
    expectProblem(`${lines.join('\n')}\n`, {
      message: 'too many alias references',
      line: 1,
    });
  });

  it('keeps shell metacharacters in args verbatim, as one argument each', () => {
    const text = [
      'version: 2',
      'pipelines:',
      '- pipeline: x',
      '  ref: master',
      '  stages:',
      '  - stage: s',
      '    tasks:',
      '    - task: t',
      '      steps:',
      '      - action: alpine:3',
      '        args: ["a; rm -rf /", "$(id)", "`whoami`", "x | y > z"]',
      '',
    ].join('\n');
    const result = parseBuildInfo({ path: 'build-info.yaml', text });
    expect(
      result.ok && result.value.pipelines![0].stages[0].tasks[0].steps[0].args,
    ).toEqual(['a; rm -rf /', '$(id)', '`whoami`', 'x | y > z']);
  });
});
