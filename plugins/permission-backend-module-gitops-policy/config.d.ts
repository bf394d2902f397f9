export interface Config {
  gitops?: {
    /** The suite's permission policy (`permission-backend-module-gitops-policy`). */
    permissions?: {
      /**
       * Entity ref of the platform group, e.g. `group:default/platform` (a
       * bare name such as `platform` means a group in the `default`
       * namespace). Its direct members, those whose sign-in token lists
       * the group among their ownership refs, may do everything: delete and
       * refresh any entity, unregister locations, read and cancel anyone's
       * scaffolder tasks, run dry-runs and the template editor, and use
       * Backstage's Kubernetes proxy. Membership is not inherited: the
       * members of a team whose parent is the platform group are not
       * platform members.
       *
       * Unset, nobody is in the platform group: the owner rules still apply
       * (owners delete and refresh their own entities, creators read and
       * cancel their own tasks), and what is reserved to the platform group
       * (unregistering locations, dry-runs and the template editor, the
       * Kubernetes proxy, managing catalog ingestion) is refused to
       * everyone. Production must set it.
       * @defaultValue unset (nobody is in the platform group)
       */
      platformGroup?: string;
    };
  };
}
