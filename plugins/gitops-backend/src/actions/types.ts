import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { CatalogService } from '@backstage/plugin-catalog-node';

/** What the gitops actions need from the backend. */
export interface GitopsActionsOptions {
  readonly actionsRegistry: ActionsRegistryService;
  readonly catalog: CatalogService;
}

/**
 * Every gitops action only reads: the caller's files and, with their
 * credentials, the catalog. Nothing is written anywhere.
 */
export const READ_ONLY = Object.freeze({
  readOnly: true,
  idempotent: true,
  destructive: false,
});
