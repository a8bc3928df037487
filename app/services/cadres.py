"""Departments (部门/单位) and cadres (干部): the helpers of 一村一部门 and 一户一干部.

A cadre's ``status``/``left_on`` change only through ``app.services.pairings.cadre_leaves`` (which also
ends their pairings); ``name_initials`` follows the name for search.
"""

from __future__ import annotations

from app.domain.enums import DepartmentKind, DepartmentLevel
from app.domain.models import Cadre, Department, Region
from app.domain.name_pinyin import name_initials
from app.services import fields as f
from app.services.pairings import refuse_if_paired
from app.services.records import EntitySpec, FieldSpec, register

DEPARTMENT = register(
    EntitySpec(
        Department,
        "部门/单位",
        "department",
        (
            FieldSpec("name", "单位名称", "Name", f.text(100), required=True),
            FieldSpec("level", "层级", "Level", f.choice(DepartmentLevel), required=True),
            FieldSpec("kind", "单位性质", "Kind", f.choice(DepartmentKind), required=True),
            FieldSpec("region_id", "所在地区", "Place", ref=Region),
            FieldSpec("phone", "联系电话", "Phone", f.phone),
            FieldSpec("note", "备注", "Note", f.long_text),
        ),
        before_tombstone=refuse_if_paired,
    )
)

CADRE = register(
    EntitySpec(
        Cadre,
        "干部",
        "cadre",
        (
            FieldSpec("name", "姓名", "Name", f.person_name, required=True),
            FieldSpec("department_id", "所在单位", "Department", ref=Department),
            FieldSpec("post", "职务", "Post", f.text(50)),
            FieldSpec("phone", "联系电话", "Phone", f.phone),
            FieldSpec("is_leader", "领导干部", "Leader", f.boolean),
            FieldSpec("note", "备注", "Note", f.long_text),
        ),
        derive=lambda values: {"name_initials": name_initials(values["name"])},
        before_tombstone=refuse_if_paired,
    )
)
