import type { Chinese } from '../../area.ts';
import type { db } from '../db.ts';

/** The Simplified Chinese strings of `../db.ts`, loaded only when the language is Chinese. */
export const zh: Chinese<typeof db> = {
	'db.error.quota':
		'存储空间已满：屏幕上的内容不会丢失，但新消息无法保存。请先导出数据，再删除旧对话或释放磁盘空间后继续。',
	'db.error.other': '保存失败（{name}）：{detail}',
	'backup.error.tooLarge': '此文件太大，不可能是 Switchboard 备份。',
	'backup.error.json': '不是 JSON 文件（可能已被截断）：{detail}。未导入任何内容。',
	'backup.error.invalid': '不是有效的 Switchboard 备份：{detail}。未导入任何内容。',
	'db.unreadable': '无法读取此消息（id {id}）：{detail}',
	'db.unreadableChat': '无法读取此对话：{detail}'
};
