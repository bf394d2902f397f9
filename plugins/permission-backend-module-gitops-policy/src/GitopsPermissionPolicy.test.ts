import { BackstageUserInfo } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  catalogEntityCreatePermission,
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogEntityRefreshPermission,
  catalogIngestionManagePermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
  catalogLocationReadPermission,
} from '@backstage/plugin-catalog-common/alpha';
import { permissionRules } from '@backstage/plugin-catalog-backend/alpha';
import {
  kubernetesClustersReadPermission,
  kubernetesProxyPermission,
  kubernetesResourcesReadPermission,
} from '@backstage/plugin-kubernetes-common';
import {
  AuthorizeResult,
  Permission,
  PolicyDecision,
  createPermission,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  actionExecutePermission,
  taskCancelPermission,
  taskCreatePermission,
  taskReadPermission,
  templateDryRunPermission,
  templateManagementPermission,
  templateParameterReadPermission,
  templateStepReadPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import {
  pipelinesRunReadPermission,
  pipelinesRunTriggerPermission,
} from '@gitops/plugin-pipelines-common';
import { GitopsPermissionPolicy } from './GitopsPermissionPolicy';
import {
  GitopsPolicyRule,
  entityOwnerRule,
  gitopsPolicyRules,
  platformOnlyRule,
} from './rules';
import { platformGroupFromConfig } from './subject';

const PLATFORM = 'group:default/platform';

/** Who signs in, with the ownership refs their token would carry. */
const directory: Record<string, BackstageUserInfo> = {
  owner: {
    userEntityRef: 'user:default/owner-a',
    ownershipEntityRefs: ['user:default/owner-a', 'group:default/team-a'],
  },
  other: {
    userEntityRef: 'user:default/nobody',
    ownershipEntityRefs: ['user:default/nobody'],
  },
  platform: {
    userEntityRef: 'user:default/admin',
    ownershipEntityRefs: ['user:default/admin', PLATFORM],
  },
};
type Who = keyof typeof directory;

const userInfo = {
  async getUserInfo(credentials: any) {
    const info = Object.values(directory).find(
      i => i.userEntityRef === credentials.principal.userEntityRef,
    );
    if (!info) throw new Error('unknown user');
    return info;
  },
};

function policy(options: {
  platformGroup?: string;
  rules?: GitopsPolicyRule[];
}) {
  return new GitopsPermissionPolicy({ userInfo, ...options });
}

async function decide(
  permission: Permission,
  who: Who,
  p = policy({ platformGroup: PLATFORM }),
): Promise<PolicyDecision> {
  const info = directory[who];
  return p.handle(
    { permission },
    { credentials: mockCredentials.user(info.userEntityRef), info },
  );
}

/** team-a's service, as the catalog would hand it to a conditional decision. */
const teamAService: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'service-a' },
  spec: { owner: 'team-a' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/team-a' }],
};
// The catalog's own evaluation of its conditions.
const catalogAuthorizes = createConditionAuthorizer(
  Object.values(permissionRules),
);

const ALLOW: PolicyDecision = { result: AuthorizeResult.ALLOW };
const DENY: PolicyDecision = { result: AuthorizeResult.DENY };

