// The floor + inputs' PeeringConnection provider: `check` auto-names like ours, `create` returns outputs keyed like ours.
module.exports = {
    async check(_olds, news) {
        return { inputs: { ...news, name: `${news.__resourceName}-e7e3fad`, __autoNamed: true } };
    },
    async create({ __checks, ...inputs }) {
        const [projectId, createdAt] = ["dba5e505735d6f807871458e067ea2ba", "2026-12-02T19:03:45.000Z"];
        const outs = { ...inputs, accepterProjectId: projectId, requesterProjectId: projectId, createdAt };
        return { id: require("node:crypto").randomUUID(), outs: { ...outs, status: "ACTIVE" } };
    },
};
