// One small interface over both AWS SDKs for JavaScript, shared by the scripts beside it.
//
// connect(flavour, endpoint) resolves to call(operation, input), which resolves to the output plus status and
// request ID, or rejects with { name, code, status, message } read from the SDK's own error object, where name
// is the error shape the SDK resolved and code the body's "Code" member (the model's ErrorCode enum, e.g.
// "NotFound"). Neither SDK retries: what the emulator answers is what the caller sees.

const REGION = "us-east-1";
const CREDENTIALS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" };

export const FLAVOURS = ["v2", "v3"];

export async function connect(flavour, endpoint) {
  return flavour === "v3" ? v3Client(endpoint) : v2Client(endpoint);
}

async function v3Client(endpoint) {
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

async function v2Client(endpoint) {
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
