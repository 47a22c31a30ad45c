// A program (`exec`) that ignores SIGTERM: only the SIGKILL after its stop timeout ends it.
setInterval(() => {}, 1_000);
process.on("SIGTERM", () => {}); // BUG: the stop signal is ignored
console.log("ready");
