import fs from 'node:fs';
import path from 'node:path';
import { parseMonitoringInfo } from './parse';

const DIR = path.join(__dirname, '__fixtures__', 'hostile');

interface HostileCase {
  /** A fixture file, or a case too big to commit, built below. */
  file?: string;
  generate?: 'two-megabytes' | 'thousand-documents' | 'merge-chain';
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

describe('hostile monitoring-info.yaml corpus', () => {
  const cases: HostileCase[] = JSON.parse(
    fs.readFileSync(path.join(DIR, 'cases.json'), 'utf8'),
  );

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

  it('rejects every case with the expected message at the expected position', () => {
    const failures: string[] = [];
    for (const c of cases) {
      const file = c.file ? `hostile/${c.file}` : `hostile/${c.generate}.yaml`;
      const text = c.file
        ? fs.readFileSync(path.join(DIR, c.file), 'utf8')
        : generate(c.generate!);
      let result;
      try {
        result = parseMonitoringInfo({ path: file, text });
      } catch (error) {
        failures.push(`${file}: threw ${error}`);
        continue;
      }
      if (result.ok) {
        failures.push(`${file}: accepted`);
        continue;
      }
      const match = result.problems.find(
        p =>
          p.message.includes(c.message) &&
          p.line === c.line &&
          (c.column === undefined || p.column === c.column) &&
          p.file === file,
      );
      if (!match) {
        failures.push(
          `${file}: expected "${c.message}" at ${c.line}:${
            c.column ?? '*'
          }, got ${JSON.stringify(result.problems)}`,
        );
      }
    }
    expect(failures).toEqual([]);
  });
});
