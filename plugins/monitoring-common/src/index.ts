/**
 * MMA for Backstage: a service's monitoring-info.yaml generated into Grafana
 * dashboards, Prometheus alerting rules and Alertmanager routes.
 *
 * @packageDocumentation
 */

export {
  CUSTOM_METRIC_TEMPLATE,
  MONITORING_LIMITS,
  MONITORING_SCHEMA_VERSION,
  monitoringInfoSchema,
} from './schema';
export type {
  AggregationType,
  AlertAction,
  BundleOverrides,
  BundlePanelDeclaration,
  CustomMetricDeclaration,
  DashboardDeclaration,
  MonitoringInfo,
  PanelDeclaration,
  ThresholdType,
  WindowUnit,
} from './schema';
export { parseMonitoringInfo } from './parse';
export {
  BUNDLE_WINDOW,
  BUNDLES,
  bundleQueryContext,
  DECLARABLE_BUNDLES,
  findBundle,
  GRPC_HEALTH_SERVICE,
  panelSettings,
} from './bundles';
export type {
  Bundle,
  BundlePanel,
  BundleQueryContext,
  BundleSetting,
  BundleSettingKind,
  ThresholdOperator,
} from './bundles';
export { GENERATE_INPUT, generateMonitoring } from './generate';
export type { MonitoringOutput } from './generate';
export { CUSTOM_METRIC_DEFAULTS, legendFormat } from './panels';
export { DASHBOARD_UID_MAX_LENGTH, dashboardUid } from './dashboard';
export type { GeneratedDashboard } from './dashboard';
export { severityForTier } from './alertRules';
export type {
  AlertSeverity,
  PrometheusAlertRule,
  PrometheusRuleFile,
} from './alertRules';
export { ALERTMANAGER_SECRETS_DIR, DEFAULT_RECEIVER } from './alertmanager';
export type {
  AlertmanagerConfig,
  AlertmanagerReceiver,
  AlertmanagerRoute,
} from './alertmanager';
export {
  dashboardToJson,
  monitoringFiles,
  routesToYaml,
  rulesToYaml,
} from './serialize';
