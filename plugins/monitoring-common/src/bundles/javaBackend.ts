import {
  GRPC_SERVER_ERROR_CODES,
  grpcServerErrorMatcher,
} from '@gitops/descriptors-common';
import { alertSetting, errorRatioThreshold, p99Ms, POD, rate } from './helpers';
import { Bundle } from './types';

/**
 * `javaBackend`: a Java gRPC server, instrumented with java-grpc-prometheus
 * and Micrometer JVM metrics. Its gRPC queries honour `exclude_hm`.
 */
export const javaBackend: Bundle = {
  name: 'javaBackend',
  title: 'gRPC server and JVM',
  description:
    'A Java gRPC service instrumented with java-grpc-prometheus and Micrometer JVM metrics.',
  declarable: true,
  servesTraffic: true,
  panels: [
    {
      id: 'grpc/server/request-rate',
      title: 'gRPC request rate',
      description: 'Calls handled per second, by method.',
      unit: 'reqps',
      legend: '{{grpc_method}}',
      query: q =>
        `sum by (grpc_method) (${rate(
          'grpc_server_handled_total',
          q.selectServed(),
        )})`,
      settings: {},
    },
    {
      id: 'grpc/server/rpc-error-ratio',
      title: 'gRPC error ratio',
      // The canary analysis counts the same codes as failures.
      description: `Share of calls ending with a server error code (${GRPC_SERVER_ERROR_CODES.join(
        ', ',
      )}).`,
      unit: 'percentunit',
      legend: 'errors',
      query: q =>
        `sum(${rate(
          'grpc_server_handled_total',
          q.selectServed(grpcServerErrorMatcher('errors')),
        )}) / sum(${rate('grpc_server_handled_total', q.selectServed())})`,
      ...errorRatioThreshold,
    },
    {
      id: 'grpc/server/rpc-latency',
      title: 'gRPC latency p99',
      description: '99th percentile of the time to handle a call.',
      unit: 'ms',
      legend: 'p99',
      query: q =>
        p99Ms('grpc_server_handling_seconds_bucket', 'le', q.selectServed()),
      settings: {
        threshold_ms: {
          kind: 'milliseconds',
          default: 1000,
          description: 'p99 latency above which the panel turns red.',
        },
        alert: alertSetting(true),
      },
      threshold: { setting: 'threshold_ms', operator: '>' },
    },
    {
      id: 'jvm/heap',
      title: 'JVM heap used',
      description: 'Heap memory in use, by pod.',
      unit: 'bytes',
      legend: `{{${POD}}}`,
      query: q =>
        `sum by (${POD}) (jvm_memory_used_bytes{${q.select({
          area: 'heap',
        })}})`,
      settings: {},
    },
    {
      id: 'jvm/gc-pause',
      title: 'JVM GC pause time',
      description: 'Share of time spent in garbage-collection pauses, by pod.',
      unit: 'percentunit',
      legend: `{{${POD}}}`,
      query: q =>
        `sum by (${POD}) (${rate('jvm_gc_pause_seconds_sum', q.select())})`,
      settings: {
        threshold_ratio: {
          kind: 'ratio',
          default: 0.1,
          description: 'Share of time paused above which the panel turns red.',
        },
        alert: alertSetting(false),
      },
      threshold: { setting: 'threshold_ratio', operator: '>' },
    },
    {
      id: 'jvm/threads',
      title: 'JVM live threads',
      description: 'Live threads, by pod.',
      unit: 'short',
      legend: `{{${POD}}}`,
      query: q => `sum by (${POD}) (jvm_threads_live_threads{${q.select()}})`,
      settings: {},
    },
  ],
};
