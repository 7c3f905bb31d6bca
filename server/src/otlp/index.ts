export { MAX_OTLP_BODY, otlpTracesRoute } from './otlp.route';
export { callsOfExport, llmRequestType, otlpSpans, registryProvider, type OtlpSpan } from './span-to-call';
