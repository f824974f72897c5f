/** Result shapes shared by the statistics functions (all JSON-serialisable). */

export type Alternative = 'two-sided' | 'greater' | 'less';

/** A test result: the estimate with its CI, the statistic and p-value, the sample sizes and the method. */
export interface TestResult {
  readonly method: string;
  /** Sample sizes, one per group (or [n] for one-sample / regression). */
  readonly n: readonly number[];
  readonly estimate: number;
  /** What `estimate` is, e.g. 'mean(x) − mean(y)'. */
  readonly estimateName: string;
  readonly ci: readonly [number, number] | null;
  readonly confLevel: number;
  readonly statistic: number;
  readonly statisticName: string;
  readonly df: number | null;
  readonly p: number;
  readonly alternative: Alternative;
  readonly effectSize?: EffectSize;
}

export interface EffectSize {
  readonly name: string;
  readonly value: number;
  readonly ci: readonly [number, number] | null;
}
