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
  GRPC_SERVER_ERROR_CODES,
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
export {
  ALERTMANAGER_SECRETS_DIR,
  CUSTOM_METRIC_DEFAULTS,
  dashboardUid,
  DEFAULT_RECEIVER,
  generateMonitoring,
  legendFormat,
  severityForTier,
} from './generate';
export type {
  AlertmanagerConfig,
  AlertmanagerReceiver,
  AlertmanagerRoute,
  AlertSeverity,
  GeneratedDashboard,
  MonitoringOutput,
  PrometheusAlertRule,
  PrometheusRuleFile,
} from './generate';
export {
  dashboardToJson,
  monitoringFiles,
  routesToYaml,
  rulesToYaml,
} from './serialize';
export type { MonitoringFile } from './serialize';
