import {
  CatalogContext,
  Descriptor,
  DescriptorSource,
} from '@gitops/descriptors-common';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ManifestObject, parseDeploymentInfo, parseManifests } from '../parse';
import { DeploymentInfo } from '../schema';

/** The seed's example service, read from disk as the CLI would. */
export const EXAMPLE_APP = resolve(
  __dirname,
  '../../../../examples/example-app',
);

export const SEED_COMMIT = '439ac5d0c1b2a3f4e5d6c7b8a9f0e1d2c3b4a5f6';

export function readSource(root: string, path: string): DescriptorSource {
  return { path, text: readFileSync(join(root, path), 'utf8') };
}

export function exampleSources(): {
  info: DescriptorSource;
  manifests: DescriptorSource[];
} {
  return {
    info: readSource(EXAMPLE_APP, 'deployment-info.yaml'),
    manifests: readdirSync(join(EXAMPLE_APP, 'kubernetes'))
      .filter(f => /\.ya?ml$/.test(f))
      .sort()
      .map(f => readSource(EXAMPLE_APP, `kubernetes/${f}`)),
  };
}

/**
 * The seed's canary Service declared by hand (src/__fixtures__), as
 * `kubernetes/service-canary.yaml`: the declared path of the canary.
 */
export function declaredCanarySource(): DescriptorSource {
  return {
    path: 'kubernetes/service-canary.yaml',
    text: readFileSync(
      resolve(__dirname, '../__fixtures__/declared-canary.yaml'),
      'utf8',
    ),
  };
}

/** The seed's catalog context: team-a, tier 4, metadata-system, its database. */
export function seedContext(tier: 1 | 2 | 3 | 4 = 4): CatalogContext {
  return {
    component: {
      name: 'example-app',
      namespace: 'default',
      owner: 'team-a',
      system: 'metadata-system',
      lifecycle: 'production',
      type: 'service',
      tier,
    },
    dependsOn: [
      {
        name: 'example-app-db',
        type: 'database',
        engine: 'POSTGRES_14',
        region: 'europe-west1',
        sourceKind: 'SQLInstance',
      },
    ],
    apiConsumers: ['component:default/www-artist'],
  };
}

/** Parses sources that the test expects to be clean. */
export function parseClean(
  info: DescriptorSource,
  manifests: DescriptorSource[],
): { info: Descriptor<DeploymentInfo>; manifests: ManifestObject[] } {
  const parsedInfo = parseDeploymentInfo(info);
  const parsedManifests = parseManifests(manifests);
  if (!parsedInfo.ok) {
    throw new Error(
      `unexpected problems: ${JSON.stringify(parsedInfo.problems)}`,
    );
  }
  if (!parsedManifests.ok) {
    throw new Error(
      `unexpected problems: ${JSON.stringify(parsedManifests.problems)}`,
    );
  }
  return { info: parsedInfo, manifests: parsedManifests.value };
}
