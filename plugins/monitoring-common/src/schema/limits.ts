/**
 * Size limits of a monitoring-info.yaml, so one file cannot make thousands
 * of dashboards or alerts.
 *
 * @public
 */
export const MONITORING_LIMITS = Object.freeze({
  components: 50,
  dashboardsPerComponent: 20,
  panelsPerDashboard: 100,
  groupByLabels: 10,
  textLength: 200,
  /** Largest `window_value`, whatever the unit. */
  windowValue: 1000,
});
