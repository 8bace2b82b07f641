import { area } from '../area.ts';

/** Strings of the model picker. */
export const models = area({
	en: {
		'models.recent': 'Recent',
		'models.more': '{count} more — keep typing',
		'models.none': 'No listed model matches; the name you typed is sent as is',
		'models.suggestions': 'Model suggestions'
	},
	zh: {
		'models.recent': '最近使用',
		'models.more': '还有 {count} 个，请继续输入',
		'models.none': '没有匹配的已列出模型；将按你输入的名称发送',
		'models.suggestions': '模型建议'
	}
});
