/**
 * A strict reader of the Prometheus text format 0.0.4, written from the format's description
 * (prometheus.io/docs/instrumenting/exposition_formats) rather than from the renderer it checks:
 * it throws on any line Prometheus would refuse, and undoes the escapes.
 */
export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface ParsedFamily {
  help?: string;
  type?: string;
  samples: ParsedSample[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: (-?\d+))?$/;
const ESCAPES: Record<string, string> = { "\\": "\\", '"': '"', n: "\n" };

function parseValue(text: string): number {
  if (/^[+-]?Inf$/i.test(text)) return text.startsWith("-") ? -Infinity : Infinity;
  if (/^NaN$/i.test(text)) return Number.NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) throw new Error(`"${text}" is not a float`);
  return Number(text);
}

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text;
  while (rest.length > 0) {
    const name = /^([a-zA-Z_][a-zA-Z0-9_]*)="/.exec(rest);
    if (!name?.[1]) throw new Error(`bad label list at "${rest}"`);
    let index = name[0].length;
    let value = "";
    for (;;) {
      const character = rest[index];
      if (character === undefined) throw new Error(`unterminated label value in "${text}"`);
      if (character === '"') break;
      if (character === "\n") throw new Error("a raw line feed in a label value");
      if (character === "\\") {
        const escaped = ESCAPES[rest[index + 1] ?? ""];
        if (escaped === undefined) throw new Error(`bad escape in "${text}"`);
        value += escaped;
        index += 2;
      } else {
        value += character;
        index += 1;
      }
    }
    if (name[1] in labels) throw new Error(`label ${name[1]} twice in "${text}"`);
    labels[name[1]] = value;
    rest = rest.slice(index + 1);
    if (rest.startsWith(",")) rest = rest.slice(1);
    else if (rest.length > 0) throw new Error(`expected "," at "${rest}"`);
  }
  return labels;
}

/** The families of an exposition, by name, in the order they appear. */
export function parseExposition(text: string): Map<string, ParsedFamily> {
  const families = new Map<string, ParsedFamily>();
  let current: string | undefined;
  // A family's lines must be contiguous: Prometheus refuses a family that comes back later.
  const familyOf = (name: string) => {
    let family = families.get(name);
    if (family && name !== current) throw new Error(`family ${name} is split`);
    if (!family) {
      family = { samples: [] };
      families.set(name, family);
    }
    current = name;
    return family;
  };
  if (text === "") return families;
  if (!text.endsWith("\n")) throw new Error("the exposition must end with a line feed");
  for (const line of text.slice(0, -1).split("\n")) {
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (meta?.[2] && meta[3] !== undefined) {
      const family = familyOf(meta[2]);
      if (meta[1] === "HELP") family.help = meta[3].replace(/\\(\\|n)/g, (_, c) => (c === "n" ? "\n" : "\\"));
      else if (/^(counter|gauge|histogram|summary|untyped)$/.test(meta[3]) && family.samples.length === 0)
        family.type = meta[3];
      else throw new Error(`bad TYPE line "${line}"`);
      continue;
    }
    if (line.startsWith("#")) continue;
    const sample = SAMPLE.exec(line);
    if (!sample?.[1] || sample[3] === undefined) throw new Error(`not a sample line: "${line}"`);
    familyOf(sample[1]).samples.push({
      name: sample[1],
      labels: parseLabels(sample[2] ?? ""),
      value: parseValue(sample[3]),
    });
  }
  return families;
}
