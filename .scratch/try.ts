import { App } from 'aws-cdk-lib';
import { createActionCenterApp } from '../infra/aws/action-center-app.ts';
const t0 = Date.now();
const { app } = createActionCenterApp(new App({ context: { bundling: 'none', webDist: '.scratch/dist' }, outdir: '/tmp/cdkout-try' }));
try { app.synth(); } catch (e) { console.error('SYNTH ERROR', (e as Error).message.slice(0, 20000)); }
console.log('ms', Date.now() - t0);
