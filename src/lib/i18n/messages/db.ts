import { english } from '../area.ts';

/** Strings of storage and backup. */
export const db = english({
	en: {
		'db.error.quota':
			'Storage is full: nothing on screen is lost, but new messages are not being saved. Export your data, then delete old conversations or free disk space, and keep going.',
		'db.error.other': 'Saving failed ({name}): {detail}',
		'backup.error.tooLarge': 'This file is too large to be a Switchboard backup.',
		'backup.error.json': 'Not a JSON file (it may be truncated): {detail}. Nothing was imported.',
		'backup.error.invalid': 'Not a valid Switchboard backup: {detail}. Nothing was imported.',
		'db.unreadable': 'This message could not be read (id {id}): {detail}',
		'db.unreadableChat': 'This chat could not be read: {detail}'
	}
});
