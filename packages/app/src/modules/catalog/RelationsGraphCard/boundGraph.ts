/**
 * Bounding the relations graph drawn on an entity page.
 *
 * The catalog graph plugin bounds a graph by depth only: every entity within
 * `maxDepth` relations is fetched, laid out and drawn, so a system with 200
 * components draws 200 nodes and the page hangs. This module decides, before
 * the graph is drawn, which entities the card shows: the graph is explored
 * breadth first from the card's entity, each entity brings in at most
 * `maxNeighbours` related entities (the shown entities it is already related
 * to count; the smallest groups of related entities first), and at most
 * `maxNodes` entities are shown in all. The plugin's
 * `EntityRelationsGraph` then draws only those (its `entityFilter`), with its
 * own layout, labels and clicks.
 */

/** How far and how wide the card's graph may grow. */
export interface RelationsGraphBounds {
  /** Relations away from the card's entity (1 = its direct relations). */
  maxDepth: number;
  /** Related entities each shown entity brings into the graph, at most. */
  maxNeighbours: number;
  /** Entities in the graph in all, the card's own entity included. */
  maxNodes: number;
}

/** The defaults of the card's configuration. */
export const DEFAULT_BOUNDS: RelationsGraphBounds = {
  maxDepth: 2,
  maxNeighbours: 30,
  maxNodes: 50,
};

/** The part of an entity the bounding reads (`kind`, `metadata`, `relations`). */
export interface GraphEntity {
  kind: string;
  metadata: { name: string; namespace?: string };
  relations?: Array<{ type: string; targetRef: string }>;
}

/**
 * Fetches entities by reference; the answer lists them in the order asked,
 * with `undefined` for the ones the catalog does not have (the shape of the
 * catalog API's `getEntitiesByRefs`).
 */
export type FetchEntities = (
  entityRefs: string[],
) => Promise<Array<GraphEntity | undefined>>;

/** What the card shows, and how much of the full graph that is. */
export interface BoundedGraph {
  /** The references of the shown entities, the root first (lower case). */
  shown: ReadonlySet<string>;
  /**
   * How many entities the full graph has within `maxDepth` over the same
   * relations and kinds, the root left out: what the catalog graph page
   * draws at that depth.
   */
  related: number;
  /** How many of those the card shows (`shown.size - 1`). */
  shownRelated: number;
}

const DEFAULT_NAMESPACE = 'default';
/** References per catalog request. */
const FETCH_CHUNK = 500;

/**
 * The entity's reference as the catalog graph plugin computes it
 * (`kind:namespace/name`), lower-cased so that it compares equal to the
 * relation target references whatever their case.
 */
export function graphRefOf(entity: GraphEntity): string {
  const namespace = entity.metadata.namespace ?? DEFAULT_NAMESPACE;
  return `${entity.kind}:${namespace}/${entity.metadata.name}`.toLocaleLowerCase(
    'en-US',
  );
}

const normalise = (ref: string) => ref.toLocaleLowerCase('en-US');

/**
 * The entity's related entities over the included relations and kinds, as
 * the plugin follows them, grouped by relation type and target kind (an
 * entity related in several ways is counted under the first).
 */
function relatedGroups(
  ref: string,
  entity: GraphEntity | undefined,
  relations: ReadonlySet<string>,
  kinds: readonly string[] | undefined,
): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  const seen = new Set<string>([ref]);
  for (const relation of entity?.relations ?? []) {
    if (!relations.has(relation.type)) continue;
    const target = normalise(relation.targetRef);
    if (kinds && !kinds.some(kind => target.startsWith(`${kind}:`))) continue;
    if (seen.has(target)) continue;
    seen.add(target);
    const key = `${relation.type} ${target.split(':')[0]}`;
    const group = groups.get(key) ?? [];
    group.push(target);
    groups.set(key, group);
  }
  return groups;
}

