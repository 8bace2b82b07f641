/** What an experiment stores: its setup in one row, each result in its own. */
import type { ExperimentCase } from '../experiment/cases.ts';
import type { Message } from '../util/message.ts';
import type { ChatRequest, Usage, WireError } from '../wire/types.ts';
import type { ColumnRow } from './rows.ts';

/** Here rather than with the checks, so storage and backup load none of their code. */
export const CHECK_KINDS = ['none', 'contains', 'equals', 'regex', 'json-schema', 'judge'] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];
/** More would make a run of one target take hours and the page heavy; split the file instead. */
export const MAX_CASES = 5000;
/** Targets one experiment may have: a gateway's whole catalog is rarely worth more. */
export const MAX_TARGETS = 100;

export interface ExperimentRow {
	id: string;
	title: string;
	/** Variables in the order the cases file gave them. */
	variables: string[];
	cases: ExperimentCase[];
	template: string;
	system: string;
	check: CheckKind;
	/** Each target is an endpoint, a model and parameters, stored as a column is. */
	targets: ColumnRow[];
	repetitions: number;
	concurrency: number;
	/** With check `judge`: the model that grades and what it is told (`{{answer}}` and more). */
	judge?: { target: ColumnRow; prompt: string };
	createdAt: number;
	updatedAt: number;
}

export const RESULT_STATUSES = ['pass', 'fail', 'error', 'done'] as const;
export type ResultStatus = (typeof RESULT_STATUSES)[number];

/** One case × target × repetition, saved as soon as it is known. */
export interface ResultRow {
	/** `experimentId/caseIndex/targetId/repetition`: running a cell again overwrites it. */
	id: string;
	experimentId: string;
	caseIndex: number;
	targetId: string;
	/** 0-based. */
	repetition: number;
	status: ResultStatus;
	/** The prompt as sent, after filling the template. */
	prompt: string;
	/** The request body as sent (no headers, so no key): opening the exchange shows it. */
	request?: ChatRequest;
	/** The answer's text (first choice). */
	text: string;
	/** Why a check failed. */
	reason?: Message;
	error?: WireError;
	model?: string;
	ttftMs?: number;
	totalMs?: number;
	usage?: Usage;
	/** Generation speed, when meaningful (see answerMetrics). */
	tokensPerSecond?: number;
	/** In the prices' currency, when the target has prices. */
	cost?: number;
	/** With check `judge`: what the judge said and what asking it cost. */
	judge?: { text: string; usage?: Usage; cost?: number };
	/** How many times a 429 or 5xx was asked again. */
	retries: number;
	finishedAt: number;
}

export const resultId = (experimentId: string, caseIndex: number, targetId: string, rep: number) =>
	`${experimentId}/${caseIndex}/${targetId}/${rep}`;
