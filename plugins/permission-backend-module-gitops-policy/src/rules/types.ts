import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { PolicyQuery } from '@backstage/plugin-permission-node';
import { GitopsPolicySubject } from '../subject';

/**
 * One rule of the policy: the decision for the permissions it is about, or
 * undefined for the others, which the next rule decides. The policy asks
 * its rules in order and the first decision wins, so specific rules come
 * before general ones (a task's read before "every user may read").
 *
 * @public
 */
export type GitopsPolicyRule = (
  request: PolicyQuery,
  subject: GitopsPolicySubject,
) => PolicyDecision | undefined;

export const ALLOW: PolicyDecision = { result: AuthorizeResult.ALLOW };
export const DENY: PolicyDecision = { result: AuthorizeResult.DENY };
