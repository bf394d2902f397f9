import {
  DEFAULT_NAMESPACE,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { compareStrings, sortedStrings } from './order';

/**
 * The catalog context every generator receives beside its descriptor: the
 * component and what the catalog graph says about it. Plain data, so the
 * CLI can build it from a repository offline and the backends from the
 * catalog.
 */

/**
 * Service tiers, 1 the most critical. The seed shows tier 4 as
 * "4: Low criticality".
 *
 * @public
 */
export type ServiceTier = 1 | 2 | 3 | 4;

/** @public */
export const SERVICE_TIERS: Readonly<Record<ServiceTier, string>> =
  Object.freeze({
    1: 'Critical',
    2: 'High criticality',
    3: 'Medium criticality',
    4: 'Low criticality',
  });

/**
 * Annotations read for the tier: the seed's and the suite's own neutral one.
 * The suite's wins when both are set.
 *
 * @public
 */
export const TIER_ANNOTATIONS = Object.freeze([
  'gitops.io/service-tier',
  'spotify.com/service-tier',
] as const);

/** Tier assumed when a component declares none. @public */
export const DEFAULT_SERVICE_TIER: ServiceTier = 3;

/**
 * A resource the component depends on, as far as generators care.
 *
 * @public
 */
export interface ContextResource {
  /** Entity name, e.g. `example-app-db`. */
  readonly name: string;
  /** Backstage resource type, e.g. `database`. */
  readonly type: string;
  /** For databases: the engine, e.g. `POSTGRES_14`. */
  readonly engine?: string;
  /** Where it lives, e.g. `europe-west1`. */
  readonly region?: string;
  /** The Kubernetes kind it came from, e.g. `SQLInstance`. */
  readonly sourceKind?: string;
}

/**
 * What a generator knows about the component it generates for.
 *
 * @public
 */
export interface CatalogContext {
  readonly component: {
    readonly name: string;
    readonly namespace: string;
    /** Owner entity name without kind, e.g. `team-a`. */
    readonly owner: string;
    readonly system?: string;
    readonly lifecycle?: string;
    readonly type?: string;
    readonly tier: ServiceTier;
  };
  /** Resources it depends on (`dependsOn` resource relations). */
  readonly dependsOn: ReadonlyArray<ContextResource>;
  /** Components consuming its APIs, as entity refs. */
  readonly apiConsumers: ReadonlyArray<string>;
}

/**
 * Reads a tier from annotation values; anything but 1 to 4 yields undefined.
 *
 * @public
 */
export function parseServiceTier(value: unknown): ServiceTier | undefined {
  const n =
    typeof value === 'number' ? value : Number(String(value ?? '').trim());
  return n === 1 || n === 2 || n === 3 || n === 4 ? n : undefined;
}

/**
 * The tier of a component from its annotations, or the default.
 *
 * @public
 */
export function tierFromAnnotations(
  annotations: Readonly<Record<string, unknown>> | undefined,
): ServiceTier {
  for (const key of TIER_ANNOTATIONS) {
    const tier = parseServiceTier(annotations?.[key]);
    if (tier) return tier;
  }
  return DEFAULT_SERVICE_TIER;
}

/**
 * The name part of an entity ref, read by `@backstage/catalog-model`:
 * `group:default/team-a` and `team-a` are both `team-a`. A value that is no
 * entity ref at all comes back as it was, for the generators to report.
 *
 * @public
 */
export function entityName(ref: string): string {
  try {
    return parseEntityRef(ref, {
      defaultKind: 'group',
      defaultNamespace: DEFAULT_NAMESPACE,
    }).name;
  } catch {
    return ref;
  }
}

/**
 * The canonical form of an entity ref (`kind:namespace/name`, compared
 * without regard to case, as the catalog does), or undefined for a value
 * that is no entity ref.
 */
function normalizedRef(ref: string): string | undefined {
  try {
    return stringifyEntityRef(
      parseEntityRef(ref, { defaultNamespace: DEFAULT_NAMESPACE }),
    ).toLocaleLowerCase('en-US');
  } catch {
    return undefined;
  }
}

/**
 * The minimal context for a component when nothing else is known, e.g. in
 * tests and for `gitops` runs without a catalog-info.yaml.
 *
 * @public
 */
export function minimalCatalogContext(
  name: string,
  overrides: Partial<CatalogContext['component']> = {},
): CatalogContext {
  return {
    component: {
      name,
      namespace: 'default',
      owner: 'unknown',
      tier: DEFAULT_SERVICE_TIER,
      ...overrides,
    },
    dependsOn: [],
    apiConsumers: [],
  };
}

/** The parts of a catalog entity the context reads. @public */
export interface EntityLike {
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    annotations?: Record<string, string>;
  };
  spec?: Record<string, unknown>;
  relations?: ReadonlyArray<{ type: string; targetRef: string }>;
}

/**
 * Annotation on a database `Resource` naming its engine (e.g.
 * `POSTGRES_14`), set by the catalog module from the Config Connector spec.
 *
 * @public
 */
export const DATABASE_ENGINE_ANNOTATION = 'gitops.io/database-engine';

/**
 * Builds the context from catalog entities: the component, the resources it
 * depends on, and the APIs it provides (whose `apiConsumedBy` relations name
 * its consumers).
 *
 * @public
 */
export function catalogContextFromEntities(
  component: EntityLike,
  related: ReadonlyArray<EntityLike>,
): CatalogContext {
  const spec = component.spec ?? {};
  // The catalog compares refs without regard to case; so does the context,
  // or a related entity whose name has capitals would never be found.
  const refOf = (e: EntityLike) =>
    stringifyEntityRef({
      kind: e.kind,
      namespace: e.metadata.namespace ?? DEFAULT_NAMESPACE,
      name: e.metadata.name,
    }).toLocaleLowerCase('en-US');
  const byRef = new Map(related.map(e => [refOf(e), e]));
  const targets = (entity: EntityLike, type: string) =>
    (entity.relations ?? []).filter(r => r.type === type).map(r => r.targetRef);
  const find = (ref: string) => {
    const key = normalizedRef(ref);
    return key === undefined ? undefined : byRef.get(key);
  };

  const dependsOn: ContextResource[] = targets(component, 'dependsOn')
    .filter(ref => normalizedRef(ref)?.startsWith('resource:'))
    .map(ref => {
      const resource = find(ref);
      const engine =
        resource?.metadata.annotations?.[DATABASE_ENGINE_ANNOTATION];
      return {
        name: entityName(ref),
        type:
          typeof resource?.spec?.type === 'string'
            ? resource.spec.type
            : 'resource',
        ...(engine ? { engine } : {}),
      };
    })
    .sort((a, b) => compareStrings(a.name, b.name));

  const apiConsumers = new Set<string>();
  for (const apiRef of targets(component, 'providesApi')) {
    const api = find(apiRef);
    for (const consumer of api ? targets(api, 'apiConsumedBy') : []) {
      apiConsumers.add(consumer);
    }
  }
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  return {
    component: {
      name: component.metadata.name,
      namespace: component.metadata.namespace ?? 'default',
      owner: str(spec.owner) ? entityName(String(spec.owner)) : 'unknown',
      ...(str(spec.system) ? { system: entityName(String(spec.system)) } : {}),
      ...(str(spec.lifecycle) ? { lifecycle: str(spec.lifecycle) } : {}),
      ...(str(spec.type) ? { type: str(spec.type) } : {}),
      tier: tierFromAnnotations(component.metadata.annotations),
    },
    dependsOn,
    apiConsumers: sortedStrings(apiConsumers),
  };
}
