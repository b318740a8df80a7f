import type { Context } from "aws-lambda";

// biome-ignore lint/suspicious/noExplicitAny: handlers take different event and result shapes
export type LambdaHandler = (event: any, context: Context) => Promise<any>;

const loaded = new Map<string, Promise<LambdaHandler>>();

/** The `handler` export of `functions/<name>.ts`: the very module Lambda runs on AWS. */
export function loadHandler(name: string): Promise<LambdaHandler> {
  let handler = loaded.get(name);
  if (!handler) {
    handler = import(new URL(`../../functions/${name}.ts`, import.meta.url).href).then(
      (module: { handler: LambdaHandler }) => module.handler,
    );
    loaded.set(name, handler);
  }
  return handler;
}
