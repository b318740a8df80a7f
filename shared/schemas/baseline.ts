import { z } from "zod";
import { LARGEST_PART_BYTES, MAX_PARTS, MAX_UPLOAD_BYTES } from "#shared/util/upload-parts";

const instant = z.iso.datetime({ offset: true, error: "must be an ISO-8601 date-time with a time zone" });

/** A period of a model's own logged traffic, by receipt time: `from` inclusive, `to` exclusive. */
export const windowSchema = z
  .strictObject({ from: instant, to: instant })
  .refine(({ from, to }) => Date.parse(from) < Date.parse(to), {
    message: "from must be before to",
    path: ["to"],
  });

const httpUrl = z.url({ protocol: /^https?$/ });

/**
 * `POST /v1/models/{modelId}/baseline/uploads` with a body: the size of the gzip file to upload, for
 * a multipart upload. Without a body the API hands out one URL for a single PUT (up to S3's 5 GB).
 */
export const baselineUploadRequestSchema = z.strictObject({
  bytes: z
    .int("must be a whole number of bytes")
    .positive("must be at least 1")
    .max(
      MAX_UPLOAD_BYTES,
      `must be at most ${MAX_UPLOAD_BYTES.toLocaleString("en-US")}: ` +
        `${MAX_PARTS.toLocaleString("en-US")} parts of ${LARGEST_PART_BYTES / 1024 ** 3} GiB`,
    ),
});

/** The answer to `POST .../baseline/uploads` without a body: where to PUT the whole file, and the headers the URL was signed with. */
export const baselineUploadUrlSchema = z.object({
  uploadId: z.uuid(),
  url: httpUrl,
  method: z.literal("PUT"),
  headers: z.record(z.string(), z.string()),
  expiresAt: instant,
});

/**
 * The answer to `POST .../baseline/uploads` `{bytes}`: an S3 multipart upload. Part N is bytes
 * (N-1)·partSize up to N·partSize of the file (the last part the rest), PUT to its URL; each answer's
 * ETag goes into the registration. DELETE the abort URL to give the upload up.
 */
export const baselineMultipartUploadSchema = z.object({
  uploadId: z.uuid(),
  /** S3's id of the multipart upload, sent back with the parts to complete it. */
  multipartUploadId: z.string().min(1),
  partSize: z.int().positive(),
  parts: z.array(z.object({ partNumber: z.int().positive(), url: httpUrl })).min(1),
  abort: z.object({ method: z.literal("DELETE"), url: httpUrl }),
  /** When the part and abort URLs stop working. */
  expiresAt: instant,
});

/** One uploaded part: its number and the ETag storage answered its PUT with. */
export const uploadedPartSchema = z.strictObject({
  partNumber: z.int().min(1).max(MAX_PARTS),
  etag: z.string().min(1).max(1024),
});

/**
 * The upload a registration names: the id of a single PUT's upload, or of a multipart upload with
 * S3's id and every part, 1 to N in order. The key is the API's own, under the model's `uploads/`.
 */
export const uploadReferenceSchema = z
  .strictObject({
    id: z.uuid(),
    multipartUploadId: z.string().min(1).max(1024).optional(),
    parts: z
      .array(uploadedPartSchema)
      .min(1, "must list every uploaded part")
      .max(MAX_PARTS)
      .superRefine((parts, context) => {
        const misplaced = parts.findIndex((part, index) => part.partNumber !== index + 1);
        if (misplaced >= 0) {
          context.addIssue({
            code: "custom",
            message: `must list parts 1 to ${parts.length} in order, each once; found part ${parts[misplaced]?.partNumber} where part ${misplaced + 1} belongs`,
          });
        }
      })
      .optional(),
  })
  .refine((upload) => upload.parts === undefined || upload.multipartUploadId !== undefined, {
    path: ["multipartUploadId"],
    message: "is required with parts: the multipartUploadId the upload was created with",
  })
  .refine((upload) => upload.multipartUploadId === undefined || upload.parts !== undefined, {
    path: ["parts"],
    message: "is required with multipartUploadId: every part's number and ETag",
  });

