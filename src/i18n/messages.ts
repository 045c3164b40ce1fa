import type { ErrorCode } from '../core/errors.ts';

/** A user-facing text, Chinese first. `{name}` placeholders are filled from an error's details. */
export interface Message {
  zh: string;
  en: string;
}

export const ERROR_MESSAGES: Record<ErrorCode, Message> = {
  'request.invalid': { zh: '请求参数有误：{issues}', en: 'Invalid request: {issues}' },
  'request.rate_limited': {
    zh: '请求过于频繁：每分钟最多 {limit} 次，请 {retry_after} 秒后再试',
    en: 'Too many requests: at most {limit} per minute; retry in {retry_after} s',
  },
  'route.not_found': { zh: '没有这个接口：{method} {url}', en: 'No such route: {method} {url}' },
  internal: { zh: '服务器内部错误，请稍后再试', en: 'Internal server error, please try again later' },
  'region.invalid_code': {
    zh: '行政区划代码应为 2、4、6、9 或 12 位数字：{code}',
    en: 'A region code has 2, 4, 6, 9 or 12 digits: {code}',
  },
  'region.not_found': { zh: '找不到行政区划 {code}', en: 'Region {code} not found' },
  'geo.invalid_point': {
    zh: '坐标无效：经度应在 -180 到 180 之间，纬度应在 -90 到 90 之间',
    en: 'Invalid point: longitude must be within -180..180 and latitude within -90..90',
  },
  'geo.no_grid': { zh: '该位置 ({lon}, {lat}) 不在任何网格内', en: 'No grid contains ({lon}, {lat})' },
  'grid.not_found': { zh: '找不到网格 {code}', en: 'Grid {code} not found' },
  'grid.import_rejected': {
    zh: '网格导入被拒绝：{count} 个要素有误，未导入任何网格',
    en: 'Grid import rejected: {count} bad features, nothing was imported',
  },
  'grid.worker_already_assigned': {
    zh: '网格员 {worker} 已在网格 {grid} 任职',
    en: 'Grid worker {worker} is already assigned to grid {grid}',
  },
  'datadir.locked': {
    zh: '数据目录 {dir} 正被另一个运行中的服务使用（进程 {pid}）',
    en: 'Data directory {dir} is in use by another running server (pid {pid})',
  },
  'datadir.unusable': {
    zh: '数据目录 {dir} 无法使用：{reason}',
    en: 'Data directory {dir} cannot be used: {reason}',
  },
  'demo.seed_failed': {
    zh: '演示数据写入失败，数据库中没有留下任何演示数据（{reason}）。可直接重新启动再试；或设置 SHANZHI_DEMO=0 启动一个不含演示数据的空库；或换一个新的数据目录（SHANZHI_DATA_DIR）',
    en: 'Seeding the demo failed and nothing of it was kept ({reason}). Start again to retry; or set SHANZHI_DEMO=0 to start on an empty database; or use a fresh data directory (SHANZHI_DATA_DIR)',
  },
  'datadir.full': {
    zh: '数据目录 {dir} 所在磁盘空间不足：剩余 {free_mb} MB，至少需要 {min_mb} MB',
    en: 'Not enough disk space for data directory {dir}: {free_mb} MB free, {min_mb} MB needed',
  },
  'store.full': {
    zh: '磁盘空间已满，本次写入未保存：请释放数据目录所在磁盘的空间后重试',
    en: "The disk is full and this write was not saved: free space on the data directory's disk and try again",
  },
  'source.unavailable': { zh: '数据源不可用：{reason}', en: 'Data source unavailable: {reason}' },
  'auth.required': {
    zh: '请先登录：缺少有效的访问令牌（Authorization: Bearer …）',
    en: 'Please log in: a valid bearer token (Authorization: Bearer …) is required',
  },
  'auth.invalid_credentials': { zh: '用户名或密码错误', en: 'Wrong username or password' },
  'auth.locked': {
    zh: '登录失败次数过多，账号已暂时锁定，请于 {retry_at} 后再试',
    en: 'Too many failed log-ins: the account is locked until {retry_at}',
  },
  'auth.disabled': { zh: '该账号已停用', en: 'This account is disabled' },
  'export.too_large': {
    zh: '符合条件的事件超过 {max} 件，一次最多导出 {max} 件：请缩小筛选范围（地区、日期、阶段）后再导出',
    en: 'More than {max} cases match and one export holds at most {max}: narrow the filters (region, dates, stage) and export again',
  },
  'auth.csrf_failed': {
    zh: '请求未通过跨站校验：以登录 Cookie 修改数据时须带上 X-CSRF-Token 请求头（登录或 GET /api/v1/me 时返回的 csrf_token）。请刷新页面后重试',
    en: 'The request failed the cross-site check: a change made with the session cookie needs the X-CSRF-Token header (the csrf_token of log-in or GET /api/v1/me). Reload the page and try again',
  },
  'access.out_of_scope': {
    zh: '无权操作：{region} 不在您的管辖范围（{scope}）内',
    en: 'Not allowed: region {region} is outside your scope {scope}',
  },
  'access.wrong_department': {
    zh: '无权操作：该事项属于部门 {department}，而您属于部门 {actor_department}',
    en: 'Not allowed: this belongs to department {department}, you belong to {actor_department}',
  },
  'access.role_forbidden': {
    zh: '无权操作：您的角色（{roles}）不能执行 {action}',
    en: 'Not allowed: your roles ({roles}) may not perform {action}',
  },
  'user.username_taken': { zh: '用户名 {username} 已被使用', en: 'Username {username} is already taken' },
  'user.password_too_short': {
    zh: '密码至少需要 {min} 个字符',
    en: 'A password needs at least {min} characters',
  },
  'category.invalid_code': {
    zh: '分类代码格式有误：{code}（每级 2 位，由数字和大写字母组成，最多 5 级）',
    en: 'Invalid category code: {code} (2 characters 0-9/A-Z per level, at most 5 levels)',
  },
  'category.not_found': {
    zh: '在该区划可见的分类中找不到 {code}',
    en: 'Category {code} not found among those visible in the region',
  },
  'category.duplicate': {
    zh: '分类 {code} 已存在，或同一上级下已有同名分类：{name}',
    en: 'Category {code} already exists, or its parent already has a category named {name}',
  },
  'category.add_refused': {
    zh: '不能新增分类：{rule}',
    en: 'Category cannot be added: {rule}',
  },
  'category.inherited_readonly': {
    zh: '分类 {code} 由上级区划 {owner} 定义，下级区划只能新增子类，不能修改或删除（{rule}）',
    en: 'Category {code} is defined by higher region {owner}: a lower region may add subcategories but not rename or remove it',
  },
  'category.has_children': {
    zh: '分类 {code} 下还有子类，不能删除',
    en: 'Category {code} has subcategories and cannot be removed',
  },
  'category.import_rejected': {
    zh: '分类导入被拒绝：{count} 行有误，未导入任何分类',
    en: 'Category import rejected: {count} bad rows, nothing was imported',
  },
  'department.duplicate': {
    zh: '部门 {ids} 已存在，或该地区已有同类单位',
    en: 'Department {ids} exists already, or the region has a unit of this kind already',
  },
  'department.not_found': { zh: '找不到部门 {id}', en: 'Department {id} not found' },
  'responsibility.not_found': { zh: '找不到权责清单 {id}', en: 'Responsibility list {id} not found' },
  'responsibility.not_draft': {
    zh: '权责清单 {id} 已发布，不可修改；请新建草稿',
    en: 'Responsibility list {id} is published and cannot change; start a new draft',
  },
  'responsibility.invalid_list': {
    zh: '权责清单有 {count} 处错误，未保存',
    en: 'The responsibility list has {count} problems; nothing was saved',
  },
  'responsibility.unowned': {
    zh: '事项 {category} 在 {region} 没有责任主体（权责清单空白）',
    en: 'Nobody owns category {category} in {region} (a gap in the responsibility list)',
  },
  'responsibility.township_not_lead': {
    zh: '乡镇 {township} 对事项 {category} 为“{rule}”事项，不能作为主办派遣（需指挥中心说明理由后改派）',
    en: 'Township {township} cannot lead category {category}: it is a "{rule}" item on its duty list (a command centre may override with a reason)',
  },
  'calendar.year_rejected': {
    zh: '{year} 年节假日安排被拒绝：{reason}',
    en: 'Holiday arrangement for {year} rejected: {reason}',
  },
  'calendar.periods_rejected': { zh: '工作时段有误：{reason}', en: 'Invalid work periods: {reason}' },
  'responsibility.import_rejected': {
    zh: '权责清单导入被拒绝：{count} 处错误，未导入任何内容',
    en: 'Responsibility list import rejected: {count} problems, nothing was imported',
  },
  'case.not_found': { zh: '找不到事件 {id}', en: 'Case {id} not found' },
  'case.location_required': {
    zh: '请提供事发位置：坐标，或地址加所在区划代码（区县及以下）',
    en: 'A report needs a location: a point, or an address with the code of its region (county or below)',
  },
  'case.region_too_coarse': {
    zh: '区划 {code} 级别过高：无坐标时，地址所在区划须为区县或以下',
    en: 'Region {code} is too coarse: without a point, the address needs a region at county level or below',
  },
  'case.category_required': {
    zh: '工作人员受理时须选择事件分类（{channel}）',
    en: 'Staff must choose a category when taking a report ({channel})',
  },
  'case.category_not_leaf': {
    zh: '分类 {code} 下还有子类，请选择最末一级分类',
    en: 'Category {code} has subcategories: choose one of its leaves',
  },
  'case.invalid_report': { zh: '上报内容有误：{field} {rule}', en: 'Invalid report: {field} {rule}' },
  'case.version_conflict': {
    zh: '事件已被他人更新（当前版本 {actual}，您提交的版本 {expected}），请刷新后重试',
    en: 'The case was changed by someone else (version {actual}, you sent {expected}); reload and retry',
  },
  'case.invalid_transition': {
    zh: '事件当前处于 {stage} 阶段，您不能执行 {action}',
    en: 'Action {action} is not allowed to you while the case is in stage {stage}',
  },
  'case.reason_required': {
    zh: '执行 {action} 需要填写理由',
    en: 'Action {action} needs a reason',
  },
  'case.evidence_required': {
    zh: '执行 {action} 需要提供处置证据（照片、文件或说明）',
    en: 'Action {action} needs evidence (photos, files or a note)',
  },
  'case.field_required': {
    zh: '执行 {action} 需要提供 {field}',
    en: 'Action {action} needs {field}',
  },
  'case.invalid_rating': {
    zh: '评价应为 1 到 5 的整数，并说明问题是否已解决',
    en: 'A rating is a whole number from 1 to 5, with whether the problem was fixed',
  },
  'case.reporter_key_invalid': {
    zh: '只有上报人可以确认和评价此事件（凭据无效）',
    en: 'Only the reporter may confirm and rate this case (the reporter key does not match)',
  },
  'attachment.not_found': { zh: '找不到附件 {id}', en: 'Attachment {id} not found' },
  'attachment.missing_file': {
    zh: '请求中没有文件：请以请求体或表单字段 file 上传',
    en: 'No file in the request: send it as the body or as the form field "file"',
  },
  'attachment.too_large': {
    zh: '文件过大：最大 {max_mb} MB',
    en: 'File too large: at most {max_mb} MB',
  },
  'attachment.unsupported_type': {
    zh: '不支持的文件类型（{type}）：可上传 {accepted}',
    en: 'Unsupported file type ({type}): accepted are {accepted}',
  },
  'attachment.unreadable': {
    zh: '文件无法识别为有效的 {type} 图片',
    en: 'The file is not a readable {type} image',
  },
  'attachment.not_claimable': {
    zh: '附件 {id} 不存在或已被使用',
    en: 'Attachment {id} does not exist or is already in use',
  },
  'mail.invalid_address': {
    zh: '邮箱地址格式不正确',
    en: 'This is not a valid e-mail address',
  },
  'mail.invalid_link': {
    zh: '链接无效或已被修改，请使用邮件中的完整链接',
    en: 'The link is invalid or was altered: use the full link from the mail',
  },
  'mail.link_used': {
    zh: '该确认链接已使用过',
    en: 'This confirmation link was already used',
  },
  'mail.invalid_area': { zh: '订阅区域有误：{rule}', en: 'Invalid area: {rule}' },
  'subscription.not_found': {
    zh: '找不到该订阅（可能已退订）',
    en: 'Subscription not found (it may have been cancelled)',
  },
  'open311.key_required': {
    zh: '缺少 api_key：提交服务请求需要管理员签发的 API 密钥',
    en: 'api_key is missing: submitting needs an API key issued by an administrator',
  },
  'open311.key_invalid': { zh: 'api_key 无效', en: 'The api_key is not valid' },
  'open311.key_revoked': { zh: '该 api_key 已被吊销', en: 'This api_key has been revoked' },
  'open311.key_forbidden': {
    zh: '该 api_key 没有此项权限（{right}）',
    en: 'This api_key does not have the right to do this ({right})',
  },
  'open311.rate_limited': {
    zh: '请求过于频繁：该 api_key 每分钟最多 {limit} 次，请 {retry_after} 秒后再试',
    en: 'Too many requests: this api_key may make {limit} per minute; retry in {retry_after} s',
  },
  'open311.service_not_found': {
    zh: '没有这项服务（service_code {service_code}）',
    en: 'No such service (service_code {service_code})',
  },
  'open311.request_not_found': {
    zh: '找不到服务请求 {service_request_id}',
    en: 'Service request {service_request_id} not found',
  },
  'open311.token_not_found': { zh: '找不到令牌 {token}', en: 'Token {token} not found' },
  'open311.jurisdiction_not_found': {
    zh: 'jurisdiction_id {jurisdiction_id} 不是本平台的行政区划代码',
    en: 'jurisdiction_id {jurisdiction_id} is not a region code of this platform',
  },
  'open311.parameter_required': { zh: '缺少参数 {parameter}', en: 'Parameter {parameter} is required' },
  'open311.parameter_invalid': {
    zh: '参数 {parameter} 有误：应为 {rule}',
    en: 'Parameter {parameter} is invalid: expected {rule}',
  },
  'open311.attribute_invalid': {
    zh: '属性 attribute[{code}] 有误：应为 {rule}',
    en: 'Attribute attribute[{code}] is invalid: expected {rule}',
  },
  'open311.update_exists': {
    zh: '更新 {update_id} 已经提交过',
    en: 'Update {update_id} was already posted',
  },
  'open311.definition_invalid': {
    zh: '服务定义有 {count} 处错误，未保存：{problems}',
    en: 'The service definition has {count} problems; nothing was saved: {problems}',
  },
  'open311.key_not_found': { zh: '找不到 API 密钥 {id}', en: 'API key {id} not found' },
  'backup.file_exists': {
    zh: '备份文件 {file} 已存在，不会覆盖：请换一个文件名',
    en: 'Backup file {file} already exists and is not overwritten: choose another name',
  },
  'backup.archive_invalid': {
    zh: '备份文件 {file} 无效或已损坏（{reason}），未恢复任何数据',
    en: 'Backup file {file} is invalid or damaged ({reason}); nothing was restored',
  },
  'backup.wrong_store': {
    zh: '这是 {archive} 数据库的备份，而目标是 {target}：请用同一种数据库恢复（是否设置 DATABASE_URL）',
    en: 'This is a backup of a {archive} store and the target is {target}: restore into the same kind (is DATABASE_URL set?)',
  },
  'backup.unknown_migration': {
    zh: '备份的数据库结构（迁移 {migration}）比本程序新：请先升级善治再恢复',
    en: 'The backup’s schema (migration {migration}) is newer than this program: upgrade Shanzhi, then restore',
  },
  'backup.target_not_empty': {
    zh: '恢复目标 {target} 不是空的（{found}），未恢复任何数据：请恢复到空的数据目录和空的数据库',
    en: 'Restore target {target} is not empty ({found}); nothing was restored: restore into an empty data directory and an empty database',
  },
  'backup.tool_missing': {
    zh: '找不到 {tool}：请安装 PostgreSQL 客户端工具（Debian：apt-get install postgresql-client），版本不低于服务器',
    en: '{tool} not found: install the PostgreSQL client tools (Debian: apt-get install postgresql-client), at least the server’s version',
  },
  'backup.tool_failed': {
    zh: '{tool} 执行失败，未写入任何数据：{reason}',
    en: '{tool} failed and nothing was written: {reason}',
  },
  'backup.blob_missing': {
    zh: '数据库记录的附件文件 {key} 不在数据目录中，备份未完成：请检查数据目录（或稍后重试）',
    en: 'Attachment file {key}, which the database names, is missing from the data directory; no backup was written: check the data directory (or try again)',
  },
  'personal.keys_invalid': {
    zh: '个人信息加密密钥配置无效：{reason}',
    en: 'The personal-data keys are misconfigured: {reason}',
  },
  'personal.key_missing': {
    zh: '缺少个人信息加密密钥 {key_id}：数据库中有用它加密的数据。请从首台服务器复制数据目录中的 personal-keys.json，或在 SHANZHI_PERSONAL_KEYS 中加入该密钥',
    en: "Personal-data key {key_id} is missing, and the database holds data sealed with it: copy personal-keys.json from the first server's data directory, or add the key to SHANZHI_PERSONAL_KEYS",
  },
  'personal.key_mismatch': {
    zh: '个人信息加密密钥 {key_id} 与加密数据库中数据时所用的密钥不同：请使用原来的密钥',
    en: "Personal-data key {key_id} is not the key the database's data was sealed with: use the original key",
  },
  'personal.unreadable': { zh: '个人信息无法解密：{reason}', en: 'Personal data cannot be opened: {reason}' },
};

/** Fills `{name}` placeholders from the details; unknown placeholders stay visible. */
export function formatMessage(template: string, details: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const value = details[key];
    return value === undefined ? whole : String(value);
  });
}

export function describeError(code: ErrorCode, details: Record<string, unknown>): Message {
  const message = ERROR_MESSAGES[code];
  return { zh: formatMessage(message.zh, details), en: formatMessage(message.en, details) };
}
