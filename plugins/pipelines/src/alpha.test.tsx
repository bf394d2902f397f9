import { createExtensionTester } from '@backstage/frontend-test-utils';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import type { Entity } from '@backstage/catalog-model';
import pipelinesPlugin from './alpha';
import { component } from './__testUtils__/fixtures';

// The plugin is typed with a generic extension map, so outputs come untyped.
type EntityFilter = (entity: Entity) => boolean;

describe('pipelines plugin (new frontend system)', () => {
  it('puts the CI/CD tab at ci-cd, for components with a build-info.yaml', () => {
    const tester = createExtensionTester(
      pipelinesPlugin.getExtension('entity-content:pipelines'),
    );
    expect(tester.get(coreExtensionData.routePath)).toBe('/ci-cd');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('CI/CD');
    const filter = tester.get(
      EntityContentBlueprint.dataRefs.filterFunction,
    ) as EntityFilter;
    expect(filter(component())).toBe(true);
    expect(
      filter(component({ 'gitops.io/descriptors': 'catalog-info.yaml' })),
    ).toBe(false);
  });

  it('adds the latest-run card to the same components', () => {
    const tester = createExtensionTester(
      pipelinesPlugin.getExtension('entity-card:pipelines/latest-run'),
    );
    const filter = tester.get(
      EntityCardBlueprint.dataRefs.filterFunction,
    ) as EntityFilter;
    expect(filter(component())).toBe(true);
    expect(filter(component({ 'gitops.io/descriptors': '' }))).toBe(false);
  });

  it('provides the pipelines API', () => {
    expect(pipelinesPlugin.getExtension('api:pipelines')).toBeDefined();
  });
});
