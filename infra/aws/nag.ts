// How cdk-nag prints an ARN in a finding id: a pseudo parameter where the value is not known at
// synth (an environment-agnostic account), the literal where it is.
import { Stack, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export function nagArnPrefix(scope: IConstruct, service: string): string {
  const stack = Stack.of(scope);
  const shown = (value: string, pseudo: string) => (Token.isUnresolved(value) ? pseudo : value);
  return `arn:${shown(stack.partition, '<AWS::Partition>')}:${service}:${shown(stack.region, '<AWS::Region>')}:${shown(stack.account, '<AWS::AccountId>')}`;
}

export function nagAccount(scope: IConstruct): string {
  const { account } = Stack.of(scope);
  return Token.isUnresolved(account) ? '<AWS::AccountId>' : account;
}
