import fs from 'node:fs';
import path from 'node:path';
import {
  DescriptorProblem,
  formatProblem,
  minimalCatalogContext,
  Result,
} from '@gitops/descriptors-common';
import { BuildInfo, parseBuildInfo } from './buildInfo';
import { expandBuildInfo } from './expand';
import { Pipeline } from './model';

/**
 * The hostile corpus: every broken or malicious build-info.yaml gets a
 * clear problem at the right position, from the parser or, for files that
 * parse (`reportedBy: expandBuildInfo`), from the expansion; never an
 * exception or output.
 */
const dir = path.join(__dirname, '__fixtures__/hostile');

interface Case {
  message: string;
  line: number;
  column?: number;
  reportedBy?: 'expandBuildInfo';
}

const cases: Record<string, Case> = JSON.parse(
  fs.readFileSync(path.join(dir, 'cases.json'), 'utf8'),
);

/** What a repository's pipeline goes through: parse, then expand. */
function parseAndExpand(text: string): {
  parsed: boolean;
  result: Result<Pipeline>;
} {
  const parsed = parseBuildInfo({ path: 'build-info.yaml', text });
  if (!parsed.ok) return { parsed: false, result: parsed };
  return {
    parsed: true,
    result: expandBuildInfo(parsed, minimalCatalogContext('example-app')),
  };
}

function expectProblem(text: string, expected: Case) {
  const { parsed, result } = parseAndExpand(text);
  expect(parsed).toBe(expected.reportedBy === 'expandBuildInfo');
  expect(result.ok).toBe(false);
  const problems: DescriptorProblem[] = result.ok ? [] : result.problems;
  expect(problems).toContainEqual(
    expect.objectContaining({
      file: 'build-info.yaml',
      line: expected.line,
      ...(expected.column ? { column: expected.column } : {}),
      message: expect.stringContaining(expected.message),
    }),
  );
  // Each problem once, even when the schema and a refinement both see it.
  expect(new Set(problems.map(formatProblem)).size).toBe(problems.length);
}

describe('hostile build-info.yaml corpus', () => {
  it('covers every fixture file', () => {
    const files = fs.readdirSync(dir).filter(f => f.endsWith('.yaml'));
    expect(new Set(files)).toEqual(new Set(Object.keys(cases)));
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
    const { result } = parseAndExpand(text);
    expect(
      result.ok && result.value.pipelines[0].stages[0].tasks[0].steps[0].args,
    ).toEqual(['a; rm -rf /', '$(id)', '`whoami`', 'x | y > z']);
  });
});

describe('expandBuildInfo on hand-built values', () => {
  // Values that never met the schema (tests, the benchmark, a backend that
  // builds one): the parser's rules are checked again, at line 1 column 1.
  const expand = (value: unknown) =>
    expandBuildInfo(
      { file: 'build-info.yaml', value: value as BuildInfo },
      minimalCatalogContext('example-app'),
    );

  it.each([
    [
      'template options that fail the template',
      {
        version: 2,
        template: { type: 'javaBackend', javaBackend: { javaVersion: 9 } },
      },
      'template.javaBackend.javaVersion',
      'must be one of 11, 17, 21, 25',
    ],
    [
      'an unknown option',
      {
        version: 2,
        template: { type: 'nodeService', nodeService: { gradle: true } },
      },
      'template.nodeService.gradle',
      'unknown option "gradle" of template "nodeService"',
    ],
    [
      'options that are not a map',
      { version: 2, template: { type: 'nextjs', nextjs: 'fast' } },
      'template.nextjs',
      'expected object',
    ],
    [
      'an unknown template',
      { version: 2, template: { type: 'rustBackend' } },
      'template.type',
      'unknown build template "rustBackend"',
    ],
    [
      'options under the wrong key',
      { version: 2, template: { type: 'javaBackend', java: {} } },
      'template.java',
      'options of template "javaBackend" go under "javaBackend"',
    ],
    ['no template and no pipelines', { version: 2 }, '', 'needs a "template"'],
    [
      'extend beside full pipelines',
      {
        version: 2,
        pipelines: [
          {
            pipeline: 'x',
            ref: 'main',
            stages: [
              { stage: 's', tasks: [{ task: 't', steps: [{ action: 'a' }] }] },
            ],
          },
        ],
        extend: {},
      },
      'extend',
      '"extend" changes a template',
    ],
  ])('reports %s as a problem', (_, value, at, message) => {
    const result = expand(value);
    expect(result).toEqual({
      ok: false,
      problems: [
        expect.objectContaining({
          file: 'build-info.yaml',
          line: 1,
          column: 1,
          path: at,
          message: expect.stringContaining(message),
        }),
      ],
    });
  });
});
