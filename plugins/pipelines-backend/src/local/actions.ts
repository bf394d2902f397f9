import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { LocalActionConfig } from './config';
import { findExecutable, SANDBOX_SYSTEM_PATH } from './sandbox';

/**
 * The action registry: what runs locally for an action image. Configured
 * entries (`pipelines.local.actions`) first, then the built-in ones for
 * every action the seed and the suite's build templates use.
 */

/** What a step's action resolves to. */
export type ResolvedAction =
  | {
      kind: 'process';
      description: string;
      /** The argument vector's start, argv[0] resolved to a path. */
      command: string[];
      /** Host paths bound read-only; folders among them go first on PATH. */
      tools: string[];
      network: boolean;
      env: Record<string, string>;
    }
  | { kind: 'image-publish'; description: string }
  | { kind: 'static-publish'; description: string }
  | { kind: 'deploy-note'; description: string }
  | { kind: 'unavailable'; message: string };

/** The app-config key of an image's registry entry. */
export function actionConfigKey(image: string): string {
  return `pipelines.local.actions["${image}"]`;
}

const NODE_MAJORS = [20, 22, 24];
const JAVA_MAJORS = [11, 17, 21, 25];
/** Debian's trust store, which holds any CA the machine's admin added. */
const SYSTEM_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

function npmEnvironment(): Record<string, string> {
  return {
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    // Node.js trusts only its own CA list; the system's is the one a
    // TLS-inspecting proxy's CA is added to.
    ...(fs.existsSync(SYSTEM_CA_BUNDLE)
      ? { NODE_EXTRA_CA_CERTS: SYSTEM_CA_BUNDLE }
      : {}),
  };
}

/** Options of the registry; the defaults look at this machine. */
export interface ActionRegistryOptions {
  configured: ReadonlyMap<string, LocalActionConfig>;
  /** Node.js installations to consider: the backend's own first. */
  nodeCandidates?: string[];
  /** Where JDKs are installed. */
  jvmRoot?: string;
}

export class ActionRegistry {
  private readonly configured: ReadonlyMap<string, LocalActionConfig>;
  private readonly nodeCandidates: string[];
  private readonly jvmRoot: string;
  private nodeVersions?: Map<string, number>;

  constructor(options: ActionRegistryOptions) {
    this.configured = options.configured;
    this.nodeCandidates = options.nodeCandidates ?? [
      process.execPath,
      ...(process.env.PATH ?? '')
        .split(path.delimiter)
        .filter(Boolean)
        .map(dir => path.join(dir, 'node')),
    ];
    this.jvmRoot = options.jvmRoot ?? '/usr/lib/jvm';
  }

  /** Resolves an image name (without tag, see `actionImageName`). */
  resolve(image: string): ResolvedAction {
    const configured = this.configured.get(image);
    if (configured) {
      return this.processAction(image, {
        description: configured.description ?? `${image} (configured)`,
        command: configured.command,
        tools: configured.tools ?? [],
        network: configured.network ?? false,
        env: configured.env ?? {},
      });
    }
    const name = image.startsWith('action-containers/')
      ? image.slice('action-containers/'.length)
      : undefined;
    const node = name && /^node(\d+)$/.exec(name);
    if (node && NODE_MAJORS.includes(Number(node[1]))) {
      return this.nodeAction(image, Number(node[1]));
    }
    const mvn = name && /^mvn-java(\d+)$/.exec(name);
    if (mvn && JAVA_MAJORS.includes(Number(mvn[1]))) {
      return this.mavenAction(image, Number(mvn[1]));
    }
    switch (name) {
      case 'image-publish':
        return {
          kind: 'image-publish',
          description:
            'builds an OCI image layout of the build output with umoci',
        };
      case 'static-publish':
        return {
          kind: 'static-publish',
          description: "copies the built site to the executor's publish folder",
        };
      case 'deploy':
        return {
          kind: 'deploy-note',
          description: 'records the deploy request (no deployer is installed)',
        };
      case 'techdocs':
        return this.processAction(image, {
          description: 'TechDocs CLI',
          command: ['techdocs-cli'],
          tools: [],
          network: false,
          env: {},
        });
      case 'db-migrate':
        return this.processAction(image, {
          description: 'database migrations',
          command: ['db-migrate'],
          tools: [],
          network: false,
          env: {},
        });
      default:
        return {
          kind: 'unavailable',
          message: `Action "${image}" has no local implementation: set ${actionConfigKey(
            image,
          )} in app-config.yaml to the command that runs it.`,
        };
    }
  }

