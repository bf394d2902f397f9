/**
 * The one duration type of the suite: metric windows, measurement
 * intervals, canary pauses. Written the way Prometheus and Argo Rollouts
 * read them (`30s`, `5m`, `1h`).
 */

/** Units a duration is written in, smallest first. @public */
export type DurationUnit = 's' | 'm' | 'h' | 'd';

const UNIT_SECONDS: Readonly<Record<DurationUnit, number>> = Object.freeze({
  s: 1,
  m: 60,
  h: 3600,
  d: 86400,
});

/** The units, largest first, for formatting. */
const LARGEST_FIRST: ReadonlyArray<DurationUnit> = ['d', 'h', 'm', 's'];

/**
 * A whole, positive number of seconds. Immutable; made by a validating
 * factory, so an instance is always valid.
 *
 * @public
 */
export class Duration {
  private constructor(
    /** The length in seconds, a positive whole number. */
    readonly seconds: number,
  ) {}

  /**
   * A duration of `value` units, or a reason why there is none: `value`
   * must be a positive whole number.
   */
  static of(
    value: number,
    unit: DurationUnit,
  ): { ok: true; value: Duration } | { ok: false; reason: string } {
    if (!Number.isInteger(value) || value <= 0) {
      return {
        ok: false,
        reason: `a duration must be a positive whole number of ${unitName(
          unit,
        )}, not ${value}`,
      };
    }
    const seconds = value * UNIT_SECONDS[unit];
    if (!Number.isSafeInteger(seconds)) {
      return { ok: false, reason: `${value}${unit} is too long` };
    }
    return { ok: true, value: new Duration(seconds) };
  }

  /** `n` seconds; throws on a value that is not a positive whole number (for constants). */
  static seconds(n: number): Duration {
    return Duration.must(n, 's');
  }

  /** `n` minutes; throws on a value that is not a positive whole number (for constants). */
  static minutes(n: number): Duration {
    return Duration.must(n, 'm');
  }

  /** `n` hours; throws on a value that is not a positive whole number (for constants). */
  static hours(n: number): Duration {
    return Duration.must(n, 'h');
  }

  /**
   * Reads `30s`, `5m`, `1h` or `2d` (one number and one unit, as
   * descriptors write them); undefined for anything else.
   */
  static parse(text: string): Duration | undefined {
    const m = /^([1-9][0-9]{0,9})([smhd])$/.exec(text);
    if (!m) return undefined;
    const result = Duration.of(Number(m[1]), m[2] as DurationUnit);
    return result.ok ? result.value : undefined;
  }

  private static must(n: number, unit: DurationUnit): Duration {
    const result = Duration.of(n, unit);
    if (!result.ok) throw new RangeError(result.reason);
    return result.value;
  }

  /** This duration times a positive whole factor. */
  times(factor: number): Duration {
    return Duration.must(this.seconds * factor, 's');
  }

  /** Whether this duration is longer than another. */
  isLongerThan(other: Duration): boolean {
    return this.seconds > other.seconds;
  }

  /**
   * The duration in its largest whole unit, as Prometheus range selectors
   * and Argo Rollouts read it: `300` seconds is `5m`, `90` is `90s`.
   */
  toString(): string {
    for (const unit of LARGEST_FIRST) {
      const size = UNIT_SECONDS[unit];
      if (this.seconds % size === 0) return `${this.seconds / size}${unit}`;
    }
    return `${this.seconds}s`;
  }
}

function unitName(unit: DurationUnit): string {
  return { s: 'seconds', m: 'minutes', h: 'hours', d: 'days' }[unit];
}
