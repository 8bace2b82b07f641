import type { Chinese } from '../../area.ts';
import type { workspace } from '../workspace.ts';

/** The Simplified Chinese strings of `../workspace.ts`, loaded only when the language is Chinese. */
export const zh: Chinese<typeof workspace> = {
	'header.closeHistory': '关闭历史记录',
	'header.settings': '设置',
	'experiment.open': '实验',
	'experiment.untitled': '未命名实验',
	'settings.title': '设置',
	'settings.appearance': '外观',
	'settings.data': '你的数据',
	'settings.dataHelp':
		'对话和预设只保存在此浏览器中。导出会写入一个 JSON 文件；导入可从该文件恢复。',
	'common.close': '关闭',
	'common.closePanel': '关闭面板',
	'compare.limit': '一个对话最多有 {max} 列：请先移除一列再添加。',
	'preset.deleted': '已删除预设“{name}”。',
	'preset.modified': '已修改',
	'preset.modifiedHelp': '当前设置与此预设不同。点击“保存预设”可写入预设。',
	'preset.rename': '重命名预设',
	'preset.duplicate': '复制预设',
	'preset.delete': '删除预设',
	'preset.renameHint': '输入新名称，然后按 Enter。',
	'preset.renamed': '已重命名为“{name}”。',
	'preset.nameTaken': '已有名为“{name}”的预设。',
	'endpoint.title': '第 {n} 列的端点',
	'endpoint.chip': '端点：{where}，模型 {model}',
	'endpoint.noModel': '未选模型',
	'endpoint.problem.noModel': '未选择模型',
	'endpoint.problem.models': '无法获取模型列表',
	'endpoint.problem.noKey': '没有 API 密钥',
	'column.streaming': '正在输出',
	'column.failed': '失败',
	'params.defaultShort': '默认 {value}',
	'params.sent': '发送',
	'params.notSent': '不发送',
	'params.reset': '重置',
	'params.resetAll': '全部重置',
	'thread.jump': '跳到最新',
	'composer.placeholderMany': '发送给全部 {count} 列…',
	'composer.imageUrlToggle': '链接图片',
	'message.deleted': '消息已删除。'
};
