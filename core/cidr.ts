// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// IPv4 CIDR parsing and arithmetic shared by the program-level checks, the providers' `check` and the
// API server. Parsing and validation go through ip-num; comparisons are numeric (never on strings), which
// is the bug that made CDK's overlap check block valid programs (aws-cdk#32145).

import { IPv4, Validator } from "ip-num";

/** {@link Cidr} represents a parsed IPv4 network block as an inclusive numeric interval. */
export interface Cidr {
    /** The canonical text, e.g. `10.0.0.0/16`. */
    readonly text: string;
    /** The first address as an unsigned 32-bit integer. */
    readonly first: number;
    /** The last address as an unsigned 32-bit integer. */
    readonly last: number;
    /** The prefix length, 0–32. */
    readonly prefix: number;
}

/** {@link CidrParseResult} is the outcome of {@link parseIPv4Cidr}: a network, or why the text is not one. */
export type CidrParseResult =
    | { readonly ok: true; readonly cidr: Cidr }
    | {
          readonly ok: false;
          readonly problem: "syntax" | "host-bits";
          readonly reason: string;
          /** For `host-bits`: the network the text lies in. */
          readonly network?: string;
          /** For a block written with leading zeros (`10.0.0.0/08`): the canonical text of the same numbers. */
          readonly canonical?: string;
      };

/**
 * {@link MAX_CIDR_LENGTH} is the longest IPv4 CIDR text, `255.255.255.255/32`: 18 characters. Longer text
 * is refused without being parsed or cached, by every user of the parser (the server's fields, the preview
 * rules, the route filters), so that a megabyte of garbage costs nothing to keep.
 */
export const MAX_CIDR_LENGTH = 18;

/** The shape of a CIDR, leading zeros allowed so that they can be named in the refusal. */
const CIDR_SHAPE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,3})$/;

/**
 * {@link parseIPv4Cidr} parses `a.b.c.d/n` strictly: canonical text only (four decimal octets and a prefix
 * of 0–32, without leading zeros — `010.0.0.0/8` and `10.0.0.0/08` are refused, naming the canonical
 * form), at most {@link MAX_CIDR_LENGTH} characters, and no host bits set (the value must equal its network
 * form, as Huawei's API and the Terraform providers require). Since only canonical text is accepted, two
 * accepted texts are equal exactly when the blocks are.
 */
export function parseIPv4Cidr(text: string): CidrParseResult {
    if (typeof text !== "string" || text.length > MAX_CIDR_LENGTH) return tooLong(text);
    const hit = memo.get(text);
    if (hit) return hit;
    const result = parseUncached(text);
    // Graph checks parse the same blocks many times; keep a cache bounded in entries (and, by the length
    // check above, in size: at most MEMO_LIMIT short keys).
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(text, result);
    return result;
}

const MEMO_LIMIT = 65_536;
const memo = new Map<string, CidrParseResult>();

const EXAMPLE = "expected a.b.c.d/n, e.g. 10.0.0.0/16";

function tooLong(text: unknown): CidrParseResult {
    if (typeof text !== "string") {
        return { ok: false, problem: "syntax", reason: `${typeof text} is not an IPv4 CIDR block (${EXAMPLE})` };
    }
    return {
        ok: false,
        problem: "syntax",
        reason: `${JSON.stringify(text.slice(0, MAX_CIDR_LENGTH))}… (${text.length} characters) is not an IPv4 CIDR block: one has at most ${MAX_CIDR_LENGTH} characters (${EXAMPLE})`,
    };
}

function parseUncached(text: string): CidrParseResult {
    const m = CIDR_SHAPE.exec(text);
    if (!m) {
        return { ok: false, problem: "syntax", reason: `"${text}" is not an IPv4 CIDR block (${EXAMPLE})` };
    }
    const numbers = m.slice(1, 6);
    if (numbers.some((n) => n.length > 1 && n.startsWith("0"))) {
        const canonical = `${numbers.slice(0, 4).map(Number).join(".")}/${Number(numbers[4])}`;
        const valid = CIDR_SHAPE.test(canonical) && Validator.isValidIPv4CidrNotation(canonical)[0];
        return {
            ok: false,
            problem: "syntax",
            reason: `"${text}" has a leading zero (some parsers read 010 as octal 8)`,
            canonical: valid ? canonical : undefined,
        };
    }
    const [valid, errors] = Validator.isValidIPv4CidrNotation(text);
    if (!valid) {
        return {
            ok: false,
            problem: "syntax",
            reason: `"${text}" is not a valid IPv4 CIDR block: ${errors.join("; ")}`,
        };
    }
    const prefix = Number(m[5]);
    const address = Number(IPv4.fromDecimalDottedString(text.slice(0, text.indexOf("/"))).getValue());
    const size = 2 ** (32 - prefix);
    const first = address - (address % size);
    const last = first + size - 1;
    if (first !== address) {
        const network = `${formatIPv4(first)}/${prefix}`;
        return {
            ok: false,
            problem: "host-bits",
            reason: `"${text}" has host bits set; the network address is ${network}`,
            network,
        };
    }
    return { ok: true, cidr: { text, first, last, prefix } };
}

