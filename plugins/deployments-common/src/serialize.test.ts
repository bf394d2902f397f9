import { MANIFEST_MAX_DOCUMENTS, parseYaml } from '@gitops/descriptors-common';
import {
  exampleSources,
  parseClean,
  SEED_COMMIT,
  seedContext,
} from './__testUtils__/fixtures';
import { renderDeployment } from './render';
import { deploymentFiles } from './serialize';

describe('deploymentFiles', () => {
  const sources = exampleSources();
  const result = renderDeployment({
    ...parseClean(sources.info, sources.manifests),
    commit: SEED_COMMIT,
    environment: 'production',
    context: seedContext(),
  });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  const objects = result.value;

  it('writes every object into objects.yaml, a stream that reads back as the objects in apply order', () => {
    const files = deploymentFiles(objects);
    expect(files.map(f => f.path)).toEqual(['objects.yaml']);
    const parsed = parseYaml(files[0].path, files[0].content, {
      maxDocuments: MANIFEST_MAX_DOCUMENTS,
    });
    const documents = parsed.ok ? parsed.documents.map(d => d.data) : parsed;
    expect(documents).toEqual(objects);
    expect(objects.map(o => o.kind)).toEqual([
      'Namespace',
      'IAMPartialPolicy',
      'SQLInstance',
      'Service',
      'Service',
      'AnalysisTemplate',
      'Rollout',
    ]);
  });

  it('keeps PromQL on one line and strings that look like numbers quoted', () => {
    const { content } = deploymentFiles(objects)[0];
    expect(content).toMatch(
      /^ +query: sum\(rate\(grpc_server_handled_total\{.*\}\[2m\]\)\)$/m,
    );
    expect(content).toContain('gitops.io/service-tier: "4"');
  });

  it('is byte-identical for the same objects', () => {
    expect(deploymentFiles(objects)).toEqual(deploymentFiles([...objects]));
  });
});
