/** Deterministic samples for the CLI fixtures: seeded mulberry32 uniforms and Box-Muller normals. */
export function seededNormals(seed: number): () => number {
  let state = seed;
  const uniform = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

/**
 * A CSV sample with a numeric feature `x` (normal, mean `shift`), a categorical feature `city` and a
 * small-integer feature `level` (0-3) that reads as numeric unless forced categorical.
 */
export function sampleCsv(rows: number, seed: number, shift: number): string {
  const normal = seededNormals(seed);
  const cities = ["Paris", "Lyon", "Nice"];
  const lines = ["x,city,level"];
  for (let i = 0; i < rows; i++) {
    lines.push(`${(shift + normal()).toFixed(4)},${cities[i % 3]},${i % 4}`);
  }
  return `${lines.join("\n")}\n`;
}
