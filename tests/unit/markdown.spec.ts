import { expect } from "chai";
import { code, md, topologySection } from "../../orchestrator/markdown";

// One set of Markdown escapers for the PR report and the verify report (verify's own copy did not escape
// backslashes or line breaks, and turned backticks in code into quotes).
describe("report Markdown: the shared escapers", () => {
    it("escapes table-breaking text in cells: pipes, angle brackets, backslashes, line breaks", () => {
        expect(md("a|b<c>\nd\\e")).to.equal("a\\|b&lt;c&gt;<br>d\\\\e");
    });

    it("keeps backticks in inline code instead of altering the text", () => {
        expect(code("vpc-a")).to.equal("`vpc-a`");
        expect(code("a|b")).to.equal("`a\\|b`");
        expect(code("say `hi`")).to.equal("<code>say `hi`</code>");
        expect(code("two\nlines")).to.equal("`two lines`");
    });

    it("renders the topology section with the SVG's path only when one was written", () => {
        expect(topologySection("Topology", "graph LR")).to.deep.equal([
            "### Topology",
            "",
            "```mermaid",
            "graph LR",
            "```",
            "",
        ]);
        expect(topologySection("Topology (live)", "graph LR", "out/t.svg")).to.include(
            "_Also as an image: `out/t.svg`._",
        );
    });
});
