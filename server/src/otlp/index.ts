export { MAX_OTLP_BODY, otlpTracesRoute } from './otlp.route';
export { callsOfExport, llmRequestType, registryProvider, spansOf, type OtlpSpan } from './span-to-call';
