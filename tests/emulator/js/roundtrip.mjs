// A round trip through the local chime-sdk-identity emulator with an unmodified AWS SDK for JavaScript.
//
//   node roundtrip.mjs <endpoint-url> <v2|v3>
//
// Creates an app instance (with tags), describes it, creates and lists a user, checks that describing a
// missing user fails with NotFoundException / HTTP 404, and deletes the app instance. Prints one JSON line
// with what it saw; exits 1 on any mismatch, 2 on bad usage.

import { FLAVOURS, connect } from "./clients.mjs";

const [endpoint, flavour] = process.argv.slice(2);
if (!endpoint || !FLAVOURS.includes(flavour)) {
  console.error("usage: node roundtrip.mjs <endpoint-url> <v2|v3>");
  process.exit(2);
}

const mismatches = [];
function expect(what, actual, expected) {
  const ok = typeof expected === "function" ? expected(actual) : actual === expected;
  if (!ok) mismatches.push({ what, actual, expected: typeof expected === "function" ? String(expected) : expected });
}

const seen = { sdk: flavour, endpoint };
try {
  const call = await connect(flavour, endpoint);

  const created = await call("CreateAppInstance", {
    Name: "js-app",
    Metadata: `created by aws-sdk ${flavour}`,
    Tags: [{ Key: "team", Value: "js" }],
  });
  const appArn = created.AppInstanceArn;
  seen.create = { status: created.status, arn: appArn, requestId: created.requestId };
  expect("CreateAppInstance status", created.status, 201);
  expect("CreateAppInstance arn", appArn, (arn) => /^arn:aws:chime:us-east-1:\d{12}:app-instance\/.+/.test(arn));

  const described = await call("DescribeAppInstance", { AppInstanceArn: appArn });
  const instance = described.AppInstance;
  seen.describe = {
    status: described.status,
    name: instance.Name,
    metadata: instance.Metadata,
    // v2 gives Date objects, v3 too: both must have parsed the timestamp.
    createdTimestampIsDate: instance.CreatedTimestamp instanceof Date && !Number.isNaN(instance.CreatedTimestamp.getTime()),
  };
  expect("DescribeAppInstance status", described.status, 200);
  expect("DescribeAppInstance arn", instance.AppInstanceArn, appArn);
  expect("DescribeAppInstance name", instance.Name, "js-app");
  expect("DescribeAppInstance metadata", instance.Metadata, `created by aws-sdk ${flavour}`);
  expect("DescribeAppInstance created timestamp", seen.describe.createdTimestampIsDate, true);

  const user = await call("CreateAppInstanceUser", {
    AppInstanceArn: appArn,
    AppInstanceUserId: "alice",
    Name: "Alice",
  });
  seen.createUser = { status: user.status, arn: user.AppInstanceUserArn };
  expect("CreateAppInstanceUser status", user.status, 201);
  expect("CreateAppInstanceUser arn", user.AppInstanceUserArn, `${appArn}/user/alice`);

  const listed = await call("ListAppInstanceUsers", { AppInstanceArn: appArn });
  seen.listUsers = { status: listed.status, users: listed.AppInstanceUsers.map((u) => [u.AppInstanceUserArn, u.Name]) };
  expect("ListAppInstanceUsers status", listed.status, 200);
  expect("ListAppInstanceUsers users", JSON.stringify(seen.listUsers.users), JSON.stringify([[`${appArn}/user/alice`, "Alice"]]));

  try {
    await call("DescribeAppInstanceUser", { AppInstanceUserArn: `${appArn}/user/nobody` });
    seen.missingUser = { failed: false };
  } catch (error) {
    if (error instanceof Error) throw error;
    seen.missingUser = { failed: true, ...error };
  }
  expect("DescribeAppInstanceUser of a missing user fails", seen.missingUser.failed, true);
  expect("missing user error name", seen.missingUser.name, "NotFoundException");
  expect("missing user error code", seen.missingUser.code, "NotFound");
  expect("missing user HTTP status", seen.missingUser.status, 404);

  const deleted = await call("DeleteAppInstance", { AppInstanceArn: appArn });
  seen.delete = { status: deleted.status };
  expect("DeleteAppInstance status", deleted.status, 204);
} catch (error) {
  mismatches.push({ what: "unexpected error", actual: String(error?.stack ?? JSON.stringify(error)) });
}

seen.mismatches = mismatches;
console.log(JSON.stringify(seen));
process.exit(mismatches.length === 0 ? 0 : 1);
