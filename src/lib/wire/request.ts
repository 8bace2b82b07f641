/** Endpoint + model + parameters + thread → the exact request, or why it cannot be sent. */
import { buildHeaders, resolveChatUrl } from './endpoint.ts';
import { parseParams } from './params.ts';
import type { ChatMessage, ParamValues, PreparedRequest } from './types.ts';
import type { EndpointConfig } from '../app-types.ts';
import type { Message } from '../util/message.ts';

export function buildRequest(input: {
	endpoint: EndpointConfig;
	model: string;
	params: ParamValues;
	messages: ChatMessage[];
	traceId?: string;
}): { ok: true; request: PreparedRequest } | { ok: false; errors: Record<string, Message> } {
	const { fields, errors } = parseParams(input.params, {
		tokenLimitField: input.endpoint.tokenLimitField
	});
	const url = resolveChatUrl(input.endpoint.baseUrl);
	if (!url.ok) errors.baseUrl = url.message;
	const model = input.model.trim();
	if (!model) errors.model = { key: 'request.error.model' };
	const headers = buildHeaders(input.endpoint, input.traceId);
	if (!headers.ok) errors.extraHeaders = headers.message;
	if (!url.ok || !headers.ok || Object.keys(errors).length > 0) return { ok: false, errors };
	return {
		ok: true,
		request: {
			url: url.url,
			headers: headers.headers,
			body: { model, messages: input.messages, ...fields }
		}
	};
}

/** A fresh id for `X-Trace-ID`, so a request can be found in the gateway's logs. */
export function newTraceId(): string {
	const bytes = crypto.getRandomValues(new Uint8Array(8));
	return `sb-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
