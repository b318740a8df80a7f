/**
 * An alert action that can never succeed as configured (a target the deployment was not granted, a
 * webhook answering 404, an alias with no earlier version): it is audited as failed and not retried,
 * since a redelivery would fail the same way.
 */
export class ActionRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ActionRefusedError";
  }
}

/**
 * Client faults that pass with time: throttling the SDK's own retries did not outlast, a function
 * being updated, an alias changed since it was read (its revision id no longer matches).
 */
const TRANSIENT_CLIENT_ERRORS: ReadonlySet<string> = new Set([
  "ThrottlingException",
  "TooManyRequestsException",
  "TooManyUpdates",
  "ResourceConflictException",
  "PreconditionFailedException",
]);

/**
 * The error an AWS call failed with, as a refusal when it is the caller's fault for good (access
 * denied, no such function, parameter or endpoint, an invalid request), else unchanged: server
 * faults and network errors may pass on a redelivery. SageMaker refuses to change an endpoint that is
 * still updating with a ValidationException; that one passes too.
 */
export function refusalOrTransient(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const fault = (error as Error & { $fault?: string }).$fault;
  if (fault !== "client" || TRANSIENT_CLIENT_ERRORS.has(error.name)) return error;
  if (error.name === "ValidationException" && /in.?progress|updating/i.test(error.message)) return error;
  return new ActionRefusedError(`${error.name}: ${error.message}`);
}
