#!/bin/sh
# An app as teams build them today, with the AWS CLI: three users (alice an admin, with a phone), a Lex bot,
# 30-day retention, tags. Prints the AppInstance ARN. Against the emulator: CHIME_ENDPOINT=http://127.0.0.1:4580.
set -eu
CHIME="aws chime-sdk-identity --region ${AWS_REGION:-us-east-1} --output text ${CHIME_ENDPOINT:+--endpoint-url $CHIME_ENDPOINT}"
LEX_ALIAS=arn:aws:lex:us-east-1:123456789012:bot-alias/ABCDEFGHIJ/KLMNOPQRST
PINPOINT_APP=arn:aws:mobiletargeting:us-east-1:123456789012:apps/0123456789abcdef

APP=$($CHIME create-app-instance --name team-chat --metadata '{"tier":"prod"}' \
  --tags Key=project,Value=chat --query AppInstanceArn)
ALICE=$($CHIME create-app-instance-user --app-instance-arn "$APP" --app-instance-user-id alice --name Alice \
  --tags Key=project,Value=chat Key=role,Value=ops --query AppInstanceUserArn)
$CHIME create-app-instance-user --app-instance-arn "$APP" --app-instance-user-id bob --name Bob \
  --expiration-settings ExpirationDays=365,ExpirationCriterion=CREATED_TIMESTAMP --query AppInstanceUserArn >/dev/null
$CHIME create-app-instance-user --app-instance-arn "$APP" --app-instance-user-id carol --name Carol \
  --query AppInstanceUserArn >/dev/null
$CHIME create-app-instance-admin --app-instance-arn "$APP" --app-instance-admin-arn "$ALICE" >/dev/null
$CHIME create-app-instance-bot --app-instance-arn "$APP" --name Helper \
  --configuration "Lex={LexBotAliasArn=$LEX_ALIAS,LocaleId=en_US,WelcomeIntent=Welcome}" \
  --tags Key=project,Value=chat --query AppInstanceBotArn >/dev/null
$CHIME put-app-instance-retention-settings --app-instance-arn "$APP" \
  --app-instance-retention-settings ChannelRetentionSettings={RetentionDays=30} >/dev/null
$CHIME register-app-instance-user-endpoint --app-instance-user-arn "$ALICE" --name phone --type GCM \
  --resource-arn "$PINPOINT_APP" --endpoint-attributes DeviceToken=alice-fcm-token --query EndpointId >/dev/null
echo "$APP"
