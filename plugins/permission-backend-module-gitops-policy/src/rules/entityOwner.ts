import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  PolicyDecision,
  ResourcePermission,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import { GitopsPolicySubject } from '../subject';
import { ALLOW, GitopsPolicyRule } from './types';

/**
 * Allowed for the platform group; for everyone else a conditional decision
 * that the plugin owning the entity evaluates: allowed when the entity is
 * owned by the user or one of their groups (`IS_ENTITY_OWNER` over the
 * user's ownership refs).
 *
 * @public
 */
export function entityOwnerDecision(
  permission: ResourcePermission<typeof RESOURCE_TYPE_CATALOG_ENTITY>,
  subject: GitopsPolicySubject,
): PolicyDecision {
  if (subject.isPlatform) {
    return ALLOW;
  }
  return createCatalogConditionalDecision(
    permission,
    catalogConditions.isEntityOwner({
      claims: [...subject.ownershipEntityRefs],
    }),
  );
}

/**
 * Every permission on one entity other than reading it (its `action`
 * attribute is not `read`): for the entity's owners and the platform group,
 * through {@link entityOwnerDecision}.
 *
 * Keyed by the resource type, not by names, so that it covers the catalog's
 * `catalog.entity.delete` and `catalog.entity.refresh` as well as any
 * permission a plugin declares on `catalog-entity` resources, such as the
 * runtime's trigger, cancel, deploy and roll back: declare them with
 * `resourceType: 'catalog-entity'` and authorize with the entity as
 * `resourceRef`, and they follow the owner rule with no change here.
 *
 * @public
 */
export const entityOwnerRule: GitopsPolicyRule = ({ permission }, subject) => {
  if (!isResourcePermission(permission, RESOURCE_TYPE_CATALOG_ENTITY)) {
    return undefined;
  }
  if (permission.attributes.action === 'read') {
    return undefined;
  }
  return entityOwnerDecision(permission, subject);
};
