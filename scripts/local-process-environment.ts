/**
 * Imported first by `npm start`, before any module builds its logger or metrics sink: Powertools reads
 * these when the sink is built, and the local runtime has no CloudWatch to send EMF lines to.
 */
process.env.POWERTOOLS_SERVICE_NAME ??= "driftwatch";
process.env.POWERTOOLS_METRICS_DISABLED = "true";
process.env.POWERTOOLS_LOG_LEVEL ??= "WARN";
// The SDK's notice that its Node 20 support ends is nothing to act on mid-run (the README
// recommends Node 22 instead); a value the user set is kept, and only "true" silences it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
