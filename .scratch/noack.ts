import { App, Validations } from 'aws-cdk-lib';
(Validations.prototype as any).acknowledge = function () {};
const { createActionCenterApp } = await import('../infra/aws/action-center-app.ts');
const { app } = createActionCenterApp(new App({ context: { bundling: 'none', webDist: '.scratch/dist' }, outdir: '/tmp/cdkout-noack' }));
try { app.synth(); } catch (e) { console.error('SYNTH ERROR', (e as Error).message.slice(0, 300)); }
