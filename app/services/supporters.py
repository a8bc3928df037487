"""Private enterprises (民营企业, 村企结对) and sages (乡贤/能人/带头人/爱心人士) who pair with villages
and households."""

from __future__ import annotations

from app.domain.enums import SageKind
from app.domain.models import Enterprise, Region, Sage
from app.services import fields as f
from app.services.pairings import refuse_if_paired
from app.services.records import EntitySpec, FieldSpec, register

ENTERPRISE = register(
    EntitySpec(
        Enterprise,
        "民营企业",
        "enterprise",
        (
            FieldSpec("name", "企业名称", "Name", f.text(100), required=True),
            FieldSpec("credit_code", "统一社会信用代码", "Unified social credit code", f.credit_code),
            FieldSpec("contact", "联系人", "Contact person", f.person_name),
            FieldSpec("phone", "联系电话", "Phone", f.phone),
            FieldSpec("region_id", "所在地区", "Place", ref=Region),
            FieldSpec("note", "备注", "Note", f.long_text),
        ),
        before_tombstone=refuse_if_paired,
    )
)

SAGE = register(
    EntitySpec(
        Sage,
        "乡贤",
        "sage",
        (
            FieldSpec("name", "姓名", "Name", f.person_name, required=True),
            FieldSpec("kind", "类别", "Kind", f.choice(SageKind), required=True),
            FieldSpec("phone", "联系电话", "Phone", f.phone),
            FieldSpec("home_village_id", "家乡村", "Home village", ref=Region, ref_levels=("village",)),
            FieldSpec("note", "备注", "Note", f.long_text),
        ),
        before_tombstone=refuse_if_paired,
    )
)
