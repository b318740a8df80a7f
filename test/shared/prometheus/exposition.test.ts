import { describe, expect, it } from "vitest";
import {
  EXPOSITION_CONTENT_TYPE,
  escapeHelp,
  escapeLabelValue,
  formatValue,
  type MetricFamily,
  renderExposition,
} from "#shared/prometheus/exposition";
import { parseExposition } from "../../support/prometheus-text.ts";

const gauge = (name: string, samples: MetricFamily["samples"], help = `About ${name}.`): MetricFamily => ({
  name,
  help,
  type: "gauge",
  samples,
});

describe("renderExposition", () => {
  it("writes each family's HELP, TYPE and samples, in the order given, and ends with a line feed", () => {
    const text = renderExposition([
      gauge("zeta_share", [
        { labels: { model: "b" }, value: 0.5 },
        { labels: { model: "a" }, value: 0.25 },
      ]),
      { name: "alpha_total", help: "Counted.", type: "counter", samples: [{ labels: {}, value: 3 }] },
      {
        name: "mystery",
        help: "Unknown.",
        type: "untyped",
        samples: [{ labels: { a: "1", b: "2" }, value: 1 }],
      },
    ]);
    expect(text).toBe(
      [
        "# HELP zeta_share About zeta_share.",
        "# TYPE zeta_share gauge",
        'zeta_share{model="b"} 0.5',
        'zeta_share{model="a"} 0.25',
        "# HELP alpha_total Counted.",
        "# TYPE alpha_total counter",
        "alpha_total 3",
        "# HELP mystery Unknown.",
        "# TYPE mystery untyped",
        'mystery{a="1",b="2"} 1',
        "",
      ].join("\n"),
    );
  });

  it("leaves out a family without samples, and renders nothing at all as an empty body", () => {
    const text = renderExposition([gauge("empty", []), gauge("full", [{ labels: {}, value: 1 }])]);
    expect(text).not.toContain("empty");
    expect([...parseExposition(text).keys()]).toEqual(["full"]);
    expect(renderExposition([gauge("empty", [])])).toBe("");
  });

  it("escapes label values so that any string reads back as itself", () => {
    const awkward = [
      'C:\\models\\churn "v2"\nnext line',
      "ends with a backslash \\",
      "a literal \\n, not a line feed",
    ];
    const text = renderExposition([
      gauge(
        "odd",
        awkward.map((feature, index) => ({ labels: { feature }, value: index })),
      ),
    ]);
    expect(text).toContain('odd{feature="C:\\\\models\\\\churn \\"v2\\"\\nnext line"} 0');
    expect(text.split("\n")).toHaveLength(awkward.length + 3);
    const read = parseExposition(text)
      .get("odd")
      ?.samples.map((sample) => sample.labels.feature);
    expect(read).toEqual(awkward);
  });

  it("escapes backslash and line feed in HELP and keeps its double quotes", () => {
    const help = 'Share of "drifted" features.\nSee C:\\docs.';
    expect(escapeHelp(help)).toBe('Share of "drifted" features.\\nSee C:\\\\docs.');
    const text = renderExposition([gauge("with_help", [{ labels: {}, value: 1 }], help)]);
    expect(parseExposition(text).get("with_help")?.help).toBe(help);
  });

  it("refuses what Prometheus would refuse the whole scrape for", () => {
    const one = [{ labels: { model: "a" }, value: 1 }];
    expect(() => renderExposition([gauge("bad-name", one)])).toThrow(/metric name/);
    expect(() => renderExposition([gauge("ok", [{ labels: { "bad-label": "x" }, value: 1 }])])).toThrow(
      /label name/,
    );
    expect(() => renderExposition([gauge("ok", [{ labels: { __reserved: "x" }, value: 1 }])])).toThrow(
      /label name/,
    );
    expect(() => renderExposition([gauge("twice", one), gauge("twice", one)])).toThrow(/twice/);
    expect(() =>
      renderExposition([
        gauge("dup", [
          { labels: { a: "1", b: "2" }, value: 1 },
          { labels: { b: "2", a: "1" }, value: 2 },
        ]),
      ]),
    ).toThrow(/twice/);
  });
});

describe("formatValue", () => {
  it("spells NaN and the infinities as Prometheus parses them", () => {
    expect(formatValue(Number.NaN)).toBe("NaN");
    expect(formatValue(Number.POSITIVE_INFINITY)).toBe("+Inf");
    expect(formatValue(Number.NEGATIVE_INFINITY)).toBe("-Inf");
  });

  it("writes finite numbers in a form that reads back to the same double", () => {
    for (const value of [0, -0, 1, -2.5, 0.1, 1 / 3, 1e-7, 1e21, 1764590400, Number.MAX_VALUE, 5e-324]) {
      const text = formatValue(value);
      expect(text).toMatch(/^-?(\d+\.?\d*)(e[+-]\d+)?$/);
      expect(Number(text)).toBe(value === 0 ? 0 : value);
    }
  });
});

describe("the helpers", () => {
  it("escape only backslash, double quote and line feed in a label value", () => {
    expect(escapeLabelValue('tab\there "q" \\ \n é')).toBe('tab\there \\"q\\" \\\\ \\n é');
  });

  it("name the media type Prometheus asks for", () => {
    expect(EXPOSITION_CONTENT_TYPE).toBe("text/plain; version=0.0.4; charset=utf-8");
  });
});
