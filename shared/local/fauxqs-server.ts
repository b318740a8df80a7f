/**
 * Child-process entry of the S3/SNS/SQS emulator: fauxqs bound to 127.0.0.1 (its own launcher
 * listens on every interface), optionally persisting S3 objects to a folder. Reports its port to
 * the parent over IPC and exits when the parent goes away, so no emulator outlives its runtime.
 */
import { buildApp } from "fauxqs";
import { S3Mirror } from "./s3-mirror.ts";

const port = Number(process.env.FAUXQS_PORT ?? 0);
const dataDir = process.env.DRIFTWATCH_S3_DIR;

const app = buildApp({ logger: false });
// Set once the stored objects are restored, so restoring them does not write them back again.
let mirror: S3Mirror | undefined;

interface CompletedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

// SNS and SQS speak form-encoded or JSON bodies; everything else is S3 (path style: /bucket/key).
const isS3 = (contentType: string | string[] | undefined) =>
  !/x-www-form-urlencoded|x-amz-json/.test(String(contentType ?? ""));

if (dataDir) {
  app.addHook("onResponse", async (request: CompletedRequest, reply: { statusCode: number }) => {
    if (!mirror || reply.statusCode >= 300 || request.method === "GET" || request.method === "HEAD") return;
    if (!isS3(request.headers["content-type"])) return;
    const url = new URL(request.url, "http://local");
    const [bucket = "", ...keyParts] = url.pathname.slice(1).split("/");
    const key = decodeURIComponent(keyParts.join("/"));
    if (!bucket) return;
    if (!key) {
      if (url.searchParams.has("delete")) await mirror.mirrorBucket(decodeURIComponent(bucket));
      else if (request.method === "PUT") await mirror.createBucket(decodeURIComponent(bucket));
      else if (request.method === "DELETE") await mirror.deleteBucket(decodeURIComponent(bucket));
      return;
    }
    // Multipart parts are not objects yet; the completing POST is.
    if (request.method === "PUT" && url.searchParams.has("partNumber")) return;
    await mirror.mirrorObject(decodeURIComponent(bucket), key);
  });
}

const address = await app.listen({ port, host: "127.0.0.1" });
const actualPort = Number(new URL(address).port);
if (dataDir) {
  const restoring = new S3Mirror(dataDir, `http://127.0.0.1:${actualPort}`);
  await restoring.restore();
  mirror = restoring;
}
process.send?.({ port: actualPort });

const shutdown = async () => {
  await mirror?.flushed();
  await app.close();
  process.exit(0);
};
process.on("disconnect", shutdown);
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
