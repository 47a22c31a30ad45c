// Sends order confirmations from an in-memory queue with one worker task. The pattern to copy is
// where the worker looks at its signal: *between* jobs, never inside one. A mail that is half sent
// when shutdown starts is finished, so a stop never leaves a customer with a cut-off message; the
// stop timeout in shop.sup bounds how long that may take.
//
// The queue is in memory, so mails still queued at stop are lost (and logged). A real mailer would
// take jobs from a durable queue and acknowledge each one only after sending it.
import type { WorkersMailerScope } from "../gen/types.ts";

export interface Mail {
  readonly to: string;
  readonly subject: string;
  readonly body: string;
}

// Mail to this reserved domain makes delivery throw, to show supervision at work: the rejected
// task crashes the mailer and its `one_for_all` supervisor restarts the mailer and the indexer.
// Try it: POST /orders with {"productId": 1, "email": "someone@crash.invalid"}.
const CRASH_DOMAIN = "@crash.invalid";

export async function start(scope: WorkersMailerScope) {
  const queue: Mail[] = [];
  let sent = 0;
  // Set while the worker is idle: enqueue calls it to wake the worker up without polling.
  let wake: (() => void) | undefined;

  // Resolves on new work or on cancellation, whichever comes first, and leaves no listener behind.
  function waitForWork(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        signal.removeEventListener("abort", done);
        wake = undefined;
        resolve();
      };
      wake = done;
      signal.addEventListener("abort", done);
    });
  }

  // Stands in for an SMTP round trip. It is deliberately not given the signal: the job in hand
  // runs to completion. (Here the wait is on the runtime's clock, so it is shortened by a
  // stop; a real transport would take its full time, which the stop timeout allows for.)
  async function deliver(mail: Mail): Promise<void> {
    await scope.sleep(20 + Math.random() * 80);
    if (mail.to.endsWith(CRASH_DOMAIN)) throw new Error(`SMTP 550: mailbox unavailable: ${mail.to}`);
    sent++;
    scope.log(`sent "${mail.subject}" to ${mail.to}`);
  }

  scope.go("worker", async (signal) => {
    while (!signal.aborted) {
      const mail = queue.shift();
      if (mail === undefined) await waitForWork(signal);
      else await deliver(mail);
    }
    if (queue.length > 0) scope.log(`stopping with ${queue.length} queued mail(s) unsent`);
  });

  return {
    // Throws once stopping: a caller holding a stale handle gets an error it can turn into a 503,
    // instead of a mail that silently never leaves.
    enqueue(mail: Mail): void {
      if (scope.signal.aborted) throw new Error("mailer is stopping; not accepting mail");
      queue.push(mail);
      wake?.();
    },
    stats: () => ({ queued: queue.length, sent }),
  };
}
