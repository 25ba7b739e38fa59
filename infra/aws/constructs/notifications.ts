// The notifications topic: the notifier's sns channel publishes every message here
// (NOTIFY_TOPIC_ARN), and its e-mail subscribers get the subject and plain text of
// core/notification-messages.ts. The topic exists whether or not `notifyEmails` names anyone, so
// operators can subscribe later.

import { Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface NotificationsProps {
  /** The stack's customer managed key: the messages carry decision links and alert text. */
  readonly key: IKey;
  /** Subscribed at deploy; each address gets a confirmation mail from SNS first. */
  readonly emails: readonly string[];
}

export class Notifications extends Construct {
  readonly topic: Topic;
  private readonly key: IKey;

  constructor(scope: Construct, id: string, props: NotificationsProps) {
    super(scope, id);
    this.key = props.key;
    this.topic = new Topic(this, 'Topic', {
      // The sender's name of the e-mails.
      displayName: 'Action Center',
      masterKey: props.key,
      enforceSSL: true,
    });
    for (const email of props.emails) this.topic.addSubscription(new EmailSubscription(email));
  }

  /**
   * The notifier publishes, and does nothing else, to this topic only; the key only through SNS
   * (SNS encrypts each message with a data key made under the publisher's rights). The key's
   * policy leaves its use to IAM in the account, so this grant is all SNS needs; delivery to
   * e-mail needs none.
   */
  grantPublish(fn: LambdaFunction): void {
    fn.addEnvironment('NOTIFY_TOPIC_ARN', this.topic.topicArn);
    fn.addToRolePolicy(
      new PolicyStatement({
        sid: 'PublishNotifications',
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
      }),
    );
    fn.addToRolePolicy(
      new PolicyStatement({
        sid: 'EncryptNotifications',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [this.key.keyArn],
        conditions: {
          StringEquals: { 'kms:ViaService': `sns.${Stack.of(this).region}.amazonaws.com` },
        },
      }),
    );
  }
}
