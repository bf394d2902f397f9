export { RelationsGraphCard } from './RelationsGraphCard';
export type { RelationsGraphCardProps } from './RelationsGraphCard';
export { boundRelationsGraph, DEFAULT_BOUNDS, graphRefOf } from './boundGraph';
export type {
  BoundedGraph,
  FetchEntities,
  GraphEntity,
  RelationsGraphBounds,
} from './boundGraph';
