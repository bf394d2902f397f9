import fs from 'node:fs';
import path from 'node:path';
import {
  CatalogContext,
  DescriptorProblem,
  Result,
  toYaml,
} from '@gitops/descriptors-common';
import { handBuilt, SEED_FILE, seedContext } from './__fixtures__/seed';
import { generateMonitoring } from './generate';
import { parseMonitoringInfo } from './parse';
import { MonitoringInfo } from './schema';

const DIR = path.join(__dirname, '__fixtures__', 'hostile');

interface HostileCase {
  /** A fixture file, or a case too big to commit, built below. */
  file?: string;
  generate?: 'two-megabytes' | 'thousand-documents' | 'merge-chain';
  /** A case without a file: the seed with this catalog context, or a hand-built value. */
  case?: string;
  context?: Partial<CatalogContext['component']>;
  info?: MonitoringInfo;
  /** The problem's file, when it is not the fixture's. */
  problemFile?: string;
  /** The problem's data path, when the case pins it. */
  path?: string;
  message: string;
  line: number;
  column?: number;
}

const VALID_HEAD = 'metadata:\n  schemaVersion: 5\n';

function generate(kind: NonNullable<HostileCase['generate']>): string {
  switch (kind) {
    case 'two-megabytes':
      return `${VALID_HEAD}# ${'x'.repeat(2 * 1024 * 1024)}\n`;
    case 'thousand-documents':
      return `a: 1\n${'---\nb: 2\n'.repeat(999)}`;
    case 'merge-chain':
      return [
        `${VALID_HEAD}a0: &a0 {v: 0}`,
        ...Array.from(
          { length: 10_000 },
          (_, i) => `a${i + 1}: &a${i + 1} {<<: *a${i}}`,
        ),
        '',
      ].join('\n');
    default:
      throw new Error(`unknown generated case ${kind}`);
  }
}

const cases: HostileCase[] = JSON.parse(
  fs.readFileSync(path.join(DIR, 'cases.json'), 'utf8'),
);

const nameOf = (c: HostileCase) => c.file ?? c.case ?? `${c.generate}.yaml`;

/** The file a case reads: its fixture, a generated one, or the seed. */
function sourceOf(c: HostileCase): { path: string; text: string } {
  if (c.file) {
    return {
      path: `hostile/${c.file}`,
      text: fs.readFileSync(path.join(DIR, c.file), 'utf8'),
    };
  }
  if (c.generate) {
    return { path: `hostile/${c.generate}.yaml`, text: generate(c.generate) };
  }
  return {
    path: 'monitoring-info.yaml',
    text: fs.readFileSync(SEED_FILE, 'utf8'),
  };
}

/**
 * What the CLI and the action do: parse, then generate when the file is
 * clean. A hand-built value goes to the generator as it is.
 */
function run(c: HostileCase): Result<unknown> {
  const context = seedContext(c.context);
  if (c.info) return generateMonitoring(handBuilt(c.info), context);
  const parsed = parseMonitoringInfo(sourceOf(c));
  return parsed.ok ? generateMonitoring(parsed, context) : parsed;
}

describe('hostile monitoring-info.yaml corpus', () => {
  it('lists every fixture file, at least 40 of them, none over 100 KB', () => {
    const files = fs.readdirSync(DIR).filter(f => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(40);
    expect(files.sort()).toEqual(
      cases.flatMap(c => (c.file ? [c.file] : [])).sort(),
    );
    for (const file of files) {
      expect(fs.statSync(path.join(DIR, file)).size).toBeLessThan(100_000);
    }
  });

  it.each(cases.map(c => [nameOf(c), c] as const))(
    '%s: parse and generate answer with a located problem, never a throw',
    (_name, c) => {
      let result: ReturnType<typeof run> | undefined;
      expect(() => {
        result = run(c);
      }).not.toThrow();
      expect(result!.ok).toBe(false);
      const problems: DescriptorProblem[] = result!.ok ? [] : result!.problems;
      expect(problems).toContainEqual(
        expect.objectContaining({
          file: c.problemFile ?? sourceOf(c).path,
          line: c.line,
          message: expect.stringContaining(c.message),
          ...(c.column === undefined ? {} : { column: c.column }),
          ...(c.path === undefined ? {} : { path: c.path }),
        }),
      );
    },
  );

  it.each(cases.flatMap(c => (c.info ? [[nameOf(c), c] as const] : [])))(
    '%s: the schema refuses the same value, with the same message, when it is read from a file',
    (_name, c) => {
      const parsed = parseMonitoringInfo({
        path: 'monitoring-info.yaml',
        text: toYaml(c.info),
      });
      expect(parsed.ok).toBe(false);
      expect(!parsed.ok && parsed.problems).toContainEqual(
        expect.objectContaining({
          path: c.path,
          message: expect.stringContaining(c.message),
        }),
      );
    },
  );
});
