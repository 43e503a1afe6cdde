// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The text fields of API objects (names, descriptions) and the characters no string may carry. One
// validator per field, used by the providers' `check` (at preview) and by the API server (on the wire),
// so that neither silently alters what the other accepts: a NUL would be cut off by the database and a
// lone surrogate replaced by U+FFFD.

/** {@link NAME_MAX_LENGTH} is the longest name of a VPC or a peering, in characters (code points). */
export const NAME_MAX_LENGTH = 64;

/** {@link DESCRIPTION_MAX_LENGTH} is the longest description of a VPC or a peering, in characters. */
export const DESCRIPTION_MAX_LENGTH = 255;

/** Names: letters (any script), digits, `_`, `-`, `.` (reference §1.2, §3.2). */
const NAME_PATTERN = /^[\p{L}\p{N}_.-]+$/u;

/** {@link NAME_TEXT} says in words what a name may contain, for error messages. */
export const NAME_TEXT = "letters, digits, underscores (_), hyphens (-) and periods (.)";

/**
 * Characters refused in every string: C0 controls other than tab, line feed and carriage return, DEL, and
 * lone (unpaired) UTF-16 surrogates — with the `u` flag a paired surrogate is one code point and does not match.
 */
const UNSAFE_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|\p{Cs}/u;

/**
 * {@link unsafeCharacterProblem} describes the first character of `text` that no string may contain (a
 * control character such as U+0000, or a lone surrogate), or `undefined` when there is none.
 */
export function unsafeCharacterProblem(text: string): string | undefined {
    const hit = UNSAFE_CHARACTER.exec(text);
    if (!hit) return undefined;
    const code = hit[0].charCodeAt(0);
    const hex = `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
    const what = code >= 0xd800 && code <= 0xdfff ? `a lone surrogate ${hex}` : `the control character ${hex}`;
    return `contains ${what} at position ${[...text.slice(0, hit.index)].length}`;
}

/**
 * {@link characterCount} is the length of `text` in characters (code points), as the API counts it: UTF-16
 * units minus surrogate pairs, without splitting a long string into an array.
 */
export function characterCount(text: string): number {
    return text.length - (text.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0);
}

/**
 * {@link nameProblem} says why `text` is not a valid name of a VPC or a peering (1–64 letters, digits,
 * `_`, `-`, `.`), or `undefined` when it is. `allowEmpty` for a VPC, whose name is optional on the wire.
 */
export function nameProblem(text: string, allowEmpty = false): string | undefined {
    if (text === "") return allowEmpty ? undefined : "must have at least 1 character";
    const unsafe = unsafeCharacterProblem(text);
    if (unsafe) return unsafe;
    const length = characterCount(text);
    if (length > NAME_MAX_LENGTH) {
        return `is ${length} characters long; at most ${NAME_MAX_LENGTH} are allowed`;
    }
    if (!NAME_PATTERN.test(text)) return `${JSON.stringify(text)} may contain only ${NAME_TEXT}`;
    return undefined;
}

/**
 * {@link descriptionProblem} says why `text` is not a valid description (at most 255 characters, no `<` or
 * `>`, no control characters other than tab and line breaks, no lone surrogates), or `undefined`.
 */
export function descriptionProblem(text: string): string | undefined {
    const unsafe = unsafeCharacterProblem(text);
    if (unsafe) return unsafe;
    const length = characterCount(text);
    if (length > DESCRIPTION_MAX_LENGTH) {
        return `is ${length} characters long; at most ${DESCRIPTION_MAX_LENGTH} are allowed`;
    }
    if (/[<>]/.test(text)) return "may not contain < or >";
    return undefined;
}
