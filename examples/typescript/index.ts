// The quickstart's app from TypeScript: an AppInstance with 30-day retention, two users (Alice is an admin
// and has a phone registered for push notifications, its device token a secret), all tagged.
//
//   pulumi package add ../..                                   # generates sdks/chime-sdk-identity, links it
//   pulumi config set --secret aliceDeviceToken <token>
//   pulumi up
import * as pulumi from "@pulumi/pulumi";
import * as chime from "pulumi-chime-sdk-identity";

const config = new pulumi.Config();

const app = new chime.MessagingApp("chat", {
    name: "typescript-chat",
    metadata: '{"tier": "demo"}',
    tags: { project: "typescript-example", "managed-by": "pulumi" },
    retentionDays: 30,
    users: {
        alice: {
            name: "Alice",
            admin: true,
            endpoints: {
                phone: {
                    type: "GCM",
                    resourceArn: "arn:aws:mobiletargeting:us-east-1:123456789012:apps/0123456789abcdef",
                    deviceToken: config.requireSecret("aliceDeviceToken"),
                },
            },
        },
        bob: { name: "Bob" },
    },
});

export const appInstanceArn = app.appInstanceArn;
export const userArns = app.userArns;
export const adminIds = app.adminIds;
export const endpointIds = app.endpointIds;
