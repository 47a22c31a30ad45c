// A fetcher whose own controller never hears of the stop: the request runs on after it.
import type { ServiceScope } from "../../../runtime/api/types.ts";

export async function start(scope: ServiceScope) {
  const requests = new AbortController(); // expect: SUP5006
  async function get(url: string): Promise<number> {
    const response = await fetch(url, { signal: requests.signal });
    scope.log(`GET ${url}: ${response.status}`);
    return response.status;
  }
  return { get };
}
