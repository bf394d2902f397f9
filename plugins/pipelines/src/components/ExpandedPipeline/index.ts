export { ExpandedPipelineView } from './ExpandedPipelineView';
