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
    "map.legend.coverage": "Độ phủ điểm trên tuyến: thấp → cao",
    "map.legend.selected": "Điểm đang chọn",
    "map.attribution.osm": "© OpenStreetMap contributors (ODbL)",
    "map.attribution.wards": ("Ranh giới phường: censusVN2009 (M. Choisy, L. Contamin), gần đúng"),
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
    "home.kpi.flags": "Tỷ lệ cờ đã treo",
    "home.kpi.flags_detail": "{hung} / {expected} lá cờ",
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
    # Forms
    "form.flags_expected": "Số cờ dự kiến",
    "form.flags_hung": "Số cờ đã treo",
    "form.save": "Lưu thay đổi",
    "form.saved": "Đã lưu điểm {code}.",
    "form.edit": "Cập nhật điểm",
    "form.read_only": "Bạn chỉ có quyền xem điểm này.",
    # Sites page
    "sites.title": "Danh sách điểm trực quan",
    "sites.col.name": "Tên điểm",
    "sites.col.demo": "Ghi chú dữ liệu",
    "sites.count": "{n} điểm theo bộ lọc. Chọn dòng để cập nhật hàng loạt hoặc xem trên bản đồ.",
    "sites.focus": "Xem điểm đã chọn trên bản đồ",
    "sites.bulk.title": "Cập nhật hàng loạt",
    "sites.bulk.scope": "Áp dụng cho",
    "sites.bulk.selected": "các dòng đã chọn ({n})",
    "sites.bulk.filtered": "tất cả điểm theo bộ lọc ({n})",
    "sites.bulk.keep": "(giữ nguyên)",
    "sites.bulk.apply": "Áp dụng",
    "sites.bulk.nothing": "Chưa chọn thay đổi nào.",
    "sites.bulk.done": "Đã cập nhật {n} điểm.",
    # New site page
    "nav.new_site": "Thêm điểm",
    "new.title": "Thêm điểm trực quan hoặc địa điểm",
    "new.mode": "Đăng ký",
    "new.mode.point": "Điểm (pa-nô, băng-rôn, cờ…)",
    "new.mode.stretch": "Đoạn tuyến (cờ phướn, cờ dây…)",
    "new.mode.place": "Địa điểm (trụ sở, bảng tin, trường học…)",
    "new.hint.point": "Chạm vào bản đồ tại vị trí của điểm, hoặc nhập toạ độ.",
    "new.hint.stretch": (
        "Chọn tuyến phố, rồi chạm điểm đầu và điểm cuối trên bản đồ; đoạn tuyến được "
        "bám theo tim đường."
    ),
    "new.hint.place": "Chạm vào bản đồ tại vị trí của địa điểm.",
    "new.stretch_street": "Tuyến phố của đoạn",
    "new.typed": "Nhập toạ độ (kinh độ, vĩ độ WGS84)",
    "new.lon": "Kinh độ",
    "new.lat": "Vĩ độ",
    "new.use_coords": "Dùng toạ độ này",
    "new.reset": "Chọn lại vị trí",
    "new.waiting": "Chưa chọn đủ vị trí trên bản đồ.",
    "new.stretch_length": "Đoạn tuyến dài {m} m, đã bám theo tim đường.",
    "new.ward": "Phường (tự xác định, có thể sửa — ranh giới phường là gần đúng)",
    "new.street": "Tuyến phố (tuyến gần nhất trong 30 m, có thể sửa)",
    "new.auto": "(tự xác định)",
    "new.is_new": "Điểm phát sinh mới (cần Lãnh đạo UBND quận phê duyệt)",
    "new.cost": "Dự trù kinh phí (đồng) — bắt buộc với điểm phát sinh mới",
    "new.submit": "Thêm điểm",
    "new.created": "Đã thêm điểm mới.",
    "place.name": "Tên địa điểm",
    "place.kind": "Loại địa điểm",
    "place.submit": "Thêm địa điểm",
    "place.created": "Đã thêm địa điểm {name}.",
    "place.kind.district_hq": "Trụ sở Quận uỷ - HĐND - UBND quận",
    "place.kind.ward_hq": "Trụ sở UBND phường",
    "place.kind.notice_board": "Bảng tin",
    "place.kind.school": "Trường học",
    "place.kind.kindergarten": "Trường mầm non",
    "place.kind.government": "Cơ quan, đơn vị",
    "place.kind.culture": "Nhà văn hoá",
    "place.kind.park": "Công viên, vườn hoa",
    "place.kind.other": "Khác",
    "error.coords_not_numbers": "Kinh độ và vĩ độ phải là số (ví dụ 105.8123 và 20.9987).",
    # Approvals page
    "nav.approvals": "Phê duyệt & kinh phí",
    "approvals.title": "Điểm phát sinh mới: phê duyệt và dự trù kinh phí",
    "approvals.queue": "Chờ phê duyệt ({n})",
    "approvals.empty": "Không có điểm nào chờ phê duyệt.",
    "approvals.requested": "Đề xuất lúc",
    "approvals.cost": "Kinh phí phê duyệt (đồng)",
    "approvals.reason": "Lý do (bắt buộc khi không phê duyệt)",
    "approvals.approve": "Phê duyệt",
    "approvals.reject": "Không phê duyệt",
    "approvals.approved": "Đã phê duyệt điểm {code}.",
    "approvals.rejected": "Đã không phê duyệt điểm {code}.",
    "approvals.costs": "Dự trù kinh phí theo đơn vị thực hiện",
    "approvals.no_costs": "Chưa có điểm phát sinh mới nào.",
    "approvals.col.n": "Số điểm phát sinh",
    "approvals.col.pending": "Chờ phê duyệt",
    "approvals.col.estimated": "Dự trù",
    "approvals.col.approved": "Đã phê duyệt",
    "approvals.total_estimated": "Tổng dự trù",
    # Import / export on the sites page
    "import.title": "Nhập biểu tổng hợp vị trí điểm trực quan (Excel/CSV)",
    "import.hint": (
        "Các cột: STT, Phường, Tuyến phố, Vị trí (địa chỉ), Loại hình, Số lượng, Đơn vị thực "
        "hiện, Trạng thái, Kinh độ, Vĩ độ, Ghi chú — có dấu hoặc không dấu, thứ tự tuỳ ý. "
        "Tệp có dòng lỗi sẽ không được nhập dòng nào; nhập lại cùng tệp không tạo điểm trùng."
    ),
    "import.file": "Chọn tệp .xlsx hoặc .csv",
    "import.checking": "Đang kiểm tra tệp…",
    "import.progress": "Đang kiểm tra {done}/{total} dòng…",
    "import.summary": (
        "{total} dòng: **{to_add}** điểm sẽ được thêm, {skipped} dòng đã nhập trước đó, "
        "{problems} dòng lỗi."
    ),
    "import.rejected": "Có {n} lỗi. Sửa tệp rồi tải lên lại; chưa nhập dòng nào.",
    "import.col.row": "Dòng",
    "import.col.column": "Cột",
    "import.col.problem": "Lỗi",
    "import.commit": "Nhập {n} điểm",
    "import.done": "Đã nhập {n} điểm.",
    "export.title": "Tải xuống biểu mẫu và biểu tổng hợp",
    "export.template": "Biểu mẫu trống (.xlsx)",
    "export.include_demo": "Kèm cả dữ liệu mẫu",
    "export.xlsx": "Biểu tổng hợp {n} điểm (.xlsx)",
    "export.csv": "Biểu tổng hợp {n} điểm (.csv)",
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
    "error.swapped_coords": (
        "Kinh độ và vĩ độ có vẻ bị đảo ngược (ở Thanh Xuân kinh độ ≈ 105,8; vĩ độ ≈ 21,0)."
    ),
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
    # Summary table of sites (biểu tổng hợp): import, export, template
    "error.table": "Không nhập được tệp: {reason}",
    "table.error.empty": "tệp «{filename}» rỗng, không có nội dung.",
    "table.error.too_big": "tệp lớn hơn {mb} MB; hãy chia thành nhiều tệp nhỏ hơn.",
    "table.error.encrypted": (
        "tệp «{filename}» được đặt mật khẩu (mã hoá) hoặc là tệp Excel cũ (.xls). Hãy gỡ "
        "mật khẩu và lưu lại dưới dạng Excel (.xlsx) hoặc CSV UTF-8."
    ),
    "table.error.not_spreadsheet": (
        "tệp «{filename}» không phải là bảng tính Excel (.xlsx) hay CSV (nội dung là {what})."
    ),
    "table.error.corrupt_xlsx": (
        "tệp Excel «{filename}» bị hỏng hoặc không đọc được. Hãy mở bằng Excel và lưu lại "
        "dưới dạng .xlsx."
    ),
    "table.error.not_workbook": (
        "tệp «{filename}» là tệp nén nhưng không phải bảng tính Excel (.xlsx)."
    ),
    "table.error.encoding": "không nhận ra bảng mã của tệp CSV; hãy lưu lại dưới dạng CSV UTF-8.",
    "table.error.corrupt_csv": "tệp CSV bị lỗi định dạng ở dòng {row}.",
    "table.error.no_header": (
        "không tìm thấy dòng tiêu đề trong 10 dòng đầu của trang tính đầu tiên. "
        "Thiếu các cột bắt buộc: {columns}."
    ),
    "table.error.missing_columns": "thiếu các cột bắt buộc: {columns}.",
    "table.error.too_many_rows": (
        "tệp có hơn {limit} dòng dữ liệu, vượt giới hạn {limit} dòng mỗi lần nhập; chưa nhập "
        "dòng nào. Hãy chia thành nhiều tệp nhỏ hơn."
    ),
    "table.error.no_rows": "bảng chỉ có dòng tiêu đề, không có dòng dữ liệu nào.",
    "table.error.has_problems": "bảng còn {n} lỗi; chưa nhập dòng nào.",
    "table.error.row_failed": "dòng {row}: {message} Chưa nhập dòng nào.",
    "table.what.png": "ảnh PNG",
    "table.what.pdf": "tài liệu PDF",
    "table.what.jpeg": "ảnh JPEG",
    "table.what.gif": "ảnh GIF",
    "table.what.binary": "dữ liệu nhị phân",
    "table.problem.ward_missing": "Thiếu tên phường và vị trí không thuộc phường nào của quận.",
    "table.problem.ward_unknown": (
        "Không có phường «{value}» trong quận Thanh Xuân (các phường: {allowed})."
    ),
    "table.problem.street_unknown": (
        "Không tìm thấy tuyến phố «{value}» trên bản đồ quận; kiểm tra lại tên hoặc để trống "
        "(khi đó tuyến phố được xác định theo toạ độ)."
    ),
    "table.problem.kind_missing": "Thiếu loại hình; dùng một trong: {allowed}.",
    "table.problem.kind_unknown": "Loại hình «{value}» không hợp lệ; dùng một trong: {allowed}.",
    "table.problem.status_unknown": (
        "Trạng thái «{value}» không hợp lệ; dùng một trong: {allowed}."
    ),
    "table.problem.quantity": "Số lượng «{value}» phải là số nguyên dương.",
    "table.problem.unit_unknown": "Không tìm thấy đơn vị «{value}» trong kế hoạch.",
    "table.problem.unit_ambiguous": (
        "Đơn vị «{value}» khớp với nhiều đơn vị ({matches}); hãy ghi đầy đủ tên đơn vị."
    ),
    "table.problem.coordinate_missing": "Ô trống: cần nhập số thập phân, ví dụ {example}.",
    "table.problem.coordinate_nan": "«{value}» không phải là số (ví dụ đúng: {example}).",
    "table.problem.coordinate_invalid": "Toạ độ không hợp lệ.",
    "table.problem.swapped": (
        "Kinh độ và vĩ độ có vẻ bị đổi chỗ cho nhau: ở Thanh Xuân kinh độ khoảng 105,8 và "
        "vĩ độ khoảng 21,0."
    ),
    "table.problem.outside": "Vị trí ({lon}, {lat}) nằm ngoài địa bàn quận Thanh Xuân.",
    "table.problem.too_long": "Nội dung dài quá {limit} ký tự.",
    "table.problem.duplicate": (
        "Trùng với dòng {row} (cùng phường, tuyến phố, vị trí, loại hình và toạ độ)."
    ),
    "table.problem.permission": "Bạn không có quyền thêm điểm ở phường {ward}.",
    "table.cli.problem": "Dòng {row}, cột {column}: {message}",
    "table.cli.rejected": "Tệp có {n} lỗi; chưa nhập dòng nào.",
    "table.cli.done": (
        "Đã nhập {added} điểm mới từ {total} dòng; bỏ qua {skipped} dòng đã có trong cơ sở dữ liệu."
    ),
    "table.cli.dry_run": (
        "Chạy thử, chưa lưu gì: {added} điểm sẽ được thêm từ {total} dòng; {skipped} dòng đã "
        "có trong cơ sở dữ liệu."
    ),
    "table.cli.progress": "Đang kiểm tra {done}/{total} dòng…",
    "table.cli.exported": "Đã xuất {n} điểm ra {path}.",
    "table.cli.unreadable": "không đọc được tệp {path}.",
    "table.cli.bad_suffix": "tệp xuất {path} phải có đuôi .xlsx hoặc .csv.",
    "table.guide.title": "Hướng dẫn điền biểu tổng hợp vị trí điểm trực quan",
    "table.guide.intro": (
        "Mỗi dòng của trang «Biểu tổng hợp» là một điểm trực quan. Dòng tiêu đề giữ nguyên; "
        "có thể đổi thứ tự cột. Toạ độ theo WGS84 (như Google Maps), dùng dấu chấm hoặc dấu "
        "phẩy thập phân. Nhập lại cùng một tệp không tạo điểm trùng."
    ),
    "table.guide.column": "Cột",
    "table.guide.required": "Bắt buộc",
    "table.guide.meaning": "Ý nghĩa và giá trị cho phép",
    "table.guide.yes": "Có",
    "table.guide.kinds": "Loại hình hợp lệ:",
    "table.guide.statuses": "Trạng thái hợp lệ:",
    "table.guide.example": "Ví dụ một dòng (minh hoạ, không phải số liệu thật):",
    "table.guide.col.stt": "Số thứ tự, không bắt buộc.",
    "table.guide.col.ward": (
        "Tên phường (có hoặc không có chữ «Phường»), một trong 11 phường của quận Thanh Xuân. "
        "Phường ghi trong bảng được giữ nguyên vì ranh giới phường trên bản đồ chỉ gần đúng."
    ),
    "table.guide.col.street": (
        "Tên tuyến phố trên bản đồ (có hoặc không có dấu, «Phố»/«Đường»). Để trống nếu điểm "
        "không nằm trên tuyến phố: tuyến gần nhất (trong 30 m) được gán theo toạ độ."
    ),
    "table.guide.col.address": "Vị trí, địa chỉ cụ thể (tối đa 300 ký tự).",
    "table.guide.col.kind": "Loại hình trang trí, một trong các giá trị liệt kê bên dưới.",
    "table.guide.col.quantity": "Số nguyên dương; để trống nghĩa là 1.",
    "table.guide.col.unit": (
        "Tên đơn vị thực hiện theo Mục IV của kế hoạch (có thể ghi tắt một phần tên); "
        "không bắt buộc."
    ),
    "table.guide.col.status": (
        "Một trong các trạng thái liệt kê bên dưới; để trống nghĩa là «Chưa triển khai»."
    ),
    "table.guide.col.lon": "Kinh độ WGS84, khoảng 105,79 – 105,85 ở Thanh Xuân.",
    "table.guide.col.lat": "Vĩ độ WGS84, khoảng 20,98 – 21,01 ở Thanh Xuân.",
    "table.guide.col.note": "Ghi chú tự do (tối đa 2000 ký tự), lưu nguyên văn.",
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
