import { UserInfoService } from '@backstage/backend-plugin-api';
import { PolicyDecision } from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { decidePermission, gitopsPolicyRules } from './rules';
import { DENY, GitopsPolicyRule } from './rules/types';
import { policySubject } from './subject';

/**
 * Options of {@link GitopsPermissionPolicy}.
 *
 * @public
 */
export interface GitopsPermissionPolicyOptions {
  /**
   * Entity ref of the platform group (see `platformGroupFromConfig`).
   * Undefined: nobody is in the platform group.
   */
  readonly platformGroup?: string;
  /** Where a signed-in user's ownership refs come from. */
  readonly userInfo: UserInfoService;
  /**
   * The rules, asked in order, the first decision winning.
   * @defaultValue gitopsPolicyRules
   */
  readonly rules?: readonly GitopsPolicyRule[];
}

/**
 * The suite's permission policy: {@link gitopsPolicyRules} for every
 * signed-in user, a refusal for requests without one. Backend-to-backend
 * requests never reach a policy (the permission framework allows them).
 *
 * @public
 */
export class GitopsPermissionPolicy implements PermissionPolicy {
  readonly #platformGroup: string | undefined;
  readonly #userInfo: UserInfoService;
  readonly #rules: readonly GitopsPolicyRule[];

  constructor(options: GitopsPermissionPolicyOptions) {
    this.#platformGroup = options.platformGroup;
    this.#userInfo = options.userInfo;
    this.#rules = options.rules ?? gitopsPolicyRules;
  }

  /** The rules' decision for a signed-in user; a refusal without one. */
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (!user) {
      return DENY;
    }
    // The user info service, not the deprecated `user.info`.
    const info = await this.#userInfo.getUserInfo(user.credentials);
    return decidePermission(
      request,
      policySubject(info, this.#platformGroup),
      this.#rules,
    );
  }
}
