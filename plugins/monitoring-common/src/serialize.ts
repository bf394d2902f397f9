/**
 * The one serialisation of the generator's output: the files a monitoring
 * sink consumes, written unchanged by the CLI and the scaffolder action.
 */

import {
  compareStrings,
  GeneratedFile,
  sortFiles,
  toYaml,
} from '@gitops/descriptors-common';
import type { GeneratedDashboard } from './dashboard';
import type { MonitoringOutput } from './generate';

const HEADER =
  '# Generated from monitoring-info.yaml by @gitops/plugin-monitoring-common; do not edit.\n';

/**
 * The Prometheus rule file, as YAML for `promtool check rules` and a
 * PrometheusRule's `spec`.
 *
 * @public
 */
export function rulesToYaml(output: MonitoringOutput): string {
  return HEADER + toYaml(output.prometheusRules);
}

/**
 * The Alertmanager configuration, as YAML for `amtool check-config`.
 *
 * @public
 */
export function routesToYaml(output: MonitoringOutput): string {
  return HEADER + toYaml(output.alertmanagerRoutes);
}

/**
 * A dashboard as pretty JSON with keys sorted at every level, so that
 * regenerating it gives a byte-identical file.
 *
 * @public
 */
export function dashboardToJson(dashboard: GeneratedDashboard): string {
  return `${JSON.stringify(sortKeys(dashboard.json), null, 2)}\n`;
}

/** A copy with the keys of every map in {@link compareStrings} order. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort(compareStrings)
      .map(key => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}

/**
 * The file set a monitoring sink consumes, the same for the CLI and the
 * scaffolder action: `dashboards/<uid>.json`, `prometheus/rules.yaml` and
 * `alertmanager/routes.yaml`, sorted by path.
 *
 * @public
 */
export function monitoringFiles(output: MonitoringOutput): GeneratedFile[] {
  return sortFiles([
    ...output.dashboards.map(d => ({
      path: `dashboards/${d.uid}.json`,
      content: dashboardToJson(d),
    })),
    { path: 'prometheus/rules.yaml', content: rulesToYaml(output) },
    { path: 'alertmanager/routes.yaml', content: routesToYaml(output) },
  ]);
}
