import { english } from '../area.ts';

/** Strings of the workspace layout: header, settings, column head, side panel, presets. */
export const workspace = english({
	en: {
		'header.closeHistory': 'Close History',
		'header.settings': 'Settings',
		'experiment.open': 'Experiments',
		'experiment.untitled': 'Untitled experiment',
		'settings.title': 'Settings',
		'settings.appearance': 'Appearance',
		'settings.data': 'Your data',
		'settings.dataHelp':
			'Conversations and presets stay in this browser. Export writes them to one JSON file; Import restores one.',
		'common.close': 'Close',
		'common.closePanel': 'Close panel',
		'compare.limit': 'A conversation has at most {max} columns: remove one to add another.',
		'preset.deleted': 'Deleted preset “{name}”.',
		'preset.modified': 'modified',
		'preset.modifiedHelp': 'Settings differ from this preset. Save preset keeps them in it.',
		'preset.rename': 'Rename preset',
		'preset.duplicate': 'Duplicate preset',
		'preset.delete': 'Delete preset',
		'preset.renameHint': 'Type the new name, then press Enter.',
		'preset.renamed': 'Renamed to “{name}”.',
		'preset.nameTaken': 'Another preset is already called “{name}”.',
		'endpoint.title': 'Endpoint of column {n}',
		'endpoint.chip': 'Endpoint: {where}, model {model}',
		'endpoint.noModel': 'No model',
		'endpoint.problem.noModel': 'no model chosen',
		'endpoint.problem.models': 'the model list could not be fetched',
		'endpoint.problem.noKey': 'no API key',
		'column.streaming': 'Streaming',
		'column.failed': 'Failed',
		'params.defaultShort': 'default {value}',
		'params.sent': 'sent',
		'params.notSent': 'not sent',
		'params.reset': 'Reset',
		'params.resetAll': 'Reset all',
		'thread.jump': 'Jump to latest',
		'thread.older': {
			one: 'Show {count} older message',
			other: 'Show older messages ({count} more)'
		},
		'composer.placeholderMany': 'Message all {count} columns…',
		'composer.imageUrlToggle': 'Link an image',
		'message.deleted': 'Message deleted.'
	}
});
