import fs from 'node:fs';
import path from 'node:path';

/**
 * The build sandbox: bubblewrap with a read-only view of the system's
 * programs and libraries (never `/` as a whole, so the backend's folders,
 * its `app-config*.yaml` and `.data/` do not exist inside), the workspace as
 * the only writable folder, a private `/tmp`, fresh namespaces (pid, ipc,
 * uts, cgroup, user, and network unless the action needs it), no
 * capabilities, and an environment holding only what the executor passes.
 */

/** Where the workspace appears inside the sandbox. */
export const SANDBOX_WORKSPACE = '/workspace';
/** HOME inside the sandbox: in the workspace, so npm's and Maven's caches last for the task. */
export const SANDBOX_HOME = `${SANDBOX_WORKSPACE}/.pipelines/home`;
/** The system's program folders on the sandbox's PATH, after the tools. */
export const SANDBOX_SYSTEM_PATH = ['/usr/local/bin', '/usr/bin', '/bin'];
/** The unprivileged user a step runs as (mapped to the backend's user outside). */
const SANDBOX_UID = '1000';

/** Top-level folders that merged-/usr systems keep as symlinks. */
const ROOT_LINKS = ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];

/**
 * What programs need from /etc: name resolution, TLS roots, users,
 * the dynamic linker's cache, Debian's alternatives (java, mvn) and the JDK's
 * and Maven's configuration. Nothing else of the host's /etc is visible.
 */
const ETC_ENTRIES = [
  'alternatives',
  'ca-certificates',
  'ca-certificates.conf',
  'gai.conf',
  'group',
  'host.conf',
  'hosts',
  'ld.so.cache',
  'ld.so.conf',
  'ld.so.conf.d',
  'localtime',
  'maven',
  'mime.types',
  'nsswitch.conf',
  'passwd',
  'resolv.conf',
  'ssl',
];

/** What one sandboxed process gets. */
export interface SandboxSpec {
  /** The host folder bound writable at {@link SANDBOX_WORKSPACE}. */
  workspace: string;
  /** Argument vector; argv[0] is looked up on env.PATH inside. */
  argv: string[];
  /** The whole environment of the process. */
  env: Record<string, string>;
  /** Host paths bound read-only at the same path. */
  readOnly: string[];
  /** Host paths bound read-only elsewhere: [host path, path inside]. */
  readOnlyAt?: Array<[string, string]>;
  network: boolean;
}

function exists(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/** bwrap's arguments for a spec, the command last. */
export function bwrapArguments(spec: SandboxSpec): string[] {
  const args: string[] = [
    '--unshare-all',
    ...(spec.network ? ['--share-net'] : []),
    // A user namespace even when the backend runs as root, so the step has
    // no capabilities and cannot remount the read-only binds.
    '--unshare-user',
    '--disable-userns',
    '--uid',
    SANDBOX_UID,
    '--gid',
    SANDBOX_UID,
    '--cap-drop',
    'ALL',
    '--die-with-parent',
    '--new-session',
    '--clearenv',
    '--ro-bind',
    '/usr',
    '/usr',
  ];
  for (const link of ROOT_LINKS) {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(link);
    } catch {
      continue;
    }
    if (stat.isSymbolicLink()) {
      args.push('--symlink', fs.readlinkSync(link), link);
    } else if (stat.isDirectory()) {
      args.push('--ro-bind', link, link);
    }
  }
  for (const entry of ETC_ENTRIES) {
    const p = path.join('/etc', entry);
    if (exists(p)) args.push('--ro-bind', p, p);
  }
  // The JDKs' configuration (/usr/lib/jvm/*/conf links into /etc/java-NN-*).
  for (const entry of safeReaddir('/etc')) {
    if (/^java-\d+/.test(entry)) {
      args.push('--ro-bind', `/etc/${entry}`, `/etc/${entry}`);
    }
  }
  // The private /tmp before the tools: a tool that lives under /tmp (a
  // checkout there) is bound on top of it instead of hidden by it.
  args.push('--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp');
  for (const tool of spec.readOnly) {
    if (!tool.startsWith('/usr/')) args.push('--ro-bind', tool, tool);
  }
  for (const [host, inside] of spec.readOnlyAt ?? []) {
    args.push('--ro-bind', host, inside);
  }
  args.push(
    '--bind',
    spec.workspace,
    SANDBOX_WORKSPACE,
    // The sandbox's own root (a tmpfs holding the mount points) read-only too.
    '--remount-ro',
    '/',
    '--chdir',
    SANDBOX_WORKSPACE,
  );
  for (const [name, value] of Object.entries(spec.env)) {
    args.push('--setenv', name, value);
  }
  args.push('--', ...spec.argv);
  return args;
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * The bwrap binary on the backend's PATH, or undefined when the Debian
 * package `bubblewrap` is not installed.
 */
export function findBwrap(
  searchPath = process.env.PATH ?? '',
): string | undefined {
  return findExecutable('bwrap', searchPath.split(path.delimiter));
}

/** The first executable file `name` in `dirs`. */
export function findExecutable(
  name: string,
  dirs: string[],
): string | undefined {
  if (name.includes('/')) return isExecutable(name) ? name : undefined;
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
