// The health endpoints an orchestrator probes, served with node:http (the runtime has no
// dependency). The state comes from the lifecycle events alone, so it says what the logs say:
//
//   /livez     200 while the app has not failed (answering at all shows the event loop turns);
//              503 once a shutdown began for a failure, so a platform restarts a broken app
//   /startupz  200 once every service has started (and from then on), 503 before
//   /readyz    200 while every service has started and no shutdown or drain has begun, 503 else
//
// The server never holds the process open (its handle is unref'd, every response closes its
// connection) and the caller closes it after the run, so the endpoints answer through the drain
// and the whole stop.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { RuntimeEvent } from "../api/events.ts";
import type { HealthPlan } from "../api/plan.ts";

/** What the endpoints answer, kept up to date by `observe`. */
export class HealthState {
  started = false;
  ready = false;
  failed = false;
  /** Why /readyz says no, once it has said yes. */
  notReadyBecause = "starting";

  observe(event: RuntimeEvent): void {
    if (event.id !== "") return;
    switch (event.type) {
      case "started":
        this.started = true;
        return;
      case "readiness":
        this.ready = event.ready;
        if (!event.ready) this.notReadyBecause = event.cause === "signal" ? "draining or stopping after a signal" : "stopping";
        return;
      case "stopping":
        this.ready = false;
        if (event.reason.kind !== "signal") this.failed = true;
        return;
      default:
        return;
    }
  }

  /** Status and body for a path; undefined for a path that is not an endpoint. */
  answer(path: string): { status: number; body: string } | undefined {
    switch (path) {
      case "/livez":
        return this.failed ? { status: 503, body: "failed\n" } : { status: 200, body: "ok\n" };
      case "/startupz":
        return this.started ? { status: 200, body: "started\n" } : { status: 503, body: "starting\n" };
      case "/readyz":
        return this.ready ? { status: 200, body: "ready\n" } : { status: 503, body: `not ready: ${this.notReadyBecause}\n` };
      default:
        return undefined;
    }
  }
}

export interface HealthServer {
  readonly state: HealthState;
  /** The port it listens on (the plan's). */
  readonly port: number;
  close(): void;
}

function respond(state: HealthState, request: IncomingMessage, response: ServerResponse): void {
  const path = (request.url ?? "/").split("?")[0]!;
  const found = state.answer(path);
  response.setHeader("Connection", "close");
  response.setHeader("Cache-Control", "no-store");
  response.setHeader("Content-Type", "text/plain; charset=utf-8");
  if (found === undefined) {
    response.writeHead(404).end("not found: /livez, /readyz and /startupz are served here\n");
    return;
  }
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.writeHead(405, { Allow: "GET, HEAD" }).end();
    return;
  }
  response.writeHead(found.status).end(request.method === "HEAD" ? undefined : found.body);
}

/** Listens on the plan's port (and host); rejects with the reason when it cannot, before anything starts. */
export function startHealthServer(plan: HealthPlan): Promise<HealthServer> {
  const state = new HealthState();
  const server: Server = createServer((request, response) => respond(state, request, response));
  // A probe that sends garbage or hangs up gets nothing: nothing to log, nothing to crash.
  server.on("clientError", (_error, socket) => socket.destroy());
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      const where = `${plan.host ?? "every interface"} port ${plan.port}`;
      reject(new Error(`the health endpoints cannot listen on ${where}: ${error.code ?? error.message}`));
    };
    server.once("error", onError);
    server.listen({ port: plan.port, ...(plan.host !== undefined ? { host: plan.host } : {}) }, () => {
      server.off("error", onError);
      server.unref();
      resolve({
        state,
        port: plan.port,
        close: () => {
          server.close();
          server.closeAllConnections();
        },
      });
    });
  });
}
