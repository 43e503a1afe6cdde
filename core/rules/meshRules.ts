// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The mesh family, over all peerings together: a VPC must not be peered with two VPCs whose CIDRs overlap.

import { Cidr, tryParseCidr } from "../cidr";
import type { CheckOutcome, PeeringFacts, VpcFacts } from "./facts";
import { empty, q, violation, vpcKey } from "./outcome";

/**
 * {@link checkMesh} applies `mesh-peer-cidr-conflict`: per VPC, its peers' CIDRs must be disjoint. Sort-and-sweep,
 * O(n log n).
 */
export function checkMesh(peerings: readonly PeeringFacts[]): CheckOutcome {
    const out = empty();
    const peersOf = new Map<string, { vpc: VpcFacts; peers: Array<{ peer: VpcFacts; via: string; cidr: Cidr }> }>();
    const add = (v: VpcFacts, peer: VpcFacts, via: string) => {
        const c = peer.cidr !== undefined ? tryParseCidr(peer.cidr) : undefined;
        if (!c) return;
        const k = vpcKey(v);
        const e = peersOf.get(k) ?? { vpc: v, peers: [] };
        e.peers.push({ peer, via, cidr: c });
        peersOf.set(k, e);
    };
    for (const p of peerings) {
        add(p.requester, p.accepter, p.name);
        add(p.accepter, p.requester, p.name);
    }
    for (const { vpc, peers } of peersOf.values()) {
        peers.sort((x, y) => x.cidr.first - y.cidr.first || y.cidr.last - x.cidr.last);
        let open: (typeof peers)[number] | undefined;
        for (const cur of peers) {
            if (open && cur.cidr.first <= open.cidr.last && vpcKey(open.peer) !== vpcKey(cur.peer)) {
                out.violations.push(
                    violation(
                        "mesh-peer-cidr-conflict",
                        [vpc.name, cur.via, open.via],
                        "accepterVpc",
                        `Vpc ${q(vpc.name)} is peered with ${q(open.peer.name)} (${open.cidr.text}) through ${q(open.via)} and with ${q(cur.peer.name)} (${cur.cidr.text}) through ${q(cur.via)}; those CIDRs overlap, so its routes to them would conflict`,
                        `give ${q(cur.peer.name)} or ${q(open.peer.name)} a non-overlapping CIDR, or drop one of the peerings`,
                        { firstPeerCidr: open.cidr.text, secondPeerCidr: cur.cidr.text },
                    ),
                );
            }
            if (!open || cur.cidr.last > open.cidr.last) open = cur;
        }
    }
    return out;
}
