/**
 * The suite's validation and generators (validate, expand, render,
 * generate) as Backstage actions, for MCP clients and every other caller of
 * the actions registry, run with the caller's credentials.
 *
 * @packageDocumentation
 */

export { gitopsPlugin as default } from './plugin';
