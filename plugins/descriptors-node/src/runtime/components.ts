import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { sortedBy } from '@gitops/descriptors-common';
import { parseRepositoryUrl, urlInRepository } from './repositoryUrl';

/**
 * The entity annotations that tell where a component's files live, in the
 * order they are trusted to name its own repository.
 *
 * @public
 */
export const LOCATION_ANNOTATIONS = Object.freeze({
  managedBy: 'backstage.io/managed-by-location',
  source: 'backstage.io/source-location',
  origin: 'backstage.io/managed-by-origin-location',
} as const);

/**
 * A repository as far as matching goes: its page URL (GitHub's `html_url`,
 * the local hosting's `<base>/<owner>/<name>`).
 *
 * @public
 */
export interface RepositoryRef {
  readonly htmlUrl: string;
}

type StreamEntitiesQuery = NonNullable<
  Parameters<CatalogService['streamEntities']>[0]
>['query'];

/** Options of {@link findComponentsForRepository}. @public */
export interface FindComponentsOptions {
  /** Entities per catalog page; 500 by default. */
  pageSize?: number;
}

/**
 * The `url:` locations of an entity, most trusted first: managed-by-location
 * (the file the entity was read from), source-location, and
 * managed-by-origin-location only when neither of the others is a URL. The
 * origin is the location first registered, which can be a central catalog
 * repository listing many components: a push there is no push to each.
 *
 * @public
 */
export function entityUrlLocations(entity: Entity): Array<{
  annotation: string;
  url: string;
}> {
  const annotations = entity.metadata.annotations ?? {};
  const urlOf = (annotation: string) => {
    const value = annotations[annotation];
    return typeof value === 'string' && value.startsWith('url:')
      ? { annotation, url: value.slice(4) }
      : undefined;
  };
  const own = [
    urlOf(LOCATION_ANNOTATIONS.managedBy),
    urlOf(LOCATION_ANNOTATIONS.source),
  ].filter(<T>(x: T | undefined): x is T => x !== undefined);
  if (own.length) return own;
  const origin = urlOf(LOCATION_ANNOTATIONS.origin);
  return origin ? [origin] : [];
}

/**
 * Whether an entity's files live in the repository: one of its
 * {@link entityUrlLocations} is a blob or tree URL of exactly that
 * repository (not `repo-2` for `repo`; the host compared without regard to
 * case, owner and name too on github.com).
 *
 * @public
 */
export function isEntityInRepository(
  entity: Entity,
  repository: RepositoryRef,
): boolean {
  const repo = parseRepositoryUrl(repository.htmlUrl);
  return (
    repo !== undefined &&
    entityUrlLocations(entity).some(l => urlInRepository(repo, l.url))
  );
}

/**
 * The catalog's components whose files live in a repository, sorted by
 * entity ref.
 *
 * The catalog selects them: `kind` Component and a location annotation
 * starting with `url:<htmlUrl>/` (the predicate query's `$hasPrefix`,
 * compared by the catalog without regard to case), paged with a cursor.
 * {@link isEntityInRepository} then checks each exactly, since the
 * catalog's prefix match folds case and knows nothing of blob or tree. The
 * catalog does not index values longer than 200 characters, so an entity
 * whose location URL is longer is not found.
 *
 * @public
 */
export async function findComponentsForRepository(
  catalog: CatalogService,
  repository: RepositoryRef,
  credentials: BackstageCredentials,
  options: FindComponentsOptions = {},
): Promise<Entity[]> {
  const repo = parseRepositoryUrl(repository.htmlUrl);
  if (!repo) return [];
  const prefix = `url:${repo.origin}${repo.path}/`;
  const found: Entity[] = [];
  // The predicate types cannot see that computed keys hold no `$`.
  const query = {
    $all: [
      { kind: 'component' },
      {
        $any: Object.values(LOCATION_ANNOTATIONS).map(annotation => ({
          [`metadata.annotations.${annotation}`]: { $hasPrefix: prefix },
        })),
      },
    ],
  } as unknown as StreamEntitiesQuery;
  const pages = catalog.streamEntities(
    { query, pageSize: options.pageSize ?? 500 },
    { credentials },
  );
  for await (const page of pages) {
    for (const entity of page) {
      if (isEntityInRepository(entity, repository)) found.push(entity);
    }
  }
  return sortedBy(found, e => stringifyEntityRef(e));
}
