// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// A VPC route table as the forwarding sees it: longest-prefix match of one address, a block split into the ranges
// each route serves, and a range written back as CIDR blocks. Pure; used by reachability.ts.

import { Cidr, cidrsOverlap, formatIPv4, tryParseCidr } from "./cidr";

/** {@link TableRoute} is one entry of a VPC route table: a destination block and a next hop (a peering id). */
export interface TableRoute {
    readonly id: string;
    readonly destination: string;
    readonly nexthop: string;
}

interface Parsed<R> {
    readonly route: R;
    readonly cidr: Cidr;
}

function parsedRoutes<R extends TableRoute>(routes: readonly R[]): Parsed<R>[] {
    const out: Parsed<R>[] = [];
    for (const route of routes) {
        const cidr = tryParseCidr(route.destination);
        if (cidr) out.push({ route, cidr });
    }
    return out;
}

/**
 * {@link longestPrefixMatch} is the route a table uses for `address` (an unsigned 32-bit integer): among the routes
 * whose destination contains it, the one with the longest prefix (the first listed on a tie, which a real table,
 * with one route per destination, never has). `undefined` when no route matches. Unparseable destinations are
 * ignored.
 */
export function longestPrefixMatch<R extends TableRoute>(routes: readonly R[], address: number): R | undefined {
    let best: Parsed<R> | undefined;
    for (const p of parsedRoutes(routes)) {
        if (p.cidr.first <= address && address <= p.cidr.last && (!best || p.cidr.prefix > best.cidr.prefix)) best = p;
    }
    return best?.route;
}

/** {@link BlockSegment} is a maximal address range of a block that one route (or no route) serves. */
export interface BlockSegment<R> {
    readonly first: number;
    readonly last: number;
    /** The route longest-prefix match picks for every address of the range; undefined: no route. */
    readonly route?: R;
}

/**
 * {@link resolveBlock} splits `block` into maximal ranges, each forwarded by one route of the table under
 * longest-prefix match (or by none). The ranges cover the block exactly, in address order. O(n²) in the routes that
 * overlap the block (a table holds at most 200).
 */
export function resolveBlock<R extends TableRoute>(routes: readonly R[], block: Cidr): BlockSegment<R>[] {
    const relevant = parsedRoutes(routes).filter((p) => cidrsOverlap(p.cidr, block));
    // Every route starts and ends on a cut, so inside one elementary range each route matches all or nothing.
    const cuts = new Set<number>([block.first]);
    for (const p of relevant) {
        if (p.cidr.first > block.first) cuts.add(p.cidr.first);
        if (p.cidr.last < block.last) cuts.add(p.cidr.last + 1);
    }
    const starts = [...cuts].sort((a, b) => a - b);
    const out: BlockSegment<R>[] = [];
    starts.forEach((first, i) => {
        const last = i + 1 < starts.length ? starts[i + 1] - 1 : block.last;
        let best: Parsed<R> | undefined;
        for (const p of relevant) {
            if (p.cidr.first <= first && last <= p.cidr.last && (!best || p.cidr.prefix > best.cidr.prefix)) best = p;
        }
        const prev = out[out.length - 1];
        if (prev && prev.route === best?.route) out[out.length - 1] = { ...prev, last };
        else out.push({ first, last, route: best?.route });
    });
    return out;
}

/** {@link rangeToCidrs} writes an inclusive address range as the fewest CIDR blocks (`10.0.0.0/24`, …). */
export function rangeToCidrs(first: number, last: number): string[] {
    const out: string[] = [];
    let start = first;
    while (start <= last) {
        let prefix = 32;
        // Grow the block while it stays aligned on `start` and inside the range.
        while (prefix > 0) {
            const size = 2 ** (32 - (prefix - 1));
            if (start % size !== 0 || start + size - 1 > last) break;
            prefix--;
        }
        out.push(`${formatIPv4(start)}/${prefix}`);
        start += 2 ** (32 - prefix);
    }
    return out;
}
