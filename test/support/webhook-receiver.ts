import { createServer, type IncomingMessage } from "node:http";
import { listenOnLoopback, requestBody } from "./loopback-server.ts";

export interface ReceivedPost {
  path: string;
  headers: IncomingMessage["headers"];
  body: unknown;
  /** The status the receiver answered. */
  status: number;
}

export interface WebhookReceiver {
  url: string;
  posts: ReceivedPost[];
  /** Decides each answer (default 200); sees the post before it is recorded. */
  respond: (
    post: Omit<ReceivedPost, "status">,
  ) => number | { status: number; headers?: Record<string, string> };
  close: () => Promise<void>;
}

/** A webhook receiver on 127.0.0.1 and a free port, recording every post it answers. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const receiver: WebhookReceiver = {
    url: "",
    posts: [],
    respond: () => 200,
    close: async () => undefined,
  };
  const server = createServer(async (request, response) => {
    const text = await requestBody(request);
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: kept as text.
    }
    const post = { path: request.url ?? "/", headers: request.headers, body };
    const answer = receiver.respond(post);
    const { status, headers = {} } = typeof answer === "number" ? { status: answer } : answer;
    receiver.posts.push({ ...post, status });
    response.writeHead(status, { "content-type": "text/plain", ...headers }).end(status < 300 ? "ok" : "no");
  });
  return Object.assign(receiver, await listenOnLoopback(server));
}

/** Whether a post's body names the model (as a whole word: model ids may prefix each other). */
export function mentions(post: Pick<ReceivedPost, "body">, modelId: string): boolean {
  const escaped = modelId.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(?<![\\w.-])${escaped}(?![\\w.-])`).test(JSON.stringify(post.body));
}
