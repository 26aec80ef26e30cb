// The quickstart's app from Go: an AppInstance with 30-day retention, two users (Alice is an admin and has a
// phone registered for push notifications, its device token a secret), all tagged.
//
//	pulumi package add ../..                                   # generates sdks/chime-sdk-identity, links it
//	pulumi config set --secret aliceDeviceToken <token>
//	pulumi up
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"pulumi-chime-sdk-identity/sdk/go/chimesdkidentity"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "")
		app, err := chimesdkidentity.NewMessagingApp(ctx, "chat", &chimesdkidentity.MessagingAppArgs{
			Name:          pulumi.String("go-chat"),
			Metadata:      pulumi.String(`{"tier": "demo"}`),
			Tags:          pulumi.StringMap{"project": pulumi.String("go-example"), "managed-by": pulumi.String("pulumi")},
			RetentionDays: pulumi.Int(30),
			Users: map[string]chimesdkidentity.UserInput{
				"alice": chimesdkidentity.UserArgs{
					Name:  pulumi.String("Alice"),
					Admin: pulumi.BoolRef(true),
					Endpoints: map[string]chimesdkidentity.EndpointInput{
						"phone": chimesdkidentity.EndpointArgs{
							Type:        pulumi.String("GCM"),
							ResourceArn: pulumi.String("arn:aws:mobiletargeting:us-east-1:123456789012:apps/0123456789abcdef"),
							DeviceToken: cfg.RequireSecret("aliceDeviceToken"),
						},
					},
				},
				"bob": chimesdkidentity.UserArgs{Name: pulumi.String("Bob")},
			},
		})
		if err != nil {
			return err
		}
		ctx.Export("appInstanceArn", app.AppInstanceArn)
		ctx.Export("userArns", app.UserArns)
		ctx.Export("adminIds", app.AdminIds)
		ctx.Export("endpointIds", app.EndpointIds)
		return nil
	})
}
