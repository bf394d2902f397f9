import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  DEFAULT_NAMESPACE,
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  CatalogContext,
  catalogContextFromEntities,
} from '@gitops/descriptors-common';
import {
  LoadedRepository,
  repositoryFilesFromList,
  repositoryFromFiles,
} from '@gitops/descriptors-node';

/** The part of an action's input that says which repository it reads. */
export interface RepositoryInput {
  readonly files: ReadonlyArray<{ path: string; content: string }>;
  readonly entityRef?: string;
}

/** What reading the catalog takes: the catalog and whose request it is. */
export interface CatalogAccess {
  readonly catalog: CatalogService;
  readonly credentials: BackstageCredentials;
}

/**
 * Component name when the files' catalog-info.yaml names none: files sent
 * as text have no folder whose name could stand in, as on disk.
 */
const UNNAMED_REPOSITORY = 'repository';

/**
 * The caller's files as the generators take them, through the same path as
 * a repository on disk. With an entity ref the catalog context comes from
 * the catalog, read with the caller's credentials (what they cannot see
 * does not exist for them), and catalog-info.yaml is not needed; without
 * one it comes from the files, as the CLI does offline.
 */
export async function loadRepositoryInput(
  input: RepositoryInput,
  access: CatalogAccess,
): Promise<LoadedRepository> {
  const files = repositoryFilesFromList(
    input.files.map(f => ({ path: f.path, text: f.content })),
    { catalogInfo: input.entityRef === undefined },
  );
  const repo = repositoryFromFiles(files, UNNAMED_REPOSITORY);
  if (input.entityRef === undefined) return repo;
  return {
    ...repo,
    context: await readCatalogContext(input.entityRef, access),
  };
}

/**
 * The context of a component from the catalog: the component, and the
 * resources it depends on and the APIs it provides (whose consumers the
 * context lists), fetched in one request.
 */
async function readCatalogContext(
  entityRef: string,
  { catalog, credentials }: CatalogAccess,
): Promise<CatalogContext> {
  const ref = parseComponentRef(entityRef);
  const component = await catalog.getEntityByRef(ref, { credentials });
  if (!component) {
    throw new NotFoundError(
      `${stringifyEntityRef(
        ref,
      )} is not in the catalog, or you are not allowed to read it`,
    );
  }
  const relatedRefs = (component.relations ?? [])
    .filter(r => r.type === 'dependsOn' || r.type === 'providesApi')
    .map(r => r.targetRef);
  const related =
    relatedRefs.length > 0
      ? (
          await catalog.getEntitiesByRefs(
            { entityRefs: relatedRefs },
            { credentials },
          )
        ).items.filter((e): e is Entity => e !== undefined)
      : [];
  return catalogContextFromEntities(component, related);
}

function parseComponentRef(entityRef: string): CompoundEntityRef {
  let ref: CompoundEntityRef;
  try {
    ref = parseEntityRef(entityRef, {
      defaultKind: 'component',
      defaultNamespace: DEFAULT_NAMESPACE,
    });
  } catch {
    throw new InputError(
      `entityRef ${JSON.stringify(
        entityRef,
      )} is not an entity reference such as component:default/example-app`,
    );
  }
  if (ref.kind.toLocaleLowerCase('en-US') !== 'component') {
    throw new InputError(
      `entityRef ${JSON.stringify(entityRef)} names a ${
        ref.kind
      }; the generators read the context of a Component`,
    );
  }
  return ref;
}
