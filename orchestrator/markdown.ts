// Copyright 2026 the pulumi-vpc-peering authors. Apache-2.0.
//
// The Markdown pieces the PR report (reportMarkdown.ts) and the verify report (verifyReport.ts) share: the escapers
// for table cells and inline code, and the topology section.

/** {@link md} escapes text for a Markdown table cell or inline text (pipes, angle brackets, backslashes, line breaks). */
export function md(text: string): string {
    return text
        .replace(/\\/g, "\\\\")
        .replace(/\|/g, "\\|")
        .replace(/</g, "&lt;")
        .replace(/>/g, "&gt;")
        .replace(/\r?\n/g, "<br>");
}

/** {@link code} is inline code that survives backticks and pipes inside (the text is kept as it is). */
export function code(text: string): string {
    const t = text.replace(/\r?\n/g, " ");
    return t.includes("`") ? `<code>${md(t)}</code>` : `\`${t.replace(/\|/g, "\\|")}\``;
}

/** {@link topologySection} is a report's topology: the Mermaid diagram under `title`, and the SVG's path if written. */
export function topologySection(title: string, mermaid: string, svgPath?: string): string[] {
    const image = svgPath ? ["", `_Also as an image: ${code(svgPath)}._`] : [];
    return [`### ${title}`, "", "```mermaid", mermaid, "```", ...image, ""];
}
