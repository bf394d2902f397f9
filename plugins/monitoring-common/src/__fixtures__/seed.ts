import fs from 'node:fs';
import path from 'node:path';
import { CatalogContext, minimalCatalogContext } from '@gitops/descriptors-common';
import { parseMonitoringInfo } from '../parse';
import { MonitoringInfo } from '../schema';

/** The seed example, read from the repository's examples. */
export const SEED_FILE = path.resolve(
  __dirname,
  '../../../../examples/example-app/monitoring-info.yaml',
);

export function loadSeed(): MonitoringInfo {
  const result = parseMonitoringInfo({
    path: 'examples/example-app/monitoring-info.yaml',
    text: fs.readFileSync(SEED_FILE, 'utf8'),
  });
  if (!result.ok) throw new Error(JSON.stringify(result.problems, null, 2));
  return result.value;
}

/** The seed's catalog context: team-a, tier 4, one PostgreSQL database. */
export function seedContext(
  component: Partial<CatalogContext['component']> = {},
  dependsOn: CatalogContext['dependsOn'] = [
    { name: 'example-app-db', type: 'database', engine: 'POSTGRES_14' },
  ],
): CatalogContext {
  return {
    ...minimalCatalogContext('example-app', {
      owner: 'team-a',
      tier: 4,
      system: 'metadata-system',
      ...component,
    }),
    dependsOn,
  };
}
