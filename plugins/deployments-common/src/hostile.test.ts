import {
  DescriptorProblem,
  DescriptorSource,
} from '@gitops/descriptors-common';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  exampleSources,
  SEED_COMMIT,
  seedContext,
} from './__testUtils__/fixtures';
import { parseDeploymentInfo, parseManifests } from './parse';
import { renderDeployment } from './render';

const HOSTILE = join(__dirname, '__fixtures__', 'hostile');

interface HostileCase {
  /** Fixture `<case>.deployment-info.yaml` or `<case>.manifest.yaml`, or generated. */
  case: string;
  generate?: 'thousand-documents' | 'two-megabytes' | 'merge-chain';
  input?: { commit?: string; environment?: string; registry?: string };
  file: string;
  line: number;
  column?: number;
  message: string;
}

const cases: HostileCase[] = JSON.parse(
  readFileSync(join(HOSTILE, 'cases.json'), 'utf8'),
);

/** Files too big to commit, made when the test runs. */
function generated(kind: NonNullable<HostileCase['generate']>): string {
  switch (kind) {
    case 'thousand-documents':
      return Array.from(
        { length: 1000 },
        (_, i) =>
          `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: config-${i}\n`,
      ).join('');
    case 'two-megabytes':
      return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: "${'x'.repeat(
        2 * 1024 * 1024,
      )}"\n`;
    case 'merge-chain':
      return [
        'a0: &a0 {version: 1}',
        ...Array.from(
          { length: 9999 },
          (_, i) => `a${i + 1}: &a${i + 1} {<<: *a${i}}`,
        ),
        '',
      ].join('\n');
    default:
      throw new Error(`unknown generator ${kind}`);
  }
}

/** The case's files in place of (deployment-info) or beside (manifests) the seed's. */
function sourcesOf(c: HostileCase): {
  info: DescriptorSource;
  manifests: DescriptorSource[];
} {
  const seed = exampleSources();
  const infoFixture = join(HOSTILE, `${c.case}.deployment-info.yaml`);
  const manifestFixture = join(HOSTILE, `${c.case}.manifest.yaml`);
  let info = seed.info;
  const manifests = [...seed.manifests];
  if (c.generate) {
    const text = generated(c.generate);
    if (c.file === 'deployment-info.yaml') info = { path: c.file, text };
    else manifests.push({ path: c.file, text });
  } else if (existsSync(infoFixture)) {
    info = {
      path: 'deployment-info.yaml',
      text: readFileSync(infoFixture, 'utf8'),
    };
  } else if (existsSync(manifestFixture)) {
    manifests.push({
      path: `kubernetes/${c.case}.yaml`,
      text: readFileSync(manifestFixture, 'utf8'),
    });
  } else if (!c.input) {
    throw new Error(`case ${c.case} has no fixture`);
  }
  return { info, manifests };
}

/** What the CLI does: parse both, render when both are clean. */
function run(c: HostileCase): { ok: boolean; problems: DescriptorProblem[] } {
  const { info, manifests } = sourcesOf(c);
  const parsedInfo = parseDeploymentInfo(info);
  const parsedManifests = parseManifests(manifests);
  if (!parsedInfo.ok || !parsedManifests.ok) {
    return {
      ok: false,
      problems: [
        ...(parsedInfo.ok ? [] : parsedInfo.problems),
        ...(parsedManifests.ok ? [] : parsedManifests.problems),
      ],
    };
  }
  const rendered = renderDeployment({
    info: parsedInfo.value,
    manifests: parsedManifests.objects,
    commit: SEED_COMMIT,
    environment: 'production',
    context: seedContext(),
    ...c.input,
  });
  return rendered.ok ? { ok: true, problems: [] } : rendered;
}

describe('hostile and broken input', () => {
  it('has a corpus of at least 35 fixture files, each with a case', () => {
    const fixtures = readdirSync(HOSTILE).filter(f => f.endsWith('.yaml'));
    expect(fixtures.length).toBeGreaterThanOrEqual(35);
    const named = new Set(cases.map(c => c.case));
    for (const fixture of fixtures) {
      expect(named).toContain(
        fixture.replace(/\.(deployment-info|manifest)\.yaml$/, ''),
      );
    }
  });

  it.each(cases.map(c => [c.case, c] as const))(
    '%s: rejected with a located problem, never a throw',
    (_name, c) => {
      let result: ReturnType<typeof run> | undefined;
      expect(() => {
        result = run(c);
      }).not.toThrow();
      expect(result!.ok).toBe(false);
      expect(result!.problems).toContainEqual(
        expect.objectContaining({
          file: c.file,
          line: c.line,
          ...(c.column === undefined ? {} : { column: c.column }),
          message: expect.stringContaining(c.message),
        }),
      );
    },
  );
});
