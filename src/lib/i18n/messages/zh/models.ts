import type { Chinese } from '../../area.ts';
import type { models } from '../models.ts';

/** The Simplified Chinese strings of `../models.ts`, loaded only when the language is Chinese. */
export const zh: Chinese<typeof models> = {
	'models.recent': '最近使用',
	'models.more': '还有 {count} 个，请继续输入',
	'models.none': '没有匹配的已列出模型；将按你输入的名称发送',
	'models.suggestions': '模型建议'
};
