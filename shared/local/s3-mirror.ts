import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { LOCAL_REGION, localCredentials } from "./local-credentials.ts";

/**
 * Keeps the in-memory S3 emulator's objects on disk, one file per object under
 * `<dir>/<bucket>/<key>`, so `npm start` keeps its data across runs: restored at start, mirrored
 * after every write the emulator acknowledged.
 */
export class S3Mirror {
  private readonly s3: S3Client;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly dir: string,
    endpoint: string,
  ) {
    this.s3 = new S3Client({
      endpoint,
      region: LOCAL_REGION,
      credentials: localCredentials,
      forcePathStyle: true,
    });
  }

  async restore(): Promise<number> {
    await mkdir(this.dir, { recursive: true });
    let restored = 0;
    for (const bucket of await readdir(this.dir, { withFileTypes: true })) {
      if (!bucket.isDirectory()) continue;
      await this.s3.send(new CreateBucketCommand({ Bucket: bucket.name }));
      const bucketDir = join(this.dir, bucket.name);
      for (const file of await readdir(bucketDir, { recursive: true, withFileTypes: true })) {
        if (!file.isFile()) continue;
        const path = join(file.parentPath, file.name);
        const key = relative(bucketDir, path).split(sep).join("/");
        await this.s3.send(
          new PutObjectCommand({ Bucket: bucket.name, Key: key, Body: await readFile(path) }),
        );
        restored++;
      }
    }
    return restored;
  }

  /** Copies one object's current state (or its absence) to disk, after the writes queued before it. */
  mirrorObject(bucket: string, key: string): Promise<void> {
    return this.enqueue(() => this.copyObject(bucket, key));
  }

  /** Re-reads a whole bucket (after a multi-object delete). */
  mirrorBucket(bucket: string): Promise<void> {
    return this.enqueue(async () => {
      const present = new Set<string>();
      let token: string | undefined;
      do {
        const page = await this.s3.send(
          new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }),
        );
        for (const object of page.Contents ?? []) if (object.Key) present.add(object.Key);
        token = page.NextContinuationToken;
      } while (token);
      const bucketDir = join(this.dir, bucket);
      const files = await readdir(bucketDir, { recursive: true, withFileTypes: true }).catch(() => []);
      for (const file of files) {
        const path = join(file.parentPath, file.name);
        if (file.isFile() && !present.has(relative(bucketDir, path).split(sep).join("/"))) await rm(path);
      }
      for (const key of present) await this.copyObject(bucket, key);
    });
  }

  async createBucket(bucket: string): Promise<void> {
    await mkdir(join(this.dir, bucket), { recursive: true });
  }

  async deleteBucket(bucket: string): Promise<void> {
    await rm(join(this.dir, bucket), { recursive: true, force: true });
  }

  flushed(): Promise<void> {
    return this.queue;
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(task).catch((error: unknown) => {
      process.stderr.write(`S3 persistence: ${(error as Error).message}\n`);
    });
    return this.queue;
  }

  private async copyObject(bucket: string, key: string): Promise<void> {
    // A key naming a "folder" ("a/b/") has no file of its own; nothing to keep.
    if (key.endsWith("/") || key.split("/").includes("..")) return;
    const path = join(this.dir, bucket, ...key.split("/"));
    try {
      const { Body } = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      await mkdir(dirname(path), { recursive: true });
      await writeFile(
        path,
        await (Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
      );
    } catch (error) {
      if (!(error instanceof NoSuchKey)) throw error;
      await rm(path, { force: true });
    }
  }
}