describe('GitopsPermissionPolicy', () => {
  it.each([
    catalogEntityReadPermission,
    catalogLocationReadPermission,
    templateParameterReadPermission,
    templateStepReadPermission,
    kubernetesResourcesReadPermission,
    kubernetesClustersReadPermission,
  ])('lets every signed-in user read: $name', async permission => {
    for (const who of ['owner', 'other', 'platform'] as const) {
      expect(await decide(permission, who)).toEqual(ALLOW);
    }
  });

  it.each([
    taskCreatePermission,
    actionExecutePermission,
    catalogLocationCreatePermission,
    catalogEntityCreatePermission,
  ])(
    'lets every signed-in user run templates and register components: $name',
    async permission => {
      expect(await decide(permission, 'other')).toEqual(ALLOW);
    },
  );

  it.each([catalogEntityDeletePermission, catalogEntityRefreshPermission])(
    '$name: the entity owners through the catalog, the platform group always',
    async permission => {
      const owner = await decide(permission, 'owner');
      expect(owner).toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditions: {
          rule: 'IS_ENTITY_OWNER',
          resourceType: 'catalog-entity',
          params: {
            claims: ['user:default/owner-a', 'group:default/team-a'],
          },
        },
      });
      expect(catalogAuthorizes(owner, teamAService)).toBe(true);
      expect(
        catalogAuthorizes(await decide(permission, 'other'), teamAService),
      ).toBe(false);
      expect(await decide(permission, 'platform')).toEqual(ALLOW);
    },
  );

  it.each([taskReadPermission, taskCancelPermission])(
    '$name: the task creator through the scaffolder, the platform group always',
    async permission => {
      expect(await decide(permission, 'other')).toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'scaffolder',
        resourceType: 'scaffolder-task',
        conditions: {
          rule: 'IS_TASK_OWNER',
          resourceType: 'scaffolder-task',
          params: { createdBy: ['user:default/nobody'] },
        },
      });
      expect(await decide(permission, 'platform')).toEqual(ALLOW);
    },
  );

  it.each([
    templateDryRunPermission,
    templateManagementPermission,
    kubernetesProxyPermission,
    catalogLocationDeletePermission,
    catalogIngestionManagePermission,
  ])('$name: the platform group only', async permission => {
    expect(await decide(permission, 'owner')).toEqual(DENY);
    expect(await decide(permission, 'other')).toEqual(DENY);
    expect(await decide(permission, 'platform')).toEqual(ALLOW);
  });

  it("applies the owner rule to the runtime's permissions on entities without naming them", async () => {
    // The pipelines plugin's own permission, and one a later plugin adds.
    const trigger = pipelinesRunTriggerPermission;
    const rollback = createPermission({
      name: 'test.deployment.rollback',
      resourceType: 'catalog-entity',
      attributes: {},
    });
    for (const permission of [trigger, rollback]) {
      const owner = await decide(permission, 'owner');
      expect(owner).toMatchObject({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'catalog',
      });
      expect(catalogAuthorizes(owner, teamAService)).toBe(true);
      expect(
        catalogAuthorizes(await decide(permission, 'other'), teamAService),
      ).toBe(false);
      expect(await decide(permission, 'platform')).toEqual(ALLOW);
    }
    // Reading a run is a read like any other.
    expect(await decide(pipelinesRunReadPermission, 'other')).toEqual(ALLOW);
  });

  it('refuses a write it does not know, to everyone but never a read', async () => {
    const write = createPermission({
      name: 'test.thing.delete',
      attributes: { action: 'delete' },
    });
    const unnamed = createPermission({ name: 'test.thing.do', attributes: {} });
    const read = createPermission({
      name: 'test.thing.read',
      attributes: { action: 'read' },
    });
    expect(await decide(write, 'platform')).toEqual(DENY);
    expect(await decide(unnamed, 'owner')).toEqual(DENY);
    expect(await decide(read, 'other')).toEqual(ALLOW);
  });

  it('refuses everything to a request without a signed-in user', async () => {
    const p = policy({ platformGroup: PLATFORM });
    expect(await p.handle({ permission: catalogEntityReadPermission })).toEqual(
      DENY,
    );
  });

  it('without a platform group, keeps the owner rules and refuses what was reserved', async () => {
    const p = policy({});
    expect(await decide(templateDryRunPermission, 'platform', p)).toEqual(DENY);
    expect(
      await decide(catalogEntityDeletePermission, 'platform', p),
    ).toMatchObject({ result: AuthorizeResult.CONDITIONAL });
    expect(
      catalogAuthorizes(
        await decide(catalogEntityDeletePermission, 'owner', p),
        teamAService,
      ),
    ).toBe(true);
  });

  it('recognises the platform group whatever the case of its ref', async () => {
    const p = policy({ platformGroup: 'Group:Default/Platform' });
    expect(await decide(kubernetesProxyPermission, 'platform', p)).toEqual(
      ALLOW,
    );
  });

  it("composes with a team's own rules, which come first", async () => {
    // team-a also gets the Kubernetes proxy; the rest is the suite's.
    const teamAProxy: GitopsPolicyRule = ({ permission }, subject) =>
      permission.name === kubernetesProxyPermission.name &&
      subject.ownershipEntityRefs.includes('group:default/team-a')
        ? ALLOW
        : undefined;
    const p = policy({
      platformGroup: PLATFORM,
      rules: [teamAProxy, ...gitopsPolicyRules],
    });
    expect(await decide(kubernetesProxyPermission, 'owner', p)).toEqual(ALLOW);
    expect(await decide(kubernetesProxyPermission, 'other', p)).toEqual(DENY);
    expect(await decide(templateDryRunPermission, 'owner', p)).toEqual(DENY);
    // A rule is a plain function, usable on its own in another policy.
    const subject = {
      userEntityRef: 'user:default/x',
      ownershipEntityRefs: [],
      isPlatform: true,
    };
    expect(
      entityOwnerRule({ permission: catalogEntityReadPermission }, subject),
    ).toBeUndefined();
    expect(
      platformOnlyRule(['test.thing.do'])(
        {
          permission: createPermission({
            name: 'test.thing.do',
            attributes: {},
          }),
        },
        subject,
      ),
    ).toEqual(ALLOW);
  });
});

describe('platformGroupFromConfig', () => {
  const read = (platformGroup?: unknown) =>
    platformGroupFromConfig(
      mockServices.rootConfig({
        data:
          platformGroup === undefined
            ? {}
            : { gitops: { permissions: { platformGroup } } },
      }),
    );

  it('reads a group ref, a bare name meaning a group in the default namespace', () => {
    expect(read('group:default/platform')).toBe('group:default/platform');
    expect(read('platform')).toBe('group:default/platform');
    expect(read('group:ops/SRE')).toBe('group:ops/sre');
  });

  it('is undefined when unset: nobody is in the platform group', () => {
    expect(read()).toBeUndefined();
  });

  it('refuses a ref that is not a group, naming the key', () => {
    expect(() => read('user:default/admin')).toThrow(
      "gitops.permissions.platformGroup must name a group (group:<namespace>/<name>), got the user 'user:default/admin'",
    );
    expect(() => read('group:default/')).toThrow(
      /^gitops\.permissions\.platformGroup must be a group entity ref such as group:default\/platform, got 'group:default\/'/,
    );
  });
});
