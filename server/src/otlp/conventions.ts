/**
 * Where each field of a call is found on a span, for every convention Tally reads: the
 * OpenTelemetry GenAI semantic conventions (`gen_ai.*`, current and older names), OpenInference
 * (`llm.*`, Arize Phoenix), OpenLLMetry/Traceloop and the Vercel AI SDK (`ai.*`). Each list is
 * read in order and the first attribute present wins. The README's mapping table is this file.
 */

export const MODEL_ATTRIBUTES = [
  // the response model first: it names the exact version that answered
  'gen_ai.response.model',
  'ai.response.model',
  'llm.response.model',
  'gen_ai.request.model',
  'llm.model_name',
  'llm.request.model',
  'ai.model.id',
] as const;

export const PROVIDER_ATTRIBUTES = ['gen_ai.provider.name', 'gen_ai.system', 'llm.provider', 'llm.system', 'ai.model.provider'] as const;

export const INPUT_TOKEN_ATTRIBUTES = [
  'gen_ai.usage.input_tokens',
  'gen_ai.usage.prompt_tokens',
  'llm.token_count.prompt',
  'llm.usage.prompt_tokens',
  'ai.usage.inputTokens',
  'ai.usage.promptTokens',
  // the AI SDK's embedding calls count their input alone
  'ai.usage.tokens',
] as const;

export const OUTPUT_TOKEN_ATTRIBUTES = [
  'gen_ai.usage.output_tokens',
  'gen_ai.usage.completion_tokens',
  'llm.token_count.completion',
  'llm.usage.completion_tokens',
  'ai.usage.outputTokens',
  'ai.usage.completionTokens',
] as const;

export const CACHE_READ_ATTRIBUTES = [
  'gen_ai.usage.cache_read.input_tokens',
  'gen_ai.usage.cache_read_input_tokens',
  'llm.token_count.prompt_details.cache_read',
  'ai.usage.cachedInputTokens',
  'ai.usage.inputTokenDetails.cacheReadTokens',
] as const;

export const CACHE_WRITE_ATTRIBUTES = [
  'gen_ai.usage.cache_creation.input_tokens',
  'gen_ai.usage.cache_write.input_tokens',
  'gen_ai.usage.cache_creation_input_tokens',
  'llm.token_count.prompt_details.cache_write',
  'ai.usage.inputTokenDetails.cacheWriteTokens',
] as const;

export const REASONING_ATTRIBUTES = [
  'gen_ai.usage.reasoning.output_tokens',
  'gen_ai.usage.reasoning_tokens',
  'llm.token_count.completion_details.reasoning',
  'ai.usage.reasoningTokens',
  'ai.usage.outputTokenDetails.reasoningTokens',
] as const;

export const COST_ATTRIBUTES = ['gen_ai.usage.cost', 'llm.cost.total'] as const;

export const AGENT_ID_ATTRIBUTES = ['gen_ai.agent.id', 'gen_ai.agent.name'] as const;
export const AGENT_NAME_ATTRIBUTE = 'gen_ai.agent.name';

/** The workflow a call's run belongs to: OpenLLMetry/Traceloop sets it on every span of a workflow. */
export const WORKFLOW_ATTRIBUTES = ['gen_ai.workflow.name', 'traceloop.workflow.name'] as const;

/** The end user a call was made for: OpenTelemetry's user.id (enduser.id before it), Langfuse's, the AI SDK's telemetry metadata. */
export const USER_ID_ATTRIBUTES = ['user.id', 'enduser.id', 'langfuse.user.id', 'ai.telemetry.metadata.userId'] as const;
/** The session or conversation: OpenTelemetry's session.id and gen_ai.conversation.id, Langfuse's, the AI SDK's. */
export const SESSION_ID_ATTRIBUTES = ['session.id', 'gen_ai.conversation.id', 'langfuse.session.id', 'ai.telemetry.metadata.sessionId'] as const;
/** A call's tags, as a string array. */
export const TAGS_ATTRIBUTES = ['langfuse.trace.tags', 'ai.telemetry.metadata.tags'] as const;

export const ERROR_TYPE_ATTRIBUTE = 'error.type';

/** `gen_ai.operation.name` values that are one call to a model. */
export const GEN_AI_OPERATIONS = new Set(['chat', 'text_completion', 'generate_content', 'embeddings']);

/** `openinference.span.kind` values that are one call to a model, and the request type each is. */
export const OPENINFERENCE_KINDS: Record<string, string> = { LLM: 'chat', EMBEDDING: 'embeddings' };

/** OpenLLMetry's `llm.request.type` values, as the request types Tally names them. */
export const LEGACY_REQUEST_TYPES: Record<string, string> = { chat: 'chat', completion: 'text_completion', embedding: 'embeddings', rerank: 'rerank' };

/**
 * The Vercel AI SDK's provider calls: `ai.<function>.doGenerate`, `.doStream` and
 * `ai.embed*.doEmbed`. Its other `ai.*` spans (`ai.generateText` around `…doGenerate`)
 * wrap a provider call and repeat its usage.
 */
export const AI_SDK_PROVIDER_CALL = /^ai\.[A-Za-z]+\.(doGenerate|doStream|doEmbed)$/;
export const AI_SDK_SPAN = /^ai\.[A-Za-z]+(\.[A-Za-z]+)?$/;
/** The AI SDK names its span in `ai.operationId` (the span name may carry a function id after it). */
export const AI_SDK_OPERATION_ATTRIBUTE = 'ai.operationId';

/** What the resource says about the sender, kept with every call. */
export const RESOURCE_METADATA_ATTRIBUTES = ['service.name', 'service.version', 'deployment.environment', 'deployment.environment.name'] as const;

/**
 * Attributes that carry prompts, completions, tool arguments or embeddings: never stored. A
 * key is dropped when it equals one of these or starts with one followed by a dot.
 */
export const CONTENT_ATTRIBUTES = [
  'gen_ai.input.messages',
  'gen_ai.output.messages',
  'gen_ai.system_instructions',
  'gen_ai.prompt',
  'gen_ai.completion',
  'gen_ai.tool.definitions',
  'gen_ai.tool.call.arguments',
  'gen_ai.tool.call.result',
  'gen_ai.embeddings',
  'ai.prompt',
  'ai.prompt.messages',
  'ai.prompt.tools',
  'ai.prompt.toolChoice',
  'ai.response.text',
  'ai.response.object',
  'ai.response.toolCalls',
  'ai.response.reasoning',
  'ai.response.files',
  'ai.toolCall.args',
  'ai.toolCall.result',
  'ai.value',
  'ai.values',
  'ai.embedding',
  'ai.embeddings',
  'llm.input_messages',
  'llm.output_messages',
  'llm.prompts',
  'llm.prompt_template',
  'llm.tools',
  'input.value',
  'output.value',
  'embedding.embeddings',
  'traceloop.entity.input',
  'traceloop.entity.output',
] as const;

/** A string attribute longer than this is content, whatever its name, and is not kept. */
export const MAX_KEPT_STRING = 512;
/** The metadata budget a span's kept attributes stop at, under ingest's 16 KB limit. */
export const MAX_KEPT_METADATA_BYTES = 8_192;
