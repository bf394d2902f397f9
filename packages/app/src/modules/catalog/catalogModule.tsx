import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { hasServiceTier } from './ServiceTierCard/serviceTier';
import { DEFAULT_BOUNDS } from './RelationsGraphCard/boundGraph';
import { z } from 'zod';

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
 * The Relations card on every entity page: the catalog graph plugin's
 * relations graph, bounded in depth (`maxDepth`, 2) and in width (each
 * entity brings in at most `maxNeighbours` related entities, 30, and at most
 * `maxNodes` entities are drawn, 50), with a note on what was left out and a
 * link to the full graph. It replaces the plugin's own card
 * (`entity-card:catalog-graph/relations`, disabled in app-config.yaml),
 * which is bounded in depth only.
 *
 * @public
 */
export const relationsGraphEntityCard = EntityCardBlueprint.makeWithOverrides({
  name: 'relations',
  configSchema: {
    title: z
      .string()
      .optional()
      .describe('The card title; "Relations" when absent.'),
    height: z
      .number()
      .positive()
      .optional()
      .describe('The graph height in pixels; 400 by default.'),
    maxDepth: z
      .number()
      .int()
      .min(1)
      .default(DEFAULT_BOUNDS.maxDepth)
      .describe('Relations away from the entity.'),
    maxNeighbours: z
      .number()
      .int()
      .min(1)
      .default(DEFAULT_BOUNDS.maxNeighbours)
      .describe(
        'Related entities each shown entity brings into the graph, at most.',
      ),
    maxNodes: z
      .number()
      .int()
      .min(2)
      .default(DEFAULT_BOUNDS.maxNodes)
      .describe('Entities drawn in all, the entity itself included.'),
    relations: z
      .array(z.string())
      .optional()
      .describe(
        "The relation types followed; the catalog graph's defaults when absent.",
      ),
    kinds: z
      .array(z.string())
      .optional()
      .describe('The kinds followed; all when absent.'),
  },
  factory(originalFactory, { config }) {
    return originalFactory({
      loader: () =>
        import('./RelationsGraphCard/RelationsGraphCard').then(m => (
          <m.RelationsGraphCard
            title={config.title}
            height={config.height}
            maxDepth={config.maxDepth}
            maxNeighbours={config.maxNeighbours}
            maxNodes={config.maxNodes}
            relations={config.relations}
            kinds={config.kinds}
          />
        )),
    });
  },
});

/**
 * The suite's additions to the catalog's entity pages.
 *
 * @public
 */
export const catalogModule = createFrontendModule({
  pluginId: 'catalog',
  extensions: [serviceTierEntityCard, relationsGraphEntityCard],
});
