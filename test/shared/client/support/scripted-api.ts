/** A request the client made, as the scripted API saw it. */
export interface SeenRequest {
  method: string;
  url: URL;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON bodies
  body: any;
}

export type Reply = (request: SeenRequest, index: number) => Response | Promise<Response>;

/** 202 for a predictions request, as the API answers one it stored. */
export const accepted: Reply = (request) =>
  Response.json(
    {
      accepted: request.body.records.length,
      ids: request.body.records.map((record: { id: string }) => record.id),
      duplicates: 0,
    },
    { status: 202 },
  );

export const problem = (
  status: number,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
) =>
  new Response(
    JSON.stringify({ type: "about:blank", title: "Refused", status, detail: "refused", ...body }),
    {
      status,
      headers: { "content-type": "application/problem+json", ...headers },
    },
  );

/**
 * A fetch for the client that records each request and answers it with `replies[i]` (the last reply
 * answers every later request). With `held`, each answer waits until the test releases it, so
 * requests stay in flight as long as the test wants.
 */
export function scriptedApi(replies: Reply[] = [accepted], options: { held?: boolean } = {}) {
  const requests: SeenRequest[] = [];
  const waiting: Array<() => void> = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const text = init?.body === undefined ? undefined : String(init.body);
    const request: SeenRequest = {
      method: init?.method ?? "GET",
      url: new URL(String(input)),
      headers: new Headers(init?.headers),
      body: text === undefined ? undefined : JSON.parse(text),
    };
    const index = requests.push(request) - 1;
    if (options.held) await new Promise<void>((release) => waiting.push(release));
    return (replies[Math.min(index, replies.length - 1)] as Reply)(request, index);
  };
  return {
    fetch,
    requests,
    /** Answers the oldest request still held. */
    release: () => waiting.shift()?.(),
    /** Records per predictions request so far. */
    batchSizes: () => requests.map((request) => request.body.records.length),
  };
}

/** Lets every pending promise callback run (the buffer's sends, the fetch stubs' answers). */
export const settle = () => new Promise((resolve) => setImmediate(resolve));
