import { BackstageUserInfo } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';

/** The config key naming the platform group. */
export const PLATFORM_GROUP_CONFIG_KEY = 'gitops.permissions.platformGroup';

/**
 * Who is asking, as the rules see it: the signed-in user, the refs they
 * own through (themselves and their groups) and whether they belong to the
 * platform group.
 *
 * @public
 */
export interface GitopsPolicySubject {
  /** The signed-in user, e.g. `user:default/jane`. */
  readonly userEntityRef: string;
  /**
   * The user's ownership refs from their sign-in token: their own ref and
   * the groups they are a direct member of.
   */
  readonly ownershipEntityRefs: readonly string[];
  /** Whether the ownership refs include the platform group. */
  readonly isPlatform: boolean;
}

/**
 * The platform group configured at `gitops.permissions.platformGroup`, as a
 * lower-case entity ref (`group:default/platform`), or undefined when unset
 * (nobody is in the platform group).
 *
 * Throws, naming the key, when the value is not a group entity ref: a typo
 * there would otherwise silently make nobody a platform member.
 *
 * @public
 */
export function platformGroupFromConfig(config: Config): string | undefined {
  const value = config.getOptionalString(PLATFORM_GROUP_CONFIG_KEY);
  if (value === undefined) {
    return undefined;
  }
  let ref;
  try {
    ref = parseEntityRef(value, {
      defaultKind: 'group',
      defaultNamespace: 'default',
    });
  } catch (error) {
    throw new Error(
      `${PLATFORM_GROUP_CONFIG_KEY} must be a group entity ref such as group:default/platform, got '${value}': ${
        (error as Error).message
      }`,
    );
  }
  if (ref.kind.toLocaleLowerCase('en-US') !== 'group') {
    throw new Error(
      `${PLATFORM_GROUP_CONFIG_KEY} must name a group (group:<namespace>/<name>), got the ${ref.kind} '${value}'`,
    );
  }
  return normalizeRef(stringifyEntityRef(ref));
}

/**
 * Whether the ownership refs include the platform group. Entity refs
 * compare case-insensitively, as the catalog compares them.
 *
 * @param ownershipEntityRefs - the user's ownership refs (token's `ent`)
 * @param platformGroup - the platform group's ref; undefined: nobody is a member
 * @public
 */
export function isPlatformMember(
  ownershipEntityRefs: readonly string[],
  platformGroup: string | undefined,
): boolean {
  if (!platformGroup) {
    return false;
  }
  const group = normalizeRef(platformGroup);
  return ownershipEntityRefs.some(ref => normalizeRef(ref) === group);
}

/**
 * The {@link GitopsPolicySubject} of a signed-in user, from what the
 * backend's user info service says about them.
 *
 * @public
 */
export function policySubject(
  info: BackstageUserInfo,
  platformGroup: string | undefined,
): GitopsPolicySubject {
  return {
    userEntityRef: info.userEntityRef,
    ownershipEntityRefs: info.ownershipEntityRefs,
    isPlatform: isPlatformMember(info.ownershipEntityRefs, platformGroup),
  };
}

function normalizeRef(ref: string): string {
  return ref.toLocaleLowerCase('en-US');
}