  private processAction(
    image: string,
    action: Omit<Extract<ResolvedAction, { kind: 'process' }>, 'kind'>,
  ): ResolvedAction {
    const [tool, ...rest] = action.command;
    const dirs = [
      ...action.tools.filter(t => isDirectory(t)),
      ...SANDBOX_SYSTEM_PATH,
    ];
    const resolved = findExecutable(tool, dirs);
    if (!resolved) {
      return {
        kind: 'unavailable',
        message: `Action "${image}" needs the tool "${tool}", which is not installed on this machine (looked in ${dirs.join(
          ', ',
        )}): install it, or set ${actionConfigKey(
          image,
        )} in app-config.yaml to the command that runs this action.`,
      };
    }
    return { kind: 'process', ...action, command: [resolved, ...rest] };
  }

  private nodeAction(image: string, major: number): ResolvedAction {
    const node = this.findNode(major);
    if (!node) {
      return {
        kind: 'unavailable',
        message: `Action "${image}" needs Node.js ${major}, which is not installed on this machine (the backend runs Node.js ${
          process.versions.node
        }): install it, or set ${actionConfigKey(
          image,
        )} in app-config.yaml with its bin folder in "tools".`,
      };
    }
    const bin = path.dirname(node);
    // npm beside that node, else the system's (a script run by the node
    // found first on PATH, which is this one).
    return this.processAction(image, {
      description: `npm with Node.js ${major}`,
      command: [findExecutable('npm', [bin]) ?? 'npm'],
      tools: [bin],
      network: true,
      env: npmEnvironment(),
    });
  }

  private mavenAction(image: string, major: number): ResolvedAction {
    const jdk = this.findJdk(major);
    if (!jdk) {
      return {
        kind: 'unavailable',
        message: `Action "${image}" needs a Java ${major} JDK, which is not installed on this machine (looked in ${
          this.jvmRoot
        }): install it, or set ${actionConfigKey(image)} in app-config.yaml.`,
      };
    }
    return this.processAction(image, {
      description: `Maven with Java ${major}`,
      command: ['mvn', '--batch-mode'],
      tools: [path.join(jdk, 'bin')],
      network: true,
      env: { JAVA_HOME: jdk },
    });
  }

  private findNode(major: number): string | undefined {
    if (!this.nodeVersions) {
      this.nodeVersions = new Map();
      for (const candidate of this.nodeCandidates) {
        if (this.nodeVersions.has(candidate)) continue;
        try {
          const version = execFileSync(candidate, ['--version'], {
            encoding: 'utf8',
            env: {},
            timeout: 10_000,
          });
          const m = /^v(\d+)\./.exec(version.trim());
          if (m) this.nodeVersions.set(candidate, Number(m[1]));
        } catch {
          // not a working node
        }
      }
    }
    for (const [candidate, version] of this.nodeVersions) {
      if (version === major) return candidate;
    }
    return undefined;
  }

  private findJdk(major: number): string | undefined {
    let entries: string[];
    try {
      entries = fs.readdirSync(this.jvmRoot).sort();
    } catch {
      return undefined;
    }
    const pattern = new RegExp(
      `^(?:java|temurin|jdk)-(?:1\\.)?${major}(?:[.-]|$)`,
    );
    for (const entry of entries) {
      const dir = path.join(this.jvmRoot, entry);
      if (
        pattern.test(entry) &&
        findExecutable('java', [path.join(dir, 'bin')])
      ) {
        return dir;
      }
    }
    return undefined;
  }
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
