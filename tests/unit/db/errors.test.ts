import { describe, expect, it } from 'vitest';
import { Dexie } from 'dexie';
import { storageError } from '../../../src/lib/db/errors.ts';

describe('storageError', () => {
	it('maps a QuotaExceededError DOMException to the quota message', () => {
		expect(storageError(new DOMException('x', 'QuotaExceededError'))).toEqual({
			key: 'db.error.quota'
		});
	});

	it('maps an AbortError wrapping a quota error to the quota message', () => {
		const inner = new DOMException('x', 'QuotaExceededError');
		expect(storageError({ name: 'AbortError', message: 'aborted', inner })).toEqual({
			key: 'db.error.quota'
		});
		expect(storageError(new Dexie.AbortError('aborted', inner))).toEqual({
			key: 'db.error.quota'
		});
		expect(storageError({ name: 'X', cause: { name: 'QuotaExceededError' } })).toEqual({
			key: 'db.error.quota'
		});
	});

	it('maps other errors to db.error.other with name and detail, non-errors to undefined', () => {
		expect(storageError(new DOMException('gone', 'AbortError'))).toEqual({
			key: 'db.error.other',
			vars: { name: 'AbortError', detail: 'gone' }
		});
		expect(storageError(new Error('other'))).toEqual({
			key: 'db.error.other',
			vars: { name: 'Error', detail: 'other' }
		});
		expect(storageError({ name: 'AbortError' })).toEqual({
			key: 'db.error.other',
			vars: { name: 'AbortError', detail: '' }
		});
		expect(storageError('nope')).toBeUndefined();
		expect(storageError(null)).toBeUndefined();
	});
});
