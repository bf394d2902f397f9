import { PolicyDecision } from '@backstage/plugin-permission-common';
import { PolicyQuery } from '@backstage/plugin-permission-node';
import { GitopsPolicySubject } from '../subject';
import { entityOwnerRule } from './entityOwner';
import { EVERY_USER_PERMISSIONS, everyUserRule, readRule } from './everyUser';
import { PLATFORM_ONLY_PERMISSIONS, platformOnlyRule } from './platformOnly';
import { taskCreatorRule } from './taskCreator';
import { DENY, GitopsPolicyRule } from './types';

/**
 * The suite's rules, in the order they are asked (specific before general):
 * scaffolder tasks for their creator, the platform group's permissions,
 * entity writes for the owners, reads for everyone, then running templates
 * and registering components for everyone. Anything else is refused.
 *
 * @public
 */
export const gitopsPolicyRules: readonly GitopsPolicyRule[] = [
  taskCreatorRule,
  platformOnlyRule(PLATFORM_ONLY_PERMISSIONS),
  entityOwnerRule,
  readRule,
  everyUserRule(EVERY_USER_PERMISSIONS),
];

/**
 * The first decision of the rules, or a refusal when none decides: a
 * permission the policy does not know is refused unless it is a read, so a
 * plugin added later cannot write until the policy says who may.
 *
 * @public
 */
export function decidePermission(
  request: PolicyQuery,
  subject: GitopsPolicySubject,
  rules: readonly GitopsPolicyRule[] = gitopsPolicyRules,
): PolicyDecision {
  for (const rule of rules) {
    const decision = rule(request, subject);
    if (decision) {
      return decision;
    }
  }
  return DENY;
}

export { entityOwnerDecision, entityOwnerRule } from './entityOwner';
export { EVERY_USER_PERMISSIONS, everyUserRule, readRule } from './everyUser';
export { PLATFORM_ONLY_PERMISSIONS, platformOnlyRule } from './platformOnly';
export { taskCreatorDecision, taskCreatorRule } from './taskCreator';
export type { GitopsPolicyRule } from './types';
