/**
 * The 32-bit FNV-1a hash the open-addressing tables hash their keys with: start from FNV1A_SEED,
 * then for each byte or code unit `hash = Math.imul(hash ^ unit, FNV1A_PRIME)`. The seed is an int32
 * like every later step, so an empty key's hash (the seed itself) survives an Int32Array.
 */
export const FNV1A_SEED = 0x811c9dc5 | 0;
export const FNV1A_PRIME = 0x01000193;
