// The floor + inputs' Route provider: `create` returns outputs keyed like ours.
module.exports = {
    async create({ __checks, ...inputs }) {
        const outs = { ...inputs, projectId: "dba5e505735d6f807871458e067ea2ba", type: "peering" };
        return { id: require("node:crypto").randomUUID(), outs };
    },
};
