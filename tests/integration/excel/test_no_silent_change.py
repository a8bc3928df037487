"""An import never changes something silently: the dry run lists every changed field of every updated row
(old → new) and calls out a household moving to another village."""

from __future__ import annotations

from sqlalchemy import select

from app.domain.models import Household
from app.io.importer import ExcelImport
from tests.integration.excel import builders as b


def test_a_repeated_head_id_in_another_village_is_a_move_said_before_anything_is_written(db, places, tmp_path):
    people = b.roster_people()
    people[0] = {**people[0], "head": "王芳", "typed_id": people[0]["id"]}
    assert ExcelImport(b.write_xlsx(tmp_path / "r.xlsx", b.messy_roster_rows(people)), "roster").run(db).applied
    header = ["行政村", "户主姓名", "身份证号码", "联系电话", "低收入农户类型", "致贫原因"]
    moved = ["金竹村", "王芳", people[0]["id"], "13900000000", "低保", "因病、缺劳力"]  # 岩背村 → 金竹村, new phone
    path = b.write_csv(tmp_path / "h.csv", [header, moved])
    dry = ExcelImport(path, "households").run(db, dry_run=True)
    assert dry.counts["household"]["update"] == 1
    said = {(c.row, c.column): c.zh for c in dry.changes}
    assert said[(2, "所在行政村")] == "农户跨村迁移：岩背村 → 金竹村。"
    assert said[(2, "联系电话")] == "农户联系电话：13805781234 → 13900000000"
    assert len(said) == 2  # nothing else differs
    with db.session() as s:  # the dry run wrote nothing
        assert (
            s.scalars(select(Household.phone).where(Household.head_id_number == people[0]["id"])).one() == "13805781234"
        )
