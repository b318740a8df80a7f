import type { Api } from "./api.ts";
import type { AlertListAnswer, AlertView } from "./api-types.ts";
import { badge, h, replaceChildren, time } from "./dom.ts";
import { formatNumber, formatTime } from "./format.ts";
import { empty, fill, messageOf, type Panel, panel } from "./panel.ts";

/** Alerts listed at most; the newest check's are what matter, and a model has one per rule (and feature). */
const ALERT_LIMIT = 200;
const STATE_ORDER = ["firing", "acknowledged", "pending", "resolved"];
const STATE_TONE = { firing: "bad", acknowledged: "warn", pending: "neutral", resolved: "ok" } as const;

/** The model's alerts, firing ones first, each firing one with a button to acknowledge it. */
export function alertsPanel(api: Api, modelId: string): Panel {
  const target = panel("alerts", "Alerts");
  const outcome = h("p", { class: "outcome", role: "status", tabindex: "-1" });
  void fill(target, "the alerts", async () => {
    const { alerts, next } = await api.get<AlertListAnswer>(
      `/v1/alerts?model=${encodeURIComponent(modelId)}&limit=${ALERT_LIMIT}`,
    );
    if (alerts.length === 0)
      return [
        empty(
          "No alerts: no rule has breached yet (the model's rules, or the defaults, are in its configuration below).",
        ),
      ];
    alerts.sort(
      (a, b) =>
        STATE_ORDER.indexOf(a.state) - STATE_ORDER.indexOf(b.state) ||
        (b.firedAt ?? b.updatedAt).localeCompare(a.firedAt ?? a.updatedAt),
    );
    const columns = ["Alert", "Severity", "State", "Value", "Rule", "Fired", ""];
    return [
      outcome,
      h(
        "div",
        { class: "table-scroll" },
        h(
          "table",
          { class: "alerts" },
          h("caption", {}, next ? `The first ${alerts.length} alerts` : "Every alert of this model"),
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              ...columns.map((column) =>
                h("th", { scope: "col" }, column || h("span", { class: "visually-hidden" }, "Action")),
              ),
            ),
          ),
          h("tbody", {}, ...alerts.map((alert) => alertRow(api, alert, outcome))),
        ),
      ),
    ];
  });
  return target;
}

const nameOf = (alert: AlertView) => `${alert.rule.name}${alert.feature ? ` (${alert.feature})` : ""}`;

function alertRow(api: Api, alert: AlertView, outcome: HTMLElement): HTMLTableRowElement {
  const state = h("td", { "data-column": "state" }, stateText(alert));
  const action = h("td", {});
  const row = h(
    "tr",
    { "data-alert": alert.alertId },
    h("th", { scope: "row" }, nameOf(alert)),
    h("td", {}, alert.rule.severity),
    state,
    h("td", {}, formatNumber(alert.value)),
    h("td", {}, h("code", {}, `${alert.rule.metric} ${alert.rule.op} ${formatNumber(alert.rule.threshold)}`)),
    h("td", {}, alert.firedAt ? time(alert.firedAt, formatTime(alert.firedAt)) : "—"),
    action,
  );
  if (alert.state === "firing") {
    const button = h(
      "button",
      { type: "button", "aria-label": `Acknowledge ${nameOf(alert)}` },
      "Acknowledge",
    );
    button.addEventListener("click", async () => {
      button.disabled = true;
      button.textContent = "Acknowledging…";
      try {
        const acknowledged = await api.post<AlertView>(`/v1/alerts/${encodeURIComponent(alert.alertId)}/ack`);
        replaceChildren(state, stateText(acknowledged));
        replaceChildren(action);
        outcome.className = "outcome";
        outcome.textContent = `Acknowledged ${nameOf(alert)}: no reminders until it resolves.`;
        // The button is gone with the focus it had; the outcome takes it, beside where it was.
        outcome.focus();
      } catch (error) {
        button.disabled = false;
        button.textContent = "Acknowledge";
        outcome.className = "outcome error";
        outcome.textContent = `Could not acknowledge ${nameOf(alert)}: ${messageOf(error)}`;
        button.focus();
      }
    });
    action.append(button);
  }
  return row;
}

function stateText(alert: AlertView): HTMLElement {
  return h(
    "span",
    {},
    badge(alert.state, STATE_TONE[alert.state]),
    alert.state === "acknowledged" && alert.acknowledgedBy ? ` by ${alert.acknowledgedBy}` : "",
  );
}
