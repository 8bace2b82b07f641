import { english } from '../area.ts';

/** Strings of History search. */
export const history = english({
	en: {
		'history.search': 'Search history',
		'history.searchPlaceholder': 'Title or message text',
		'history.noMatch': 'No conversations match “{query}”.',
		'history.moreMatches': {
			one: '{count} more matching conversation not shown.',
			other: '{count} more matching conversations not shown.'
		}
	}
});
