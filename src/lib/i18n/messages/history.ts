import { area } from '../area.ts';

/** Strings of History search. */
export const history = area({
	en: {
		'history.search': 'Search history',
		'history.searchPlaceholder': 'Title or message text',
		'history.noMatch': 'No conversations match “{query}”.',
		'history.moreMatches': {
			one: '{count} more matching conversation not shown.',
			other: '{count} more matching conversations not shown.'
		}
	},
	zh: {
		'history.search': '搜索历史记录',
		'history.searchPlaceholder': '标题或消息内容',
		'history.noMatch': '没有与“{query}”匹配的对话。',
		'history.moreMatches': '另有 {count} 个匹配的对话未显示。'
	}
});
