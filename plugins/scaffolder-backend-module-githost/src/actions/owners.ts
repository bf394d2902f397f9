/**
 * Who may create a repository under which githost owner. A repository's
 * owner is the `<owner>` segment of `<base>/<owner>/<name>`: a single name
 * with no namespace, standing for the group `group:default/<owner>` (a
 * team's repositories) or the user `user:default/<owner>` (a user's own).
 */

/** The user publishing, as the sign-in resolver described them. */
export interface Publisher {
  /** `user:default/jane` */
  userEntityRef: string;
  /** The user and the groups they are a member of (the token's `ent`). */
  ownershipEntityRefs: string[];
}

/** Whether {@link mayPublishUnder} lets the publisher create the repository. */
export type PublishDecision =
  | { allowed: true; as: 'owner' | 'platform' }
  | { allowed: false; reason: string };

/** The entity refs an owner name stands for, group first. */
export function ownerEntityRefs(owner: string): [string, string] {
  return [`group:default/${owner}`, `user:default/${owner}`];
}

/**
 * A group given in config by ref (`group:default/platform`) or by name
 * (`platform`, a group of the default namespace), lower-cased as the
 * catalog compares refs.
 */
export function groupRef(value: string): string {
  const colon = value.indexOf(':');
  const kind = colon < 0 ? 'group' : value.slice(0, colon);
  const rest = value.slice(colon + 1);
  const name = rest.includes('/') ? rest : `default/${rest}`;
  return `${kind}:${name}`.toLowerCase();
}

/**
 * Whether `publisher` may create a repository under `owner`: when the owner
 * is one of their groups (or themselves), or when they are a member of the
 * platform group. The refusal names the owner and the publisher's groups.
 */
export function mayPublishUnder(
  owner: string,
  publisher: Publisher,
  platformGroup?: string,
): PublishDecision {
  const theirs = new Set(
    publisher.ownershipEntityRefs.map(ref => ref.toLowerCase()),
  );
  const [asGroup, asUser] = ownerEntityRefs(owner.toLowerCase());
  if (theirs.has(asGroup) || theirs.has(asUser)) {
    return { allowed: true, as: 'owner' };
  }
  const platform = platformGroup ? groupRef(platformGroup) : undefined;
  if (platform && theirs.has(platform)) {
    return { allowed: true, as: 'platform' };
  }
  const groups = publisher.ownershipEntityRefs.filter(ref =>
    ref.toLowerCase().startsWith('group:'),
  );
  return {
    allowed: false,
    reason: [
      `${publisher.userEntityRef} may not create a repository under ${owner}:`,
      `it stands for ${asGroup} (or ${asUser}), and`,
      groups.length
        ? `their groups are ${groups.join(', ')}`
        : 'they are a member of no group',
      platform
        ? `(members of ${platform} may publish under any owner)`
        : '(no platform group is configured: gitops.permissions.platformGroup)',
    ].join(' '),
  };
}
