// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// VPC tags: the limits and the one validator of a tag, used by the provider's `check` and by the API server.
// Huawei Cloud tags are key/value pairs: the v1 create takes them as `"key*value"` strings (at most 10), the v2.0
// `tags/action` call as `{key, value}` objects (at most 20 a call), and a resource holds at most 20 (TMS limits).

/** {@link MAX_TAGS_PER_VPC} is the most tags one VPC holds. */
export const MAX_TAGS_PER_VPC = 20;

/** {@link MAX_TAGS_AT_CREATE} is the most tags the v1 create accepts. */
export const MAX_TAGS_AT_CREATE = 10;

/** {@link MAX_TAG_KEY_LENGTH} and {@link MAX_TAG_VALUE_LENGTH} bound a tag's key and value (characters). */
export const MAX_TAG_KEY_LENGTH = 128;
/** See {@link MAX_TAG_KEY_LENGTH}. */
export const MAX_TAG_VALUE_LENGTH = 255;

// Letters (any script), digits, spaces and _ . : = + - @ — the TMS character set; `*` separates key and value.
const TAG_CHARS = /^[\p{L}\p{N} _.:=+\-@/]*$/u;

/** {@link describeTagProblem} says why a tag is refused, or `undefined` when it is valid. */
export function describeTagProblem(key: unknown, value: unknown): string | undefined {
    if (typeof key !== "string" || key.trim() === "")
        return `tag key ${JSON.stringify(key)} must be a non-empty string`;
    if ([...key].length > MAX_TAG_KEY_LENGTH) return `tag key "${key}" is longer than ${MAX_TAG_KEY_LENGTH} characters`;
    if (!TAG_CHARS.test(key)) return `tag key "${key}" may contain only letters, digits, spaces and _ . : = + - @ /`;
    if (typeof value !== "string") return `tag "${key}": the value must be a string, not ${JSON.stringify(value)}`;
    if ([...value].length > MAX_TAG_VALUE_LENGTH) {
        return `tag "${key}": the value is longer than ${MAX_TAG_VALUE_LENGTH} characters`;
    }
    if (!TAG_CHARS.test(value))
        return `tag "${key}": the value may contain only letters, digits, spaces and _ . : = + - @ /`;
    return undefined;
}
