import {
  boundRelationsGraph,
  DEFAULT_BOUNDS,
  FetchEntities,
  GraphEntity,
  RelationsGraphBounds,
} from './boundGraph';
import { bigSystemCatalog, SUITE_RELATIONS } from './testCatalog';

function fetcherFor(entities: GraphEntity[]) {
  const byRef = new Map(
    entities.map(e => [
      `${e.kind}:${e.metadata.namespace ?? 'default'}/${
        e.metadata.name
      }`.toLowerCase(),
      e,
    ]),
  );
  const requests: string[][] = [];
  const fetchEntities: FetchEntities = async refs => {
    requests.push(refs);
    return refs.map(ref => byRef.get(ref));
  };
  return { fetchEntities, requests, byRef };
}

async function bound(
  entities: GraphEntity[],
  rootRef: string,
  bounds: Partial<RelationsGraphBounds> = {},
) {
  const { fetchEntities, requests, byRef } = fetcherFor(entities);
  const graph = await boundRelationsGraph({
    rootRef,
    relations: SUITE_RELATIONS,
    bounds: { ...DEFAULT_BOUNDS, ...bounds },
    fetchEntities,
  });
  return { graph, requests, byRef };
}

/** How many shown entities each shown entity is related to. */
function shownDegrees(
  shown: ReadonlySet<string>,
  byRef: Map<string, GraphEntity>,
) {
  return [...shown].map(ref => {
    const targets = new Set(
      (byRef.get(ref)?.relations ?? [])
        .filter(r => SUITE_RELATIONS.includes(r.type))
        .map(r => r.targetRef)
        .filter(target => shown.has(target)),
    );
    return { ref, degree: targets.size };
  });
}

describe('boundRelationsGraph', () => {
  const catalog = bigSystemCatalog(212);

  it('keeps at most 30 related entities around the system of 212 components', async () => {
    const { graph, byRef } = await bound(catalog, 'system:default/big-system');

    // The full graph two relations deep: 212 components, the owner and the
    // database one component depends on; the storage the database depends
    // on is three relations away.
    expect(graph.related).toBe(214);
    // The system brings in its owner and 29 components, one of which brings
    // in the database.
    expect(graph.shownRelated).toBe(31);
    expect(graph.shown.size).toBe(32);
    expect(graph.shown.has('system:default/big-system')).toBe(true);
    expect(graph.shown.has('group:default/big-team')).toBe(true);
    expect(graph.shown.has('resource:default/big-db')).toBe(true);
    expect(graph.shown.has('resource:default/big-storage')).toBe(false);
    const components = [...graph.shown].filter(r => r.startsWith('component:'));
    expect(components).toHaveLength(29);
    // Alphabetical within the cut group, so the card is stable.
    expect(components[0]).toBe('component:default/big-svc-001');
    expect(components[28]).toBe('component:default/big-svc-029');

    for (const { ref, degree } of shownDegrees(graph.shown, byRef)) {
      expect({ ref, degree: Math.min(degree, 30) }).toEqual({ ref, degree });
    }
  });

  it('keeps the small relation groups whole and cuts the long one', async () => {
    const { graph } = await bound(catalog, 'system:default/big-system', {
      maxNeighbours: 5,
    });
    expect([...graph.shown]).toEqual([
      'system:default/big-system',
      // ownedBy: one entity, before hasPart's 212
      'group:default/big-team',
      'component:default/big-svc-001',
      'component:default/big-svc-002',
      'component:default/big-svc-003',
      'component:default/big-svc-004',
      // big-svc-001's database, at depth 2
      'resource:default/big-db',
    ]);
    expect(graph.related).toBe(214);
  });

  it("keeps a team's system before its many components", async () => {
    const { graph } = await bound(catalog, 'group:default/big-team');
    // ownerOf holds the system and 212 components: the lone system first
    expect([...graph.shown].slice(0, 3)).toEqual([
      'group:default/big-team',
      'system:default/big-system',
      'component:default/big-svc-001',
    ]);
    expect(graph.shownRelated).toBe(31); // system, 29 components, big-db
    expect(graph.related).toBe(214);
  });

  it('stops at maxNodes entities in all', async () => {
    const { graph } = await bound(catalog, 'group:default/big-team', {
      maxNeighbours: 100,
      maxNodes: 40,
    });
    expect(graph.shown.size).toBe(40);
    expect(graph.shownRelated).toBe(39);
    // the group owns the system and 212 components; at depth 2 the database
    expect(graph.related).toBe(214);
  });

  it('stays within maxDepth', async () => {
    const { graph, requests } = await bound(
      catalog,
      'component:default/big-svc-001',
      { maxDepth: 1 },
    );
    expect([...graph.shown].sort()).toEqual([
      'component:default/big-svc-001',
      'group:default/big-team',
      'resource:default/big-db',
      'system:default/big-system',
    ]);
    expect(graph.related).toBe(3);
    // the entity, then its three related entities
    expect(requests.map(r => r.length)).toEqual([1, 3]);
  });

  it('shows everything when the graph is small', async () => {
    const { graph } = await bound(catalog, 'resource:default/big-db');
    // big-db: big-svc-001, big-storage and their owner big-dba; then
    // big-svc-001's system and owner
    expect(graph.related).toBe(5);
    expect(graph.shownRelated).toBe(5);
  });

  it('does not count entities the catalog does not have', async () => {
    const orphan: GraphEntity = {
      kind: 'Component',
      metadata: { name: 'orphan' },
      relations: [
        { type: 'ownedBy', targetRef: 'group:default/nobody' },
        { type: 'partOf', targetRef: 'system:default/big-system' },
      ],
    };
    const { graph } = await bound(
      [...catalog, orphan],
      'component:default/orphan',
      { maxDepth: 1 },
    );
    expect([...graph.shown]).toEqual([
      'component:default/orphan',
      'system:default/big-system',
    ]);
    expect(graph.related).toBe(1);
  });

  it('follows only the relations and kinds asked for', async () => {
    const { fetchEntities } = fetcherFor(catalog);
    const graph = await boundRelationsGraph({
      rootRef: 'system:default/big-system',
      relations: ['ownedBy', 'hasPart'],
      kinds: ['Group'],
      bounds: DEFAULT_BOUNDS,
      fetchEntities,
    });
    expect([...graph.shown]).toEqual([
      'system:default/big-system',
      'group:default/big-team',
    ]);
    expect(graph.related).toBe(1);
  });

  it('refuses bounds that are not positive integers', async () => {
    await expect(
      bound(catalog, 'system:default/big-system', { maxNeighbours: 0 }),
    ).rejects.toThrow('maxNeighbours must be a positive integer, got 0');
    await expect(
      bound(catalog, 'system:default/big-system', { maxDepth: 1.5 }),
    ).rejects.toThrow('maxDepth must be a positive integer, got 1.5');
  });
});
