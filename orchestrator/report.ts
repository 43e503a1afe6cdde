// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The PR preview report, one import for its users: the data (reportModel.ts, with the topology of
// reportTopology.ts) and its renderers — Markdown (reportMarkdown.ts), Mermaid (reportMermaid.ts), SVG
// (topologySvg.ts) and JSON (`renderJson`).

export { md } from "./markdown";
export { buildReport, renderJson } from "./reportModel";
export type { PendingItem, PreviewReport, StackSection } from "./reportModel";
export { buildTopology } from "./reportTopology";
export type { TopoPeering, TopoRoute, TopoVpc, Topology } from "./reportTopology";
export { renderMarkdown } from "./reportMarkdown";
export { renderMermaid } from "./reportMermaid";
export { renderSvg } from "./topologySvg";
