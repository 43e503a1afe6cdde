// Preloaded by `npm run bench:floor -- --cpu-prof DIR` (NODE_OPTIONS=--require) into every Node process the CLI
// starts: the engine stops the dynamic provider host with SIGINT, and a process killed by a signal writes no CPU
// profile; exiting on it does.
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(0));
