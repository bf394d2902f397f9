import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { hasServiceTier } from './ServiceTierCard/serviceTier';

/**
 * The Service tier card, beside About on the overview of every Component
 * that declares a tier.
 *
 * @public
 */
export const serviceTierEntityCard = EntityCardBlueprint.make({
  name: 'service-tier',
  params: {
    type: 'info',
    filter: hasServiceTier,
    loader: () =>
      import('./ServiceTierCard/ServiceTierCard').then(m => (
        <m.ServiceTierCard />
      )),
  },
});

/**
 * The suite's additions to the catalog's entity pages.
 *
 * @public
 */
export const catalogModule = createFrontendModule({
  pluginId: 'catalog',
  extensions: [serviceTierEntityCard],
});
