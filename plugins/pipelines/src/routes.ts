import { createRouteRef } from '@backstage/core-plugin-api';

/**
 * The CI/CD tab. Its run pages are sub-routes within the tab
 * (`runs/:runId`), so a run's address is the tab's plus `runs/<id>`.
 *
 * @public
 */
export const rootRouteRef = createRouteRef({ id: 'pipelines' });
