import { area } from '../area.ts';

/** Strings of storage and backup. */
export const db = area({
	en: {
		'db.error.quota':
			'Storage is full: nothing on screen is lost, but new messages are not being saved. Export your data, then delete old conversations or free disk space, and keep going.',
		'db.error.other': 'Saving failed ({name}): {detail}',
		'backup.error.tooLarge': 'This file is too large to be a Switchboard backup.',
		'backup.error.json': 'Not a JSON file (it may be truncated): {detail}. Nothing was imported.',
		'backup.error.invalid': 'Not a valid Switchboard backup: {detail}. Nothing was imported.',
		'db.unreadable': 'This message could not be read (id {id}): {detail}',
		'db.unreadableChat': 'This chat could not be read: {detail}'
	},
	zh: {
		'db.error.quota':
			'存储空间已满：屏幕上的内容不会丢失，但新消息无法保存。请先导出数据，再删除旧对话或释放磁盘空间后继续。',
		'db.error.other': '保存失败（{name}）：{detail}',
		'backup.error.tooLarge': '此文件太大，不可能是 Switchboard 备份。',
		'backup.error.json': '不是 JSON 文件（可能已被截断）：{detail}。未导入任何内容。',
		'backup.error.invalid': '不是有效的 Switchboard 备份：{detail}。未导入任何内容。',
		'db.unreadable': '无法读取此消息（id {id}）：{detail}',
		'db.unreadableChat': '无法读取此对话：{detail}'
	}
});
