/**
 * Safe, position-aware parsing of the suite's descriptor files.
 *
 * @packageDocumentation
 */

export * from './problems';
export * from './result';
export * from './order';
export * from './names';
export * from './duration';
export * from './output';
export * from './parseYaml';
export * from './descriptors';
export * from './descriptorSet';
export * from './validate';
export * from './catalogContext';
export * from './infrastructure';
export * from './metrics';
export * from './catalogInfo';
export * from './annotations';
