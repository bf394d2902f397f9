/**
 * Node library of the pipelines plugin: the executor contract and the
 * extension points through which modules add executors (Argo Workflows) and
 * in-process step actions (deploy, monitoring publish).
 *
 * @packageDocumentation
 */

export * from './executor';
export * from './stepActions';
export * from './extensions';
