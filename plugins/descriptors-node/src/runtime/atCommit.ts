import {
  BackstageCredentials,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  RELATION_DEPENDS_ON,
  RELATION_PROVIDES_API,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  CatalogContext,
  catalogContextFromEntities,
  DESCRIPTOR_FILES,
  EntityLike,
  fileProblem,
  Result,
  sortedBy,
  sortedStrings,
} from '@gitops/descriptors-common';
import {
  BUILD_TEMPLATES,
  BuildTemplateType,
  parseBuildInfo,
  Pipeline,
} from '@gitops/plugin-pipelines-common';
import { LoadedRepository, repositoryFromFiles } from '../load';
import { expandRepositoryPipeline } from '../pipeline';
import {
  entityUrlLocations,
  LOCATION_ANNOTATIONS,
  RepositoryRef,
} from './components';
import {
  parseRepositoryUrl,
  RepositoryUrl,
  urlInRepository,
} from './repositoryUrl';
import { readUrlLocation } from './urlLocation';

/**
 * A component's repository read at one commit: its files parsed, with the
 * catalog context from the catalog (see {@link readDescriptorsAtCommit}).
 *
 * @public
 */
export interface RepositoryAtCommit extends LoadedRepository {
  /** The commit read. */
  readonly sha: string;
  /** The URL of catalog-info.yaml at that commit. */
  readonly catalogInfoUrl: string;
  /** The context the files alone describe (what the CLI would use offline). */
  readonly fileContext: CatalogContext;
}

/** Options of {@link readDescriptorsAtCommit}. @public */
export interface ReadAtCommitOptions {
  /**
   * The repository the commit belongs to: the entity's location inside it is
   * used. Without it, managed-by-location, then source-location, then
   * managed-by-origin-location.
   */
  repository?: RepositoryRef;
  /**
   * Branch names that may appear in the entity's location URL, such as the
   * repository's default branch: a branch with a '/' spans several URL
   * segments, and only a known name tells where the ref ends. Without a
   * match the ref is one segment.
   */
  knownRefs?: ReadonlyArray<string>;
  /**
   * Where the entities the context needs (the resources the component
   * depends on, the APIs it provides) come from: given entities, or the
   * catalog. Without either, the context has the entity's own data and the
   * infrastructure found at the commit.
   */
  related?: ReadonlyArray<EntityLike>;
  catalog?: { service: CatalogService; credentials: BackstageCredentials };
  /** Largest file read; bigger ones are reported. */
  maxBytes?: number;
}

const COMMIT_SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/**
 * The URL of the entity's catalog-info.yaml at a commit, or the reason
 * there is none: beside its managed-by-location (the file the catalog
 * read), else in the folder of its source-location, the ref segment(s) after
 * `/blob/` or `/tree/` replaced by the commit (GitHub and the local hosting
 * both take a SHA there).
 *
 * @public
 */
export function catalogInfoUrlAtCommit(
  entity: Entity,
  sha: string,
  options: Pick<ReadAtCommitOptions, 'repository' | 'knownRefs'> = {},
): { ok: true; url: string } | { ok: false; reason: string } {
  const wanted = options.repository
    ? parseRepositoryUrl(options.repository.htmlUrl)
    : undefined;
  if (options.repository && !wanted) {
    return {
      ok: false,
      reason: `${options.repository.htmlUrl} is not a repository URL`,
    };
  }
  for (const { annotation, url } of entityUrlLocations(entity)) {
    const repo = wanted ?? repositoryOfUrl(url);
    const inside = repo && urlInRepository(repo, url);
    if (!repo || !inside) continue;
    const rest = stripRef(inside.segments, options.knownRefs ?? []);
    // A folder (source-location) holds catalog-info.yaml; a file (the
    // managed-by location, whatever its name) lies beside it.
    const isFolder =
      annotation === LOCATION_ANNOTATIONS.source || inside.kind === 'tree';
    const folder = (isFolder ? rest : rest.slice(0, -1)).filter(Boolean);
    const file = DESCRIPTOR_FILES.catalog;
    return {
      ok: true,
      url: `${repo.origin}${repo.path}/blob/${sha}/${[...folder, file].join(
        '/',
      )}`,
    };
  }
  const ref = stringifyEntityRef(entity);
  return {
    ok: false,
    reason: wanted
      ? `${ref} has no location (${Object.values(LOCATION_ANNOTATIONS).join(
          ', ',
        )}) in ${options.repository!.htmlUrl}`
      : `${ref} has no url: location in a repository (${Object.values(
          LOCATION_ANNOTATIONS,
        ).join(', ')})`,
  };
}

