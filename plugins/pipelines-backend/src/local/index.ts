export { LocalExecutor } from './LocalExecutor';
export type {
  LocalExecutorFromConfigOptions,
  LocalExecutorOptions,
} from './LocalExecutor';
export { readLocalExecutorConfig, LOCAL_EXECUTOR_DEFAULTS } from './config';
export type { LocalActionConfig, LocalExecutorSettings } from './config';
