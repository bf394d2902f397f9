import { mockServices } from '@backstage/backend-test-utils';
import type { JsonObject } from '@backstage/types';
import { readArgoExecutorConfig } from './config';

const CA = Buffer.from(
  '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
).toString('base64');

function read(argo: JsonObject) {
  return readArgoExecutorConfig(
    mockServices.rootConfig({ data: { pipelines: { argo } } }),
  );
}

describe('readArgoExecutorConfig', () => {
  it('reads every key, with a 5s poll by default', () => {
    expect(
      read({
        url: 'https://k8s.example.com:6443',
        serviceAccountToken: 'token',
        caData: CA,
        namespace: 'ci',
        serviceAccountName: 'pipeline-runner',
      }),
    ).toEqual({
      cluster: {
        url: 'https://k8s.example.com:6443',
        serviceAccountToken: 'token',
        caData: CA,
        skipTLSVerify: false,
      },
      namespace: 'ci',
      serviceAccountName: 'pipeline-runner',
      pollIntervalMs: 5000,
    });
    expect(
      read({ url: 'https://k', serviceAccountToken: 't', pollInterval: '1m' })
        .pollIntervalMs,
    ).toBe(60000);
  });

  it.each([
    [
      { url: 'https://k' },
      "Missing required config value at 'pipelines.argo.serviceAccountToken'",
    ],
    [
      { url: 'not a url', serviceAccountToken: 't' },
      'pipelines.argo.url must be a URL such as https://k8s.example.com:6443, got "not a url"',
    ],
    [
      { url: 'http://k', serviceAccountToken: 't' },
      'pipelines.argo.url is plain http (http://k): the service-account token would cross the network unencrypted; use https, or set pipelines.argo.skipTLSVerify for a lab cluster',
    ],
    [
      {
        url: 'https://k',
        serviceAccountToken: 't',
        caData: 'bm90IGEgY2VydA==',
      },
      "pipelines.argo.caData must be the base64 of PEM certificates (a kubeconfig's certificate-authority-data)",
    ],
    [
      { url: 'https://k', serviceAccountToken: 't', namespace: 'CI_Builds' },
      'pipelines.argo.namespace must be a DNS label, got "CI_Builds"',
    ],
    [
      { url: 'https://k', serviceAccountToken: 't', pollInterval: 'often' },
      'pipelines.argo.pollInterval must be a duration from 1s to 5m, such as 5s, got "often"',
    ],
  ])('refuses %j', (argo, message) => {
    expect(() => read(argo)).toThrow(message);
  });

  it('never puts the token in a message', () => {
    expect(() =>
      read({ url: 'ftp://k', serviceAccountToken: 'secret-token' }),
    ).toThrow(/^pipelines\.argo\.url must be an https URL, got "ftp:\/\/k"$/);
  });
});
