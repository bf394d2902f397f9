import { stringify } from 'yaml';
import { GeneratedDashboard, MonitoringOutput } from './generate';

const HEADER =
  '# Generated from monitoring-info.yaml by @gitops/plugin-monitoring-common; do not edit.\n';

// lineWidth 0: PromQL must not be folded over lines.
const toYaml = (value: unknown) =>
  HEADER + stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });

/**
 * The Prometheus rule file, as YAML for `promtool check rules` and a
 * PrometheusRule's `spec`.
 *
 * @public
 */
export function rulesToYaml(output: MonitoringOutput): string {
  return toYaml(output.prometheusRules);
}

/**
 * The Alertmanager configuration, as YAML for `amtool check-config`.
 *
 * @public
 */
export function routesToYaml(output: MonitoringOutput): string {
  return toYaml(output.alertmanagerRoutes);
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

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map(key => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}

/**
 * A generated file, path relative to the output folder.
 *
 * @public
 */
export interface MonitoringFile {
  readonly path: string;
  readonly content: string;
}

/**
 * The file set a monitoring sink consumes, the same for the CLI and the
 * scaffolder action: `dashboards/<uid>.json`, `prometheus/rules.yaml` and
 * `alertmanager/routes.yaml`, sorted by path.
 *
 * @public
 */
export function monitoringFiles(output: MonitoringOutput): MonitoringFile[] {
  return [
    ...output.dashboards.map(d => ({
      path: `dashboards/${d.uid}.json`,
      content: dashboardToJson(d),
    })),
    { path: 'prometheus/rules.yaml', content: rulesToYaml(output) },
    { path: 'alertmanager/routes.yaml', content: routesToYaml(output) },
  ].sort((a, b) => a.path.localeCompare(b.path));
}
