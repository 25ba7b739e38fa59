// How cdk-nag prints an ARN in a finding id: a pseudo parameter where the value is not known at
// synth (an environment-agnostic account), the literal where it is.
import { Stack, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

const shown = (value: string, pseudo: string) => (Token.isUnresolved(value) ? pseudo : value);

export function nagArnPrefix(scope: IConstruct, service: string): string {
  const { partition, region, account } = Stack.of(scope);
  return `arn:${shown(partition, '<AWS::Partition>')}:${service}:${shown(region, '<AWS::Region>')}:${shown(account, '<AWS::AccountId>')}`;
}

/** The CDK assets bucket's objects, as cdk-nag prints them. */
export function nagAssetsBucketObjects(scope: IConstruct, qualifier: string): string {
  const { partition, region, account } = Stack.of(scope);
  return `arn:${shown(partition, '<AWS::Partition>')}:s3:::cdk-${qualifier}-assets-${shown(account, '<AWS::AccountId>')}-${shown(region, '<AWS::Region>')}/*`;
}
