// Imported first by observability.ts, before Powertools Tracer loads the X-Ray SDK. Started in
// its default (automatic) mode the SDK tracks every promise of the process with an async hook
// (cls-hooked, with a destroy hook); outside Lambda the Tracer is off and no segment is ever made,
// so that tracking only costs: about a quarter of the local runtime's CPU per decision
// (bench/RESULTS.md, Decision). The SDK's one switch is this variable, read when it loads.
// In Lambda nothing changes: the Tracer's segments need the automatic mode.
if (process.env.AWS_LAMBDA_FUNCTION_NAME === undefined) {
  process.env.AWS_XRAY_MANUAL_MODE ??= 'true';
}
