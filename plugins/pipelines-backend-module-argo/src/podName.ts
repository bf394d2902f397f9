import type { ArgoNodeStatus } from './status';

/** Annotation the controller sets on a Workflow: which pod naming it used. */
export const POD_NAME_FORMAT_ANNOTATION =
  'workflows.argoproj.io/pod-name-format';

/** Kubernetes resource names are at most 253 characters. */
const MAX_NAME_LENGTH = 253;
/** Room Argo keeps for `-` and the hash after the prefix. */
const HASH_ROOM = 10;

/**
 * The name of the pod Argo Workflows made for a `Pod` node, as the
 * controller derives it (`workflow/util/pod_name.go` in argoproj/argo-workflows;
 * the UI's `pod-name.ts` does the same): in the `v2` format (the default
 * since Argo 3.4) `<workflow>-<template>-<fnv32a(node name)>`, the prefix cut
 * to leave room for the hash; in the `v1` format the node id.
 */
export function argoPodName(
  workflowName: string,
  node: Pick<ArgoNodeStatus, 'id' | 'name' | 'templateName'>,
  format: string | undefined,
): string {
  if (format === 'v1' || !node.templateName) return node.id;
  if (workflowName === node.name) return workflowName;
  let prefix = `${workflowName}-${node.templateName}`;
  const maxPrefix = MAX_NAME_LENGTH - HASH_ROOM - 1;
  if (prefix.length > maxPrefix) prefix = prefix.slice(0, maxPrefix);
  return `${prefix}-${fnv32a(node.name)}`;
}

/** 32-bit FNV-1a of the UTF-8 bytes, as Go's `hash/fnv` `New32a`. */
export function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  }
  return hash;
}
