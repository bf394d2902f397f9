/**
 * Container image references, following the grammar of
 * `github.com/distribution/reference`: `[domain/]path[:tag][@digest]`.
 */

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const PATH = `${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST =
  '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';

const REFERENCE = new RegExp(
  `^(?:(${DOMAIN})/)?(${PATH})(?::(${TAG}))?(?:@(${DIGEST}))?$`,
);
const REGISTRY = new RegExp(`^${DOMAIN}(?:/${PATH})?$`);

/** The longest repository name a registry accepts. */
const MAX_NAME_LENGTH = 255;

/**
 * A parsed container image reference. Immutable; {@link ImageReference.parse}
 * is the only way to make one, so every instance is valid.
 *
 * @public
 */
export class ImageReference {
  private constructor(
    /** Registry host (and port), e.g. `europe-docker.pkg.dev`; absent for Docker Hub short names. */
    readonly domain: string | undefined,
    /** Repository path inside the registry, e.g. `my-project/images/example-app`. */
    readonly path: string,
    /** The tag, e.g. `1.27`; absent when the reference has none. */
    readonly tag: string | undefined,
    /** The digest, e.g. `sha256:…`; absent when the reference has none. */
    readonly digest: string | undefined,
  ) {}

  /**
   * Parses a reference, or returns undefined when the text is not one
   * (spaces, shell metacharacters, uppercase paths, `..`, ...).
   */
  static parse(text: string): ImageReference | undefined {
    const m = REFERENCE.exec(text);
    if (!m) return undefined;
    let domain: string | undefined = m[1];
    let path = m[2];
    // Without a dot, colon or `localhost` the first segment is a path on
    // Docker Hub (`library/nginx`), as Docker itself reads it.
    if (
      domain !== undefined &&
      !/[.:]/.test(domain) &&
      domain !== 'localhost' &&
      domain === domain.toLowerCase()
    ) {
      path = `${domain}/${path}`;
      domain = undefined;
    }
    const ref = new ImageReference(domain, path, m[3], m[4]);
    return ref.repository.length <= MAX_NAME_LENGTH ? ref : undefined;
  }

  /** Whether text is a registry prefix such as `europe-docker.pkg.dev/my-project/images`. */
  static isRegistry(text: string): boolean {
    return REGISTRY.test(text) && text.length < MAX_NAME_LENGTH;
  }

  /** `domain/path`, or `path` for Docker Hub short names. */
  get repository(): string {
    return this.domain ? `${this.domain}/${this.path}` : this.path;
  }

  /**
   * Pins the image to a commit, the rule Tugboat applies to every container:
   * a digest or a tag other than `latest` stays as written (a third-party
   * image the team chose a version of); no tag or `latest` becomes the
   * commit, with `registry` in front when the reference names no registry.
   */
  pinnedTo(commit: string, registry?: string): ImageReference {
    if (this.digest || (this.tag && this.tag !== 'latest')) return this;
    if (this.domain || !registry) {
      return new ImageReference(this.domain, this.path, commit, undefined);
    }
    const slash = registry.indexOf('/');
    return slash < 0
      ? new ImageReference(registry, this.path, commit, undefined)
      : new ImageReference(
          registry.slice(0, slash),
          `${registry.slice(slash + 1)}/${this.path}`,
          commit,
          undefined,
        );
  }

  toString(): string {
    return `${this.repository}${this.tag ? `:${this.tag}` : ''}${
      this.digest ? `@${this.digest}` : ''
    }`;
  }
}
