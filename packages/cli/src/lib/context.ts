import path from 'node:path';
import {
  catalogContextFromEntities,
  catalogContextFromRepository,
  CatalogContext,
  EntityLike,
  ParsedDescriptorSet,
} from '@gitops/descriptors-common';

/** Where the catalog context comes from. */
export interface ContextOptions {
  /** Base URL of a running Backstage, e.g. http://localhost:7007. */
  catalogUrl?: string;
  /** Bearer token for it; defaults to $BACKSTAGE_TOKEN. */
  token?: string;
}

/**
 * The catalog context of the repository: built offline from its own
 * catalog-info.yaml and kubernetes/, or read from a running Backstage's
 * catalog with `--catalog-url`.
 */
export async function resolveContext(
  dir: string,
  parsed: ParsedDescriptorSet,
  options: ContextOptions,
  fetchImpl: typeof fetch = fetch,
): Promise<CatalogContext> {
  const offline = catalogContextFromRepository({
    catalogEntities: (parsed.descriptors.catalog ?? []).map(d => d.data),
    manifests: parsed.manifests.flatMap(m => m.documents.map(d => d.data)),
    fallbackName: path.basename(path.resolve(dir)),
  });
  if (!options.catalogUrl) return offline;

  const base = options.catalogUrl.replace(/\/+$/, '');
  const token = options.token ?? process.env.BACKSTAGE_TOKEN;
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    ...(token ? { Authorization: `Bearer ${token}` } : {}),
  };
  const { namespace, name } = offline.component;
  const res = await fetchImpl(
    `${base}/api/catalog/entities/by-name/component/${encodeURIComponent(
      namespace,
    )}/${encodeURIComponent(name)}`,
    { headers },
  );
  if (!res.ok) {
    throw new Error(
      `catalog at ${base} answered ${res.status} for component:${namespace}/${name}`,
    );
  }
  const component = (await res.json()) as EntityLike;
  const refs = (component.relations ?? [])
    .filter(r => r.type === 'dependsOn' || r.type === 'providesApi')
    .map(r => r.targetRef);
  let related: EntityLike[] = [];
  if (refs.length > 0) {
    const byRefs = await fetchImpl(`${base}/api/catalog/entities/by-refs`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ entityRefs: refs }),
    });
    if (!byRefs.ok) {
      throw new Error(
        `catalog at ${base} answered ${byRefs.status} for related entities`,
      );
    }
    const body = (await byRefs.json()) as { items: (EntityLike | null)[] };
    related = body.items.filter((e): e is EntityLike => !!e);
  }
  return catalogContextFromEntities(component, related);
}