/** The repository of a blob or tree URL, when no repository was named. */
function repositoryOfUrl(url: string): RepositoryUrl | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const match = /^(.*?\/[^/]+\/[^/]+)\/(blob|tree)\//.exec(parsed.pathname);
  return match ? parseRepositoryUrl(`${parsed.origin}${match[1]}`) : undefined;
}

/** The path segments after the ref: a known branch name, else one segment. */
function stripRef(segments: string[], knownRefs: ReadonlyArray<string>) {
  const decoded = segments.map(s => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
  const known = [...knownRefs]
    .map(r => r.split('/'))
    .filter(
      parts =>
        parts.length <= decoded.length &&
        parts.every((part, i) => part === decoded[i]),
    )
    .sort((a, b) => b.length - a.length)[0];
  return segments.slice(known?.length ?? 1);
}

/**
 * The catalog context of a component: the catalog's entity and relations,
 * plus the infrastructure its kubernetes/ folder declares at the commit.
 *
 * The catalog wins for the component itself (name, namespace, owner,
 * system, lifecycle, type, tier) and for its API consumers: they come from
 * the entity's spec and relations, which the catalog has validated and
 * stitched, rather than from catalog-info.yaml at the commit. The
 * resources it depends on are the catalog's `dependsOn` relations together
 * with the infrastructure found at the commit: a commit that adds a
 * database builds with it before the catalog has caught up. For a resource
 * in both, the catalog's entry is kept and the commit's fills what it
 * lacks (engine, region).
 *
 * @public
 */
export function catalogContextAtCommit(
  entity: Entity,
  related: ReadonlyArray<EntityLike>,
  fileContext: CatalogContext,
): CatalogContext {
  const fromCatalog = catalogContextFromEntities(entity, related);
  const files = new Map(fileContext.dependsOn.map(r => [r.name, r]));
  const names = new Set(fromCatalog.dependsOn.map(r => r.name));
  const dependsOn = [
    ...fromCatalog.dependsOn.map(r => ({ ...files.get(r.name), ...r })),
    ...fileContext.dependsOn.filter(r => !names.has(r.name)),
  ];
  return {
    ...fromCatalog,
    dependsOn: sortedBy(dependsOn, r => r.name),
  };
}

/** The entities the context reads: resources depended on, APIs provided. */
async function relatedEntities(
  entity: Entity,
  options: ReadAtCommitOptions,
): Promise<ReadonlyArray<EntityLike>> {
  if (options.related) return options.related;
  if (!options.catalog) return [];
  const entityRefs = sortedStrings(
    new Set(
      (entity.relations ?? [])
        .filter(
          r =>
            (r.type === RELATION_DEPENDS_ON &&
              r.targetRef.toLocaleLowerCase('en-US').startsWith('resource:')) ||
            r.type === RELATION_PROVIDES_API,
        )
        .map(r => r.targetRef),
    ),
  );
  if (entityRefs.length === 0) return [];
  const { items } = await options.catalog.service.getEntitiesByRefs(
    { entityRefs },
    { credentials: options.catalog.credentials },
  );
  return items.filter((e): e is Entity => e !== undefined);
}

/**
 * Reads a catalog component's descriptors at a commit: catalog-info.yaml
 * (located by {@link catalogInfoUrlAtCommit}), the three descriptors beside
 * it and its kubernetes/ folder, through the UrlReader with
 * {@link readUrlLocation} (every URL names the commit), then parsed as
 * {@link repositoryFromFiles} does for a repository on disk. Its `context`
 * is the catalog's ({@link catalogContextAtCommit}); `fileContext` is what
 * the files alone say.
 *
 * Problems of the files (reading, size, YAML, catalog-info.yaml) are in
 * `problems`, each at its file, line and column, as for any repository; the
 * generators refuse to run on them. `ok: false` only when there is nothing
 * to read: not a commit SHA, or no location of the entity in the repository.
 * A failure of the reader other than a missing file (the host is down, a
 * rate limit) is thrown, for the caller to retry.
 *
 * @public
 */
export async function readDescriptorsAtCommit(
  reader: UrlReaderService,
  entity: Entity,
  sha: string,
  options: ReadAtCommitOptions = {},
): Promise<Result<RepositoryAtCommit>> {
  if (!COMMIT_SHA.test(sha)) {
    return {
      ok: false,
      problems: [
        fileProblem(
          DESCRIPTOR_FILES.catalog,
          `cannot read at ${JSON.stringify(
            sha,
          )}: not a full commit SHA (40 lower-case hex digits)`,
        ),
      ],
    };
  }
  const location = catalogInfoUrlAtCommit(entity, sha, options);
  if (!location.ok) {
    return {
      ok: false,
      problems: [fileProblem(DESCRIPTOR_FILES.catalog, location.reason)],
    };
  }
  const read = await readUrlLocation(reader, location.url, {
    maxBytes: options.maxBytes,
  });
  // Without ETags a read is never 'unchanged'.
  if (read === 'unchanged') throw new Error('unexpected unchanged read');
  const loaded = repositoryFromFiles(
    {
      root: new URL('.', location.url).toString(),
      descriptors: read.sources.descriptors,
      manifests: [...(read.sources.manifests ?? [])],
      problems: read.problems,
    },
    entity.metadata.name,
  );
  const related = await relatedEntities(entity, options);
  return {
    ok: true,
    value: {
      ...loaded,
      context: catalogContextAtCommit(entity, related, loaded.context),
      fileContext: loaded.context,
      sha,
      catalogInfoUrl: location.url,
    },
  };
}

/**
 * Where an expanded pipeline came from: a library template with its options
 * (defaults applied), or the full `pipelines` of build-info.yaml.
 *
 * @public
 */
export type PipelineOrigin =
  | {
      readonly kind: 'template';
      readonly type: BuildTemplateType;
      /** The template's options with their defaults applied. */
      readonly options: Readonly<Record<string, unknown>>;
    }
  | { readonly kind: 'pipelines' };

/**
 * A pipeline expanded at a commit, with where it came from.
 *
 * @public
 */
export interface PipelineAtCommit {
  readonly pipeline: Pipeline;
  readonly origin: PipelineOrigin;
  readonly repository: RepositoryAtCommit;
}

/**
 * Reads a component's descriptors at a commit ({@link readDescriptorsAtCommit})
 * and expands its build-info.yaml with the catalog context, as the CLI's
 * expand-pipeline does with a repository on disk, telling where the
 * pipeline came from (to store "expanded from template nodeService with
 * options ...").
 *
 * @public
 */
export async function expandPipelineAtCommit(
  reader: UrlReaderService,
  entity: Entity,
  sha: string,
  options: ReadAtCommitOptions = {},
): Promise<Result<PipelineAtCommit>> {
  const read = await readDescriptorsAtCommit(reader, entity, sha, options);
  if (!read.ok) return read;
  const repository = read.value;
  const expanded = expandRepositoryPipeline(repository);
  if (!expanded.ok) return expanded;
  return {
    ok: true,
    value: {
      pipeline: expanded.value,
      origin: pipelineOrigin(repository),
      repository,
    },
  };
}

/** The template and its options (defaults applied) of an expanded build-info. */
function pipelineOrigin(repository: LoadedRepository): PipelineOrigin {
  const source = repository.source('build');
  const parsed = source ? parseBuildInfo(source) : undefined;
  const template = parsed?.ok ? parsed.value.template : undefined;
  if (!template) return { kind: 'pipelines' };
  const options = BUILD_TEMPLATES[template.type].options.safeParse(
    template[template.type] ?? {},
  );
  return {
    kind: 'template',
    type: template.type,
    options: (options.success ? options.data : {}) as Record<string, unknown>,
  };
}
