"""Deadlines read from plan sentences: fixed dates, whole months, monthly days."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kehoach.adapters.plan_parser import parse_plan_file
from kehoach.adapters.plan_parser.deadlines import NO_DEADLINE, Deadline, parse_deadline

PLAN = Path(__file__).resolve().parent.parent / "data" / "plans"
PLAN_FILE = PLAN / "thanh-xuan-70-nam-giai-phong-thu-do.txt"
# The closing paragraph of the shipped plan, word for word (its only deadline).
CLOSING = next(
    line for line in PLAN_FILE.read_text(encoding="utf-8").splitlines() if "định kỳ" in line
)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # "before the day": due the day before (as a report on the 20th itself is late).
        ("Hoàn thành việc lắp đặt pa-nô trước ngày 20/9/2024.", Deadline(date(2024, 9, 19))),
        ("Tổ chức trang trí, hoàn thành trước 30/9.", Deadline(date(2024, 9, 29))),
        ("Rà soát, chỉnh trang hệ thống chiếu sáng, xong trước ngày 01/10/2024.",
         Deadline(date(2024, 9, 30))),
        ("Gửi danh sách tuyến phố đăng ký trước ngày 15 tháng 8 năm 2024.",
         Deadline(date(2024, 8, 14))),
        # "by the day": that day itself.
        ("Báo cáo kết quả về UBND quận chậm nhất ngày 25/9.", Deadline(date(2024, 9, 25))),
        ("Treo cờ Tổ quốc tại trụ sở cơ quan, đơn vị và hộ gia đình từ ngày 28/4 đến hết ngày"
         " 01/5/2025.", Deadline(date(2025, 5, 1))),
        # A whole month: its last day.
        ("Tổ chức các hoạt động văn hóa, văn nghệ trong tháng 9/2024.",
         Deadline(date(2024, 9, 30))),
        ("Hoàn thiện công trình chào mừng trong tháng 10 năm 2024.", Deadline(date(2024, 10, 31))),
        ("Tổ chức tổng vệ sinh môi trường trong tháng 2.", Deadline(date(2024, 2, 29))),
        # Monthly deadlines.
        (CLOSING, Deadline(monthly_day=20)),
        ("Tổng hợp, báo cáo UBND quận kết quả thực hiện trước ngày 25 hằng tháng.",
         Deadline(monthly_day=25)),
        ("Báo cáo hằng tháng trước ngày 20 về phòng Văn hóa và Thông tin.",
         Deadline(monthly_day=20)),
        # Dates that are not deadlines.
        ("Thông tin, tuyên truyền về kỷ niệm 70 năm ngày Giải phóng Thủ đô"
         " (10/10/1954-10/10/2024).", NO_DEADLINE),
        ("Thực hiện Kế hoạch số 88/KH-UBND ngày 23/3/2024 của UBND Thành phố.", NO_DEADLINE),
        ("Thực hiện các nhiệm vụ khác theo sự phân công của UBND quận.", NO_DEADLINE),
        ("Hoàn thành trước ngày 31/2/2024.", NO_DEADLINE),  # no such day
    ],
)  # fmt: skip
def test_deadlines_of_plan_sentences(sentence: str, expected: Deadline) -> None:
    assert parse_deadline(sentence, 2024) == expected


def test_a_date_without_a_year_needs_the_plans_year() -> None:
    assert parse_deadline("hoàn thành trước 30/9", None) == NO_DEADLINE
    assert parse_deadline("hoàn thành trước 30/9", 2025) == Deadline(date(2025, 9, 29))
    assert parse_deadline("xong trước ngày 01/10/2024", None) == Deadline(date(2024, 9, 30))


def test_the_earliest_phrase_wins() -> None:
    text = "Hoàn thành trước ngày 20/9/2024; báo cáo hằng tháng trước ngày 25."
    assert parse_deadline(text, 2024) == Deadline(date(2024, 9, 19))


def test_parsed_tasks_carry_their_deadline_with_the_plans_year(tmp_path: Path) -> None:
    text = PLAN_FILE.read_text(encoding="utf-8").replace(
        "Thực hiện các nhiệm vụ khác theo sự phân công của UBND quận.",
        "Thực hiện các nhiệm vụ khác theo sự phân công của UBND quận, hoàn thành trước 30/9.",
    )
    path = tmp_path / "plan.txt"
    path.write_text(text, encoding="utf-8")
    plan = parse_plan_file(path)
    assert plan.anniversary == date(2024, 10, 10)
    culture = plan.units[0]
    assert culture.tasks[4].due_on == date(2024, 9, 29)  # the year of the anniversary
    assert culture.tasks[4].to_dict()["due_on"] == "2024-09-29"
    assert [t.due_on for t in culture.tasks[:4]] == [None] * 4
