import { ApiError } from "./api.ts";
import { type Child, h, replaceChildren } from "./dom.ts";

/** A section of a view: a heading, and a body that is loading, filled, or says what went wrong. */
export interface Panel {
  section: HTMLElement;
  body: HTMLElement;
}

export function panel(id: string, title: string): Panel {
  const headingId = `${id}-heading`;
  const body = h("div", { class: "panel-body" });
  const section = h(
    "section",
    { id, class: "panel", "aria-labelledby": headingId },
    h("h2", { id: headingId }, title),
    body,
  );
  return { section, body };
}

/**
 * Shows "Loading…" in the panel (and marks it busy for assistive technology) until `load` answers
 * its content; a failure is shown in words instead. A 401 shows nothing: the app is already on its
 * way back to the sign-in form.
 */
export async function fill(target: Panel, what: string, load: () => Promise<Child[]>): Promise<void> {
  target.body.setAttribute("aria-busy", "true");
  replaceChildren(target.body, loading(what));
  try {
    replaceChildren(target.body, ...(await load()));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return;
    replaceChildren(target.body, failure(`Could not load ${what}`, error));
  } finally {
    target.body.removeAttribute("aria-busy");
  }
}

export function loading(what: string): HTMLParagraphElement {
  return h("p", { class: "loading" }, `Loading ${what}…`);
}

/** An error in words: what was being done, and what the API (or the network) said. */
export function failure(doing: string, error: unknown): HTMLParagraphElement {
  return h("p", { class: "error" }, `${doing}: ${messageOf(error)}`);
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** An empty state: why there is nothing to show yet, and what would change that. */
export function empty(...text: Child[]): HTMLParagraphElement {
  return h("p", { class: "empty" }, ...text);
}