/**
 * The order in which an entity's related entities enter the graph: the
 * smallest groups (same relation, same kind) first, so that the owner, the
 * system, the APIs and the few dependencies are kept and the long list of
 * components a system has or a team owns is the one cut; alphabetical
 * within a group.
 */
function byPriority(groups: Map<string, string[]>): string[] {
  return [...groups.entries()]
    .sort(
      ([keyA, refsA], [keyB, refsB]) =>
        refsA.length - refsB.length || keyA.localeCompare(keyB),
    )
    .flatMap(([, refs]) => [...refs].sort());
}

async function fetchAll(
  refs: string[],
  fetchEntities: FetchEntities,
  into: Map<string, GraphEntity | undefined>,
): Promise<void> {
  const missing = refs.filter(ref => !into.has(ref));
  for (let i = 0; i < missing.length; i += FETCH_CHUNK) {
    const chunk = missing.slice(i, i + FETCH_CHUNK);
    const items = await fetchEntities(chunk);
    chunk.forEach((ref, index) => into.set(ref, items[index] ?? undefined));
  }
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${name} must be a positive integer, got ${value}`);
  }
  return value;
}

/**
 * Explores the graph around `rootRef` level by level and decides which
 * entities the card shows. Each level is fetched in one request per 500
 * references, with only the fields the exploration reads; the plugin itself
 * fetches the same levels in full to draw the full graph.
 */
export async function boundRelationsGraph(options: {
  rootRef: string;
  /** The relation types followed (the plugin's `relations`). */
  relations: readonly string[];
  /** The kinds followed (the plugin's `kinds`); all when absent. */
  kinds?: readonly string[];
  bounds: RelationsGraphBounds;
  fetchEntities: FetchEntities;
}): Promise<BoundedGraph> {
  const maxDepth = positiveInteger(options.bounds.maxDepth, 'maxDepth');
  const maxNeighbours = positiveInteger(
    options.bounds.maxNeighbours,
    'maxNeighbours',
  );
  const maxNodes = Math.max(
    2,
    positiveInteger(options.bounds.maxNodes, 'maxNodes'),
  );
  const relations = new Set(options.relations);
  const kinds = options.kinds?.map(kind => kind.toLocaleLowerCase('en-US'));
  const root = normalise(options.rootRef);

  const entities = new Map<string, GraphEntity | undefined>();
  await fetchAll([root], options.fetchEntities, entities);
  const exists = (ref: string) => entities.get(ref) !== undefined;
  const related = (ref: string) =>
    relatedGroups(ref, entities.get(ref), relations, kinds);

  // The full graph, for the count, and the shown part of it. References
  // the catalog does not have (a relation to a missing owner) are drawn by
  // neither the plugin nor the card, so they count for neither.
  const seen = new Set<string>([root]);
  const reached = new Set<string>(exists(root) ? [root] : []);
  const shown = new Set<string>([root]);
  let level = [root];
  let shownLevel = exists(root) ? [root] : [];

  for (let depth = 0; depth < maxDepth && level.length > 0; depth++) {
    const candidates: string[] = [];
    for (const ref of level) {
      for (const targets of related(ref).values()) {
        for (const target of targets) {
          if (!seen.has(target)) {
            seen.add(target);
            candidates.push(target);
          }
        }
      }
    }
    await fetchAll(candidates, options.fetchEntities, entities);
    const nextLevel = candidates.filter(exists);
    nextLevel.forEach(ref => reached.add(ref));

    const nextShownLevel: string[] = [];
    for (const ref of shownLevel) {
      const neighbours = byPriority(related(ref)).filter(exists);
      let room =
        maxNeighbours - neighbours.filter(target => shown.has(target)).length;
      for (const target of neighbours) {
        if (room <= 0 || shown.size >= maxNodes) break;
        if (shown.has(target)) continue;
        shown.add(target);
        nextShownLevel.push(target);
        room--;
      }
    }

    level = nextLevel;
    shownLevel = nextShownLevel;
  }

  return {
    shown,
    related: Math.max(0, reached.size - 1),
    shownRelated: shown.size - 1,
  };
}
