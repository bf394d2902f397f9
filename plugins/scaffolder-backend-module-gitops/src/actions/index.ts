export { createValidateDescriptorsAction } from './validateDescriptors';
export { createExpandPipelineAction } from './expandPipeline';
