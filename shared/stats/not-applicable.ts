/** Raised when a statistic cannot be computed for the given input (scipy would return NaN). */
export class NotApplicableError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "NotApplicableError";
  }
}
