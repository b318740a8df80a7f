import { describe, expectTypeOf, it } from "vitest";
import type { alertView } from "#shared/alerts/alert-view";
import type {
  AlertView,
  CheckAnswer,
  DriftAnswer,
  GroundTruthAnswer,
  IngestAnswer,
  LatencyAnswer,
  ModelListAnswer,
  PerformanceAnswer,
} from "#shared/client/api-types";
import type { GroundTruthResult } from "#shared/ingest/ingest-ground-truth";
import type { IngestResult } from "#shared/ingest/ingest-predictions";
import type { driftView, latencyView, performanceView } from "#shared/monitoring/check-history-views";
import type { CheckOutcome } from "#shared/monitoring/run-check";
import type { StoredModel } from "#shared/storage/model-store";

type Answer<View extends (...args: never[]) => unknown> = Awaited<ReturnType<View>>;

/** Whether each type is assignable to the other: the same values type-check as either. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

// tsc checks these (npm test runs `tsc --noEmit`); at run time they are no-ops.
describe("the client's answer types", () => {
  it("are what the handlers answer", () => {
    expectTypeOf<Same<IngestAnswer, IngestResult>>().toEqualTypeOf<true>();
    expectTypeOf<Same<GroundTruthAnswer, GroundTruthResult>>().toEqualTypeOf<true>();
    expectTypeOf<Same<ModelListAnswer["models"][number], StoredModel>>().toEqualTypeOf<true>();
    expectTypeOf<Same<AlertView, ReturnType<typeof alertView>>>().toEqualTypeOf<true>();
    expectTypeOf<Same<LatencyAnswer, Answer<typeof latencyView>>>().toEqualTypeOf<true>();
    expectTypeOf<Same<PerformanceAnswer, Answer<typeof performanceView>>>().toEqualTypeOf<true>();
    expectTypeOf<Same<DriftAnswer["history"], Answer<typeof driftView>["history"]>>().toEqualTypeOf<true>();
    type CheckServed = CheckOutcome["result"] &
      Pick<CheckOutcome, "performanceReport" | "notifications"> & {
        driftReport: NonNullable<CheckOutcome["driftReport"]> | null;
      };
    expectTypeOf<Same<CheckAnswer, CheckServed>>().toEqualTypeOf<true>();
  });

  it("type the newest drift report that the handler spreads untyped, within what it serves", () => {
    type Latest = NonNullable<DriftAnswer["latest"]>;
    type Served = NonNullable<Answer<typeof driftView>["latest"]>;
    expectTypeOf<Latest>().toExtend<Served>();
    expectTypeOf<Extract<Latest, { status: "ok" }>>().toExtend<Extract<Served, { status: "ok" }>>();
  });
});
