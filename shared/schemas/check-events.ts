import { z } from "zod";
import { checkWindowSchema } from "./check-window.ts";
import { modelIdSchema } from "./model-id.ts";

/** The input EventBridge Scheduler passes the check state machine (see infra/), one per model. */
export const scheduledCheckEventSchema = z.object({
  modelId: modelIdSchema,
  /** `<aws.scheduler.scheduled-time>`: when the schedule fired, which the window is aligned to. */
  scheduledTime: z.iso.datetime({ offset: true }),
});

/** The plan step's output, which the map and the finish step read. */
export const plannedCheckSchema = z.object({
  modelId: modelIdSchema,
  checkId: z.string(),
  trigger: z.enum(["scheduled", "manual"]),
  window: checkWindowSchema,
  groupCount: z.int().nonnegative(),
  items: z.object({ bucket: z.string(), key: z.string() }),
  /** The assessment of the performance periods' ground truth, which the plan step read. */
  labelsKey: z.string(),
});

/** One item of the distributed map. */
export const groupItemSchema = z.object({
  checkId: z.string(),
  group: z.int().nonnegative(),
  keys: z.array(z.string()),
  /** The calibration of confidence-based estimation, when the reference period gave one. */
  calibrationKey: z.string().optional(),
});
