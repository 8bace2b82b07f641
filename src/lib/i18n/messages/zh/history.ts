import type { Chinese } from '../../area.ts';
import type { history } from '../history.ts';

/** The Simplified Chinese strings of `../history.ts`, loaded only when the language is Chinese. */
export const zh: Chinese<typeof history> = {
	'history.search': '搜索历史记录',
	'history.searchPlaceholder': '标题或消息内容',
	'history.noMatch': '没有与“{query}”匹配的对话。',
	'history.moreMatches': '另有 {count} 个匹配的对话未显示。'
};
