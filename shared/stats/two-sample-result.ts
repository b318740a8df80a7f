/** Outcome of a two-sample test: its statistic and p-value, as the matching scipy function reports them. */
export interface TwoSampleTestResult {
  readonly statistic: number;
  readonly pValue: number;
}
