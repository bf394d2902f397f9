/**
 * The suite's permission policy, a module of the permission backend: every
 * signed-in user reads and runs templates; deleting and refreshing an
 * entity (and any permission declared on `catalog-entity` resources) is for
 * its owners and the platform group; a scaffolder task is read and
 * cancelled by its creator and the platform group; dry-runs, the template
 * editor, unregistering locations and the Kubernetes proxy are for the
 * platform group. The rules are exported to compose a policy of one's own.
 *
 * @packageDocumentation
 */

export { permissionModuleGitopsPolicy as default } from './module';
export { permissionModuleGitopsPolicy } from './module';
export { GitopsPermissionPolicy } from './GitopsPermissionPolicy';
export type { GitopsPermissionPolicyOptions } from './GitopsPermissionPolicy';
export {
  EVERY_USER_PERMISSIONS,
  PLATFORM_ONLY_PERMISSIONS,
  decidePermission,
  entityOwnerDecision,
  entityOwnerRule,
  everyUserRule,
  gitopsPolicyRules,
  platformOnlyRule,
  readRule,
  taskCreatorDecision,
  taskCreatorRule,
} from './rules';
export type { GitopsPolicyRule } from './rules';
export {
  isPlatformMember,
  platformGroupFromConfig,
  policySubject,
} from './subject';
export type { GitopsPolicySubject } from './subject';
