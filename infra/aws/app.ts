// The CDK app's entry point (cdk.json): `cdk synth`, `cdk deploy`.
import { createActionCenterApp } from './action-center-app.js';

createActionCenterApp().app.synth();
