import { StateMachine } from 'aws-local-stepfunctions';
const def = { StartAt: 'M', States: { M: { Type: 'Map', ItemsPath: '$.actions', ItemSelector: { 'investigationId.$': '$.investigationId', 'action.$': '$$.Map.Item.Value.action' }, ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true } } };
const sm = new StateMachine(def as never);
console.log(JSON.stringify(await sm.run({ investigationId: 'i', actions: [{ action: { id: 'a1' } }, { action: { id: 'a2' } }] } as never).result));
