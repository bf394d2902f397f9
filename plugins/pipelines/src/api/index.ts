export { pipelinesApiRef } from './PipelinesApi';
export type {
  ExpandedPipeline,
  FollowLogHandlers,
  ListRunsRequest,
  LogSubscription,
  PipelinesApi,
} from './PipelinesApi';
export { PipelinesClient } from './PipelinesClient';