/**
 * {@link canonicalCidrText} is the canonical text of the block `text` names, reading leading zeros as
 * decimal (`192.0.0.0/08` → `192.0.0.0/8`), or `undefined` when `text` names no block. For comparing a
 * value numerically (e.g. a `?destination=` filter), never for accepting one.
 */
export function canonicalCidrText(text: string): string | undefined {
    const parsed = parseIPv4Cidr(text);
    if (parsed.ok) return parsed.cidr.text;
    return parsed.canonical !== undefined ? canonicalCidrText(parsed.canonical) : undefined;
}

/** {@link formatIPv4} writes an unsigned 32-bit address in dotted-decimal form. */
export function formatIPv4(n: number): string {
    return IPv4.fromNumber(BigInt(n)).toString();
}

/** {@link tryParseCidr} returns the parsed block, or `undefined` when the text is not a valid network CIDR. */
export function tryParseCidr(text: string): Cidr | undefined {
    const r = parseIPv4Cidr(text);
    return r.ok ? r.cidr : undefined;
}

/** {@link cidrsOverlap} is true when the two blocks share at least one address. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
    return a.first <= b.last && b.first <= a.last;
}

/** {@link cidrContains} is true when every address of `inner` is inside `outer`. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
    return outer.first <= inner.first && inner.last <= outer.last;
}

/** {@link VpcCidrPolicy} represents which blocks a VPC's primary CIDR may use. */
export interface VpcCidrPolicy {
    /** Allowed parent blocks with the longest allowed prefix inside each. */
    readonly allowed: ReadonlyArray<{ readonly block: string; readonly maxPrefix: number }>;
}

/**
 * {@link DEFAULT_VPC_CIDR_POLICY} is Huawei's documented recommendation (reference §3.2): a VPC CIDR lies in
 * 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, with a prefix between the block's own and /24.
 */
export const DEFAULT_VPC_CIDR_POLICY: VpcCidrPolicy = {
    allowed: [
        { block: "10.0.0.0/8", maxPrefix: 24 },
        { block: "172.16.0.0/12", maxPrefix: 24 },
        { block: "192.168.0.0/16", maxPrefix: 24 },
    ],
};

/**
 * {@link describeVpcCidrProblem} returns why `text` cannot be a VPC's CIDR under `policy`, or `undefined`
 * when it can. The kinds match the rule ids `cidr-syntax`, `cidr-host-bits` and `vpc-cidr-range`.
 */
export function describeVpcCidrProblem(
    text: string,
    policy: VpcCidrPolicy = DEFAULT_VPC_CIDR_POLICY,
): { kind: "cidr-syntax" | "cidr-host-bits" | "vpc-cidr-range"; reason: string; fix: string } | undefined {
    const parsed = parseIPv4Cidr(text);
    if (!parsed.ok) {
        if (parsed.problem === "host-bits") {
            return { kind: "cidr-host-bits", reason: parsed.reason, fix: `use ${parsed.network}` };
        }
        const fix =
            parsed.canonical !== undefined
                ? `write it without leading zeros: ${parsed.canonical}`
                : "write the block as a.b.c.d/n, e.g. 10.0.0.0/16";
        return { kind: "cidr-syntax", reason: parsed.reason, fix };
    }
    const cidr = parsed.cidr;
    for (const rule of policy.allowed) {
        const block = tryParseCidr(rule.block);
        if (block && cidrContains(block, cidr)) {
            if (cidr.prefix > rule.maxPrefix) {
                return {
                    kind: "vpc-cidr-range",
                    reason: `${text} is smaller than /${rule.maxPrefix}, the smallest VPC block allowed in ${rule.block}`,
                    fix: `use a prefix between /${block.prefix} and /${rule.maxPrefix}`,
                };
            }
            return undefined;
        }
    }
    const blocks = policy.allowed.map((a) => `${a.block} (/${tryParseCidr(a.block)?.prefix}–/${a.maxPrefix})`);
    return {
        kind: "vpc-cidr-range",
        reason: `${text} is outside the private blocks a VPC may use: ${blocks.join(", ")}`,
        fix: "choose a block inside one of those ranges",
    };
}
