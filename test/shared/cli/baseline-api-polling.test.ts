import { describe, expect, it } from "vitest";
import {
  BaselineApi,
  nextPollDelay,
  RegistrationPendingError,
  UploadRefusedError,
} from "#shared/cli/baseline-api";
import { DEFAULT_RETRY_POLICY } from "#shared/http/with-retries";

const UPLOAD_ID = "7c4a0682-cdb5-4417-8d4d-4475583b2399";

/** A BaselineApi whose status route answers `statuses` in turn (the last one for ever), on a fake clock. */
function pollingApi(statuses: object[]) {
  const asked: string[] = [];
  const fakeFetch = (async (url: URL) => {
    asked.push(url.pathname);
    const status = statuses[Math.min(asked.length - 1, statuses.length - 1)];
    return Response.json({ uploadId: UPLOAD_ID, ...status });
  }) as typeof fetch;
  const api = new BaselineApi({
    api: "http://localhost:1",
    model: "churn",
    token: "dw_admin",
    policy: DEFAULT_RETRY_POLICY,
    fetch: fakeFetch,
  });
  let clock = 0;
  const pauses: number[] = [];
  const timing = {
    now: () => clock,
    sleep: async (ms: number) => {
      pauses.push(ms);
      clock += ms;
    },
  };
  return { api, asked, pauses, timing };
}

describe("polling a registration", () => {
  it("pauses 1 s first, 1.5 times longer each time after, never more than 10 s", () => {
    const delays: number[] = [];
    let delay: number | undefined;
    for (let i = 0; i < 8; i++) {
      delay = nextPollDelay(delay);
      delays.push(delay);
    }
    expect(delays).toEqual([1000, 1500, 2250, 3375, 5062.5, 7593.75, 10_000, 10_000]);
  });

  it("answers with the version once the upload is registered", async () => {
    const { api, asked, pauses, timing } = pollingApi([
      { status: "registering" },
      { status: "registering" },
      { status: "registered", version: 3, rows: 1200 },
    ]);
    const waited: number[] = [];
    const version = await api.waitForRegistration(UPLOAD_ID, {
      waitMs: 60_000,
      onWaiting: (ms) => waited.push(ms),
      ...timing,
    });
    expect(version).toEqual({ version: 3, rows: 1200 });
    expect(asked).toEqual(Array(3).fill(`/v1/models/churn/baseline/uploads/${UPLOAD_ID}`));
    expect(pauses).toEqual([1000, 1500]);
    expect(waited).toEqual([0, 1000]);
  });

  it("refuses with the upload's line errors when the registration failed", async () => {
    const errors = [{ path: "line 7: prediction", message: "must be a finite number or a string" }];
    const { api, timing } = pollingApi([
      { status: "registering" },
      { status: "failed", error: { detail: "Bad records in the upload; nothing was stored", errors } },
    ]);
    const refusal = await api.waitForRegistration(UPLOAD_ID, { waitMs: 60_000, ...timing }).catch((e) => e);
    expect(refusal).toBeInstanceOf(UploadRefusedError);
    expect(refusal.errors).toEqual(errors);
    expect(refusal.message).toBe(
      "the API refused the upload (Bad records in the upload; nothing was stored)",
    );
  });

  it("gives up after the wait, saying how to check later", async () => {
    const { api, pauses, timing } = pollingApi([{ status: "registering" }]);
    const pending = await api.waitForRegistration(UPLOAD_ID, { waitMs: 60_000, ...timing }).catch((e) => e);
    expect(pending).toBeInstanceOf(RegistrationPendingError);
    expect(pending.message).toMatch(
      new RegExp(
        `still registering upload ${UPLOAD_ID} after 1 min; .*GET http://localhost:1/v1/models/churn/baseline/uploads/${UPLOAD_ID}`,
      ),
    );
    expect(pauses.reduce((sum, ms) => sum + ms, 0)).toBeLessThanOrEqual(60_000);
  });
});