/**
 * `PUT /v1/models/{modelId}/baseline`: reference records in the body (up to the 6 MB payload limit),
 * a window of the model's own logged traffic, or a file uploaded through
 * `POST /v1/models/{modelId}/baseline/uploads`.
 */
export const baselineRequestSchema = z.union([
  z.strictObject({ records: z.array(z.unknown()).min(1, "must hold at least 1 record") }),
  z.strictObject({ window: windowSchema }),
  z.strictObject({ upload: uploadReferenceSchema }),
]);

/** Where a baseline version's rows came from. */
export const baselineSourceSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("records") }),
  z.object({ type: z.literal("window"), from: z.string(), to: z.string() }),
  z.object({ type: z.literal("upload"), uploadId: z.string() }),
  /** Taken by the first check with enough rows, when the model config's `baseline.fromFirstWindow` is set. */
  z.object({ type: z.literal("first-window"), from: z.string(), to: z.string() }),
]);

/** One immutable baseline version: what it holds, where from, who set it and when. */
export const baselineVersionSchema = z.object({
  version: z.int().positive(),
  rows: z.int().nonnegative(),
  columns: z.int().nonnegative(),
  source: baselineSourceSchema,
  /** "admin", or "token:<tokenId>" for a model token. */
  createdBy: z.string(),
  createdAt: z.string(),
  /** S3 key prefix of the summary (header.json and numbers.f64). */
  prefix: z.string(),
  /** Size of numbers.f64. */
  bytes: z.int().nonnegative(),
});

export type BaselineRequest = z.infer<typeof baselineRequestSchema>;
export type BaselineUploadUrl = z.infer<typeof baselineUploadUrlSchema>;
export type BaselineMultipartUpload = z.infer<typeof baselineMultipartUploadSchema>;
export type UploadedPart = z.infer<typeof uploadedPartSchema>;
export type UploadReference = z.infer<typeof uploadReferenceSchema>;
export type BaselineSource = z.infer<typeof baselineSourceSchema>;
export type BaselineVersion = z.infer<typeof baselineVersionSchema>;

/** `POST /v1/models/{modelId}/checks`: optionally the window to check; without one, the model's window up to now. */
export const checkRequestSchema = z.strictObject({ window: windowSchema.optional() });

/** A refusal as problem+json states it: what was wrong, and the fields or lines at fault. */
const registrationErrorSchema = z.object({
  detail: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })),
});

/**
 * The 202 answer to `PUT .../baseline` `{upload}` for an upload too large to register within the
 * API call: poll `GET .../baseline/uploads/{uploadId}` until it is registered or failed.
 */
export const baselineRegistrationAcceptedSchema = z.object({
  status: z.literal("registering"),
  uploadId: z.uuid(),
});

/** The message that hands a large upload to the register-baseline worker. */
export const baselineRegistrationMessageSchema = z.object({
  modelId: z.string().min(1),
  uploadId: z.uuid(),
  createdBy: z.string().min(1),
  requestedAt: instant,
});

/**
 * Where an asynchronous registration stands, kept next to the upload (`<uploadId>.status.json`):
 * `registering` until the worker stored the version (then the version answers) or gave up.
 */
export const uploadStatusRecordSchema = z.object({
  status: z.enum(["registering", "failed"]),
  error: registrationErrorSchema.optional(),
  requestedAt: instant,
  updatedAt: instant,
});

/** `GET /v1/models/{modelId}/baseline/uploads/{uploadId}`: a registered upload names its version. */
export const baselineUploadStatusSchema = z.object({
  uploadId: z.uuid(),
  status: z.enum(["registering", "registered", "failed"]),
  version: z.int().positive().optional(),
  rows: z.int().nonnegative().optional(),
  error: registrationErrorSchema.optional(),
});

export type BaselineRegistrationAccepted = z.infer<typeof baselineRegistrationAcceptedSchema>;
export type BaselineRegistrationMessage = z.infer<typeof baselineRegistrationMessageSchema>;
export type UploadStatusRecord = z.infer<typeof uploadStatusRecordSchema>;
export type BaselineUploadStatus = z.infer<typeof baselineUploadStatusSchema>;
