// A program (`exec`) that stops on SIGTERM, as a worker in another language would.
const tick = setInterval(() => {}, 1_000);
process.on("SIGTERM", () => {
  clearInterval(tick);
  process.exit(0);
});
console.log("ready");
