import { z } from "zod";

/** A span of receipt times a check or a period covers: `from` inclusive, `to` exclusive (ISO-8601, UTC). */
export const checkWindowSchema = z.object({ from: z.string(), to: z.string() });

export type CheckWindow = z.infer<typeof checkWindowSchema>;
