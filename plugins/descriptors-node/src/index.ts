/**
 * Node-side reading and validation of a service repository's descriptors.
 *
 * @packageDocumentation
 */

export * from './repository';
export * from './load';
export * from './validate';
export * from './sources';
export * from './pipeline';
export * from './deployment';
export * from './monitoring';
export * from './actionSchemas';
export * from './runtime';
