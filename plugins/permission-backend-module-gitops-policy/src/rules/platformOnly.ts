import {
  catalogIngestionManagePermission,
  catalogLocationDeletePermission,
} from '@backstage/plugin-catalog-common/alpha';
import { kubernetesProxyPermission } from '@backstage/plugin-kubernetes-common';
import {
  templateDryRunPermission,
  templateManagementPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import { ALLOW, DENY, GitopsPolicyRule } from './types';

/**
 * The permissions only the platform group has, by name:
 *
 * - `scaffolder.template.dry-run`: a dry-run runs the steps of a template
 *   sent in the request, with the backend's integrations and credentials;
 * - `scaffolder.template.management`: the template editor and the custom
 *   field explorer, whose only use is those dry-runs;
 * - `kubernetes.proxy`: Backstage's proxy to the clusters' API, with the
 *   backend's cluster credentials;
 * - `catalog.location.delete`: unregistering a location removes every
 *   entity it produced, which may belong to several owners, and the catalog
 *   asks without saying which location, so no owner rule can apply (owners
 *   delete their own entities instead);
 * - `catalog.ingestion.manage`: pausing and resetting entity providers.
 *
 * @public
 */
export const PLATFORM_ONLY_PERMISSIONS: readonly string[] = [
  templateDryRunPermission.name,
  templateManagementPermission.name,
  kubernetesProxyPermission.name,
  catalogLocationDeletePermission.name,
  catalogIngestionManagePermission.name,
];

/**
 * The named permissions: allowed for the platform group, refused to
 * everyone else.
 *
 * @param names - permission names, {@link PLATFORM_ONLY_PERMISSIONS} in the suite's policy
 * @public
 */
export function platformOnlyRule(names: readonly string[]): GitopsPolicyRule {
  const reserved = new Set(names);
  return ({ permission }, subject) => {
    if (!reserved.has(permission.name)) {
      return undefined;
    }
    return subject.isPlatform ? ALLOW : DENY;
  };
}
