"""What the screen says about each entity: column headers, filter boxes, which columns raise an alert.

The SQL side of each list is ``app.services.listing.SPECS``; this module only adds the words (Chinese source
text, translated in context "columns" / "filters") and the widgets of the filter bar. Every list page, the
pairing page and the detail dialogs are built from these — there is no hand-written table per entity.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from ui.i18n import QT_TRANSLATE_NOOP

N = QT_TRANSLATE_NOOP

# Column headers, by column key; "entity.key" overrides where one word means two things.
COLUMN_LABELS: dict[str, str] = {
    "head_name": N("columns", "户主姓名"),
    "head_id_number": N("columns", "身份证号"),
    "id_number": N("columns", "身份证号"),
    "village": N("columns", "行政村"),
    "natural_village": N("columns", "自然村"),
    "category": N("columns", "类别"),
    "primary_cause": N("columns", "主要致贫原因"),
    "status": N("columns", "状态"),
    "members": N("columns", "人口"),
    "cadre": N("columns", "结对干部"),
    "last_visit": N("columns", "最近走访"),
    "phone": N("columns", "电话"),
    "registered_on": N("columns", "登记日期"),
    "name": N("columns", "名称"),
    "code": N("columns", "区划代码"),
    "level": N("columns", "级别"),
    "parent": N("columns", "上级"),
    "is_key_village": N("columns", "重点村"),
    "income": N("columns", "集体经济收入（元）"),
    "departments": N("columns", "结对部门"),
    "leader": N("columns", "联系领导"),
    "households": N("columns", "在册农户"),
    "kind": N("columns", "类型"),
    "cadres": N("columns", "在岗干部"),
    "villages": N("columns", "结对村"),
    "department": N("columns", "所在单位"),
    "post": N("columns", "职务"),
    "is_leader": N("columns", "领导"),
    "caseload": N("columns", "结对户数"),
    "credit_code": N("columns", "统一社会信用代码"),
    "contact": N("columns", "联系人"),
    "region": N("columns", "所在地"),
    "home_village": N("columns", "家乡村"),
    "subject": N("columns", "帮扶对象"),
    "helper": N("columns", "帮扶方"),
    "start_date": N("columns", "开始日期"),
    "end_date": N("columns", "结束日期"),
    "end_reason": N("columns", "结束原因"),
    "end_note": N("columns", "结束说明"),
    "visit_date": N("columns", "走访日期"),
    "mode": N("columns", "方式"),
    "findings": N("columns", "存在问题"),
    "measures": N("columns", "帮扶措施"),
    "follow_up": N("columns", "待办事项"),
    "follow_up_due": N("columns", "办理期限"),
    "follow_up_closed_on": N("columns", "办结日期"),
    "stage": N("columns", "阶段"),
    "year": N("columns", "年度"),
    "place": N("columns", "实施地点"),
    "fund_source": N("columns", "资金来源"),
    "budget": N("columns", "预算（元）"),
    "allocated": N("columns", "已拨付（元）"),
    "disbursed": N("columns", "已支出（元）"),
    "percent": N("columns", "进度"),
    "planned_end_date": N("columns", "计划完成"),
    "filed_on": N("columns", "备案日期"),
    "overdue": N("columns", "逾期"),
    "over_budget": N("columns", "超预算"),
    "relation": N("columns", "与户主关系"),
    "birth_date": N("columns", "出生日期"),
    "health": N("columns", "健康状况"),
    "labour": N("columns", "劳动能力"),
    "employment": N("columns", "就业情况"),
    "school_stage": N("columns", "在校情况"),
    "doctor_contract": N("columns", "责任医生签约"),
    "operating_income": N("columns", "经营性收入（元）"),
    "note": N("columns", "备注"),
    "entry_date": N("columns", "日期"),
    "amount": N("columns", "金额（元）"),
    "seq": N("columns", "序号"),
    "at": N("columns", "时间"),
    "actor": N("columns", "操作人"),
    "action": N("columns", "操作"),
    "entity": N("columns", "对象"),
    "entity_id": N("columns", "对象编号"),
    "node": N("columns", "节点"),
    "cadre.name": N("columns", "姓名"),
    "sage.name": N("columns", "姓名"),
    "member.name": N("columns", "姓名"),
    "region.name": N("columns", "村/乡镇"),
    "project.name": N("columns", "项目名称"),
    "project_progress.percent": N("columns", "完成比例"),
    "visit.subject": N("columns", "走访对象"),
    "benefit_date": N("columns", "享受日期"),
    "provider": N("columns", "实施单位"),
    "benefit.kind": N("columns", "政策/措施类别"),
}


def column_label(entity: str, key: str) -> str:
    source = COLUMN_LABELS.get(f"{entity}.{key}") or COLUMN_LABELS.get(key, key)
    return QCoreApplication.translate("columns", source)


@dataclass(frozen=True)
class FilterView:
    """One widget of a list's filter bar. ``source``: "vocab" (the spec's vocabulary), "flag" (tri-state
    yes/no/any), "township"/"village" (places), "department" (a picker), "year"."""

    key: str
    label: str
    source: str
    flag_yes: str = ""
    flag_no: str = ""


F = FilterView

FILTERS: dict[str, list[FilterView]] = {
    "household": [
        F("village", N("filters", "行政村"), "village"),
        F("category", N("filters", "类别"), "vocab"),
        F("status", N("filters", "状态"), "vocab"),
        F("paired", N("filters", "结对"), "flag", N("filters", "已结对"), N("filters", "未结对")),
        F("visit_overdue", N("filters", "走访"), "flag", N("filters", "超期未走访"), N("filters", "按期走访")),
    ],
    "region": [
        F("level", N("filters", "级别"), "vocab"),
        F("key_village", N("filters", "重点村"), "flag", N("filters", "重点村"), N("filters", "非重点村")),
        F("weak", N("filters", "薄弱村"), "flag", N("filters", "薄弱村"), N("filters", "非薄弱村")),
        F("needs_department", N("filters", "部门结对"), "flag", N("filters", "缺结对部门"), N("filters", "不缺")),
    ],
    "department": [F("level", N("filters", "级别"), "vocab"), F("kind", N("filters", "性质"), "vocab")],
    "cadre": [
        F("department", N("filters", "单位"), "department"),
        F("status", N("filters", "状态"), "vocab"),
        F("is_leader", N("filters", "领导"), "flag", N("filters", "领导干部"), N("filters", "非领导")),
    ],
    "enterprise": [],
    "sage": [F("kind", N("filters", "类型"), "vocab")],
    "pairing": [
        F("kind", N("filters", "结对类型"), "vocab"),
        F("active", N("filters", "状态"), "flag", N("filters", "进行中"), N("filters", "已结束")),
    ],
    "visit": [
        F("mode", N("filters", "方式"), "vocab"),
        F("open_follow_up", N("filters", "待办"), "flag", N("filters", "待办未办结"), N("filters", "无待办/已办结")),
        F("overdue_follow_up", N("filters", "逾期"), "flag", N("filters", "待办已逾期"), N("filters", "未逾期")),
    ],
    "project": [
        F("category", N("filters", "类别"), "vocab"),
        F("stage", N("filters", "阶段"), "vocab"),
        F("overdue", N("filters", "逾期"), "flag", N("filters", "逾期"), N("filters", "未逾期")),
        F("over_budget", N("filters", "超预算"), "flag", N("filters", "超预算"), N("filters", "未超预算")),
    ],
    "audit": [
        F("entity", N("filters", "对象"), "entity"),
        F("actor", N("filters", "操作人"), "actor"),
    ],
}

# Table names as users know them (audit trail, anomalies).
ENTITY_LABELS: dict[str, str] = {
    "region": N("entities", "村/乡镇"),
    "village_income": N("entities", "村集体经济收入"),
    "department": N("entities", "部门/单位"),
    "cadre": N("entities", "干部"),
    "enterprise": N("entities", "民营企业"),
    "sage": N("entities", "乡贤/能人"),
    "household": N("entities", "低收入农户"),
    "member": N("entities", "家庭成员"),
    "income_record": N("entities", "收入记录"),
    "pairing": N("entities", "结对"),
    "visit": N("entities", "走访记录"),
    "benefit": N("entities", "享受政策"),
    "project": N("entities", "帮扶项目"),
    "project_progress": N("entities", "项目进度"),
    "project_beneficiary": N("entities", "项目受益户"),
    "setting": N("entities", "设置"),
    "officer": N("entities", "经办人"),
    "household_spell": N("entities", "农户在册时段"),
    "sync_conflict": N("entities", "同步冲突"),
}


def entity_label(table: str) -> str:
    return QCoreApplication.translate("entities", ENTITY_LABELS.get(table, table))


ALERTS: dict[str, tuple[str, ...]] = {"project": ("overdue", "over_budget")}


def tr_filter(text: str) -> str:
    return QCoreApplication.translate("filters", text)


ACTION_LABELS: dict[str, str] = {
    "create": N("actions", "新增"),
    "update": N("actions", "修改"),
    "delete": N("actions", "删除"),
    "end": N("actions", "结束"),
    "exit": N("actions", "退出"),
    "setting": N("actions", "修改设置"),
    "export_full_ids": N("actions", "导出完整身份证号"),
    "init": N("actions", "建立台账"),
    "import_excel": N("actions", "导入表格"),
    "officer_add": N("actions", "添加经办人"),
    "officer_rename": N("actions", "经办人改名"),
    "officer_retire": N("actions", "经办人离任"),
    "stage": N("actions", "变更阶段"),
    "restore": N("actions", "恢复备份"),
    "reenter": N("actions", "重新纳入"),
    "leave": N("actions", "离任"),
    "close": N("actions", "办结"),
    "fork": N("actions", "恢复备份后续接"),
    "withheld": N("actions", "（他处记录，仅存摘要）"),
    "conflict_keep": N("actions", "冲突：保留本机值"),
    "conflict_take": N("actions", "冲突：改用对方的值"),
    "conflict_dismiss": N("actions", "冲突：已核实"),
}


def action_label(action: str) -> str:
    return QCoreApplication.translate("actions", ACTION_LABELS.get(action, action))
