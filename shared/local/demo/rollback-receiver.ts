import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface RollbackReceiver {
  /** Where the demo model's rollback webhook points. */
  url: string;
  close: () => Promise<void>;
}

/**
 * The demo's deployment tool: a webhook on 127.0.0.1 that DriftWatch's rollback handler calls when
 * the demo's rollback rule fires, and that puts version v1 back.
 */
export async function startRollbackReceiver(
  onRollback: (request: unknown) => void,
): Promise<RollbackReceiver> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString());
      } catch {
        response.writeHead(400).end("expected JSON");
        return;
      }
      onRollback(body);
      response.writeHead(200, { "content-type": "application/json" }).end('{"rolledBack":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/rollback`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
