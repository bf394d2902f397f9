import fs from 'node:fs';
import path from 'node:path';
import {
  CatalogContext,
  Descriptor,
  formatProblem,
  minimalCatalogContext,
} from '@gitops/descriptors-common';
import { generateMonitoring, MonitoringOutput } from '../generate';
import { parseMonitoringInfo } from '../parse';
import { MonitoringInfo } from '../schema';

/** The seed example, read from the repository's examples. */
export const SEED_FILE = path.resolve(
  __dirname,
  '../../../../examples/example-app/monitoring-info.yaml',
);

/** The seed example, parsed: a descriptor with its document. */
export function loadSeed(): Descriptor<MonitoringInfo> {
  const result = parseMonitoringInfo({
    path: 'examples/example-app/monitoring-info.yaml',
    text: fs.readFileSync(SEED_FILE, 'utf8'),
  });
  if (!result.ok) throw new Error(JSON.stringify(result.problems, null, 2));
  return result;
}

/** A value built by hand, as tests and benchmarks pass it: no document. */
export function handBuilt(value: MonitoringInfo): Descriptor<MonitoringInfo> {
  return { file: 'monitoring-info.yaml', value };
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

/** The output of input the test expects to be valid; its problems otherwise. */
export function generated(
  info: Descriptor<MonitoringInfo>,
  context: CatalogContext = seedContext(),
): MonitoringOutput {
  const result = generateMonitoring(info, context);
  if (!result.ok) {
    throw new Error(result.problems.map(formatProblem).join('\n'));
  }
  return result.value;
}
