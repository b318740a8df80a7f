import { describe, expect, it } from "vitest";
import { emailMessage, MAX_SUBJECT_LENGTH } from "#shared/alerts/email-message";
import { sampleNotification } from "../../support/notifications.ts";

const linesOf = (body: string) => body.split("\n");

describe("the email an alert notification becomes", () => {
  it("says in the subject what fired, on which model, and the value against its threshold", () => {
    expect(emailMessage(sampleNotification()).subject).toBe(
      "[DriftWatch] CRITICAL: churn drift.share 0.5 > 0.2",
    );
  });

  it("marks a reminder and a resolution in the subject", () => {
    expect(emailMessage(sampleNotification({ kind: "reminder" })).subject).toBe(
      "[DriftWatch] Still firing, CRITICAL: churn drift.share 0.5 > 0.2",
    );
    expect(
      emailMessage(
        sampleNotification({ kind: "resolved", value: 0.1, resolvedAt: "2026-12-01T12:00:04.000Z" }),
      ).subject,
    ).toBe("[DriftWatch] Resolved: churn drift.share 0.1 (threshold > 0.2)");
  });

  it("keeps the subject within SNS's limit and on one line, however long the model and feature names", () => {
    const { subject } = emailMessage(
      sampleNotification({
        modelId: "m".repeat(64),
        feature: `${"f".repeat(60)}\n${"g".repeat(60)}`,
        rule: { ...sampleNotification().rule, metric: "drift.maxPsi" },
      }),
    );
    expect(subject.length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH);
    expect(subject).not.toMatch(/[\r\n]/);
    expect(subject).toMatch(/^\[DriftWatch\] CRITICAL: m+\.\.\. drift\.maxPsi of f+\.\.\. 0\.5 > 0\.2$/);
  });

  it("gives the rule, value, threshold, window and every alert metric in the body", () => {
    const { body } = emailMessage(sampleNotification());
    expect(body).toContain("CRITICAL alert fired on model churn: drift.share is above 0.2.");
    expect(body).toMatch(/^Rule: +drift-share \(drift\.share > 0\.2 for 2 consecutive checks\)$/m);
    expect(body).toMatch(/^Value: +0\.5, threshold > 0\.2 \(share of the features that drifted\)$/m);
    expect(body).toMatch(/^Clears: +at or below 0\.18$/m);
    expect(body).toMatch(/^Window: +2026-12-01 09:00:00 UTC to 2026-12-01 10:00:00 UTC$/m);
    expect(body).toMatch(/^ {2}drift\.share +0\.5 {2}\(this alert\)$/m);
    expect(body).toMatch(/^ {2}latency\.p95 +84 ms$/m);
    expect(body).toMatch(/^ {2}performance\.drop +n\/a$/m);
  });

  it("lists the most drifted features with their scores", () => {
    const { body } = emailMessage(sampleNotification());
    expect(body).toMatch(/Most drifted features \(PSI\)\n {2}tenure +0\.41\n {2}plan +0\.27\n/);
  });

  it("says which action the alert took", () => {
    expect(emailMessage(sampleNotification()).body).toMatch(/Rollback requested/);
    expect(emailMessage(sampleNotification({ action: "retrain" })).body).toMatch(/Retraining requested/);
    expect(emailMessage(sampleNotification({ action: "notify" })).body).toMatch(/None beyond this message/);
    expect(emailMessage(sampleNotification({ kind: "reminder" })).body).toMatch(
      /A rollback was requested when this alert fired; this message requests\s+nothing new/,
    );
  });

  it("tells how to acknowledge the alert and where the report is", () => {
    const notification = sampleNotification();
    const { body } = emailMessage(notification);
    expect(body).toContain(`    ${notification.links.api}\n`);
    expect(body).toContain(`    ${notification.links.report}\n`);
    expect(body).toContain("POST http://127.0.0.1:3000/v1/alerts/churn~ZHJpZnQtc2hhcmU/ack");
    expect(body).toContain('curl -X POST -H "Authorization: Bearer $TOKEN"');
  });

  it("names the ack route without a host when the API's URL is unknown", () => {
    const { body } = emailMessage(sampleNotification({ links: {} }));
    expect(body).toMatch(/^ +POST \/v1\/alerts\/churn~ZHJpZnQtc2hhcmU\/ack$/m);
    expect(body).not.toContain("curl");
    expect(body).not.toContain("Where to look");
  });

  it("tells a reminder's reader when the next reminder comes", () => {
    const { body } = emailMessage(sampleNotification({ kind: "reminder", cooldownSeconds: 5400 }));
    expect(body.replace(/\s+/g, " ")).toContain(
      "The next reminder comes with the first check after 2026-12-01 11:30:04 UTC (every 1 hour 30 minutes)",
    );
  });

  it("tells the reader of a resolution that nothing is needed", () => {
    const { body } = emailMessage(
      sampleNotification({ kind: "resolved", value: 0.1, resolvedAt: "2026-12-01T12:00:04.000Z" }),
    );
    expect(body).toContain("has cleared: drift.share is\nno longer above 0.2.");
    expect(body).toMatch(/^Resolved: +2026-12-01 12:00:04 UTC$/m);
    expect(body).toContain("Nothing is needed.");
    expect(body).not.toContain("/ack");
  });

  it("says a resolution without a value closed the alert of a rule the model no longer has", () => {
    const { body, subject } = emailMessage(sampleNotification({ kind: "resolved", value: null }));
    expect(subject).toBe("[DriftWatch] Resolved: churn drift.share");
    expect(body).toMatch(/is no longer in the model's config/);
  });

  it("is plain text wrapped at 72 columns, but for links, which stay whole", () => {
    const notification = sampleNotification();
    const { body } = emailMessage(notification);
    const links = Object.values(notification.links);
    for (const line of linesOf(body)) {
      if (links.some((link) => line.includes(link))) continue;
      expect(line.length, line).toBeLessThanOrEqual(72);
    }
    expect(body).not.toMatch(/[*_`#]{2}|^#|^\s*[-*] /m);
  });
});
