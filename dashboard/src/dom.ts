/** A few helpers to build DOM trees without a framework. */

export type Child = Node | string | number | null | undefined | false;

type Attribute = string | number | boolean | null | undefined;
type Attributes = Record<string, Attribute | ((event: Event) => void)>;

/**
 * An element with attributes and children: `on<event>` keys add listeners, `false`, `null` and
 * `undefined` attributes are left out, `true` ones are set empty (`disabled`, `hidden`), and string
 * children become text (never HTML, so API values cannot inject markup).
 *
 * @example
 * h("button", { type: "button", onclick: () => acknowledge() }, "Acknowledge")
 */
export function h<Tag extends keyof HTMLElementTagNameMap>(
  tag: Tag,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[Tag] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === "function") element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, "");
    else if (value !== false && value !== null && value !== undefined)
      element.setAttribute(name, String(value));
  }
  element.append(...nodesOf(children));
  return element;
}

/** Replaces the children of `parent`. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren(...nodesOf(children));
}

function nodesOf(children: Child[]): (Node | string)[] {
  return children.flatMap((child) =>
    child === null || child === undefined || child === false
      ? []
      : [typeof child === "number" ? String(child) : child],
  );
}

/** A table with a caption, header cells scoped to their columns, and one row per entry. */
export function table(caption: string, columns: string[], rows: Child[][], attributes: Attributes = {}) {
  return h(
    "table",
    attributes,
    h("caption", {}, caption),
    h("thead", {}, h("tr", {}, ...columns.map((column) => h("th", { scope: "col" }, column)))),
    h("tbody", {}, ...rows.map((cells) => h("tr", {}, ...cells.map((cell) => h("td", {}, cell))))),
  );
}

/** A short status badge: its words say the state, the colour only repeats them. */
export function badge(text: string, tone: "ok" | "warn" | "bad" | "neutral"): HTMLSpanElement {
  return h("span", { class: `badge ${tone}` }, text);
}

/** A `<time>` element, machine-readable and in words. */
export function time(iso: string, text: string): HTMLTimeElement {
  return h("time", { datetime: iso }, text);
}
