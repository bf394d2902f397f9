import {
  catalogEntityCreatePermission,
  catalogEntityValidatePermission,
  catalogLocationAnalyzePermission,
  catalogLocationCreatePermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  actionExecutePermission,
  taskCreatePermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import { ALLOW, GitopsPolicyRule } from './types';

/**
 * Every permission whose `action` attribute is `read`, for every signed-in
 * user: the catalog's entities and locations, templates' parameters and
 * steps, Kubernetes resources and clusters. A read that must be narrower
 * (a scaffolder task's) has its own rule before this one.
 *
 * @public
 */
export const readRule: GitopsPolicyRule = ({ permission }) =>
  permission.attributes.action === 'read' ? ALLOW : undefined;

/**
 * The writes every signed-in user may do, by name: running templates
 * (`scaffolder.task.create` and the steps' `scaffolder.action.execute`; the
 * actions check their own inputs, such as `publish:githost`'s owner), and
 * registering components (`catalog.location.create`, which templates do on
 * the user's behalf, with `catalog.location.analyze`,
 * `catalog.entity.create` and `catalog.entity.validate`).
 *
 * @public
 */
export const EVERY_USER_PERMISSIONS: readonly string[] = [
  taskCreatePermission.name,
  actionExecutePermission.name,
  catalogLocationCreatePermission.name,
  catalogLocationAnalyzePermission.name,
  catalogEntityCreatePermission.name,
  catalogEntityValidatePermission.name,
];

/**
 * The named permissions: allowed for every signed-in user.
 *
 * @param names - permission names, {@link EVERY_USER_PERMISSIONS} in the suite's policy
 * @public
 */
export function everyUserRule(names: readonly string[]): GitopsPolicyRule {
  const open = new Set(names);
  return ({ permission }) => (open.has(permission.name) ? ALLOW : undefined);
}
