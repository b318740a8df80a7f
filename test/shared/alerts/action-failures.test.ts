import { describe, expect, it } from "vitest";
import { ActionRefusedError, refusalOrTransient } from "#shared/alerts/action-failures";

/** An error as the AWS SDK throws it: a named service exception with its fault side. */
function serviceError(name: string, fault: "client" | "server", message = "it failed"): Error {
  return Object.assign(new Error(message), { name, $fault: fault });
}

describe("refusalOrTransient", () => {
  it("refuses for good what is the caller's fault: access denied, a missing resource, an invalid request", () => {
    for (const name of ["AccessDeniedException", "ResourceNotFoundException", "ParameterNotFound"]) {
      const failure = refusalOrTransient(serviceError(name, "client", "no"));
      expect(failure).toBeInstanceOf(ActionRefusedError);
      expect((failure as Error).message).toBe(`${name}: no`);
    }
  });

  it("keeps as worth a retry throttling, conflicts and a changed alias revision", () => {
    for (const name of [
      "TooManyRequestsException",
      "ResourceConflictException",
      "PreconditionFailedException",
    ]) {
      const error = serviceError(name, "client");
      expect(refusalOrTransient(error)).toBe(error);
    }
  });

  it("keeps as worth a retry a SageMaker endpoint that is still updating", () => {
    const error = serviceError("ValidationException", "client", "Cannot update in-progress endpoint");
    expect(refusalOrTransient(error)).toBe(error);
  });

  it("keeps server faults and network errors as worth a retry", () => {
    const server = serviceError("ServiceException", "server");
    const network = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    expect(refusalOrTransient(server)).toBe(server);
    expect(refusalOrTransient(network)).toBe(network);
  });
});
