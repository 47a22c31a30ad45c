// Two ways to link a controller to the scope: abort it in a finalizer, or combine the signals.
import type { ServiceScope } from "../../../runtime/api/types.ts";

export async function start(scope: ServiceScope) {
  const requests = new AbortController();
  scope.defer(() => requests.abort());
  async function get(url: string): Promise<number> {
    const perCall = new AbortController();
    const signal = AbortSignal.any([scope.signal, perCall.signal, requests.signal]);
    const response = await fetch(url, { signal });
    return response.status;
  }
  return { get };
}
