import { describe, expect, it } from "vitest";
import { type SlackBlock, slackMessage, slackMessageAsText } from "#shared/alerts/slack-message";
import { sampleNotification } from "../../support/notifications.ts";

/** Every text of the message's blocks, header and attachment alike. */
function textsOf(blocks: SlackBlock[]): string[] {
  return blocks.flatMap((block) => {
    if (block.type === "header") return [block.text.text];
    if (block.type === "context") return block.elements.map((element) => element.text);
    return [...(block.text ? [block.text.text] : []), ...(block.fields ?? []).map((field) => field.text)];
  });
}

const allTexts = (message: ReturnType<typeof slackMessage>) => [
  ...textsOf(message.blocks),
  ...textsOf(message.attachments[0].blocks),
];

describe("slackMessage", () => {
  it("heads a firing alert with its severity, metric and model, and says the value against the threshold", () => {
    const message = slackMessage(sampleNotification());
    expect(message.blocks[0]).toEqual({
      type: "header",
      text: { type: "plain_text", text: ":red_circle: Critical alert: drift.share on churn", emoji: true },
    });
    expect(message.text).toBe("Critical alert: drift.share on churn: 0.5 > 0.2 (threshold)");
    const texts = allTexts(message);
    expect(texts).toContain("*Model*\nchurn");
    expect(texts).toContain("*Severity*\ncritical");
    expect(texts).toContain("*Value*\n0.5 &gt; 0.2 (threshold)");
    expect(texts).toContain("*Window*\n2026-12-01 09:00 to 10:00 UTC");
    expect(texts).toContain("*Rule*\ndrift-share, after 2 breaching checks in a row");
  });

  it("colours the bar by severity, and green once resolved", () => {
    const colour = (overrides: Parameters<typeof sampleNotification>[0]) =>
      slackMessage(sampleNotification(overrides)).attachments[0].color;
    expect(colour({ severity: "info" })).toBe("#9e9e9e");
    expect(colour({ severity: "warning" })).toBe("#f2a900");
    expect(colour({ severity: "critical" })).toBe("#e01e5a");
    expect(colour({ severity: "emergency" })).toBe("#8b0000");
    expect(colour({ severity: "emergency", kind: "resolved" })).toBe("#2eb67d");
  });

  it("lists the top drifted features with their scores", () => {
    const texts = allTexts(slackMessage(sampleNotification()));
    expect(texts).toContain("*Top drifted features (PSI)*\n• `tenure` 0.41\n• `plan` 0.27");
  });

  it("notes the rollback a firing alert requested, and what to do next with the acknowledge route", () => {
    const texts = allTexts(slackMessage(sampleNotification()));
    expect(texts).toContain("*Action*\nRollback to the model's configured rollback target, requested now.");
    const next = texts.find((text) => text.startsWith("*Next*"));
    expect(next).toContain("register a new baseline");
    expect(next).toContain("POST /v1/alerts/churn~ZHJpZnQtc2hhcmU/ack");
  });

  it("links the API route that shows the report, and gives the stored report's URI to copy", () => {
    const notification = sampleNotification();
    const texts = allTexts(slackMessage(notification));
    const api = notification.links.api ?? "";
    expect(texts).toContain(`*API:* <${api}|GET ${api.replaceAll("&", "&amp;")}>`);
    expect(texts).toContain(`*Report:* \`${notification.links.report}\``);
  });

  it("tells a reminder from a new alert, and recalls the action it requested when it fired", () => {
    const message = slackMessage(sampleNotification({ kind: "reminder", action: "retrain" }));
    expect(message.blocks[0]).toMatchObject({
      text: { text: ":red_circle: Reminder: critical alert still firing: drift.share on churn" },
    });
    expect(allTexts(message)).toContain(
      "*Action*\nRetraining through the model's retraining pipeline, requested when this alert fired.",
    );
  });

  it("says a resolved alert cleared, where its value stands, and that nothing is to be done", () => {
    const message = slackMessage(
      sampleNotification({ kind: "resolved", value: 0.15, resolvedAt: "2026-12-01T12:00:03.000Z" }),
    );
    expect(message.blocks[0]).toMatchObject({
      text: { text: ":white_check_mark: Resolved: drift.share on churn" },
    });
    const texts = allTexts(message);
    expect(texts).toContain("*Value*\n0.15 (fires &gt; 0.2, clears at 0.18)");
    expect(texts).toContain("*Resolved*\n2026-12-01 12:00 UTC (fired 2026-12-01 10:00 UTC)");
    expect(texts).toContain("*Next*\nNothing to do: the metric is back on the healthy side.");
    expect(texts.some((text) => text.startsWith("*Action*"))).toBe(false);
  });

  it("names the feature of a per-feature rule, and the unit of a latency", () => {
    const base = sampleNotification();
    const perFeature = slackMessage(
      sampleNotification({ feature: "tenure", rule: { ...base.rule, metric: "drift.maxPsi" } }),
    );
    expect(perFeature.blocks[0]).toMatchObject({
      text: { text: ":red_circle: Critical alert: drift.maxPsi (tenure) on churn" },
    });
    const latency = slackMessage(
      sampleNotification({ value: 412, rule: { ...base.rule, metric: "latency.p95", threshold: 250 } }),
    );
    expect(allTexts(latency)).toContain("*Value*\n412 ms &gt; 250 ms (threshold)");
  });

  it("escapes Slack's reserved characters in names it did not write", () => {
    const texts = allTexts(
      slackMessage(sampleNotification({ topFeatures: [{ name: "<b>&co", score: 0.3 }] })),
    );
    expect(texts).toContain("*Top drifted features (PSI)*\n• `&lt;b&gt;&amp;co` 0.3");
  });

  it("keeps within Slack's limits: a header of 150 characters, section texts of 3000, five features", () => {
    const longName = "f".repeat(900);
    const message = slackMessage(
      sampleNotification({
        modelId: "m".repeat(200),
        topFeatures: Array.from({ length: 12 }, (_, i) => ({ name: `${longName}${i}`, score: 0.5 })),
      }),
    );
    const [header] = message.blocks;
    expect(header?.type === "header" && header.text.text.length).toBe(150);
    const features = textsOf(message.attachments[0].blocks).find((text) => text.startsWith("*Top drifted"));
    expect(features?.length).toBe(3000);
    expect(features?.endsWith("…")).toBe(true);
    expect(features).not.toContain(`${longName}5`);
  });
});

describe("slackMessageAsText", () => {
  it("reads as the Slack message does, one aligned line per fact", () => {
    const notification = sampleNotification();
    expect(slackMessageAsText(notification).split("\n")).toEqual([
      "Critical alert: drift.share on churn",
      "  Model              churn",
      "  Severity           critical",
      "  Value              0.5 > 0.2 (threshold)",
      "  Window             2026-12-01 09:00 to 10:00 UTC",
      "  Rule               drift-share, after 2 breaching checks in a row",
      "  Fired              2026-12-01 10:00 UTC",
      "  Top drifted (PSI)  tenure 0.41, plan 0.27",
      "  Action             Rollback to the model's configured rollback target, requested now.",
      `  API                GET ${notification.links.api}`,
      `  Report             ${notification.links.report}`,
      expect.stringMatching(
        /^ {2}Next {15}Compare the window with the baseline .* POST \/v1\/alerts\/.*\/ack$/,
      ),
    ]);
  });
});
