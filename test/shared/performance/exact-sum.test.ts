import { describe, expect, it } from "vitest";
import { ExactSum } from "#shared/performance/exact-sum";
import { Random } from "../../support/random.ts";
import { partitionsOf } from "./support/partitions.ts";

const SCALE = 2 ** 80;

/**
 * The exact sum rounded once, from integers: every term below is a multiple of 2^-80, so term·2^80 is an exact
 * BigInt, their sum is exact, and `Number(bigint)` rounds it to the nearest double, ties to even (ECMA-262
 * Number(value) for a BigInt). Dividing by 2^80 is exact.
 */
function exactTotal(terms: readonly number[]): number {
  let total = 0n;
  for (const term of terms) total += BigInt(term * SCALE);
  return Number(total) / SCALE;
}

/** Terms spanning 2^-80 to 2^100, with cancelling pairs: a plain sum loses most of their bits. */
function awkwardTerms(random: Random, count: number): number[] {
  const terms: number[] = [];
  for (let i = 0; i < count; i++) {
    const mantissa = Math.floor(random.next() * 2 ** 53) * (random.next() < 0.5 ? -1 : 1);
    const term = mantissa * 2 ** (random.int(128) - 80);
    terms.push(term, random.next() < 0.3 ? -term : random.next());
  }
  return terms;
}

const sumOf = (terms: readonly number[]) => {
  const sum = new ExactSum();
  for (const term of terms) sum.add(term);
  return sum;
};

describe("ExactSum", () => {
  it("rounds the exact sum once, where a running sum loses the small terms", () => {
    expect(sumOf([1e100, 1, -1e100, 0.1, 0.2]).value()).toBe(1.3);
    // Python's math.fsum documentation: fsum([.1] * 10) == 1.0, where sum() gives 0.9999999999999999.
    expect(sumOf(Array(10).fill(0.1)).value()).toBe(1);
    expect(sumOf([]).value()).toBe(0);
  });

  it("agrees with exact integer arithmetic on terms of every magnitude", () => {
    const random = new Random(7);
    for (let trial = 0; trial < 50; trial++) {
      const terms = awkwardTerms(random, 40);
      expect(sumOf(terms).value()).toBe(exactTotal(terms));
    }
  });

  it("rounds a total exactly halfway between two doubles to the even one", () => {
    // 1 + 2^-53 is halfway between 1 and 1 + 2^-52; the tiny third term decides which side it lies on.
    expect(sumOf([1, 2 ** -53]).value()).toBe(1);
    expect(sumOf([1, 2 ** -53, 2 ** -80]).value()).toBe(1 + 2 ** -52);
    expect(sumOf([1, 2 ** -53, -(2 ** -80)]).value()).toBe(1);
  });

  it("gives the same double whatever the order and partitioning of the terms", () => {
    const random = new Random(11);
    const terms = awkwardTerms(random, 500);
    const whole = sumOf(terms).value();
    for (let trial = 0; trial < 10; trial++) {
      const shuffled = [...terms].sort(() => random.next() - 0.5);
      const merged = partitionsOf(shuffled, 7, random)
        .map(sumOf)
        .reduce((a, b) => ExactSum.merge(a, b));
      expect(merged.value()).toBe(whole);
    }
  });

  it("adds a product exactly, rounding error included", () => {
    // (1 + 2^-30)² = 1 + 2^-29 + 2^-60; the rounded product drops the 2^-60.
    const sum = new ExactSum();
    sum.addProduct(1 + 2 ** -30, 1 + 2 ** -30);
    sum.add(-1);
    sum.add(-(2 ** -29));
    expect(sum.value()).toBe(2 ** -60);
  });

  it("leaves both inputs of a merge unchanged", () => {
    const a = sumOf([1, 2]);
    const b = sumOf([3]);
    expect(ExactSum.merge(a, b).value()).toBe(6);
    expect([a.value(), b.value()]).toEqual([3, 3]);
  });

  it("turns non-finite terms and overflowed totals into a non-finite value", () => {
    expect(sumOf([1, Number.POSITIVE_INFINITY]).value()).toBe(Number.POSITIVE_INFINITY);
    expect(sumOf([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]).value()).toBeNaN();
    expect(sumOf([Number.MAX_VALUE, Number.MAX_VALUE]).value()).toBe(Number.POSITIVE_INFINITY);
    expect(ExactSum.merge(sumOf([Number.NaN]), sumOf([1])).value()).toBeNaN();
  });
});
