export interface Config {
  pipelines?: {
    /**
     * The Argo Workflows executor (`@gitops/plugin-pipelines-backend-module-argo`):
     * runs pipelines as Argo `Workflow`s in a Kubernetes cluster. Setting this
     * block adds the `argo` executor; `pipelines.executor: argo` makes it the
     * one that runs.
     */
    argo?: {
      /**
       * The cluster's Kubernetes API server, e.g.
       * `https://kubernetes.example.com:6443`. Plain `http` is refused unless
       * `skipTLSVerify` is set, since the token would cross the network in
       * clear text.
       */
      url: string;

      /**
       * A service-account token for the API server, sent as
       * `Authorization: Bearer`. It needs to create, get and patch
       * `workflows.argoproj.io` and get `pods/log` in the namespaces the
       * Workflows run in. Never logged, and cut out of every error message.
       * @visibility secret
       */
      serviceAccountToken: string;

      /**
       * Base64 of the PEM CA certificate(s) that signed the API server's
       * certificate (a kubeconfig's `certificate-authority-data`). Without
       * it, the system's trusted CAs are used.
       */
      caData?: string;

      /**
       * Accept any certificate from the API server. This makes the
       * connection open to anyone in the middle, who would then receive the
       * service-account token: only for a throwaway lab cluster, never in
       * production. Prefer `caData`.
       * @defaultValue false
       */
      skipTLSVerify?: boolean;

      /**
       * Namespace the Workflows are created in.
       * @defaultValue the component's name as a DNS label, as the rendered Argo Workflows files (`argo/<pipeline>.yaml`) use
       */
      namespace?: string;

      /**
       * Service account the Workflow's pods run as (`spec.serviceAccountName`).
       * @defaultValue the namespace's default service account, or the one the Argo controller is configured with
       */
      serviceAccountName?: string;

      /**
       * How often the Workflow's status is read while it runs, as a duration
       * from 1s to 5m such as `5s` or `1m`.
       * @defaultValue 5s
       */
      pollInterval?: string;
    };
  };
}
