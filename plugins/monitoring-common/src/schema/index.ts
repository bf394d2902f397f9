/**
 * The language of monitoring-info.yaml, one file per concept: custom metric
 * panels, bundle panels, dashboards and the top level.
 */

export { MONITORING_LIMITS } from './limits';
export * from './customMetric';
export type { BundleOverrides, BundlePanelDeclaration } from './bundlePanel';
export * from './dashboard';
export * from './monitoringInfo';
