import { allCached, cachePath, writeAtomically } from "./cache-dir.ts";

export const SYNTHETIC_FEATURES = 20;
export const SYNTHETIC_ROWS = { reference: 100_000, current: 1_000_000 } as const;

/** Bump when the generated files change, so stale caches are not reused. */
const VERSION = 1;
const ROWS_PER_CHUNK = 20_000;

export interface SyntheticCsv {
  reference: string;
  current: string;
}

/**
 * 100,000 reference and 1,000,000 current rows of 20 numeric features (f01 … f20), as CSV files in
 * the benchmark cache, generated once from a fixed seed. Each feature is normal with its own mean and
 * scale; in the current sample f01–f05 shift by 0.02–0.1 sd and f06–f08 widen by 5–15%, so the
 * engine has both drifted and stable features to decide on.
 */
export function syntheticCsv(): SyntheticCsv {
  const files = {
    reference: cachePath(`synthetic-reference-v${VERSION}.csv`),
    current: cachePath(`synthetic-current-v${VERSION}.csv`),
  };
  if (!allCached([files.reference, files.current])) {
    process.stderr.write("synthetic: generating the reference and current CSV files (first run only)\n");
    writeAtomically(files.reference, sampleCsv(SYNTHETIC_ROWS.reference, 1, false));
    writeAtomically(files.current, sampleCsv(SYNTHETIC_ROWS.current, 2, true));
  }
  return files;
}

function* sampleCsv(rows: number, seed: number, drifted: boolean): Generator<string> {
  const normal = normalGenerator(seed);
  const names = Array.from({ length: SYNTHETIC_FEATURES }, (_, k) => `f${String(k + 1).padStart(2, "0")}`);
  const shape = names.map((_, k) => {
    const mean = k * 10;
    const sd = 1 + k / 4;
    const shift = drifted && k < 5 ? 0.02 * (k + 1) * sd : 0;
    const widen = drifted && k >= 5 && k < 8 ? 1 + 0.05 * (k - 4) : 1;
    return { mean: mean + shift, sd: sd * widen };
  });
  let lines: string[] = [`${names.join(",")}\n`];
  const row: string[] = new Array(SYNTHETIC_FEATURES);
  for (let i = 0; i < rows; i++) {
    shape.forEach(({ mean, sd }, k) => {
      row[k] = (mean + sd * normal()).toFixed(4);
    });
    lines.push(`${row.join(",")}\n`);
    if (lines.length === ROWS_PER_CHUNK) {
      yield lines.join("");
      lines = [];
    }
  }
  yield lines.join("");
}

/** Standard normal draws (Box-Muller) from a seeded mulberry32, so every run writes the same files. */
function normalGenerator(seed: number): () => number {
  let state = seed;
  const uniform = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}
