"""一乡一领导, 一村一部门, 村企结对 and 乡贤 pairings as import kinds, checked by the words the pairing
service uses (``pairings.new_pairing_refusal``), and the exported pairings ledger importing back unchanged."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.domain.models import AuditEntry, Cadre, Department, Enterprise, Household, Pairing, Region, Sage
from app.errors import RuleViolation, ValidationError
from app.io.importer import ExcelImport
from app.io.ledgers import export_ledger
from app.services import pairings
from tests.integration.excel import builders as b


@pytest.fixture
def rostered(db, places, tmp_path):
    people = b.roster_people()
    assert ExcelImport(b.write_xlsx(tmp_path / "r.xlsx", b.messy_roster_rows(people)), "roster").run(db).applied
    return people


def events(db) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def active(db, kind: str) -> list[tuple[str, str]]:
    """(subject name, helper name) of the active pairings of a kind."""
    with db.session() as s:
        out = []
        for p in s.scalars(select(Pairing).where(Pairing.kind == kind, Pairing.end_date.is_(None))):
            if p.subject_region_id:
                subject_name = s.get(Region, p.subject_region_id).name
            else:
                subject_name = s.get(Household, p.subject_household_id).head_name
            helper_id = p.helper_cadre_id or p.helper_department_id or p.helper_enterprise_id or p.helper_sage_id
            model = {
                "township_leader": Cadre,
                "village_department": Department,
                "village_enterprise": Enterprise,
                "sage": Sage,
            }[kind]
            helper = s.get(model, helper_id)
            out.append((subject_name, helper.name))
        return sorted(out)


def service_words(db, kind: str, subject_id: str, helper_id: str) -> str:
    try:
        pairings.pair(db, kind, subject_id, helper_id, date(2024, 3, 1))
    except (RuleViolation, ValidationError) as exc:
        return exc.zh
    raise AssertionError("the service accepted it")


def test_township_leader_new_leader_created_and_a_non_leader_refused_in_the_services_words(
    db, places, rostered, tmp_path
) -> None:
    header = ["乡镇（街道）", "领导姓名", "工作单位", "联系电话", "结对时间"]
    wang = [places.township_id, "王伟", "缙云县农业农村局", "13905781111", "2024-03-01"]  # a cadre, not a leader
    refused = ExcelImport(b.write_xlsx(tmp_path / "w.xlsx", [header, ["壶镇镇", *wang[1:]]]), "township-leader")
    report = refused.run(db, dry_run=True)
    with db.session() as s:
        wang_id = s.scalars(select(Cadre.id).where(Cadre.name == "王伟", Cadre.phone == "13905781111")).one()
    assert [i.zh for i in report.issues] == [service_words(db, "township_leader", places.township_id, wang_id)]
    assert "不是领导干部" in report.issues[0].zh and report.issues[0].column == "领导姓名"

    path = b.write_xlsx(tmp_path / "l.xlsx", [header, ["331122101", "李书记", "壶镇镇党委", "", "2024-03-01"]])
    dry = ExcelImport(path, "township-leader").run(db, dry_run=True)
    assert dry.ok and dry.counts["pairing"]["create"] == 1 and dry.counts["cadre"]["create"] == 1
    assert dry.counts["department"]["create"] == 1  # 壶镇镇党委 is new too
    assert active(db, "township_leader") == []  # a dry run writes nothing
    assert ExcelImport(path, "township-leader").run(db).applied
    assert active(db, "township_leader") == [("壶镇镇", "李书记")]
    with db.session() as s:
        assert s.scalars(select(Cadre.is_leader).where(Cadre.name == "李书记")).one() is True
    before = events(db)
    again = ExcelImport(path, "township-leader").run(db)
    assert again.counts["pairing"] == {"create": 0, "update": 0, "unchanged": 1} and events(db) == before


def test_village_department_enterprise_and_sage_pairings(db, places, rostered, tmp_path) -> None:
    p = rostered
    dept = b.write_xlsx(
        tmp_path / "d.xlsx",
        [
            ["乡镇", "行政村", "结对部门", "结对时间"],
            ["壶镇镇", "岩背村", "缙云县财政局", "2023-01-05"],  # a department the roster made
            ["", "金竹", "丽水市民政局", "2023-01-05"],  # new: created with a guessed level (市级)
            ["", "不存在村", "缙云县财政局", ""],  # no such village: a row message
        ],
    )
    report = ExcelImport(dept, "village-department").run(db, dry_run=True)
    assert report.rejected_rows == [4] and "找不到地点" in report.issues[0].zh
    assert report.counts["pairing"]["create"] == 2 and report.counts["department"] == {
        "create": 1,
        "update": 0,
        "unchanged": 1,
    }
    ExcelImport(dept, "village-department").run(db, skip_invalid=True)
    assert active(db, "village_department") == [("岩背村", "缙云县财政局"), ("金竹村", "丽水市民政局")]
    # The same pairing with no 结对时间 is the one in force (not a new one dated today, nor a refusal).
    undated = b.write_csv(tmp_path / "u.csv", [["行政村", "结对部门"], ["岩背村", "缙云县财政局"]])
    again = ExcelImport(undated, "village-department").run(db, dry_run=True)
    assert again.ok and again.counts["pairing"] == {"create": 0, "update": 0, "unchanged": 1}

    # 王芳's household leaves the register; a new pairing for it is refused in the service's words.
    exits = b.write_csv(
        tmp_path / "x.csv",
        [["户主身份证号码", "变更类型", "变更日期", "变更原因"], [p[0]["id"], "退出", "2024-01-02", "稳定增收"]],
    )
    assert ExcelImport(exits, "status-changes").run(db).applied
    ent = b.write_xlsx(
        tmp_path / "e.xlsx",
        [
            ["结对村/农户", "户主身份证号码", "企业名称", "结对时间"],
            ["好溪村", "", "缙云县好溪茶业有限公司", "2024-03-01"],
            ["李建国", p[1]["id"], "缙云县好溪茶业有限公司", "2024-03-01"],
            ["王芳", p[0]["id"], "缙云县好溪茶业有限公司", "2024-03-01"],  # exited: refused
        ],
    )
    report = ExcelImport(ent, "village-enterprise").run(db, skip_invalid=True)
    assert report.counts["enterprise"]["create"] == 1 and report.counts["pairing"]["create"] == 2
    with db.session() as s:
        enterprise_id = s.scalars(select(Enterprise.id)).one()
        wang_fang = s.scalars(select(Household.id).where(Household.head_id_number == p[0]["id"])).one()
    assert [(i.row, i.zh) for i in report.issues] == [
        (4, service_words(db, "village_enterprise", wang_fang, enterprise_id))
    ]
    assert "已不在册" in report.issues[0].zh
    assert active(db, "village_enterprise") == [
        ("好溪村", "缙云县好溪茶业有限公司"),
        ("李建国", "缙云县好溪茶业有限公司"),
    ]

    sage = b.write_xlsx(
        tmp_path / "s.xlsx",
        [
            ["结对村/农户", "户主身份证号码", "乡贤姓名", "乡贤类别", "结对时间"],
            ["李建国", p[1]["id"], "张贤达", "乡贤", "2024-03-01"],  # new sage, home village = 金竹村
            ["岩背村", "", "无名氏", "", "2024-03-01"],  # unknown and no kind: not created, a row message
        ],
    )
    report = ExcelImport(sage, "sage-pairing").run(db, skip_invalid=True)
    assert report.rejected_rows == [3] and "请填写乡贤类别" in report.issues[0].zh
    assert active(db, "sage") == [("李建国", "张贤达")]
    with db.session() as s:
        home = s.scalars(select(Region.name).join(Sage, Sage.home_village_id == Region.id)).one()
    assert home == "金竹村"


def test_the_exported_pairings_ledger_imports_back_with_no_change(db, places, rostered, tmp_path) -> None:
    p = rostered
    files = {
        "village-department": [["行政村", "结对部门", "结对时间"], ["岩背村", "缙云县财政局", "2023-01-05"]],
        "village-enterprise": [["户主身份证号码", "企业名称", "结对时间"], [p[1]["id"], "好溪茶业公司", "2024-03-01"]],
        "sage-pairing": [["行政村", "乡贤姓名", "乡贤类别", "结对时间"], ["好溪村", "张贤达", "能人", "2024-03-01"]],
        "township-leader": [
            ["乡镇", "领导姓名", "工作单位", "结对时间"],
            ["壶镇镇", "李书记", "壶镇镇人民政府", "2024-03-01"],
        ],
    }
    for kind, rows in files.items():
        assert ExcelImport(b.write_xlsx(tmp_path / f"{kind}.xlsx", rows), kind).run(db).applied
    exits = [["户主身份证号码", "变更类型", "变更日期", "变更原因"], [p[0]["id"], "退出", "2024-01-02", "稳定增收"]]
    assert ExcelImport(b.write_csv(tmp_path / "x.csv", exits), "status-changes").run(db).applied  # one ended pairing
    out = tmp_path / "pairings.xlsx"
    export_ledger(db, "pairings", out, full_ids=True)
    with db.session() as s:
        total = s.scalar(select(func.count()).select_from(Pairing))
    assert total == 5 + 4  # five household–cadre pairings (one now ended) and the four above
    before = events(db)
    report = ExcelImport(out, "pairings").run(db)
    assert report.ok, report.issues
    assert report.counts["pairing"] == {"create": 0, "update": 0, "unchanged": 9}
    assert report.changes == [] and events(db) == before  # nothing written, not even an event
