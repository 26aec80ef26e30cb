// Quota mode seen by an unmodified AWS SDK for JavaScript: the same call, over and over, without retries.
//
//   node throttled.mjs <endpoint-url> <v2|v3> <calls>
//
// Calls ListAppInstances <calls> times in a row and prints one JSON line with what each call saw: { status }
// for an answer, { failed, name, code, status, message } for an error. Exits 1 on anything but an API
// answer (a network error, an SDK crash), 2 on bad usage.

import { FLAVOURS, connect } from "./clients.mjs";

const [endpoint, flavour, count] = process.argv.slice(2);
const calls = Number(count);
if (!endpoint || !FLAVOURS.includes(flavour) || !Number.isInteger(calls) || calls < 1) {
  console.error("usage: node throttled.mjs <endpoint-url> <v2|v3> <calls>");
  process.exit(2);
}

const seen = { sdk: flavour, endpoint, calls: [] };
let crashed = false;
try {
  const call = await connect(flavour, endpoint);
  for (let i = 0; i < calls; i++) {
    try {
      const { status } = await call("ListAppInstances", {});
      seen.calls.push({ status });
    } catch (error) {
      if (error instanceof Error) throw error;
      seen.calls.push({ failed: true, ...error });
    }
  }
} catch (error) {
  crashed = true;
  seen.error = String(error?.stack ?? error);
}

console.log(JSON.stringify(seen));
process.exit(crashed ? 1 : 0);
