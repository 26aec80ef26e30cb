// A round trip through the local chime-sdk-identity emulator with an unmodified AWS SDK for JavaScript.
//
//   node roundtrip.mjs <endpoint-url> <v2|v3>
//
// Creates an app instance (with tags), describes it, creates and lists a user, checks that describing a
// missing user fails with NotFoundException / HTTP 404, and deletes the app instance. Prints one JSON line
// with what it saw; exits 1 on any mismatch, 2 on bad usage.

const [endpoint, flavour] = process.argv.slice(2);
if (!endpoint || !["v2", "v3"].includes(flavour)) {
  console.error("usage: node roundtrip.mjs <endpoint-url> <v2|v3>");
  process.exit(2);
}

const REGION = "us-east-1";
const CREDENTIALS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" };

// One small interface over both SDKs: call(operation, input) resolves to the output plus status and request
// ID, or rejects with { name, code, status, message } read from the SDK's own error object, where name is the
// error shape the SDK resolved and code the body's "Code" member (the model's ErrorCode enum, e.g. "NotFound").
async function v3Client() {
  const sdk = await import("@aws-sdk/client-chime-sdk-identity");
  const client = new sdk.ChimeSDKIdentityClient({ endpoint, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });
  return async (operation, input) => {
    try {
      const { $metadata, ...output } = await client.send(new sdk[`${operation}Command`](input));
      return { ...output, status: $metadata.httpStatusCode, requestId: $metadata.requestId };
    } catch (error) {
      if (error.$metadata?.httpStatusCode === undefined) throw error;
      const status = error.$metadata.httpStatusCode;
      throw { name: error.name, code: error.Code, status, message: error.message, fault: error.$fault };
    }
  };
}

async function v2Client() {
  const { default: ChimeSDKIdentity } = await import("aws-sdk/clients/chimesdkidentity.js");
  const client = new ChimeSDKIdentity({ endpoint, region: REGION, credentials: CREDENTIALS, maxRetries: 0 });
  return async (operation, input) => {
    const method = operation[0].toLowerCase() + operation.slice(1);
    const request = client[method](input);
    try {
      const output = await request.promise();
      const response = request.response.httpResponse;
      return { ...output, status: response.statusCode, requestId: request.response.requestId };
    } catch (error) {
      if (error.statusCode === undefined) throw error;
      // v2 takes error.code from the body's Code member when there is one, and only otherwise from the
      // x-amzn-ErrorType header. Chime's error bodies carry Code (the ErrorCode enum: "NotFound"), so against
      // AWS too a v2 caller sees code "NotFound"; the shape name is the header, as botocore and v3 read it.
      const errorType = request.response.httpResponse.headers["x-amzn-errortype"] ?? "";
      throw { name: errorType.split(":")[0], code: error.code, status: error.statusCode, message: error.message };
    }
  };
}

const mismatches = [];
function expect(what, actual, expected) {
  const ok = typeof expected === "function" ? expected(actual) : actual === expected;
  if (!ok) mismatches.push({ what, actual, expected: typeof expected === "function" ? String(expected) : expected });
}

const seen = { sdk: flavour, endpoint };
try {
  const call = flavour === "v3" ? await v3Client() : await v2Client();

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
