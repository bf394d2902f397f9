import {
  DescriptorSource,
  MANIFEST_MAX_DOCUMENTS,
  parseYaml,
  problemsOf,
  Result,
} from '@gitops/descriptors-common';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  declaredCanarySource,
  exampleSources,
  SEED_COMMIT,
  seedContext,
} from './__testUtils__/fixtures';
import { KubernetesObject } from './kubernetes';
import { ManifestObject, parseDeploymentInfo, parseManifests } from './parse';
import { renderDeployment } from './render';

const HOSTILE = join(__dirname, '__fixtures__', 'hostile');

interface HostileCase {
  /**
   * Fixture `<case>.deployment-info.yaml`, `<case>.manifest.yaml` or both,
   * or generated.
   */
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

/**
 * The case's files in place of (deployment-info) or beside (manifests) the
 * corpus's seed: examples/example-app with its canary Service declared by
 * hand in kubernetes/service.yaml, as the corpus was first written (the
 * messages it pins name it).
 */
function sourcesOf(c: HostileCase): {
  info: DescriptorSource;
  manifests: DescriptorSource[];
} {
  const seed = exampleSources();
  const infoFixture = join(HOSTILE, `${c.case}.deployment-info.yaml`);
  const manifestFixture = join(HOSTILE, `${c.case}.manifest.yaml`);
  let info = seed.info;
  // The canary Service where the seed first declared it, after the stable one.
  const manifests = seed.manifests.map(m =>
    m.path === 'kubernetes/service.yaml'
      ? { ...m, text: `${m.text}---\n${declaredCanarySource().text}` }
      : m,
  );
  if (c.generate) {
    const text = generated(c.generate);
    if (c.file === 'deployment-info.yaml') info = { path: c.file, text };
    else manifests.push({ path: c.file, text });
    return { info, manifests };
  }
  if (existsSync(infoFixture)) {
    info = {
      path: 'deployment-info.yaml',
      text: readFileSync(infoFixture, 'utf8'),
    };
  }
  if (existsSync(manifestFixture)) {
    manifests.push({
      path: `kubernetes/${c.case}.yaml`,
      text: readFileSync(manifestFixture, 'utf8'),
    });
  }
  if (!existsSync(infoFixture) && !existsSync(manifestFixture) && !c.input) {
    throw new Error(`case ${c.case} has no fixture`);
  }
  return { info, manifests };
}

const renderOptions = (c: HostileCase) => ({
  commit: SEED_COMMIT,
  environment: 'production',
  context: seedContext(),
  ...c.input,
});

/** What the CLI does: parse both, render when both are clean. */
function run(c: HostileCase): Result<KubernetesObject[]> {
  const { info, manifests } = sourcesOf(c);
  const parsedInfo = parseDeploymentInfo(info);
  const parsedManifests = parseManifests(manifests);
  if (!parsedInfo.ok || !parsedManifests.ok) {
    return { ok: false, problems: problemsOf(parsedInfo, parsedManifests) };
  }
  return renderDeployment({
    info: parsedInfo,
    manifests: parsedManifests.value,
    ...renderOptions(c),
  });
}

/**
 * What a caller that skips parseManifests does: the fixture's YAML
 * documents handed to renderDeployment as they are, unchecked. Undefined
 * when the fixture is no manifest, or its YAML itself is refused (there is
 * no object to hand over).
 */
function renderUnchecked(
  c: HostileCase,
): Result<KubernetesObject[]> | undefined {
  const { info, manifests } = sourcesOf(c);
  const fixture = manifests.find(m => m.path === c.file);
  const parsedInfo = parseDeploymentInfo(info);
  if (!fixture || !parsedInfo.ok) return undefined;
  const yaml = parseYaml(fixture.path, fixture.text, {
    maxDocuments: MANIFEST_MAX_DOCUMENTS,
  });
  const others = parseManifests(manifests.filter(m => m !== fixture));
  if (!yaml.ok || !others.ok) return undefined;
  const unchecked: ManifestObject[] = yaml.documents.flatMap(
    (document, index) =>
      document.data === null || document.data === undefined
        ? []
        : [
            {
              file: fixture.path,
              index,
              document,
              object: document.data as KubernetesObject,
            },
          ],
  );
  return renderDeployment({
    info: parsedInfo,
    manifests: [...others.value, ...unchecked],
    ...renderOptions(c),
  });
}

const pinned = (c: HostileCase) =>
  expect.objectContaining({
    file: c.file,
    line: c.line,
    ...(c.column === undefined ? {} : { column: c.column }),
    message: expect.stringContaining(c.message),
  });

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
      let result: Result<KubernetesObject[]> | undefined;
      expect(() => {
        result = run(c);
      }).not.toThrow();
      expect(result!.ok).toBe(false);
      expect(result!.ok ? [] : result!.problems).toContainEqual(pinned(c));
    },
  );

  // Fixtures whose YAML itself is refused hold no object to hand over.
  const unchecked = cases.filter(
    c =>
      c.file.startsWith('kubernetes/') &&
      !c.generate &&
      parseYaml(
        c.file,
        readFileSync(join(HOSTILE, `${c.case}.manifest.yaml`), 'utf8'),
        {
          maxDocuments: MANIFEST_MAX_DOCUMENTS,
        },
      ).ok,
  );

  it('hands most manifest fixtures to renderDeployment unchecked', () => {
    expect(unchecked.length).toBeGreaterThanOrEqual(15);
  });

  it.each(unchecked.map(c => [c.case, c] as const))(
    '%s: handed to renderDeployment without parseManifests, refused at the same place',
    (_name, c) => {
      let result: Result<KubernetesObject[]> | undefined;
      expect(() => {
        result = renderUnchecked(c);
      }).not.toThrow();
      expect(result).toBeDefined();
      expect(result!.ok ? [] : result!.problems).toContainEqual(pinned(c));
    },
  );
});
