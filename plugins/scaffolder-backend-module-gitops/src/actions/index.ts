export { createValidateDescriptorsAction } from './validateDescriptors';
export { createExpandPipelineAction } from './expandPipeline';
export type { PipelineWriteAs } from './expandPipeline';
export { createGenerateMonitoringAction } from './generateMonitoring';
export { createRenderDeploymentAction } from './renderDeployment';
