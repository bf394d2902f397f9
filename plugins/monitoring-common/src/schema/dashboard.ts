/** A dashboard: its title and its panels, of either kind. */

import { describeValue } from '@gitops/descriptors-common';
import { z } from 'zod';
import { DECLARABLE_BUNDLES, findBundle } from '../bundles';
import { BundlePanelDeclaration, bundlePanelSchema } from './bundlePanel';
import { isMap, list, must, text } from './checks';
import {
  CUSTOM_METRIC_TEMPLATE,
  CustomMetricDeclaration,
  customMetricSchema,
} from './customMetric';
import { MONITORING_LIMITS } from './limits';

/** @public */
export type PanelDeclaration = BundlePanelDeclaration | CustomMetricDeclaration;

/** @public */
export interface DashboardDeclaration {
  /** Dashboard title, unique in the file. */
  readonly name: string;
  readonly panels: ReadonlyArray<PanelDeclaration>;
}

/** Every value a panel's `template` may take. */
export const PANEL_TEMPLATES: ReadonlyArray<string> = Object.freeze([
  CUSTOM_METRIC_TEMPLATE,
  ...DECLARABLE_BUNDLES,
]);

/** The message for a `template` that names no panel kind. */
export function unknownTemplateMessage(template: unknown): string {
  return template === undefined
    ? `template is required: one of ${PANEL_TEMPLATES.join(', ')}`
    : `unknown template ${describeValue(
        template,
      )}: expected one of ${PANEL_TEMPLATES.join(', ')}`;
}

const panelSchema = z.discriminatedUnion(
  'template',
  [
    customMetricSchema,
    ...DECLARABLE_BUNDLES.map(name => bundlePanelSchema(findBundle(name)!)),
  ],
  {
    error: issue => {
      const input = issue.input as { template?: unknown } | undefined;
      if (!isMap(input))
        return `a panel must be a map, got ${describeValue(input)}`;
      return unknownTemplateMessage(input.template);
    },
  },
);

/** The schema of one dashboard. */
export const dashboardSchema = z.strictObject(
  {
    name: text('name'),
    panels: list(
      panelSchema,
      'panels',
      MONITORING_LIMITS.panelsPerDashboard,
      'panels',
    ).min(1, 'a dashboard needs at least one panel'),
  },
  must('a dashboard', 'a map'),
);
