"""Hold every user-facing string, in Vietnamese; another language adds another table.

Pure data: the map builder, report writers and the UI all read from here.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from zoneinfo import ZoneInfo

from kehoach.config import LOCAL_TZ as _LOCAL_TZ_NAME

LOCAL_TZ = ZoneInfo(_LOCAL_TZ_NAME)

VI: dict[str, str] = {
    # App frame
    "app.title": "Bản đồ điểm trực quan quận Thanh Xuân",
    "app.subtitle": "Kỷ niệm 70 năm Ngày Giải phóng Thủ đô (10/10/1954 – 10/10/2024)",
    "nav.map": "Bản đồ",
    "nav.sites": "Danh sách điểm",
    "nav.plan": "Kế hoạch",
    "nav.about": "Giới thiệu & nguồn dữ liệu",
    # Sign-in
    "login.username": "Tên đăng nhập",
    "login.password": "Mật khẩu",
    "login.submit": "Đăng nhập",
    "login.logout": "Đăng xuất",
    "login.idle": "Phiên làm việc đã hết hạn do không thao tác. Vui lòng đăng nhập lại.",
    "login.no_users": (
        "Chưa có tài khoản nào. Quản trị viên tạo tài khoản đầu tiên trên máy chủ bằng lệnh: "
        "`python -m kehoach user add TÊN --role admin` (mật khẩu nhập qua bàn phím)."
    ),
    # Data labels
    "demo.badge": "dữ liệu mẫu",
    "demo.note": "Dữ liệu mẫu sinh tự động dọc tuyến phố thật, không phải số liệu thật.",
    "demo.banner": (
        "Bản đồ đang hiển thị {n} điểm **dữ liệu mẫu** (sinh tự động dọc các tuyến phố thật, "
        "không phải số liệu thật). Xoá bằng lệnh `python -m kehoach demo --clear`."
    ),
    "synthetic.badge": "dữ liệu tổng hợp (benchmark)",
    # Map
    "map.legend.title": "Chú giải",
    "map.legend.status": "Trạng thái",
    "map.legend.kind": "Loại hình",
    "map.legend.layers": "Lớp nền",
    "map.legend.district": "Ranh giới quận",
    "map.legend.ward": "Phường (ranh giới gần đúng)",
    "map.legend.street": "Tuyến phố",
    "map.legend.main_street": "Tuyến phố chính theo kế hoạch",
    "map.legend.place": "Cơ quan, trường học, địa điểm",
    "map.legend.demo": "Viền đứt: dữ liệu mẫu",
    "map.attribution.osm": "© OpenStreetMap contributors (ODbL)",
    "map.attribution.wards": (
        "Ranh giới phường: censusVN2009 (M. Choisy, L. Contamin), gần đúng"
    ),
    # Home page
    "home.empty.title": "Chưa có điểm trực quan nào",
    "home.empty.body": (
        "Cơ sở dữ liệu chưa có điểm trực quan. Để bắt đầu:\n\n"
        "- nhập biểu tổng hợp vị trí điểm trực quan (Excel/CSV) ở trang **Danh sách điểm** "
        "hoặc bằng lệnh `python -m kehoach sites import TỆP`;\n"
        "- hoặc nạp bộ **dữ liệu mẫu** để xem thử: `python -m kehoach demo`."
    ),
    "home.filters": "Bộ lọc",
    "home.filter.ward": "Phường",
    "home.filter.street": "Tuyến phố",
    "home.filter.status": "Trạng thái",
    "home.filter.kind": "Loại hình",
    "home.filter.all": "Tất cả",
    "home.kpi.sites": "Tổng số điểm",
    "home.kpi.flags": "Cờ đã treo / dự kiến",
    "home.kpi.flags_rate": "{pct} đã treo",
    "home.card.title": "Thông tin điểm",
    "home.card.hint": "Bấm vào một điểm trên bản đồ để xem thông tin.",
    "home.shown": "Đang hiển thị {shown} / {total} điểm",
    "card.code": "Mã điểm",
    "card.kind": "Loại hình",
    "card.status": "Trạng thái",
    "card.ward": "Phường",
    "card.street": "Tuyến phố",
    "card.address": "Vị trí (địa chỉ)",
    "card.content": "Nội dung / khẩu hiệu",
    "card.quantity": "Số lượng",
    "card.unit": "Đơn vị thực hiện",
    "card.task": "Nhiệm vụ theo kế hoạch",
    "card.flags": "Cờ đã treo / dự kiến",
    "card.length": "Chiều dài đoạn tuyến",
    "card.planned_on": "Ngày dự kiến",
    "card.done_on": "Ngày hoàn thành",
    "card.note": "Ghi chú",
    "card.updated": "Cập nhật lần cuối",
    "card.approval": "Phê duyệt",
    "card.history": "Lịch sử thay đổi ({n})",
    # Enums
    "SiteKind.panel": "Pa-nô",
    "SiteKind.panel_cluster": "Cụm pa-nô",
    "SiteKind.banner": "Băng-rôn",
    "SiteKind.flag_line": "Cờ phướn / cờ dây",
    "SiteKind.national_flag": "Cờ Tổ quốc",
    "SiteKind.led_screen": "Màn hình LED",
    "SiteKind.other": "Khác",
    "SiteStatus.planned": "Chưa triển khai",
    "SiteStatus.installing": "Đang lắp đặt",
    "SiteStatus.installed": "Đã hoàn thành",
    "SiteStatus.needs_fix": "Cần khắc phục",
    "SiteStatus.removed": "Đã tháo dỡ",
    "Approval.approved": "Đã phê duyệt",
    "Approval.pending": "Chờ phê duyệt",
    "Approval.rejected": "Không phê duyệt",
    "TaskKind.decoration": "Trang trí trực quan",
    "TaskKind.flags": "Treo cờ",
    "TaskKind.reporting": "Báo cáo",
    "TaskKind.inspection": "Kiểm tra",
    "TaskKind.other": "Khác",
    "Role.admin": "Quản trị",
    "Role.staff": "Cán bộ Trung tâm VH-TT&TT",
    "Role.ward_officer": "Cán bộ UBND phường",
    "Role.inspector": "Cán bộ kiểm tra",
    "Role.leader": "Lãnh đạo UBND quận",
    # Plan page
    "plan.title": "Kế hoạch và nhiệm vụ",
    "plan.none": "Chưa nạp kế hoạch. Chạy `python -m kehoach init`.",
    "plan.number": "Số",
    "plan.number_blank": "(chưa có số — bản dự thảo)",
    "plan.anniversary": "Ngày kỷ niệm",
    "plan.days_left": "Còn {days} ngày đến ngày kỷ niệm",
    "plan.days_past": "Đã qua ngày kỷ niệm {days} ngày",
    "plan.deadline": "Báo cáo định kỳ hằng tháng trước ngày {day}",
    "plan.units": "Đơn vị và nhiệm vụ",
    "plan.streets": "Tuyến phố được nêu trong kế hoạch",
    "plan.matched": "đã khớp bản đồ",
    "plan.unmatched": "chưa khớp",
    "plan.implements": "Thực hiện văn bản",
    "plan.attachment": "Kèm theo",
    # About page
    "about.title": "Giới thiệu và nguồn dữ liệu",
    "about.body": (
        "Ứng dụng phục vụ Kế hoạch của UBND quận Thanh Xuân thực hiện Kế hoạch số 88/KH-UBND "
        "ngày 23/3/2024 của UBND thành phố Hà Nội về tổ chức các hoạt động kỷ niệm 70 năm Ngày "
        "Giải phóng Thủ đô: quản lý điểm trực quan, treo cờ, kiểm tra và báo cáo.\n\n"
        "**Nguồn dữ liệu bản đồ**\n\n"
        "- Ranh giới quận, tuyến phố, địa điểm: © OpenStreetMap contributors, giấy phép ODbL 1.0 "
        "(dữ liệu OSM năm 2025).\n"
        "- Ranh giới phường: censusVN2009 (M. Choisy, L. Contamin; MIT), khớp với ranh giới quận "
        "của OSM — **ranh giới gần đúng** (sai số khoảng 100–300 m), chỉ dùng để hiển thị tổng "
        "quan, không dùng để xác định phường của một địa điểm cụ thể.\n"
        "- Tên và mã phường: danh mục hành chính của Tổng cục Thống kê (01/11/2024); 11 phường "
        "trước sắp xếp năm 2025.\n"
        "- Lớp địa điểm (cơ quan, trường học…) còn **rất thiếu**: cán bộ có thể bổ sung trụ sở "
        "UBND quận, UBND phường, bảng tin, trường học.\n\n"
        "Điểm có nhãn **dữ liệu mẫu** là dữ liệu sinh tự động để xem thử, không phải số liệu thật."
    ),
    # Errors
    "error.generic": "Đã xảy ra lỗi. Vui lòng thử lại hoặc báo quản trị viên.",
    "error.permission_denied": "Bạn không có quyền thực hiện thao tác này.",
    "error.version_conflict": (
        "Điểm này vừa được {who} sửa lúc {when}. Dữ liệu mới nhất đã được tải lại; "
        "vui lòng kiểm tra và lưu lại."
    ),
    "error.outside_district": "Vị trí nằm ngoài địa bàn quận Thanh Xuân.",
    "error.invalid_geometry": "Toạ độ hoặc hình học không hợp lệ.",
    "error.duplicate_import": "Tệp này đã được nhập trước đó; không có gì thay đổi.",
    "error.not_a_plan": "Tệp không phải là một kế hoạch hợp lệ.",
    "error.invalid_transition": "Không thể chuyển trạng thái từ «{old}» sang «{new}».",
    "error.not_found": "Không tìm thấy bản ghi.",
    "error.invalid_input": "Dữ liệu nhập không hợp lệ.",
    "error.login_failed": "Tên đăng nhập hoặc mật khẩu không đúng.",
    "error.account_locked": (
        "Tài khoản tạm khoá do nhập sai mật khẩu nhiều lần. Vui lòng thử lại sau {minutes} phút."
    ),
    "error.database": "Không mở được cơ sở dữ liệu. Hãy chạy `python -m kehoach init`.",
}


def t(key: str, **params: object) -> str:
    """Return the Vietnamese text for ``key``, formatted with ``params``."""
    text = VI.get(key, key)
    return text.format(**params) if params else text


def label(value: Enum) -> str:
    """Return the Vietnamese label of an enum member (SiteKind, SiteStatus, Role, ...)."""
    return VI.get(f"{type(value).__name__}.{value.value}", str(value.value))


def format_local_time(value: datetime | None) -> str:
    """Format a UTC time in Asia/Ho_Chi_Minh as dd/mm/yyyy HH:MM."""
    if value is None:
        return "—"
    return value.astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M")


def format_date(value: date | None) -> str:
    """Format a date as dd/mm/yyyy."""
    return value.strftime("%d/%m/%Y") if value else "—"
