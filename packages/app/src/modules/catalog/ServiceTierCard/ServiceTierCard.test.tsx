import { screen } from '@testing-library/react';
import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import type { Entity } from '@backstage/catalog-model';
import { serviceTierEntityCard } from '../catalogModule';
import { ServiceTierCard } from './ServiceTierCard';
import { hasServiceTier, serviceTierView } from './serviceTier';

const component = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'example-app', annotations },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
});

const exampleApp = component({
  'spotify.com/service-tier': '4',
  'gitops.io/build-template': 'javaBackend',
  'gitops.io/deploy-backends': 'kubernetes',
  'gitops.io/automated-canary': 'true',
  'gitops.io/dashboards': '1',
});

describe('ServiceTierCard', () => {
  it('shows the tier and the descriptor files', async () => {
    await renderInTestApp(
      <EntityProvider entity={exampleApp}>
        <ServiceTierCard />
      </EntityProvider>,
    );
    expect(await screen.findByText('4: Low criticality')).toBeInTheDocument();
    expect(
      screen.getByText('from the spotify.com/service-tier annotation'),
    ).toBeInTheDocument();
    const files = screen.getByRole('list', { name: 'Descriptor files' });
    expect([...files.querySelectorAll('li')].map(li => li.textContent)).toEqual(
      [
        'build-info.yaml: javaBackend template',
        'deployment-info.yaml: kubernetes, automated canary',
        'monitoring-info.yaml: 1 dashboard',
      ],
    );
  });

  it('says when the declared tier is not one', async () => {
    await renderInTestApp(
      <EntityProvider entity={component({ 'gitops.io/service-tier': '5' })}>
        <ServiceTierCard />
      </EntityProvider>,
    );
    expect(
      await screen.findByText('"5" is not a service tier (1 to 4)'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('list')).not.toBeInTheDocument();
  });

  it('is installed for Components that declare a tier', () => {
    const filter = createExtensionTester(serviceTierEntityCard).get(
      EntityCardBlueprint.dataRefs.filterFunction,
    )!;
    expect(filter(exampleApp)).toBe(true);
    expect(filter(component({}))).toBe(false);
    expect(filter({ ...exampleApp, kind: 'API' })).toBe(false);
  });
});

describe('serviceTierView', () => {
  it('prefers the suite annotation, as the generators do', () => {
    expect(
      serviceTierView(
        component({
          'gitops.io/service-tier': '1',
          'spotify.com/service-tier': '4',
        }),
      ),
    ).toEqual({
      tier: { valid: true, value: 1, label: '1: Critical' },
      source: 'gitops.io/service-tier',
      descriptors: [],
    });
  });

  it('names custom pipelines and several dashboards', () => {
    expect(
      serviceTierView(
        component({
          'spotify.com/service-tier': '2',
          'gitops.io/build-template': 'custom',
          'gitops.io/dashboards': '3',
        }),
      )?.descriptors,
    ).toEqual([
      { file: 'build-info.yaml', summary: 'custom pipelines' },
      { file: 'monitoring-info.yaml', summary: '3 dashboards' },
    ]);
  });

  it('is absent without a tier annotation', () => {
    expect(hasServiceTier(component({ 'gitops.io/dashboards': '1' }))).toBe(
      false,
    );
    expect(serviceTierView(component({}))).toBeUndefined();
  });
});
