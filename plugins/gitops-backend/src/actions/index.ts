import { registerExpandPipelineAction } from './expandPipeline';
import { registerGenerateMonitoringAction } from './generateMonitoring';
import { registerRenderDeploymentAction } from './renderDeployment';
import { GitopsActionsOptions } from './types';
import { registerValidateDescriptorsAction } from './validateDescriptors';

export type { GitopsActionsOptions } from './types';

/**
 * Registers the gitops actions with the actions registry: the suite's
 * validation and generators, for MCP clients and any other caller of the
 * actions service.
 */
export function registerGitopsActions(options: GitopsActionsOptions) {
  registerValidateDescriptorsAction(options);
  registerExpandPipelineAction(options);
  registerRenderDeploymentAction(options);
  registerGenerateMonitoringAction(options);
}
