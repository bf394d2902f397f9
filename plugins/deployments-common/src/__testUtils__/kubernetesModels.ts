// The upstream schema packages (ESM only; Jest resolves them through
// scripts/jest-esm-resolver.js, configured in package.json).
export * as core from 'kubernetes-models/v1';
export * as apps from 'kubernetes-models/apps/v1';
export * as rollouts from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1';
