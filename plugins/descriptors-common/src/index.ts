/**
 * Safe, position-aware parsing of the suite's descriptor files.
 *
 * @packageDocumentation
 */

export * from './problems';
export * from './parseYaml';
export * from './descriptors';
export * from './descriptorSet';
export * from './validate';
export * from './catalogContext';
export * from './infrastructure';
export * from './metrics';
export * from './catalogInfo';
export * from './annotations';
