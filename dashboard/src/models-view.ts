import type { Api } from "./api.ts";
import type { AlertListAnswer, DriftAnswer, ModelListAnswer, PerformanceAnswer } from "./api-types.ts";
import { badge, type Child, h, replaceChildren, time } from "./dom.ts";
import { formatCount, formatTime, plural } from "./format.ts";
import { failure, fill, panel } from "./panel.ts";
import { coverageText, driftVerdict } from "./status-text.ts";

/** Models per page: each shown model costs three requests, so thousands are never fetched at once. */
const PAGE_SIZE = 25;
/** Models whose status is fetched at the same time. */
const CONCURRENCY = 4;
/** Firing alerts counted per model; more shows as "500+". */
const ALERT_LIMIT = 500;

/** What the models table shows of one model, each part fetched on its own (so one failure stays in its cell). */
interface ModelStatus {
  drift: Promise<DriftAnswer>;
  performance: Promise<PerformanceAnswer>;
  alerts: Promise<AlertListAnswer>;
}

/**
 * Every model the token sees (the admin: all; a model token: its own), a page at a time, each with
 * its newest check: when, how many rows, the drift verdict and drifted features, firing alerts and
 * label coverage.
 */
export function modelsView(api: Api): HTMLElement {
  const statuses = new Map<string, ModelStatus>();
  const queue = limiter(CONCURRENCY);
  const statusOf = (modelId: string): ModelStatus => {
    let status = statuses.get(modelId);
    if (!status) {
      const id = encodeURIComponent(modelId);
      status = {
        drift: queue(() => api.get<DriftAnswer>(`/v1/models/${id}/drift?limit=1`)),
        performance: queue(() => api.get<PerformanceAnswer>(`/v1/models/${id}/performance?limit=1`)),
        alerts: queue(() =>
          api.get<AlertListAnswer>(`/v1/alerts?model=${id}&state=firing&limit=${ALERT_LIMIT}`),
        ),
      };
      statuses.set(modelId, status);
    }
    return status;
  };

  const list = panel("model-list", "Status at the latest check");
  const filter = h("input", { id: "model-filter", type: "search", autocomplete: "off", spellcheck: "false" });
  const count = h("p", { class: "muted", "aria-live": "polite" });
  const rows = h("div", { class: "table-scroll" });
  const previous = h("button", { type: "button" }, "Previous page");
  const next = h("button", { type: "button" }, "Next page");
  let models: ModelListAnswer["models"] = [];
  let page = 0;

  const render = () => {
    const needle = filter.value.trim().toLowerCase();
    const matching = models.filter((model) => model.modelId.toLowerCase().includes(needle));
    const pages = Math.max(1, Math.ceil(matching.length / PAGE_SIZE));
    page = Math.min(page, pages - 1);
    const shown = matching.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
    count.textContent =
      matching.length === 0
        ? needle
          ? `No model id contains "${filter.value.trim()}".`
          : "No models yet: create one with PUT /v1/models/{modelId}."
        : `${plural(matching.length, "model")}${needle ? ` matching "${filter.value.trim()}"` : ""}` +
          (pages > 1 ? `, showing ${page * PAGE_SIZE + 1}–${page * PAGE_SIZE + shown.length}` : "");
    previous.disabled = page === 0;
    next.disabled = page >= pages - 1;
    previous.hidden = next.hidden = pages === 1;
    replaceChildren(
      rows,
      shown.length ? modelTable(shown.map((model) => modelRow(model, statusOf(model.modelId)))) : null,
    );
  };
  filter.addEventListener("input", () => {
    page = 0;
    render();
  });
  previous.addEventListener("click", () => {
    page -= 1;
    render();
  });
  next.addEventListener("click", () => {
    page += 1;
    render();
  });

  void fill(list, "the models", async () => {
    models = (await api.get<ModelListAnswer>("/v1/models")).models;
    render();
    return [
      h("div", { class: "toolbar" }, h("label", { for: "model-filter" }, "Filter by model id"), filter),
      count,
      rows,
      h("nav", { class: "pager", "aria-label": "Pages of models" }, previous, next),
    ];
  });
  return h("div", { class: "view" }, h("h1", { tabindex: "-1" }, "Models"), list.section);
}

function modelTable(rows: HTMLTableRowElement[]): HTMLTableElement {
  const columns = ["Model", "Last check", "Rows", "Drift", "Firing alerts", "Label coverage"];
  return h(
    "table",
    { class: "models" },
    h("caption", { class: "visually-hidden" }, "Each model's status at its latest check"),
    h("thead", {}, h("tr", {}, ...columns.map((column) => h("th", { scope: "col" }, column)))),
    h("tbody", {}, ...rows),
  );
}

function modelRow(model: ModelListAnswer["models"][number], status: ModelStatus): HTMLTableRowElement {
  const cells = {
    checked: statusCell("last-check"),
    rows: statusCell("rows"),
    drift: statusCell("drift"),
    alerts: statusCell("firing-alerts"),
    coverage: statusCell("coverage"),
  };
  settle(status.drift, [cells.checked, cells.rows, cells.drift], ({ history: [newest] }) => [
    newest ? time(newest.checkedAt, formatTime(newest.checkedAt)) : "Never",
    newest ? formatCount(newest.rows) : "—",
    driftVerdict(newest),
  ]);
  settle(status.alerts, [cells.alerts], ({ alerts, next }) => {
    const text = `${alerts.length}${next ? "+" : ""}`;
    return [alerts.length > 0 ? badge(text, "bad") : text];
  });
  settle(status.performance, [cells.coverage], ({ history: [newest] }) => [coverageText(newest)]);
  return h(
    "tr",
    { "data-model": model.modelId },
    h(
      "th",
      { scope: "row" },
      h("a", { href: `#/models/${encodeURIComponent(model.modelId)}` }, model.modelId),
      h("span", { class: "muted task" }, model.config.task),
    ),
    cells.checked,
    cells.rows,
    cells.drift,
    cells.alerts,
    cells.coverage,
  );
}

function statusCell(name: string): HTMLTableCellElement {
  return h("td", { "data-column": name, "aria-busy": "true" }, h("span", { class: "loading" }, "Loading…"));
}

/** Fills `cells` with what `show` makes of the answer, or each with the error in words. */
function settle<T>(answer: Promise<T>, cells: HTMLTableCellElement[], show: (value: T) => Child[]): void {
  answer.then(
    (value) => {
      const contents = show(value);
      cells.forEach((cell, index) => {
        replaceChildren(cell, contents[index]);
        cell.removeAttribute("aria-busy");
      });
    },
    (error) => {
      for (const cell of cells) {
        replaceChildren(cell, failure("Could not load", error));
        cell.removeAttribute("aria-busy");
      }
    },
  );
}

/** Runs at most `concurrency` of the tasks given to it at once, in the order given. */
function limiter(concurrency: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return <T>(task: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const start = () => {
        running += 1;
        task()
          .then(resolve, reject)
          .finally(() => {
            running -= 1;
            waiting.shift()?.();
          });
      };
      if (running < concurrency) start();
      else waiting.push(start);
    });
}
