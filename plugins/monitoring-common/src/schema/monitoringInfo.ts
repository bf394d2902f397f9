/** The top level of monitoring-info.yaml: its version and its components. */

import {
  describeValue,
  DNS_LABEL,
  DNS_LABEL_RULE,
  formatDataPath,
} from '@gitops/descriptors-common';
import { z } from 'zod';
import { dashboardUid, sameUidMessage } from '../dashboard';
import { isMap, list, must } from './checks';
import { DashboardDeclaration, dashboardSchema } from './dashboard';
import { MONITORING_LIMITS } from './limits';

/** The only `metadata.schemaVersion` this package reads. @public */
export const MONITORING_SCHEMA_VERSION = 5;

/**
 * A parsed monitoring-info.yaml.
 *
 * @public
 */
export interface MonitoringInfo {
  readonly metadata: { readonly schemaVersion: 5 };
  /** Dashboards by component name. */
  readonly components: Readonly<
    Record<string, ReadonlyArray<DashboardDeclaration>>
  >;
}

const componentsSchema = z
  .record(
    z.string(),
    list(
      dashboardSchema,
      'the component',
      MONITORING_LIMITS.dashboardsPerComponent,
      'dashboards',
    ).min(1, 'a component needs at least one dashboard'),
    must('components', 'a map of component name to dashboards'),
  )
  .check(
    // Names are checked here rather than by a key schema, which would skip
    // the dashboards of a badly named component.
    z.superRefine(
      (components, ctx) => {
        if (!isMap(components)) return;
        const names = Object.keys(components);
        if (names.length === 0) {
          ctx.addIssue({
            code: 'custom',
            message: 'components is empty: declare at least one component',
          });
        } else if (names.length > MONITORING_LIMITS.components) {
          ctx.addIssue({
            code: 'custom',
            message: `components holds ${names.length} components, more than the limit of ${MONITORING_LIMITS.components}`,
          });
        }
        for (const name of names.filter(n => !DNS_LABEL.test(n))) {
          ctx.addIssue({
            code: 'custom',
            path: [name],
            params: { at: 'key' },
            message: `component name ${describeValue(
              name,
            )} is not a DNS label: ${DNS_LABEL_RULE}`,
          });
        }
      },
      { when: () => true },
    ),
  );

/**
 * Dashboard titles must be unique (Grafana keys them per folder), and so
 * must the uids made of them (a uid names the dashboard and its file).
 */
function checkUniqueNames(
  info: { components?: unknown },
  ctx: z.RefinementCtx,
) {
  const names = new Map<string, string>();
  const uids = new Map<string, string>();
  const components = info.components;
  if (!isMap(components)) return;
  for (const [component, dashboards] of Object.entries(components)) {
    if (!Array.isArray(dashboards)) continue;
    dashboards.forEach((dashboard: { name?: unknown }, i) => {
      const name = dashboard?.name;
      if (typeof name !== 'string') return;
      const path = ['components', component, i, 'name'];
      const first = names.get(name);
      if (first) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: `dashboard name ${describeValue(
            name,
          )} is already used by ${first}`,
        });
        return;
      }
      const where = formatDataPath(['components', component, i]);
      names.set(name, where);
      const uid = dashboardUid(component, name);
      const same = uids.get(uid);
      if (same) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: sameUidMessage(name, uid, same),
        });
      } else {
        uids.set(uid, where);
      }
    });
  }
}

/**
 * The zod schema of monitoring-info.yaml: strict (unknown keys are errors),
 * with the bundle library's templates, panel ids and settings.
 *
 * @public
 */
export const monitoringInfoSchema: z.ZodType<MonitoringInfo> = z
  .strictObject(
    {
      metadata: z.strictObject(
        {
          schemaVersion: z.literal(MONITORING_SCHEMA_VERSION, {
            error: issue =>
              issue.input === undefined
                ? `schemaVersion is required: this generator reads version ${MONITORING_SCHEMA_VERSION}`
                : `schemaVersion ${describeValue(
                    issue.input,
                  )} is not supported: this generator reads version ${MONITORING_SCHEMA_VERSION}`,
          }),
        },
        must('metadata', 'a map'),
      ),
      components: componentsSchema,
    },
    must('monitoring-info.yaml', 'a map with metadata and components'),
  )
  .check(z.superRefine(checkUniqueNames, { when: () => true }));
