import { useCallback, useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { makeStyles } from '@material-ui/core/styles';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import {
  catalogApiRef,
  EntityInfoCard,
  entityRouteRef,
  useEntity,
} from '@backstage/plugin-catalog-react';
import {
  catalogGraphApiRef,
  catalogGraphRouteRef,
  Direction,
  EntityNode,
  EntityRelationsGraph,
} from '@backstage/plugin-catalog-graph';
import { ButtonLink, Link, Text } from '@backstage/ui';
import {
  boundRelationsGraph,
  BoundedGraph,
  DEFAULT_BOUNDS,
  graphRefOf,
  GraphEntity,
} from './boundGraph';

/** The card's configuration (`app.extensions`, see the extension). */
export interface RelationsGraphCardProps {
  title?: string;
  /** The graph's height in pixels. */
  height?: number;
  /** Relations away from the entity; 2 by default. */
  maxDepth?: number;
  /** Related entities each shown entity brings in; 30 by default. */
  maxNeighbours?: number;
  /** Entities drawn in all; 50 by default. */
  maxNodes?: number;
  /** The relation types followed; the catalog graph's defaults when absent. */
  relations?: string[];
  /** The kinds followed; all when absent. */
  kinds?: string[];
}

const FIELDS = ['kind', 'metadata.name', 'metadata.namespace', 'relations'];

const useStyles = makeStyles({
  graph: ({ height }: { height?: number }) => ({
    height: height ?? 400,
    minHeight: 0,
  }),
});

/**
 * The same parameters the catalog graph page reads from its address
 * (`qs` with brackets, as the plugin's own card writes them).
 */
function fullGraphSearch(options: {
  rootRef: string;
  maxDepth: number;
  relations?: string[];
  kinds?: string[];
}): string {
  const params = new URLSearchParams();
  params.append('rootEntityRefs[]', options.rootRef);
  params.append('maxDepth', String(options.maxDepth));
  options.kinds?.forEach(kind => params.append('selectedKinds[]', kind));
  options.relations?.forEach(relation =>
    params.append('selectedRelations[]', relation),
  );
  params.append('unidirectional', 'true');
  params.append('mergeRelations', 'true');
  params.append('direction', Direction.LEFT_RIGHT);
  return `?${params.toString()}`;
}

type State =
  | { status: 'loading' }
  | { status: 'error'; error: Error }
  | { status: 'ready'; graph: BoundedGraph };

/**
 * The entity's relations graph, bounded in depth and in width: the catalog
 * graph plugin's `EntityRelationsGraph` draws the entities `boundGraph`
 * picked, and a note says how many related entities were left out, with a
 * link to the full graph on the catalog graph page.
 *
 * @public
 */
export function RelationsGraphCard(props: RelationsGraphCardProps) {
  const {
    title = 'Relations',
    height,
    maxDepth = DEFAULT_BOUNDS.maxDepth,
    maxNeighbours = DEFAULT_BOUNDS.maxNeighbours,
    maxNodes = DEFAULT_BOUNDS.maxNodes,
    kinds,
  } = props;
  const { entity } = useEntity();
  const catalogApi = useApi(catalogApiRef);
  const { defaultRelations } = useApi(catalogGraphApiRef);
  const relations = props.relations ?? defaultRelations;
  const classes = useStyles({ height });
  const navigate = useNavigate();
  const entityRoute = useRouteRef(entityRouteRef);
  const catalogGraphRoute = useRouteRef(catalogGraphRouteRef);

  const rootRef = graphRefOf(entity);
  const rootEntityName = useMemo(
    () => ({
      kind: entity.kind,
      namespace: entity.metadata.namespace ?? 'default',
      name: entity.metadata.name,
    }),
    [entity.kind, entity.metadata.namespace, entity.metadata.name],
  );
  // Stable identities for the graph's props: the plugin re-runs its
  // fetching and layout whenever they change.
  const relationsKey = relations.join(',');
  const kindsKey = kinds?.join(',');
  const stableRelations = useMemo(
    () => relationsKey.split(',').filter(Boolean),
    [relationsKey],
  );
  const stableKinds = useMemo(
    () => (kindsKey === undefined ? undefined : kindsKey.split(',')),
    [kindsKey],
  );

  const [state, setState] = useState<State>({ status: 'loading' });
  useEffect(() => {
    let cancelled = false;
    setState({ status: 'loading' });
    boundRelationsGraph({
      rootRef,
      relations: stableRelations,
      kinds: stableKinds,
      bounds: { maxDepth, maxNeighbours, maxNodes },
      fetchEntities: async entityRefs => {
        const { items } = await catalogApi.getEntitiesByRefs({
          entityRefs,
          fields: FIELDS,
        });
        return items as Array<GraphEntity | undefined>;
      },
    }).then(
      graph => !cancelled && setState({ status: 'ready', graph }),
      error => !cancelled && setState({ status: 'error', error }),
    );
    return () => {
      cancelled = true;
    };
  }, [
    catalogApi,
    rootRef,
    stableRelations,
    stableKinds,
    maxDepth,
    maxNeighbours,
    maxNodes,
  ]);

  const shown = state.status === 'ready' ? state.graph.shown : undefined;
  const entityFilter = useCallback(
    (candidate: GraphEntity) => shown?.has(graphRefOf(candidate)) ?? false,
    [shown],
  );

  const onNodeClick = useCallback(
    (node: EntityNode) => {
      const { kind, metadata } = node.entity;
      navigate(
        entityRoute({
          kind: kind.toLocaleLowerCase('en-US'),
          namespace: (metadata.namespace ?? 'default').toLocaleLowerCase(
            'en-US',
          ),
          name: metadata.name,
        }),
      );
    },
    [entityRoute, navigate],
  );

  const fullGraphUrl = `${catalogGraphRoute()}${fullGraphSearch({
    rootRef: `${entity.kind.toLocaleLowerCase('en-US')}:${
      rootEntityName.namespace
    }/${rootEntityName.name}`,
    maxDepth,
    relations: props.relations,
    kinds,
  })}`;

  let body;
  if (state.status === 'loading') {
    body = <Progress />;
  } else if (state.status === 'error') {
    body = <ResponseErrorPanel error={state.error} />;
  } else {
    const { related, shownRelated } = state.graph;
    body = (
      <>
        {shownRelated < related && (
          <Text as="p" variant="body-small" color="secondary">
            {`Showing ${shownRelated} of ${related} related entities (at most ${maxNeighbours} around each, ${maxDepth} relations deep). `}
            <Link href={fullGraphUrl}>Open the full graph</Link>
          </Text>
        )}
        <EntityRelationsGraph
          rootEntityNames={rootEntityName}
          maxDepth={maxDepth}
          relations={stableRelations}
          kinds={stableKinds}
          entityFilter={entityFilter}
          unidirectional
          mergeRelations
          direction={Direction.LEFT_RIGHT}
          zoom="enable-on-click"
          onNodeClick={onNodeClick}
          className={classes.graph}
        />
      </>
    );
  }

  return (
    <EntityInfoCard
      title={title}
      footerActions={
        <ButtonLink variant="tertiary" href={fullGraphUrl}>
          View graph
        </ButtonLink>
      }
    >
      {body}
    </EntityInfoCard>
  );
}
