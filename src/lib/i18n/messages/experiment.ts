import { area } from '../area.ts';

/** Strings of the experiment view: cases, template, checks, running and results. */
export const experiment = area({
	en: {
		'experiment.cases.empty': 'The file has no cases: a header row and at least one row are needed',
		'experiment.cases.tooMany': {
			one: '{count} case is more than {max}: split the file',
			other: '{count} cases are more than {max}: split the file'
		},
		'experiment.cases.csv': 'CSV line {line}: {detail}',
		'experiment.cases.width': {
			one: 'CSV line {line} has {count} field where the header has {expected}',
			other: 'CSV line {line} has {count} fields where the header has {expected}'
		},
		'experiment.cases.noName': 'Column {column} of the header row has no name',
		'experiment.cases.twice': 'The header names “{name}” twice',
		'experiment.cases.jsonl': 'JSONL line {line} is not JSON: {detail}',
		'experiment.cases.notObject': 'JSONL line {line} is not an object',
		'experiment.template.empty': 'Write a prompt template first',
		'experiment.template.unknown': 'Case {case} has no variable “{name}” used by the template',
		'experiment.check.noExpected': 'Case {case} has no expected value for this check',
		'experiment.check.badExpected': 'The expected value of case {case} cannot be used: {detail}',
		'experiment.verdict.contains': 'The answer does not contain the expected text',
		'experiment.verdict.equals': 'The answer differs from the expected text',
		'experiment.verdict.regex': 'The answer does not match the pattern',
		'experiment.verdict.schema': 'The answer does not fit the schema: {detail}',
		'experiment.cases.none': 'Add cases first: import a CSV or JSONL file, or add a row',
		'experiment.targets.none': 'Add a target: an endpoint and a model to ask',
		'experiment.targets.invalid': 'A target cannot send yet: see the problem marked on it'
	},
	zh: {
		'experiment.cases.empty': '文件中没有用例：需要一行表头和至少一行数据',
		'experiment.cases.tooMany': '{count} 个用例超过上限 {max}：请拆分文件',
		'experiment.cases.csv': 'CSV 第 {line} 行：{detail}',
		'experiment.cases.width': 'CSV 第 {line} 行有 {count} 个字段，而表头有 {expected} 个',
		'experiment.cases.noName': '表头第 {column} 列没有名称',
		'experiment.cases.twice': '表头中“{name}”出现了两次',
		'experiment.cases.jsonl': 'JSONL 第 {line} 行不是 JSON：{detail}',
		'experiment.cases.notObject': 'JSONL 第 {line} 行不是对象',
		'experiment.template.empty': '请先填写提示模板',
		'experiment.template.unknown': '用例 {case} 没有模板中使用的变量“{name}”',
		'experiment.check.noExpected': '用例 {case} 没有此检查所需的期望值',
		'experiment.check.badExpected': '用例 {case} 的期望值无法使用：{detail}',
		'experiment.verdict.contains': '回答不包含期望的文本',
		'experiment.verdict.equals': '回答与期望的文本不同',
		'experiment.verdict.regex': '回答不匹配该模式',
		'experiment.verdict.schema': '回答不符合该 schema：{detail}',
		'experiment.cases.none': '请先添加用例：导入 CSV 或 JSONL 文件，或添加一行',
		'experiment.targets.none': '请添加目标：要询问的端点和模型',
		'experiment.targets.invalid': '有目标还不能发送：请查看其上标出的问题'
	}
});
