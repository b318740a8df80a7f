/** The media type of the text format rendered here, as Prometheus asks for it when it scrapes. */
export const EXPOSITION_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

export type MetricType = "gauge" | "counter" | "untyped";

/** One series of a family: its labels (rendered in this order) and its current value. */
export interface Sample {
  labels: Record<string, string>;
  value: number;
}

export interface MetricFamily {
  name: string;
  help: string;
  type: MetricType;
  samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
// Names starting with "__" are reserved for Prometheus itself.
const LABEL_NAME = /^(?!__)[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Go's ParseFloat spellings, which the Prometheus parser reads: `NaN`, `+Inf`, `-Inf`. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "+Inf";
  if (value === Number.NEGATIVE_INFINITY) return "-Inf";
  // JavaScript's shortest round-trip form ("0.1", "1e-7", "1e+21") is also valid for ParseFloat.
  return String(value);
}

/** A label value may hold anything but must escape backslash, double quote and line feed. */
export function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (character) => (character === "\n" ? "\\n" : `\\${character}`));
}

/** HELP text escapes backslash and line feed only; a double quote stays as it is. */
export function escapeHelp(help: string): string {
  return help.replace(/[\\\n]/g, (character) => (character === "\n" ? "\\n" : "\\\\"));
}

function renderSample(name: string, sample: Sample): string {
  const labels = Object.entries(sample.labels).map(([label, value]) => {
    if (!LABEL_NAME.test(label)) throw new Error(`"${label}" is not a valid label name (metric ${name})`);
    return `${label}="${escapeLabelValue(value)}"`;
  });
  return `${name}${labels.length > 0 ? `{${labels.join(",")}}` : ""} ${formatValue(sample.value)}`;
}

/**
 * Renders metric families in the Prometheus text exposition format 0.0.4: per family `# HELP`,
 * `# TYPE` and its samples, families and samples in the order given, with a final line feed.
 * A family without samples is left out. Prometheus refuses a whole scrape with a repeated family
 * or series, so those throw here rather than reach it.
 *
 * @see https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format
 * @example
 * renderExposition([{ name: "up", help: "Up.", type: "gauge", samples: [{ labels: { job: "a" }, value: 1 }] }]);
 * // '# HELP up Up.\n# TYPE up gauge\nup{job="a"} 1\n'
 */
export function renderExposition(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  const names = new Set<string>();
  for (const family of families) {
    if (!METRIC_NAME.test(family.name)) throw new Error(`"${family.name}" is not a valid metric name`);
    if (names.has(family.name)) throw new Error(`metric family ${family.name} is listed twice`);
    names.add(family.name);
    if (family.samples.length === 0) continue;
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`);
    const series = new Set<string>();
    for (const sample of family.samples) {
      const key = JSON.stringify(Object.entries(sample.labels).sort(([a], [b]) => (a < b ? -1 : 1)));
      if (series.has(key)) throw new Error(`${family.name} has the series ${key} twice`);
      series.add(key);
      lines.push(renderSample(family.name, sample));
    }
  }
  return lines.length > 0 ? `${lines.join("\n")}\n` : "";
}
