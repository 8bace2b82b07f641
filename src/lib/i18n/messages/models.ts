import { english } from '../area.ts';

/** Strings of the model picker. */
export const models = english({
	en: {
		'models.recent': 'Recent',
		'models.more': '{count} more — keep typing',
		'models.none': 'No listed model matches; the name you typed is sent as is',
		'models.suggestions': 'Model suggestions'
	}
});
