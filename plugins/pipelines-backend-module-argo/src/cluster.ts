import { STATUS_CODES } from 'node:http';
import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
} from '@kubernetes/client-node';

/**
 * How to reach the cluster that runs the Workflows (`pipelines.argo`).
 *
 * @public
 */
export interface ArgoClusterOptions {
  /** The Kubernetes API server, e.g. `https://kubernetes.example.com:6443`. */
  url: string;
  /** A service-account token, sent as `Authorization: Bearer`. Never logged. */
  serviceAccountToken: string;
  /** Base64 of the PEM CA certificate(s) of the API server. */
  caData?: string;
  /** Whether to accept any server certificate (tests and labs only). */
  skipTLSVerify?: boolean;
}

/** The two API groups the executor uses, both from `@kubernetes/client-node`. */
export interface ArgoClusterClients {
  customObjects: CustomObjectsApi;
  core: CoreV1Api;
}

export function createClusterClients(
  cluster: ArgoClusterOptions,
): ArgoClusterClients {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [
      {
        name: 'argo',
        server: cluster.url,
        caData: cluster.caData,
        skipTLSVerify: cluster.skipTLSVerify ?? false,
      },
    ],
    users: [{ name: 'argo', token: cluster.serviceAccountToken }],
    contexts: [{ name: 'argo', cluster: 'argo', user: 'argo' }],
    currentContext: 'argo',
  });
  return {
    customObjects: kubeConfig.makeApiClient(CustomObjectsApi),
    core: kubeConfig.makeApiClient(CoreV1Api),
  };
}

/**
 * One sentence for what went wrong in a call to the API server: the HTTP
 * status and the server's own `Status.message` when it answered, the
 * client's error otherwise. The token is cut out of whatever comes back.
 */
export function describeClusterError(error: unknown, token: string): string {
  let text: string;
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'number') {
    const body = (error as { body?: unknown }).body;
    const status = parseStatus(body);
    const reason = status?.reason ?? STATUS_CODES[code];
    text = `HTTP ${code}${reason ? ` ${reason}` : ''}${
      status?.message ? `: ${status.message}` : ''
    }`;
    if (code === 401) {
      // The client drops the body of a 401; say what to check.
      text +=
        ' (the service-account token was not accepted: check pipelines.argo.serviceAccountToken)';
    }
  } else {
    text = error instanceof Error ? error.message : String(error);
  }
  return redact(text, token);
}

function parseStatus(
  body: unknown,
): { reason?: string; message?: string } | undefined {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return body ? { message: body.slice(0, 500) } : undefined;
    }
  }
  if (value && typeof value === 'object') {
    const { reason, message } = value as Record<string, unknown>;
    return {
      reason: typeof reason === 'string' ? reason : undefined,
      message: typeof message === 'string' ? message : undefined,
    };
  }
  return undefined;
}

/** Removes every occurrence of a secret from a text meant for people. */
export function redact(text: string, secret: string): string {
  return secret ? text.split(secret).join('[redacted]') : text;
}
