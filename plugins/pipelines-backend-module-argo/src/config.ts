import type { Config } from '@backstage/config';
import { Duration, isDnsLabel } from '@gitops/descriptors-common';
import type { ArgoClusterOptions } from './cluster';

/**
 * Everything `pipelines.argo` configures.
 *
 * @public
 */
export interface ArgoExecutorConfig {
  /** How to reach the cluster's API server. */
  cluster: ArgoClusterOptions;
  /**
   * Namespace of the Workflows.
   * @defaultValue the component's name as a DNS label
   */
  namespace?: string;
  /** Service account the Workflow's pods run as. */
  serviceAccountName?: string;
  /** How often the Workflow's status is read, in milliseconds. */
  pollIntervalMs: number;
}

/** The default of `pipelines.argo.pollInterval`. */
export const DEFAULT_POLL_INTERVAL = Duration.seconds(5);

const KEY = 'pipelines.argo';

/**
 * Reads `pipelines.argo`; a missing or malformed key stops the backend
 * with a message naming it.
 *
 * @public
 */
export function readArgoExecutorConfig(config: Config): ArgoExecutorConfig {
  const argo = config.getConfig(KEY);
  const url = argo.getString('url');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(
      `${KEY}.url must be a URL such as https://k8s.example.com:6443, got ${JSON.stringify(
        url,
      )}`,
    );
  }
  const skipTLSVerify = argo.getOptionalBoolean('skipTLSVerify') ?? false;
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new Error(
      `${KEY}.url must be an https URL, got ${JSON.stringify(url)}`,
    );
  }
  if (parsed.protocol === 'http:' && !skipTLSVerify) {
    throw new Error(
      `${KEY}.url is plain http (${url}): the service-account token would cross the network unencrypted; use https, or set ${KEY}.skipTLSVerify for a lab cluster`,
    );
  }
  const caData = argo.getOptionalString('caData');
  if (caData !== undefined) {
    const pem = Buffer.from(caData, 'base64').toString('utf8');
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
      throw new Error(
        `${KEY}.caData must be the base64 of PEM certificates (a kubeconfig's certificate-authority-data)`,
      );
    }
  }
  const namespace = argo.getOptionalString('namespace');
  if (namespace !== undefined && !isDnsLabel(namespace)) {
    throw new Error(
      `${KEY}.namespace must be a DNS label, got ${JSON.stringify(namespace)}`,
    );
  }
  const pollText = argo.getOptionalString('pollInterval');
  const poll =
    pollText === undefined ? DEFAULT_POLL_INTERVAL : Duration.parse(pollText);
  if (!poll || poll.isLongerThan(Duration.minutes(5))) {
    throw new Error(
      `${KEY}.pollInterval must be a duration from 1s to 5m, such as 5s, got ${JSON.stringify(
        pollText,
      )}`,
    );
  }
  return {
    cluster: {
      url,
      serviceAccountToken: argo.getString('serviceAccountToken'),
      caData,
      skipTLSVerify,
    },
    namespace,
    serviceAccountName: argo.getOptionalString('serviceAccountName'),
    pollIntervalMs: poll.seconds * 1000,
  };
}
