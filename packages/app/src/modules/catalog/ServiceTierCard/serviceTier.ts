import type { Entity } from '@backstage/catalog-model';
import {
  DESCRIPTOR_FILES,
  GITOPS_ANNOTATIONS,
  parseServiceTier,
  SERVICE_TIERS,
  ServiceTier,
  TIER_ANNOTATIONS,
  tierFromAnnotations,
} from '@gitops/descriptors-common';

/** What the Service tier card shows about a component. */
export interface ServiceTierView {
  /**
   * The tier and its label (`4: Low criticality`), or the declared value
   * when it is not a tier from 1 to 4.
   */
  tier:
    | { valid: true; value: ServiceTier; label: string }
    | { valid: false; declared: string };
  /** The annotation the tier was read from. */
  source: string;
  /** The descriptor files beside catalog-info.yaml, as the catalog module recorded them. */
  descriptors: Array<{ file: string; summary: string }>;
}

const annotationsOf = (entity: Entity) => entity.metadata.annotations ?? {};

/** The tier annotation the generators read (the suite's one wins), if any. */
function tierAnnotation(entity: Entity): string | undefined {
  const annotations = annotationsOf(entity);
  return TIER_ANNOTATIONS.find(key => annotations[key] !== undefined);
}

/**
 * Whether the card applies: a Component that declares a service tier.
 */
export function hasServiceTier(entity: Entity): boolean {
  return entity.kind === 'Component' && tierAnnotation(entity) !== undefined;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Reads the card's content from the component's annotations. Returns
 * undefined when it declares no tier.
 */
export function serviceTierView(entity: Entity): ServiceTierView | undefined {
  const source = tierAnnotation(entity);
  if (!source) return undefined;
  const annotations = annotationsOf(entity);
  const declared = annotations[source];
  const tier = parseServiceTier(declared)
    ? // The same reading as the generators', so the card shows what they use.
      tierFromAnnotations(annotations)
    : undefined;

  const descriptors: ServiceTierView['descriptors'] = [];
  const build = annotations[GITOPS_ANNOTATIONS.buildTemplate];
  if (build) {
    descriptors.push({
      file: DESCRIPTOR_FILES.build,
      summary: build === 'custom' ? 'custom pipelines' : `${build} template`,
    });
  }
  const backends = annotations[GITOPS_ANNOTATIONS.deployBackends];
  if (backends) {
    const canary = annotations[GITOPS_ANNOTATIONS.automatedCanary] === 'true';
    descriptors.push({
      file: DESCRIPTOR_FILES.deployment,
      summary: `${backends.split(',').join(', ')}${
        canary ? ', automated canary' : ''
      }`,
    });
  }
  const dashboards = annotations[GITOPS_ANNOTATIONS.dashboards];
  if (dashboards) {
    const count = Number(dashboards);
    descriptors.push({
      file: DESCRIPTOR_FILES.monitoring,
      summary: Number.isInteger(count)
        ? plural(count, 'dashboard')
        : dashboards,
    });
  }

  return {
    tier: tier
      ? { valid: true, value: tier, label: `${tier}: ${SERVICE_TIERS[tier]}` }
      : { valid: false, declared },
    source,
    descriptors,
  };
}
