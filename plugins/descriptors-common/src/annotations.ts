import { DATABASE_ENGINE_ANNOTATION } from './catalogContext';

/**
 * Annotations the catalog module writes, so that tabs, cards and filters
 * know what a component's descriptors declare without re-reading files.
 *
 * @public
 */
export const GITOPS_ANNOTATIONS = Object.freeze({
  /** Descriptor files present beside catalog-info.yaml, comma-separated. */
  descriptors: 'gitops.io/descriptors',
  /** build-info.yaml's template type, or `custom` for full pipelines. */
  buildTemplate: 'gitops.io/build-template',
  /** Names of the expanded pipelines, comma-separated. */
  pipelines: 'gitops.io/pipelines',
  /** deployment-info.yaml's backends, comma-separated (e.g. `kubernetes`). */
  deployBackends: 'gitops.io/deploy-backends',
  /** `true` when deployment-info.yaml declares an automated canary. */
  automatedCanary: 'gitops.io/automated-canary',
  /** How many dashboards monitoring-info.yaml declares. */
  dashboards: 'gitops.io/dashboards',
  /** On generated Resources: the Kubernetes kind they came from. */
  sourceKind: 'gitops.io/source-kind',
  /** On generated database Resources: the engine, e.g. `POSTGRES_14`. */
  databaseEngine: DATABASE_ENGINE_ANNOTATION,
  /** On generated Resources: their region. */
  region: 'gitops.io/region',
});
