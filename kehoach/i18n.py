"""Hold every user-facing string, in Vietnamese; another language adds another table.

Pure data: the map builder, report writers and the UI all read from here.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from enum import Enum

from babel.numbers import format_decimal
from babel.numbers import format_percent as _babel_percent

from kehoach.domain.clock import LOCAL_TZ
from kehoach.domain.errors import InvalidInput

# Numbers are written the Vietnamese way: "1.234.567,8" (dot groups, comma decimals).
NUMBER_LOCALE = "vi"

VI: dict[str, str] = {
    # App frame
    "app.title": "Bản đồ điểm trực quan quận Thanh Xuân",
    # From the campaign record: its occasion ("Kỷ niệm …") when it has one, else name and dates.
    "app.subtitle": "{title}",
    "app.subtitle_period": "{name} ({start} – {end})",
    "app.no_campaign": "Chưa có đợt trang trí nào: nạp kế hoạch bằng lệnh «init».",
    "nav.map": "Bản đồ",
    "nav.sites": "Danh sách điểm",
    "nav.plan": "Kế hoạch",
    "nav.about": "Giới thiệu & nguồn dữ liệu",
    # Sign-in
    "login.username": "Tên đăng nhập",
    "login.password": "Mật khẩu",
    "login.submit": "Đăng nhập",
    "login.logout": "Đăng xuất",
    "nav.not_for_role": (
        "Trang này không dành cho vai trò của bạn. Hãy chọn một trang trong danh sách bên trái."
    ),
    "upload.hint": "Kéo thả tệp vào đây hoặc bấm nút bên cạnh",
    "upload.button": "Chọn tệp",
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
    # Locating a position text (vị trí) on the district's streets and places
    "locate.coordinates": "Toạ độ {lat}, {lon}",
    "locate.crossing": "Giao lộ {a} × {b}",
    "locate.crossing_guess": "Giao lộ {a} × {b} (ước lượng) — cần xác nhận",
    "locate.junction": "{junction}: {crossing}",
    "locate.stretch": "Đoạn {street} từ {start} đến {end} ({length})",
    "locate.to_confirm": "{text} — cần xác nhận",
    "locate.street": "Trên phố {street} (giữa tuyến) — cần xác nhận",
    "locate.street_number": "Trên phố {street}, số {number} — cần xác nhận",
    "locate.place": "{place}",
    "locate.unplaced.empty": "Chưa ghi vị trí.",
    "locate.unplaced.no_name": "Không tìm thấy tên phố hay địa điểm nào của quận trong «{text}».",
    "locate.unplaced.no_meet": "Phố {a} và phố {b} không giao nhau trên bản đồ.",
    "locate.unplaced.stretch_street": "Không rõ đoạn này thuộc tuyến phố nào: «{text}».",
    "locate.unplaced.stretch_ends": (
        "Không xác định được đoạn {street} từ {start} đến {end} trên bản đồ."
    ),
    "locate.unplaced.outside": "Toạ độ {lat}, {lon} nằm ngoài quận.",
    "locate.cli.ward": "phường {ward} (gần đúng)",
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
    "home.whole_district": "Xem toàn quận",
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
    "approvals.col.estimated": "Dự trù",
    "approvals.col.approved": "Đã phê duyệt",
    # Import / export on the sites page
    "import.title": "Nhập biểu tổng hợp vị trí điểm trực quan (Excel/CSV)",
    "import.hint": (
        "Các cột: STT, Phường, Tuyến phố, Vị trí (địa chỉ), Loại hình, Số lượng, Đơn vị thực "
        "hiện, Trạng thái, Kinh độ, Vĩ độ, Ghi chú — có dấu hoặc không dấu, thứ tự tuỳ ý. "
        "Tệp có dòng lỗi sẽ không được nhập dòng nào; nhập lại cùng tệp không tạo điểm trùng."
    ),
    "import.file": "Chọn tệp .xlsx hoặc .csv (tối đa {mb} MB)",
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
    # Inspections (tablet page), the fix loop, photos, flag window
    "nav.inspect": "Kiểm tra",
    "nav.fixes": "Việc cần khắc phục",
    "nav.campaign": "Đợt trang trí",
    "inspect.title": "Kiểm tra điểm trực quan",
    "inspect.where": "Vị trí của tôi",
    "inspect.mode.gps": "Định vị GPS",
    "inspect.mode.street": "Chọn tuyến phố",
    "inspect.mode.map": "Chạm bản đồ",
    "inspect.gps.button": "Lấy vị trí của tôi",
    "inspect.gps.refresh": "Cập nhật vị trí",
    "inspect.gps.waiting": "Đang lấy vị trí…",
    "inspect.gps.hint": "Cho phép trình duyệt truy cập vị trí khi được hỏi.",
    "inspect.gps.fix": "±{acc} m · lúc {time}",
    "inspect.gps.denied": (
        "Trình duyệt chưa cho phép lấy vị trí. Hãy cho phép truy cập vị trí trong cài đặt "
        "trình duyệt, hoặc chọn tuyến phố, hoặc chạm trên bản đồ."
    ),
    "inspect.gps.timeout": (
        "Chưa lấy được vị trí (tín hiệu GPS yếu). Bấm «Cập nhật vị trí» để thử lại, hoặc chọn "
        "tuyến phố."
    ),
    "inspect.gps.unavailable": (
        "Thiết bị không xác định được vị trí. Thử lại ở nơi thoáng, hoặc chọn tuyến phố."
    ),
    "inspect.gps.unsupported": "Trình duyệt này không hỗ trợ định vị; hãy chọn tuyến phố.",
    "inspect.gps.low_accuracy": (
        "Vị trí kém chính xác (±{acc} m): khoảng cách chỉ là ước lượng. Bấm «Cập nhật vị trí» "
        "khi ra chỗ thoáng."
    ),
    "inspect.map.hint": "Chạm vào bản đồ tại chỗ bạn đang đứng.",
    "inspect.map.picked": "Vị trí đã chạm: {lat}, {lon}",
    "inspect.ward": "Phường",
    "inspect.street": "Tuyến phố",
    "inspect.street.pick": "Chọn tuyến phố…",
    "inspect.hide_today": "Ẩn điểm đã kiểm tra hôm nay",
    "inspect.nearest": "Điểm gần tôi nhất",
    "inspect.walk": "Thứ tự đi dọc {street}",
    "inspect.none": "Không còn điểm nào cần kiểm tra ở đây.",
    "inspect.need_position": (
        "Lấy vị trí GPS, chọn tuyến phố hoặc chạm trên bản đồ để xem danh sách điểm."
    ),
    "inspect.never": "chưa kiểm tra",
    "inspect.ago.now": "vừa kiểm tra",
    "inspect.ago.minutes": "kiểm tra {n} phút trước",
    "inspect.ago.hours": "kiểm tra {n} giờ trước",
    "inspect.ago.days": "kiểm tra {n} ngày trước",
    "inspect.recheck": "Chờ kiểm tra lại",
    "inspect.today": "Đã kiểm tra hôm nay",
    "inspect.open": "Kiểm tra",
    "inspect.back": "Danh sách điểm",
    "inspect.target": "Đang kiểm tra",
    "inspect.distance": "cách {d}",
    "inspect.along": "km {d} của tuyến",
    "inspect.pass_now": "Đạt — lưu ngay",
    "inspect.pass_hint": (
        "Điểm đạt yêu cầu: một chạm để lưu. Cần ghi lỗi, ảnh hoặc ghi chú? Dùng mẫu bên dưới."
    ),
    "inspect.form.title": "Ghi kết quả chi tiết",
    "inspect.result": "Kết quả",
    "inspect.result.required": "Hãy chọn kết quả: «Đạt» hoặc «Cần khắc phục».",
    "inspect.defects": "Lỗi phát hiện (chọn khi cần khắc phục)",
    "inspect.note": "Ghi chú",
    "inspect.photos": (
        "Ảnh hiện trường: 1–{n} ảnh, tối đa {mb} MB mỗi ảnh, chụp mới hoặc chọn từ thư viện "
        "(bắt buộc khi cần khắc phục)"
    ),
    "inspect.flags": "Cờ Tổ quốc trong thời gian treo cờ ({start} – {end})",
    "inspect.flags.record": "Ghi số cờ lần này",
    "inspect.flags_hung": "Số cờ đã treo",
    "inspect.flags_expected": "Số cờ cần treo",
    "inspect.submit": "Lưu kết quả",
    "inspect.saving": "Đang kiểm tra và lưu ảnh…",
    "inspect.saved": (
        "Đã lưu kết quả kiểm tra điểm {code}: {result} · {n} ảnh · trạng thái «{status}»."
    ),
    "inspect.saved.distance": "Thiết bị cách điểm {d}.",
    "inspect.card": "Thông tin điểm",
    "inspect.not_target": (
        "Điểm này không còn trong danh sách kiểm tra (đã tháo dỡ hoặc chưa được duyệt)."
    ),
    "InspectionOutcome.pass": "Đạt",
    "InspectionOutcome.needs_fix": "Cần khắc phục",
    "Defect.torn": "Rách",
    "Defect.faded": "Bạc màu",
    "Defect.wrong_content": "Sai nội dung",
    "Defect.flag_missing": "Thiếu hoặc hỏng cờ",
    "Defect.leaning": "Nghiêng đổ nguy hiểm",
    "Defect.blocks_traffic_sign": "Che khuất biển báo hoặc đèn giao thông",
    "Defect.missing": "Mất",
    "PhotoFlag.gps_far": "toạ độ GPS trong ảnh cách điểm hơn 100 m",
    "PhotoFlag.time_outside_campaign": "ảnh chụp ngoài thời gian đợt trang trí",
    "PhotoFlag.time_outside_flag_window": "ảnh chụp ngoài thời gian treo cờ",
    "PhotoFlag.time_stale": "ảnh chụp trước lần kiểm tra hơn 24 giờ",
    "PhotoFlag.time_future": "thời gian chụp sau thời điểm kiểm tra (đồng hồ máy ảnh sai?)",
    "InspectionWarning.far_from_site": (
        "Thiết bị đang cách điểm {d} (hơn 100 m). Kết quả vẫn được lưu; hãy chắc chắn bạn "
        "kiểm tra đúng điểm."
    ),
    "InspectionWarning.no_position": (
        "Chưa có vị trí GPS của thiết bị: kết quả được lưu không kèm toạ độ."
    ),
    "InspectionWarning.low_accuracy": "Vị trí thiết bị kém chính xác (±{acc} m).",
    "InspectionWarning.photo_flagged": "Ảnh số {n}: {flags}.",
    "fixes.title": "Việc cần khắc phục theo đơn vị",
    "fixes.count": "{n} điểm đang chờ khắc phục.",
    "fixes.none": "Không có điểm nào cần khắc phục.",
    "fixes.unassigned": "Chưa giao đơn vị",
    "fixes.since": "Từ {time} · {who}",
    "fixes.mark_fixed": "Đã khắc phục xong",
    "fixes.fixed": (
        "Điểm {code} đã chuyển sang «Đã hoàn thành» và trở lại danh sách chờ kiểm tra lại."
    ),
    "photos.title": "Ảnh kiểm tra ({n})",
    "photos.caption": "{time} · {who} · {result}",
    "photos.reconciled": (
        "Thư mục ảnh: hoàn tất {promoted} tệp lưu dở, xoá {removed} tệp không thuộc lần kiểm tra "
        "nào."
    ),
    "campaign.title": "Đợt trang trí và thời gian treo cờ Tổ quốc",
    "campaign.hint": (
        "Theo thông báo treo cờ của quận (Mục IV.8 của kế hoạch). Trong thời gian này cán bộ "
        "kiểm tra ghi số cờ đã treo và số cờ cần treo tại các điểm."
    ),
    "campaign.current": "Hiện tại: {start} – {end}",
    "campaign.none": "Chưa đặt thời gian treo cờ.",
    "campaign.period": "Thời gian đợt trang trí (để đối chiếu ngày chụp ảnh): {start} – {end}",
    "campaign.start": "Từ ngày",
    "campaign.end": "Đến ngày",
    "campaign.clear": "Bỏ thời gian treo cờ",
    "campaign.save": "Lưu thời gian treo cờ",
    "campaign.saved": "Đã lưu thời gian treo cờ: {start} – {end}.",
    "campaign.cleared": "Đã bỏ thời gian treo cờ.",
    "campaign.rates": "Cờ đã treo theo phường",
    "campaign.col.ward": "Phường",
    "campaign.col.hung": "Đã treo",
    "campaign.col.expected": "Cần treo",
    "campaign.col.rate": "Tỷ lệ",
    "error.inspection.not_inspector": "Chỉ cán bộ kiểm tra mới được ghi kết quả kiểm tra.",
    "error.inspection.site_removed": (
        "Điểm này đã tháo dỡ nên không ghi kết quả kiểm tra; chưa có gì được lưu."
    ),
    "error.inspection.not_started": (
        "Điểm này còn «chưa triển khai»: chưa có gì để kiểm tra nên chưa ghi được «Đạt» hay "
        "lỗi. Khi đơn vị bắt đầu lắp đặt (trạng thái «đang lắp đặt»), hãy kiểm tra lại."
    ),
    "inspect.installing_note": (
        "Điểm đang lắp đặt: lỗi ghi nhận sẽ được lưu cùng ảnh, còn trạng thái giữ nguyên "
        "«đang lắp đặt» cho đến khi lắp xong."
    ),
    "error.inspection.not_saved": (
        "Chưa lưu được kết quả kiểm tra (lỗi khi ghi ảnh hoặc cơ sở dữ liệu); không có gì được "
        "lưu. Ảnh vẫn còn trong ô tải lên: hãy bấm «Lưu kết quả» lần nữa."
    ),
    "error.inspection.no_defect": "Kết quả «Cần khắc phục» cần chọn ít nhất một lỗi.",
    "error.inspection.defects_on_pass": (
        "Kết quả «Đạt» không kèm lỗi: bỏ chọn lỗi hoặc chọn «Cần khắc phục»."
    ),
    "error.inspection.flags_outside_window": (
        "Chỉ ghi số cờ trong thời gian treo cờ ({start} – {end}); chưa có gì được lưu."
    ),
    "error.inspection.flag_counts": (
        "Số cờ không hợp lệ: phải là số không âm và số cờ đã treo không vượt số cờ cần treo."
    ),
    "error.campaign.closed": (
        "Đợt «{name}» đã kết thúc: không thể thêm hay sửa điểm trực quan của đợt này."
    ),
    "CampaignState.preparing": "Chuẩn bị",
    "CampaignState.running": "Đang triển khai",
    "CampaignState.closed": "Đã kết thúc",
    "FlagTarget.agencies": "Cơ quan, đơn vị",
    "FlagTarget.schools": "Trường học",
    "FlagTarget.households": "Hộ gia đình, tổ dân phố",
    "FlagTarget.streets": "Tuyến phố",
    "campaign.windows": "Các đợt treo cờ của «{name}»",
    "campaign.window_row": "{start} – {end}: {targets}",
    "campaign.applies_to": "Áp dụng cho",
    "campaign.add_window": "Thêm đợt treo cờ",
    "campaign.remove_window": "Xóa đợt treo cờ",
    "campaign.window_added": "Đã thêm đợt treo cờ {start} – {end}.",
    "campaign.window_removed": "Đã xóa đợt treo cờ.",
    "error.campaign.window": (
        "Thời gian treo cờ không hợp lệ: nhập đủ ngày bắt đầu và ngày kết thúc, ngày kết thúc "
        "không trước ngày bắt đầu."
    ),
    "error.photo.generic": "Ảnh «{filename}» không hợp lệ; chưa có gì được lưu.",
    "error.photo.not_image": (
        "Tệp «{filename}» không phải là ảnh (JPEG, PNG hoặc WebP), dù tên tệp có thể là .jpg. "
        "Chưa có gì được lưu; hãy chọn ảnh khác."
    ),
    "error.photo.truncated": (
        "Ảnh «{filename}» bị hỏng hoặc tải lên chưa hết. Chưa có gì được lưu; hãy chụp hoặc "
        "chọn lại ảnh."
    ),
    "error.photo.too_large": (
        "Ảnh «{filename}» nặng {mb} MB, vượt giới hạn {limit} MB mỗi ảnh. Chưa có gì được lưu; "
        "hãy chụp ở độ phân giải thấp hơn."
    ),
    "error.photo.too_many_pixels": (
        "Ảnh «{filename}» có quá nhiều điểm ảnh (tối đa {limit} triệu). Chưa có gì được lưu; "
        "hãy chụp ở chế độ thường."
    ),
    "error.photo.empty": "Tệp «{filename}» rỗng, không có ảnh nào. Chưa có gì được lưu.",
    "error.photo.too_many": "Mỗi lần kiểm tra gửi tối đa {limit} ảnh; chưa có gì được lưu.",
    "error.photo.required": (
        "Kết quả «Cần khắc phục» cần ít nhất một ảnh hiện trường; chưa có gì được lưu."
    ),
    # Coverage, leader's home, ward routes, task board (issue 5)
    "nav.leader": "Tổng quan",
    "nav.tasks": "Nhiệm vụ",
    "nav.routes": "Tuyến đăng ký",
    "coverage.gap_tip": "{name}: đoạn chưa trang trí {start}–{end} m (dài {length} m)",
    "coverage.legend.gap": "Đoạn phố chưa trang trí",
    "leader.title": "Tổng quan tiến độ trang trí",
    "leader.month": "Tháng báo cáo",
    "leader.kpi.district": "Độ phủ toàn quận",
    "leader.kpi.district_help": (
        "Phần chiều dài các tuyến phố trong quận đã được trang trí: các đoạn cờ phướn, "
        "băng-rôn đã hoàn thành và 25 m mỗi phía quanh mỗi điểm đã hoàn thành nằm trong "
        "phạm vi 30 m từ tim đường."
    ),
    "leader.kpi.of_km": "{done} / {total} km",
    "leader.kpi.main": "Tuyến phố chính (KH)",
    "leader.kpi.routes": "Tuyến phường đăng ký",
    "leader.kpi.no_routes": "chưa có tuyến đăng ký",
    "leader.kpi.gaps": "Đoạn trống ≥ 50 m",
    "leader.kpi.gaps_help": (
        "Đoạn chưa trang trí dài từ 50 m trên các tuyến phố chính, tuyến phường đăng ký và "
        "tuyến đã có điểm (nét đứt đỏ trên bản đồ)."
    ),
    "leader.kpi.gaps_km": "tổng {total} km",
    "leader.map": "Bản đồ độ phủ trang trí",
    "leader.map_hint": (
        "Tuyến phố chính theo kế hoạch, tuyến phường đã đăng ký và tuyến đã có điểm được tô màu "
        "theo tỷ lệ chiều dài đã trang trí (đỏ: thấp → xanh: cao); các tuyến khác màu xám. "
        "Nét đứt đỏ: đoạn chưa trang trí dài từ 50 m. Chọn một phường trong bảng dưới để phóng "
        "to bản đồ đến phường đó."
    ),
    "leader.wards": "Tiến độ các phường — tháng {month}",
    "leader.col.ward": "Phường",
    "leader.col.routes": "Tuyến ĐK",
    "leader.col.routes_help": "Số tuyến phố phường đã đăng ký với quận · tổng chiều dài",
    "leader.col.done": "Xong",
    "leader.col.done_help": "Số điểm đã hoàn thành / tổng số điểm (không tính điểm đã tháo dỡ)",
    "leader.col.installing": "Đang lắp",
    "leader.col.planned": "Chưa làm",
    "leader.col.needs_fix": "Cần sửa",
    "leader.col.installed_share": "Tỷ lệ xong",
    "leader.col.installed_share_help": "Tỷ lệ điểm đã hoàn thành",
    "leader.col.passed_share": "KT đạt",
    "leader.col.passed_share_help": "Tỷ lệ điểm có lần kiểm tra gần nhất đạt yêu cầu",
    "leader.col.flags": "Cờ treo",
    "leader.col.flags_help": "Số cờ đã treo / số cờ dự kiến",
    "leader.col.route_coverage": "Phủ tuyến",
    "leader.col.route_coverage_help": (
        "Tỷ lệ chiều dài các tuyến phường đã đăng ký đã được trang trí"
    ),
    "leader.col.report": "Báo cáo",
    "leader.col.report_help": (
        "Báo cáo tháng của phường: nộp trước ngày hạn (ngày 20) là đúng hạn"
    ),
    # Flag counts per flag window (the ward table's per-window rate columns).
    "leader.col.flag_window": "Cờ {start}–{end}",
    "leader.col.flag_window_help": "Tỷ lệ cờ đã treo / cờ dự kiến trong đợt treo cờ {start}–{end}",
    "ReportStatus.on_time": "Đúng hạn",
    "ReportStatus.late": "Nộp muộn",
    "ReportStatus.missing": "Chưa nộp",
    "ReportStatus.not_due": "Chưa đến hạn",
    "TaskStatus.open": "Chưa thực hiện",
    "TaskStatus.in_progress": "Đang thực hiện",
    "TaskStatus.done": "Đã hoàn thành",
    "tasks.title": "Tiến độ nhiệm vụ theo kế hoạch",
    "tasks.caption": (
        "Nhiệm vụ trang trí trực quan và treo cờ tính tiến độ từ các điểm gắn với nhiệm vụ; "
        "các nhiệm vụ khác do đơn vị cập nhật trạng thái và minh chứng."
    ),
    "tasks.kpi.units": "Đơn vị",
    "tasks.kpi.tasks": "Nhiệm vụ",
    "tasks.kpi.done": "Đã hoàn thành",
    "tasks.kpi.overdue": "Quá hạn",
    "tasks.only_overdue": "Chỉ hiện đơn vị có nhiệm vụ quá hạn",
    "tasks.overdue": "Quá hạn",
    "tasks.due": "Hạn: {date}",
    "tasks.evidence": "Minh chứng",
    "tasks.no_sites": "Chưa có điểm nào gắn với nhiệm vụ này.",
    "tasks.sites_done": "{done}/{total} điểm hoàn thành",
    "tasks.flags": "cờ {hung}/{expected}",
    "tasks.unit_detail": "{done}/{total} nhiệm vụ hoàn thành",
    "tasks.unit_overdue": "{n} nhiệm vụ quá hạn",
    "tasks.form.title": "Cập nhật trạng thái nhiệm vụ của đơn vị",
    "tasks.form.task": "Nhiệm vụ",
    "tasks.form.status": "Trạng thái",
    "tasks.form.evidence": "Minh chứng (văn bản, kết quả thực hiện…)",
    "tasks.form.save": "Lưu trạng thái",
    "tasks.form.saved": "Đã cập nhật trạng thái nhiệm vụ.",
    # Task status per executor (wards), monthly deadlines, overdue notice.
    "tasks.form.ward": "Phường",
    "tasks.form.whole_unit": "Cả đơn vị (mọi phường chưa tự cập nhật)",
    "tasks.form.ward_help": (
        "Nhiệm vụ của UBND các phường được theo dõi riêng từng phường; chọn phường cần cập nhật."
    ),
    "tasks.wards_done": "{done}/{total} phường hoàn thành",
    "tasks.due_monthly": "Hạn hằng tháng: trước ngày {day} (kỳ tới {date})",
    "tasks.overdue_notice": "Có {n} nhiệm vụ quá hạn: xem trang Tiến độ nhiệm vụ.",
    "error.task.not_ward": "Nhiệm vụ này không theo dõi theo từng phường: hãy chọn «Cả đơn vị».",
    "routes.title": "Tuyến phố phường đăng ký",
    "routes.caption": (
        "Theo mục IV.13 của kế hoạch, UBND các phường trang trí các tuyến phố đã đăng ký với "
        "UBND quận. Đăng ký cả tuyến phố, hoặc một đoạn: chạm điểm đầu và điểm cuối trên bản đồ."
    ),
    "routes.no_ward": "Tài khoản của bạn chưa được gán phường; hãy liên hệ quản trị viên.",
    "routes.own_ward": "Phường: **{ward}**",
    "routes.ward": "Phường",
    "routes.street": "Tuyến phố",
    "routes.mode": "Đăng ký",
    "routes.mode.whole": "Cả tuyến",
    "routes.mode.stretch": "Một đoạn",
    "routes.tap_hint": (
        "Chạm vào bản đồ để chọn điểm đầu và điểm cuối của đoạn tuyến (đã chọn {n}/2)."
    ),
    "routes.stretch_length": "Đoạn tuyến dài {m} m (đã gắn vào tim đường).",
    "routes.name": "Tên tuyến (không bắt buộc)",
    "routes.name_hint": "Mặc định: tên tuyến phố",
    "routes.submit": "Đăng ký tuyến",
    "routes.registered": "Đã đăng ký tuyến.",
    "routes.none": "Phường chưa đăng ký tuyến nào.",
    "routes.list": "Các tuyến đã đăng ký ({n})",
    "routes.col.ward": "Phường",
    "routes.col.name": "Tuyến",
    "routes.col.extent": "Phạm vi",
    "routes.col.length": "Chiều dài",
    "routes.col.coverage": "Đã trang trí",
    "routes.col.by": "Người đăng ký",
    "routes.remove.title": "Xoá tuyến đã đăng ký",
    "routes.remove.route": "Tuyến",
    "routes.remove.submit": "Xoá tuyến",
    "routes.removed": "Đã xoá tuyến.",
    "routes.legend": "Tuyến phường đã đăng ký",
    "routes.legend.chosen": "Tuyến phố đang chọn",
    "error.progress.month": "Tháng không hợp lệ: «{month}» (định dạng YYYY-MM).",
    "error.route.exists": "Phường đã đăng ký cả tuyến {street}.",
    "error.task.measured": (
        "Tiến độ nhiệm vụ này được tính tự động từ các điểm trực quan gắn với nhiệm vụ."
    ),
    # Monthly reports, documents and the campaign clock (app_pages/reports.py)
    "nav.reports": "Báo cáo tháng",
    "reports.title": "Báo cáo định kỳ và tiến độ chiến dịch",
    "reports.section": "Phần",
    "reports.tab.board": "Theo dõi báo cáo",
    "reports.tab.submit": "Nộp báo cáo tháng",
    "reports.tab.docs": "Tải văn bản",
    "reports.tab.timeline": "Tiến độ theo thời gian",
    "reports.clock.anniversary": "Ngày kỷ niệm {date}",
    "reports.clock.days": "{days} ngày",
    "reports.clock.left": "còn lại đến ngày kỷ niệm",
    "reports.clock.past": "đã qua ngày kỷ niệm",
    "reports.board.months": "Các tháng",
    "reports.board.unit": "Đơn vị",
    "reports.board.no_units": "Chưa nạp kế hoạch nên chưa có danh sách đơn vị phải báo cáo.",
    "reports.board.summary": (
        "Tháng {month}: đúng hạn {on_time}, nộp muộn {late}, chưa nộp {missing}, "
        "chưa đến hạn {not_due}."
    ),
    "reports.board.rule": (
        "Báo cáo tháng phải gửi trước ngày {day} của tháng (theo giờ Việt Nam); nộp từ ngày "
        "{day} trở đi tính là muộn. Phòng Văn hóa và Thông tin là nơi nhận báo cáo; các cơ quan "
        "được kế hoạch đề nghị phối hợp không nằm trong danh sách."
    ),
    "reports.list.title": "Báo cáo đã nhận",
    "reports.list.month": "Tháng",
    "reports.list.none": "Chưa có đơn vị nào nộp báo cáo tháng này.",
    "reports.list.by": "Người nộp: {by} · số lần bổ sung: {n}",
    "reports.submit.month": "Báo cáo tháng",
    "reports.submit.unit": "Đơn vị báo cáo",
    "reports.submit.for": "Báo cáo của **{name}**",
    "reports.submit.no_unit": (
        "Không xác định được đơn vị báo cáo (tài khoản chưa gắn phường hoặc chưa nạp kế hoạch)."
    ),
    "reports.submit.read_only": "Chỉ cán bộ UBND phường, cán bộ Trung tâm và quản trị nộp báo cáo.",
    "reports.submit.as_of": "Số liệu tính tự động từ dữ liệu đến ngày {date}.",
    "reports.submit.flags": "Cờ đã treo / cần treo",
    "reports.submit.inspections": "Lượt kiểm tra trong tháng",
    "reports.submit.demo": "Số liệu có {n} điểm **dữ liệu mẫu**, không phải số liệu thật.",
    "reports.submit.existing": (
        "Đã nộp lúc {at} ({status}). Gửi lại sẽ thay nội dung và số liệu, nhưng giữ thời điểm "
        "nộp lần đầu để tính đúng hạn."
    ),
    "reports.submit.body": "Nội dung báo cáo (đã điền sẵn số liệu, có thể sửa, bổ sung)",
    "reports.submit.send": "Gửi báo cáo",
    "reports.submit.amend": "Gửi bản bổ sung",
    "reports.submit.done": "Đã gửi báo cáo tháng {month}: {status}.",
    "reports.submit.amended": (
        "Đã cập nhật báo cáo tháng {month} (giữ thời điểm nộp lần đầu: {status})."
    ),
    "reports.docs.month": "Tháng báo cáo",
    "reports.docs.read_only": "Lãnh đạo, cán bộ Trung tâm và quản trị tải được văn bản tổng hợp.",
    "reports.docs.exclude_demo": "Không đưa dữ liệu mẫu vào văn bản",
    "reports.docs.demo_included": (
        'Cơ sở dữ liệu có {n} điểm **dữ liệu mẫu**: văn bản sẽ ghi rõ "DỮ LIỆU MẪU" ở đầu mỗi '
        "trang. Chọn ô trên để loại chúng."
    ),
    "reports.docs.monthly": "Báo cáo tháng {month} (.docx)",
    "reports.docs.summary": "Biểu tổng hợp điểm trực quan (.xlsx)",
    "reports.docs.cli": (
        "Trên máy chủ: `python -m kehoach report monthly --month YYYY-MM --out TỆP.docx` và "
        "`python -m kehoach report summary --out TỆP.xlsx` (thêm `--exclude-demo` để bỏ dữ "
        "liệu mẫu)."
    ),
    "reports.timeline.burnup": "Điểm theo kế hoạch và điểm đã hoàn thành theo ngày",
    "reports.timeline.empty": "Chưa có điểm trực quan nào để vẽ tiến độ.",
    "reports.timeline.planned": "Theo kế hoạch",
    "reports.timeline.installed": "Đã hoàn thành (lũy kế)",
    "reports.timeline.date": "Ngày",
    "reports.timeline.sites": "Số điểm",
    "reports.timeline.map": "Bản đồ tại một ngày đã qua",
    "reports.timeline.day": "Xem bản đồ vào cuối ngày",
    "reports.timeline.as_of": (
        "Bản đồ dựng lại từ lịch sử thay đổi: {n} điểm đã có vào cuối ngày {date}."
    ),
    "report.ward_row": "UBND phường {ward}",
    "report.draft.opening": (
        "Kết quả triển khai trang trí, tuyên truyền trực quan tháng {month}/{year} "
        "(số liệu đến ngày {as_of}):"
    ),
    "report.draft.sites": (
        "- Tổng số điểm trực quan: {total}; trong đó đã hoàn thành {installed}, đang lắp đặt "
        "{installing}, chưa triển khai {planned}, cần khắc phục {needs_fix}, đã tháo dỡ {removed}."
    ),
    "report.draft.flags": "- Cờ đã treo: {hung}/{expected} lá.",
    "report.draft.inspections": (
        "- Kiểm tra trong tháng: {total} lượt; đạt {pass}, cần khắc phục {needs_fix}."
    ),
    "report.draft.routes": "- Các tuyến phố đã đăng ký với UBND quận: độ phủ {share} ({routes}).",
    "report.draft.no_routes": "- Chưa đăng ký tuyến phố trang trí với UBND quận trên hệ thống.",
    "report.draft.main_streets": "- Các tuyến phố chính: độ phủ {share} ({streets}).",
    "report.draft.demo": "- Lưu ý: số liệu có {n} điểm dữ liệu mẫu, không phải số liệu thật.",
    "report.draft.next": "Khó khăn, vướng mắc; nhiệm vụ tháng tới: (đơn vị bổ sung)",
    "report.map.coverage": "Độ phủ tuyến phố",
    "report.map.no_sites": "ngoài địa bàn quận",
    "report.map.status": "Trạng thái điểm",
    "report.doc.parent_body": "UBND QUẬN THANH XUÂN",
    "report.doc.issuer": "PHÒNG VĂN HÓA VÀ THÔNG TIN",
    "report.doc.number": "Số:        /BC-VHTT",
    "report.doc.nation": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "report.doc.motto": "Độc lập - Tự do - Hạnh phúc",
    "report.doc.place_date": "Thanh Xuân, ngày {day} tháng {month} năm {year}",
    "report.doc.kind": "BÁO CÁO",
    "report.doc.subject": (
        "Kết quả triển khai công tác trang trí, tuyên truyền trực quan {occasion} "
        "tháng {month}/{year}"
    ),
    "report.doc.intro": (
        "Thực hiện Kế hoạch số {plan} của UBND quận Thanh Xuân về tổ chức các hoạt động "
        "{occasion}, Phòng Văn hóa và Thông tin "
        "quận báo cáo kết quả triển khai công tác trang trí, tuyên truyền trực quan tháng "
        "{month}/{year} (số liệu đến hết ngày {as_of}) như sau:"
    ),
    "report.doc.source": (
        "Số liệu được tổng hợp tự động từ Bản đồ điểm trực quan quận Thanh Xuân: các điểm trực "
        "quan, lịch sử cập nhật, kết quả kiểm tra và báo cáo của các đơn vị."
    ),
    "report.doc.demo_warning": (
        "LƯU Ý: Báo cáo có sử dụng {n} điểm DỮ LIỆU MẪU (sinh tự động dọc các tuyến phố thật), "
        "KHÔNG phải số liệu thật; không sử dụng làm báo cáo chính thức."
    ),
    "report.doc.demo_header": "DỮ LIỆU MẪU - KHÔNG PHẢI SỐ LIỆU THẬT",
    "report.doc.demo_map": "DỮ LIỆU MẪU: {n} điểm sinh tự động, không phải số liệu thật",
    "report.doc.h1": "I. KẾT QUẢ CHUNG TOÀN QUẬN",
    "report.doc.h2": "II. KẾT QUẢ THEO PHƯỜNG",
    "report.doc.h3": "III. TIẾN ĐỘ THỰC HIỆN NHIỆM VỤ CỦA CÁC ĐƠN VỊ",
    "report.doc.h4": "IV. KINH PHÍ DỰ KIẾN CÁC HẠNG MỤC PHÁT SINH MỚI",
    "report.doc.h5": "V. BẢN ĐỒ ĐỘ PHỦ TRANG TRÍ TRỰC QUAN",
    "report.doc.h6": "VI. TÌNH HÌNH BÁO CÁO ĐỊNH KỲ CỦA CÁC ĐƠN VỊ",
    "report.doc.sites": (
        "Tổng số điểm trực quan trên địa bàn quận: {total} điểm; trong đó đã hoàn thành "
        "{installed}, đang lắp đặt {installing}, chưa triển khai {planned}, cần khắc phục "
        "{needs_fix}, đã tháo dỡ {removed}."
    ),
    "report.doc.flags": "Cờ đã treo: {hung}/{expected} lá theo kế hoạch (đạt {rate}).",
    "report.doc.coverage": (
        "Độ phủ trang trí trên các tuyến phố của quận: {share} ({covered}/{length} km chiều "
        "dài tuyến phố có điểm trực quan đã hoàn thành)."
    ),
    "report.doc.main": "Các tuyến phố chính theo Kế hoạch (mục IV.2): độ phủ {share} ({streets}).",
    "report.doc.routes": (
        "Các tuyến phố UBND các phường đã đăng ký với UBND quận ({n} tuyến): độ phủ {share}."
    ),
    "report.doc.no_routes": "UBND các phường chưa đăng ký tuyến phố trang trí nào trên hệ thống.",
    "report.doc.days_left": "Còn {days} ngày đến ngày kỷ niệm {date}.",
    "report.doc.days_past": "Đã qua ngày kỷ niệm {date} được {days} ngày.",
    "report.doc.total": "Tổng cộng",
    "report.doc.ward_intro": (
        "Kết quả trang trí, treo cờ và tình hình báo cáo tháng của UBND các phường:"
    ),
    "report.doc.ward_col.0": "STT",
    "report.doc.ward_col.1": "Phường",
    "report.doc.ward_col.2": "Tổng số điểm",
    "report.doc.ward_col.3": "Đã hoàn thành",
    "report.doc.ward_col.4": "Cần khắc phục",
    "report.doc.ward_col.5": "Cờ đã treo / cần treo",
    "report.doc.ward_col.6": "Độ phủ tuyến đăng ký",
    "report.doc.ward_col.7": "Báo cáo tháng",
    "report.doc.task_intro": (
        "Tiến độ các nhiệm vụ theo mục IV của Kế hoạch: nhiệm vụ trang trí, treo cờ tính từ các "
        "điểm trực quan được giao; nhiệm vụ khác theo tình trạng đơn vị cập nhật."
    ),
    "report.doc.task_col.0": "STT",
    "report.doc.task_col.1": "Đơn vị, nhiệm vụ",
    "report.doc.task_col.2": "Kết quả",
    "report.doc.task_sites": "{done}/{total} điểm đã hoàn thành ({share})",
    "report.doc.task_flags": "{hung}/{expected} lá cờ đã treo ({share})",
    "report.doc.task_no_sites": "Chưa có điểm trực quan được giao",
    "report.doc.overdue": "quá hạn",
    "report.doc.cost_intro": (
        "Các hạng mục phát sinh mới (chỉ thực hiện khi được Lãnh đạo UBND quận phê duyệt) và "
        "kinh phí dự kiến theo đơn vị:"
    ),
    "report.doc.no_costs": "Không có hạng mục phát sinh mới.",
    "report.doc.cost_col.0": "STT",
    "report.doc.cost_col.1": "Đơn vị",
    "report.doc.cost_col.2": "Số hạng mục",
    "report.doc.cost_col.3": "Chờ phê duyệt",
    "report.doc.cost_col.4": "Kinh phí dự kiến (đồng)",
    "report.doc.cost_col.5": "Kinh phí được duyệt (đồng)",
    "report.doc.map_intro": (
        "Tuyến phố tô màu theo tỷ lệ chiều dài có điểm trực quan đã hoàn thành (đỏ: thấp, vàng: "
        "trung bình, xanh: cao); các điểm tô màu theo trạng thái."
    ),
    "report.doc.map_caption": (
        "Hình: Bản đồ độ phủ trang trí trực quan quận Thanh Xuân (số liệu đến hết ngày {date})."
    ),
    "report.doc.board": (
        "Có {total} đơn vị, phường phải báo cáo: đúng hạn {on_time}, nộp muộn {late}, chưa nộp "
        "{missing}, chưa đến hạn {not_due}."
    ),
    "report.doc.board_missing": "Chưa nộp báo cáo: {names}.",
    "report.doc.board_late": "Nộp muộn: {names}.",
    "report.doc.recipients_title": "Nơi nhận:",
    "report.doc.recipients": (
        "- UBND quận (để báo cáo);\n- Lãnh đạo UBND quận (để báo cáo);\n"
        "- Các phòng, ban, đơn vị thuộc quận;\n- UBND các phường;\n- Lưu: VT, VH&TT."
    ),
    "report.doc.signer": "TRƯỞNG PHÒNG",
    "report.cli.written": "Đã ghi {path} ({kb} KB).",
    "report.cli.demo": "Lưu ý: có {n} điểm dữ liệu mẫu trong văn bản (dùng --exclude-demo để bỏ).",
    "report.cli.bad_suffix": "{path}: tên tệp phải có đuôi {suffix}.",
    # Unit reports by section, returned reports, the compiled district report, the printed
    # summary table and `report submit` (unit reports and the district report, wave 3)
    "report.section.results": "1. Kết quả thực hiện",
    "report.section.difficulties": "2. Khó khăn, vướng mắc",
    "report.section.next_tasks": "3. Nhiệm vụ tháng tới",
    "report.section.recommendations": "4. Đề xuất, kiến nghị",
    "report.compiled.h_units": "VII. BÁO CÁO CỦA CÁC ĐƠN VỊ, UBND CÁC PHƯỜNG",
    "report.compiled.units_intro": "Nội dung báo cáo của {n} đơn vị, phường đã gửi trên hệ thống:",
    "report.compiled.no_units": "Chưa có đơn vị, phường nào gửi báo cáo trên hệ thống.",
    "report.compiled.h_assessment": "{n}. ĐÁNH GIÁ CHUNG",
    "report.compiled.h_difficulties": "{n}. KHÓ KHĂN, VƯỚNG MẮC",
    "report.compiled.h_next_tasks": "{n}. NHIỆM VỤ THÁNG TỚI",
    "report.compiled.h_recommendations": "{n}. ĐỀ XUẤT, KIẾN NGHỊ",
    "report.compiled.none": "(Chưa có nội dung.)",
    "report.compiled.issuer.office": "PHÒNG VĂN HÓA VÀ THÔNG TIN",
    "report.compiled.issuer.district": "ỦY BAN NHÂN DÂN\nQUẬN THANH XUÂN",
    "report.compiled.suffix.office": "BC-VHTT",
    "report.compiled.suffix.district": "BC-UBND",
    "report.compiled.number": "Số: {number}",
    "report.compiled.number_blank": "Số:        /{suffix}",
    "report.compiled.head.office": "TRƯỞNG PHÒNG",
    "report.compiled.head.district": "CHỦ TỊCH",
    "report.compiled.deputy.office": "PHÓ TRƯỞNG PHÒNG",
    "report.compiled.deputy.district": "PHÓ CHỦ TỊCH",
    "report.compiled.body.office": "PHÒNG VĂN HÓA VÀ THÔNG TIN",
    "report.compiled.body.district": "ỦY BAN NHÂN DÂN",
    "report.compiled.recipients.office": (
        "- UBND quận (để báo cáo);\n- Lãnh đạo UBND quận (để báo cáo);\n"
        "- Các phòng, ban, đơn vị thuộc quận;\n- UBND các phường;\n- Lưu: VT, VH&TT."
    ),
    "report.compiled.recipients.district": (
        "- UBND Thành phố Hà Nội (để báo cáo);\n- Sở Văn hóa và Thể thao Hà Nội;\n"
        "- Thường trực Quận ủy, HĐND quận;\n- Chủ tịch, các PCT UBND quận;\n"
        "- Các phòng, ban, đơn vị thuộc quận;\n- UBND các phường;\n- Lưu: VT, VH&TT."
    ),
    "reports.compile.title": "Soạn báo cáo tổng hợp của quận",
    "reports.compile.assessment": "Đánh giá chung",
    "reports.compile.difficulties": "Khó khăn, vướng mắc",
    "reports.compile.next_tasks": "Nhiệm vụ tháng tới",
    "reports.compile.recommendations": "Đề xuất, kiến nghị",
    "reports.compile.number": "Số văn bản (ví dụ 125 hoặc 125/BC-VHTT)",
    "reports.compile.date": "Ngày ban hành",
    "reports.compile.signer_name": "Họ tên người ký",
    "reports.compile.signer_title": "Chức vụ người ký (ví dụ PHÓ TRƯỞNG PHÒNG)",
    "reports.compile.sign_mode": "Hình thức ký",
    "reports.compile.sign_mode.none": "Ký trực tiếp",
    "reports.compile.issuer": "Cơ quan ban hành",
    "reports.compile.issuer.office": "Phòng Văn hóa và Thông tin",
    "reports.compile.issuer.district": "UBND quận",
    "reports.compile.save": "Lưu nội dung báo cáo",
    "reports.compile.saved": "Đã lưu nội dung báo cáo tổng hợp tháng {month}.",
    "reports.return.comment": "Ý kiến trả lại (đơn vị sửa và gửi lại)",
    "reports.return.send": "Trả lại báo cáo",
    "reports.return.done": "Đã trả lại báo cáo để đơn vị bổ sung.",
    "reports.return.badge": "Bị trả lại: {comment}",
    "reports.return.short": "bị trả lại",
    "reports.attach.label": "Tệp đính kèm (pdf, docx, xlsx, jpg, png; tối đa 10 MB)",
    "reports.attach.done": "Đã đính kèm {name}.",
    "reports.attach.download": "Tải {name}",
    "report.summary.agency": "UBND QUẬN THANH XUÂN",
    "report.summary.office": "PHÒNG VĂN HÓA VÀ THÔNG TIN",
    "report.summary.title": "BIỂU TỔNG HỢP CÁC ĐIỂM TRANG TRÍ, TUYÊN TRUYỀN TRỰC QUAN",
    "report.summary.campaign": "Đợt: {campaign}",
    "report.summary.as_of": "(Số liệu đến ngày {date})",
    "report.summary.columns": (
        "STT|Mã điểm|Vị trí (địa chỉ)|Loại hình|Số lượng|Đơn vị thực hiện|Trạng thái|Ghi chú"
    ),
    "report.summary.ward": "Phường {ward}",
    "report.summary.no_ward": "Chưa xác định phường",
    "report.summary.no_street": "Chưa xác định tuyến phố",
    "report.summary.subtotal": "Cộng phường {ward}",
    "report.summary.total": "TỔNG CỘNG",
    "report.summary.maker": "NGƯỜI LẬP BIỂU",
    "report.summary.signer": "TRƯỞNG PHÒNG",
    "report.summary.sign_hint": "(Ký, ghi rõ họ tên)",
    "report.cli.submitted": "Đã gửi báo cáo tháng {month} của {name} ({status}).",
    # Backup and restore (python -m kehoach backup / restore)
    "backup.done": "Đã sao lưu cơ sở dữ liệu ({backend}, lược đồ {revision}) vào {path} ({kb} KB).",
    "backup.restored": (
        "Đã khôi phục cơ sở dữ liệu ({backend}) từ {path}; lược đồ {revision}{upgraded}."
    ),
    "backup.upgraded": ", đã nâng cấp lên phiên bản mới nhất",
    "backup.detail.unknown_format": "không phải tệp SQLite hay tệp pg_dump (định dạng custom)",
    "error.backup": "Không sao lưu hoặc khôi phục được: {reason}",
    "error.backup.unreadable": "không đọc được tệp {path}.",
    "error.backup.corrupt": (
        "tệp sao lưu {path} bị hỏng hoặc không đầy đủ (có thể bị cắt cụt) — {detail}. "
        "Cơ sở dữ liệu đích không bị thay đổi."
    ),
    "error.backup.not_ours": (
        "tệp {path} không phải bản sao lưu của ứng dụng này (thiếu bảng alembic_version). "
        "Cơ sở dữ liệu đích không bị thay đổi."
    ),
    "error.backup.newer_schema": (
        "bản sao lưu {path} thuộc phiên bản lược đồ {revision}, mới hơn phiên bản ứng dụng; "
        "hãy cập nhật ứng dụng trước khi khôi phục."
    ),
    "error.backup.wrong_kind": (
        "tệp {path} là bản sao lưu {found}, còn cơ sở dữ liệu đích (DATABASE_URL) là {target}."
    ),
    "error.backup.target_has_data": (
        "cơ sở dữ liệu đích đang có dữ liệu ({n} bản ghi: điểm, lịch sử, tài khoản...). "
        "Thêm --force nếu thật sự muốn ghi đè."
    ),
    "error.backup.unsupported": "chưa hỗ trợ sao lưu loại cơ sở dữ liệu «{backend}».",
    "error.backup.tool_missing": "không tìm thấy công cụ {tool} (cài gói postgresql-client).",
    "error.backup.failed": "{tool} báo lỗi: {detail}",
    "error.backup.unsigned": (
        "bản sao lưu {path} không có tệp chữ ký {signature} đi kèm, nên không thể biết nó có "
        "bị sửa hay không. Cơ sở dữ liệu đích không bị thay đổi."
    ),
    "error.backup.tampered": (
        "chữ ký của bản sao lưu {path} không khớp: tệp đã bị sửa, hoặc được tạo bằng khoá "
        "khác (KEHOACH_BACKUP_KEY hoặc tệp khoá {key_file}). Cơ sở dữ liệu đích không bị "
        "thay đổi."
    ),
    "error.backup.schema_mismatch": (
        "lược đồ trong bản sao lưu {path} khác lược đồ ứng dụng tạo ra ({detail}). "
        "Cơ sở dữ liệu đích không bị thay đổi."
    ),
    "error.backup.app_running": (
        "ứng dụng đang chạy (tiến trình {pid} trên {host}, tệp {path}). Hãy dừng mọi tiến trình "
        "ứng dụng rồi khôi phục; khởi động lại sau đó sẽ đăng xuất mọi phiên làm việc."
    ),
    "error.backup.safety_copy": (
        "không tạo được bản sao an toàn của dữ liệu hiện tại trước khi khôi phục ({reason}); "
        "chưa có gì bị thay đổi."
    ),
    "error.backup.reference_schema": (
        "không dựng được lược đồ mẫu để so sánh với bản sao lưu ({reason}); tài khoản cơ sở "
        "dữ liệu cần quyền CREATEDB. Chưa có gì bị thay đổi."
    ),
    "backup.safety_copy": "Dữ liệu trước khi khôi phục đã được sao lưu vào {path}.",
    "loadtest.failed": "Kiểm thử tải có {errors} lỗi và {lost} cập nhật bị mất.",
    # History lines on the site card
    "history.action.created": "tạo điểm",
    "history.action.updated": "cập nhật",
    "history.action.approval": "phê duyệt",
    "history.action.inspection": "kiểm tra",
    "history.source.ui": "giao diện",
    "history.source.import": "nhập biểu",
    "history.source.cli": "dòng lệnh",
    "history.source.system": "hệ thống",
    "field.status": "Trạng thái",
    "field.approval": "Phê duyệt",
    "field.approved_cost": "Kinh phí phê duyệt",
    "field.rejection_reason": "Lý do không phê duyệt",
    "field.flags_expected": "Số cờ dự kiến",
    "field.flags_hung": "Số cờ đã treo",
    "field.quantity": "Số lượng",
    "field.content": "Nội dung",
    "field.note": "Ghi chú",
    "field.name": "Tên điểm",
    "field.address": "Địa chỉ",
    "field.unit_id": "Đơn vị thực hiện",
    "field.task_id": "Nhiệm vụ",
    "field.ward_id": "Phường",
    "field.street_id": "Tuyến phố",
    "field.planned_on": "Ngày dự kiến",
    "field.done_on": "Ngày hoàn thành",
    "field.inspection": "Kết quả kiểm tra",
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
        "Ứng dụng phục vụ các đợt trang trí, tuyên truyền trực quan của UBND quận Thanh Xuân "
        "(mỗi đợt theo kế hoạch của đợt đó): quản lý điểm trực quan, treo cờ, kiểm tra và báo "
        "cáo.\n\n"
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
    "about.coverage": (
        "**Cách đo độ phủ trang trí**\n\n"
        "- Mỗi tuyến phố được đo như **một hành lang**: hai phần đường của đường đôi, đường "
        "nhánh song song và dải phân cách gộp làm một, đo theo một lý trình dọc phần đường dài "
        "nhất. Vì vậy chiều dài tuyến là chiều dài đi bộ trên thực địa — đường đôi không bị "
        "tính hai lần. Chỉ tính phần nằm trong địa giới quận.\n"
        "- Các phần đường cùng tên chạy song song, cách nhau dưới {fold} m, được gộp; đoạn "
        "cùng tên nhưng tách hẳn ra (rẽ nhánh, nối dài) được tính thêm như một đoạn riêng.\n"
        "- Một điểm đã lắp đặt (pano, cột cờ…) cách bất kỳ phần đường nào của tuyến không quá "
        "{near} m phủ {reach} m về mỗi phía dọc hành lang, tại vị trí của nó; dải cờ, băng rôn "
        "vẽ dạng đường phủ đoạn hành lang mà nó chạy dọc theo — dù ở phần đường bên này, bên "
        "kia hay trên dải phân cách.\n"
        "- Độ phủ = chiều dài hành lang đã trang trí / chiều dài hành lang."
    ),
    # Errors
    "error.generic": "Đã xảy ra lỗi. Vui lòng thử lại hoặc báo quản trị viên.",
    "assets.missing": (
        "Bản đồ không hiển thị được: không chép được thư viện Leaflet vào «{path}» ({reason}). "
        "Trên máy chủ, trong thư mục ứng dụng, hãy chạy `python -m kehoach assets` rồi tải lại "
        "trang."
    ),
    # Command line: accounts
    "user.cli.disabled": "Đã khoá tài khoản {name}.",
    "user.cli.enabled": "Đã mở lại tài khoản {name}.",
    "user.cli.password_set": "Đã đặt mật khẩu mới cho {name}.",
    "user.cli.role_set": "Đã đổi vai trò của {name} thành {role}.",
    "user.cli.unlocked": "Đã xoá số lần đăng nhập sai của {name}.",
    "user.cli.mismatch": "hai lần nhập mật khẩu không khớp.",
    # Command line: errors outside the domain
    "cli.not_initialised": "chưa khởi tạo cơ sở dữ liệu, hãy chạy python -m kehoach init",
    "cli.os_error": "không ghi hoặc đọc được tệp «{path}»: {reason}.",
    "cli.database_error": "cơ sở dữ liệu báo lỗi: {reason}",
    "cli.bad_database_url": "biến DATABASE_URL không hợp lệ: {reason}",
    "cli.unexpected": (
        "lỗi không mong đợi ({kind}): {reason}. Chạy lại với KEHOACH_DEBUG=1 để xem chi tiết."
    ),
    "cli.interrupted": "Đã dừng theo yêu cầu.",
    "error.permission_denied": "Bạn không có quyền thực hiện thao tác này.",
    "error.ward.point_in_other": (
        "Điểm này thuộc phường {ward} theo ranh giới gần đúng. Nếu chắc chắn điểm thuộc "
        "phường {own}, hãy chọn phường {own} ở ô «Phường» rồi lưu lại (chấp nhận khi điểm "
        "cách ranh giới phường {own} không quá {tolerance} m)."
    ),
    "error.ward.point_far": (
        "Điểm này thuộc phường {ward} và cách ranh giới phường {own} {distance} m, xa hơn "
        "{tolerance} m cho phép khi sửa phường: hãy kiểm tra lại vị trí trên bản đồ."
    ),
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
    "error.rejection.reason_required": (
        "Hãy nhập lý do từ chối vào ô «Lý do», rồi bấm «Không phê duyệt» lần nữa."
    ),
    "error.login_failed": "Tên đăng nhập hoặc mật khẩu không đúng.",
    "error.login_throttled": "Đăng nhập sai nhiều lần. Vui lòng chờ {seconds} giây rồi thử lại.",
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
    "limit.unzipped_too_big": (
        "tệp giải nén lớn hơn {limit} MB (khai báo {mb} MB khi giải nén); nghi là tệp nén "
        "độc hại."
    ),
    "limit.ratio": (
        "tệp nén với tỉ lệ {ratio}:1, vượt mức tối đa {limit}:1; nghi là tệp nén độc hại."
    ),
    "limit.rows_declared": (
        "bảng khai báo {n} dòng, tối đa {limit} dòng; hãy xoá các dòng thừa ở cuối trang "
        "tính rồi lưu lại."
    ),
    "limit.cells": "bảng có hơn {limit} ô, vượt giới hạn; hãy chia thành nhiều tệp nhỏ hơn.",
    "limit.text_too_long": "có một ô hoặc đoạn văn dài hơn {limit} KB, vượt giới hạn.",
    "limit.paragraphs": "văn bản có hơn {limit} đoạn, vượt giới hạn {limit} đoạn.",
    "limit.xml_too_big": "phần văn bản giải nén lớn hơn {limit} MB ({mb} MB).",
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
    # Real summary tables (title rows, two-level headers, group rows, office spellings)
    "error.unreadable_date": "Không đọc được ngày «{text}».",
    "table.error.no_layout_header": (
        "không tìm thấy dòng tiêu đề trong {rows} dòng đầu của trang tính đầu tiên: cần ít "
        "nhất ba cột đã biết, trong đó có cột Vị trí (hoặc Tuyến phố)."
    ),
    "table.problem.date_unreadable": (
        "Không đọc được ngày «{value}»; viết như 25/9/2024, «25/9 - 15/10/2024», «từ 01/10/2024» "
        "hoặc «tháng 10/2024»."
    ),
    "table.problem.date_order": "Ngày tháo dỡ đứng trước ngày lắp đặt.",
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
    # Hostile input and load: busy database, bounds every service checks (e2).
    "error.database_busy": "Cơ sở dữ liệu đang bận, vui lòng thử lại.",
    "error.out_of_range": "«{what}» phải là số nguyên từ {low} đến {high}.",
    "error.text_too_long": "«{what}» dài quá {limit} ký tự.",
    "error.unknown_reference": "«{what}» đã chọn không tồn tại (có thể vừa bị xoá).",
    "error.date_out_of_reach": "«{what}» phải trong khoảng {low} – {high}.",
    "error.flags_over_expected": "Số cờ đã treo ({hung}) vượt số cờ dự kiến ({expected}).",
    "error.username_chars": (
        "Tên đăng nhập dài 3–40 ký tự, chỉ gồm chữ cái (có dấu), chữ số và các dấu . _ -"
    ),
    "field.estimated_cost": "Kinh phí dự kiến",
    "field.place_id": "Địa điểm",
    "field.lon": "Kinh độ",
    "field.lat": "Vĩ độ",
    # Bounds of places, routes, inspections, campaigns, task notes, reports, windows (e4).
    "field.place_name": "Tên địa điểm",
    "field.route_name": "Tên tuyến",
    "field.defects": "Số lỗi ghi nhận",
    "field.evidence": "Ghi chú tiến độ",
    "field.report_body": "Nội dung báo cáo",
    "field.campaign_name": "Tên đợt",
    "field.occasion": "Dịp kỷ niệm",
    "field.campaign_start": "Ngày bắt đầu đợt",
    "field.campaign_end": "Ngày kết thúc đợt",
    "field.window_start": "Ngày bắt đầu treo cờ",
    "field.window_end": "Ngày kết thúc treo cờ",
    # Offline inspection packs (the pack's own texts are the "offline.js." keys)
    "error.offline.damaged": "Tệp kết quả không dùng được: {reason} Không có kết quả nào được lưu.",
    "error.offline.foreign": (
        "Tệp kết quả này không đến từ một gói kiểm tra do máy chủ này tạo (chữ ký không khớp). "
        "Không có kết quả nào được lưu."
    ),
    "error.offline.empty": "Vùng đã chọn không có điểm trực quan nào để kiểm tra.",
    "offline.reason.too_large": "tệp lớn hơn {mb} MB.",
    "offline.reason.not_json": "tệp không phải tệp kết quả (không đọc được JSON).",
    "offline.reason.format": "tệp không phải tệp kết quả của gói kiểm tra ngoại tuyến.",
    "offline.reason.pack_id": "thiếu hoặc sai mã gói kiểm tra.",
    "offline.reason.signature": "thiếu hoặc sai chữ ký của gói kiểm tra.",
    "offline.reason.results": "danh sách kết quả hỏng hoặc quá {n} kết quả.",
    "offline.reason.result": "kết quả thứ {n} bị hỏng (trường «{what}»).",
    "offline.reason.duplicate_id": "hai kết quả trong tệp trùng mã.",
    "offline.reason.photos": "kết quả thứ {n} có quá {limit} ảnh.",
    "offline.reason.photo": "ảnh của kết quả thứ {n} bị hỏng hoặc quá lớn.",
    "offline.scope.ward": "{name}",
    "offline.scope.street": "Tuyến {name}",
    "offline.scope.near": "Bán kính {r} m quanh ({lon}, {lat})",
    "offline.title": "Gói kiểm tra ngoại tuyến",
    "offline.intro": (
        "Tải một gói (một tệp HTML) về máy tính bảng trước khi ra phố: gói mở được khi không "
        "có mạng, ghi kết quả và ảnh vào máy. Về văn phòng (hoặc khi có mạng), xuất tệp kết "
        "quả từ gói và tải lên đây. Tải lại cùng một tệp không tạo kết quả trùng."
    ),
    "offline.by": "Chọn điểm theo",
    "offline.by.ward": "Phường",
    "offline.by.street": "Tuyến phố",
    "offline.by.near": "Bán kính quanh vị trí của tôi",
    "offline.radius": "Bán kính (m)",
    "offline.need_position": "Cần vị trí của thiết bị để chọn điểm theo bán kính.",
    "offline.bad_near": "--near cần dạng KINH_ĐỘ,VĨ_ĐỘ (ví dụ 105.8135,20.9935) và --radius.",
    "offline.make": "Tạo gói",
    "offline.download": "Tải gói ({n} điểm)",
    "offline.upload": "Tải lên tệp kết quả (có thể chọn nhiều phần)",
    "offline.import": "Ghi kết quả",
    "offline.report": (
        "Đã ghi {stored} kết quả; {duplicates} kết quả đã có từ trước (bỏ qua); "
        "{conflicts} kết quả cần xác nhận; {failed} kết quả không ghi được."
    ),
    "offline.failed": "Kết quả cho điểm {code} không ghi được: {reason}",
    "offline.conflicts": "Điểm đã thay đổi kể từ khi tạo gói — xác nhận hoặc bỏ từng kết quả",
    "offline.conflict": (
        "{code} — {name}: kết quả «{outcome}» ghi lúc {at}; điểm đã được sửa sau khi tạo gói "
        "(phiên bản {old} → {new}), trạng thái hiện tại: {status}."
    ),
    "offline.confirm": "Vẫn ghi kết quả này",
    "offline.drop": "Bỏ kết quả này",
    "offline.dropped": "Đã bỏ kết quả cho điểm {code}.",
    "offline.cli.packed": "Đã tạo gói {path}: {n} điểm, {mb} MB.",
    "offline.cli.stored": "Đã ghi {n} kết quả.",
    "offline.cli.duplicates": "{n} kết quả đã có từ trước (bỏ qua).",
    "offline.cli.conflict": (
        "Xung đột {uuid}: điểm {code} đã thay đổi sau khi tạo gói (phiên bản {old} → {new}); "
        "ghi bằng --confirm {uuid}"
    ),
    "offline.cli.failed": "Không ghi được {uuid} (điểm {code}): {reason}",
    "offline.js.created": "Tạo lúc",
    "offline.js.plan": "Kế hoạch",
    "offline.js.sites": "điểm",
    "offline.js.locating": "Đang lấy vị trí…",
    "offline.js.no_gps": "Không lấy được vị trí: danh sách theo thứ tự trong gói.",
    "offline.js.nearest": "Gần nhất trước",
    "offline.js.done": "đã ghi",
    "offline.js.back": "← Danh sách",
    "offline.js.version": "phiên bản dữ liệu",
    "offline.js.pass": "Đạt",
    "offline.js.needs_fix": "Cần khắc phục",
    "offline.js.defects": "Lỗi",
    "offline.js.flags": "Số cờ đã treo / cần treo",
    "offline.js.note": "Ghi chú",
    "offline.js.photos": "Ảnh (chụp bằng máy)",
    "offline.js.save": "Lưu vào máy",
    "offline.js.saved": "Đã lưu vào máy.",
    "offline.js.need_defect": "Cần khắc phục: chọn ít nhất một lỗi và chụp ít nhất một ảnh.",
    "offline.js.too_many_photos": "Tối đa {n} ảnh.",
    "offline.js.stored": "Kết quả lưu trong máy",
    "offline.js.export": "Xuất tệp kết quả",
    "offline.js.exported": "Đã xuất {n} kết quả ({parts} tệp).",
    "offline.js.storage_error": "Không lưu được vào bộ nhớ của trình duyệt: ",
    "offline.js.sync": (
        "Gói này không gửi thẳng lên máy chủ, kể cả khi có mạng: ứng dụng (Streamlit) không có "
        "địa chỉ nhận dữ liệu riêng. Khi về văn phòng hoặc có mạng, bấm «Xuất tệp kết quả» rồi "
        "tải tệp lên trang Kiểm tra của ứng dụng. Tải lại cùng tệp không tạo kết quả trùng; "
        "kết quả vẫn nằm trong máy cho tới khi xoá dữ liệu trình duyệt."
    ),
    # Campaigns in the UI: the picker, view-only closed campaigns, lifecycle, comparing
    "campaign_picker.label": "Đợt trang trí",
    "campaign_picker.closed": "Đợt «{name}» đã kết thúc — chỉ xem.",
    "campaign_picker.view_only": "Đợt này đã kết thúc — chỉ xem, không sửa được.",
    "campaign.state_line": "**{name}** · {state} · {start} – {end}",
    "campaign.open": "Bắt đầu triển khai",
    "campaign.opened": "Đợt «{name}» đã chuyển sang đang triển khai.",
    "campaign.close": "Kết thúc đợt",
    "campaign.close_hint": (
        "Sau khi kết thúc, các điểm của đợt chỉ còn để xem (bản đồ, danh sách, báo cáo "
        "giữ nguyên như lúc kết thúc); không thể mở lại."
    ),
    "campaign.close_confirm": "Xác nhận kết thúc đợt",
    "campaign.closed_done": "Đã kết thúc đợt «{name}».",
    "campaign.list": "Các đợt trang trí",
    "campaign.col.name": "Tên đợt",
    "campaign.col.occasion": "Dịp",
    "campaign.col.state": "Trạng thái",
    "campaign.col.start": "Bắt đầu",
    "campaign.col.end": "Kết thúc",
    "campaign.new.title": "Bắt đầu đợt mới",
    "campaign.new.scope": "Chép điểm từ đợt trước",
    "campaign.new.scope.all": "Tất cả",
    "campaign.new.scope.ward": "Theo phường",
    "campaign.new.scope.street": "Theo tuyến phố",
    "campaign.new.scope.kind": "Theo loại hình",
    "campaign.new.ward": "Phường",
    "campaign.new.street": "Tuyến phố",
    "campaign.new.kind": "Loại hình",
    "campaign.new.plan": "Kế hoạch mới (.txt hoặc .docx)",
    "campaign.new.plan_hint": "Không tải lên tệp: dùng lại kế hoạch của đợt đang chọn ({plan}).",
    "campaign.new.name": "Tên đợt (để trống: lấy theo dịp)",
    "campaign.new.occasion": "Dịp (để trống: lấy từ tên kế hoạch)",
    "campaign.new.start": "Từ ngày (để trống: theo kế hoạch)",
    "campaign.new.end": "Đến ngày (để trống: theo kế hoạch)",
    "campaign.new.copy_from": "Chép các vị trí đã duyệt từ đợt",
    "campaign.new.no_copy": "Không chép (đợt trống)",
    "campaign.new.submit": "Bắt đầu đợt mới",
    "campaign.new.done": "Đã tạo đợt «{name}», chép {n} điểm từ đợt trước.",
    "nav.compare": "So sánh các đợt",
    "compare.title": "So sánh hai đợt trang trí",
    "compare.hint": (
        "Theo từng phường: số điểm, số điểm đã hoàn thành, độ phủ tuyến phố và tỷ lệ cờ đã "
        "treo của hai đợt."
    ),
    "compare.need_two": "Cần ít nhất hai đợt trang trí để so sánh.",
    "compare.a": "Đợt A",
    "compare.b": "Đợt B",
    "compare.col.ward": "Phường",
    "compare.col.sites": "Số điểm ({side})",
    "compare.col.installed": "Đã hoàn thành ({side})",
    "compare.col.coverage": "Độ phủ ({side})",
    "compare.col.flags": "Tỷ lệ cờ ({side})",
    "compare.legend": "A: {a} · B: {b}",
    # Real summary tables located on the street network: reading, round trip, placing
    "table.guide.col.code": (
        "Mã điểm do hệ thống cấp. Để trống với điểm mới; giữ nguyên khi sửa bảng đã xuất để "
        "cập nhật đúng điểm đó."
    ),
    "table.guide.col.geometry": (
        "Hình học dạng WKT (POINT, LINESTRING) hoặc GeoJSON; có thì được dùng thay cho toạ độ."
    ),
    "table.guide.col.content": "Nội dung, khẩu hiệu.",
    "table.guide.col.size": "Kích thước, ví dụ 3m x 6m.",
    "table.guide.col.install": "Ngày lắp đặt, ví dụ 25/9/2026.",
    "table.guide.col.remove": "Ngày tháo dỡ, ví dụ 15/10/2026.",
    "table.guide.col.flags_expected": "Số cờ cần treo (với cờ phướn, cờ Tổ quốc).",
    "table.guide.col.flags_hung": "Số cờ đã treo.",
    "table.guide.col.task": "Nhiệm vụ (số đứng đầu là mã nhiệm vụ).",
    "table.guide.col.version": "Phiên bản khi xuất; dùng để phát hiện điểm đã bị sửa sau đó.",
    "table.problem.unit_did_you_mean": "Không tìm thấy đơn vị «{value}». Có phải: {matches}?",
    "table.problem.task_unknown": "Không tìm thấy nhiệm vụ «{value}» trong kế hoạch.",
    "table.problem.geometry_invalid": (
        "Hình học «{value}» không đọc được: cần WKT (POINT, LINESTRING) hoặc GeoJSON."
    ),
    "table.problem.geometry_outside": "Hình học nằm ngoài địa bàn quận Thanh Xuân.",
    "table.problem.version_changed": (
        "Điểm {code} đã được sửa sau khi xuất bảng (phiên bản {version}, nay là {now}); "
        "hãy xuất lại bảng rồi sửa."
    ),
    "import.read.own_position": "Theo toạ độ hoặc hình học ghi trong bảng",
    "import.source.coordinates": "Toạ độ",
    "import.source.crossing": "Giao lộ",
    "import.source.stretch": "Đoạn phố",
    "import.source.street": "Theo tên phố",
    "import.source.place": "Địa điểm",
    "import.source.drawn": "Đặt trên bản đồ",
    "import.source.unplaced": "Chưa định vị",
    "import.preview.map": "Vị trí đọc được (màu theo cách đọc)",
    "import.preview.reading": "Cách đọc",
    "import.preview.source": "Nguồn vị trí",
    "import.preview.attention": "{n} dòng cần xem lại: chưa định vị hoặc cần xác nhận.",
    "import.preview.updates": "{n} điểm đã có sẽ được cập nhật theo mã điểm.",
    "import.updated": "Đã cập nhật {n} điểm: {codes}.",
    "import.changed_fields": "{code}: {fields}",
    "place.title": "Cần định vị",
    "place.intro": (
        "Các điểm chưa định vị được, hoặc được đoán vị trí và cần xác nhận. Chạm vào bản đồ để "
        "đặt điểm, hoặc vẽ đoạn phố với cờ phướn."
    ),
    "place.none": "Không có điểm nào cần định vị.",
    "place.pick": "Chọn điểm",
    "place.unplaced": "{code} — chưa định vị: «{text}»",
    "place.guessed": "{code} — {source}: «{text}»",
    "place.confirm": "Xác nhận vị trí này",
    "place.save": "Lưu vị trí mới",
    "place.tap_first": "Hãy chạm vào bản đồ (hoặc vẽ đoạn) trước khi lưu.",
    "place.saved": "Đã lưu vị trí của {code}.",
    # --- Unit accounts, costs by funding source, one set of figures, Vietnamese CLI (c2) ---
    "Role.culture_office": "Cán bộ Phòng Văn hóa và Thông tin",
    "Role.finance": "Cán bộ Phòng Tài chính - Kế hoạch",
    "Role.unit_reporter": "Cán bộ đơn vị (báo cáo nhiệm vụ của đơn vị)",
    "FundingSource.district_budget": "Ngân sách quận",
    "FundingSource.unit_budget": "Kinh phí của đơn vị",
    "FundingSource.contributions": "Xã hội hóa",
    "funding.none": "Chưa ghi nguồn",
    "error.unit.unknown": "Không tìm thấy đơn vị «{text}» trong kế hoạch. Gần đúng: {candidates}.",
    "error.unit.needed": "Vai trò này cần chọn đơn vị (--unit «tên đơn vị trong kế hoạch»).",
    "error.user.password_short": "Mật khẩu phải có ít nhất {length} ký tự.",
    "error.user.bad_name": "Tên đăng nhập dài 1–80 ký tự, không có dấu cách.",
    "error.user.exists": "Tài khoản «{name}» đã có.",
    "error.user.ward_needed": "Cán bộ phường cần mã phường (--ward MÃ, ví dụ 00343).",
    "error.user.unknown_ward": "Không có phường mã «{code}».",
    "error.user.unknown": "Không có tài khoản «{name}».",
    "error.user.unknown_or_disabled": "Không có tài khoản «{name}» hoặc tài khoản đã bị khoá.",
    "error.site.not_approved": (
        "Điểm {code} đang «{approval}»: chỉ chuyển sang «Đang lắp đặt» hoặc «Đã hoàn thành» "
        "sau khi được phê duyệt."
    ),
    "error.cost.not_done": "Chỉ ghi kinh phí thực chi khi điểm đã hoàn thành.",
    "error.cost.negative": "Kinh phí là số nguyên đồng, không âm.",
    "error.cost.comment_empty": "Hãy nhập nội dung ý kiến về kinh phí.",
    "error.month.not_started": "Tháng {month} chưa bắt đầu.",
    "user.cli.created": "Đã tạo tài khoản {name} ({role}).",
    "user.cli.created_unit": "Đã tạo tài khoản {name} ({role}, đơn vị {unit}).",
    "card.approval_badge.pending": "Chờ phê duyệt: chưa được lắp đặt",
    "card.approval_badge.rejected": "Không phê duyệt: không lắp đặt",
    "card.rejection_reason": "Lý do không phê duyệt",
    "card.funding": "Nguồn kinh phí",
    "card.actual_cost": "Kinh phí thực chi",
    "costs.title": "Kinh phí theo đơn vị và nguồn",
    "costs.by_unit": "Theo đơn vị thực hiện",
    "costs.by_source": "Theo nguồn kinh phí",
    "costs.col.group": "Đơn vị / nguồn",
    "costs.col.n": "Số điểm",
    "costs.col.estimated": "Dự trù",
    "costs.col.approved": "Đã phê duyệt",
    "costs.col.spent": "Thực chi",
    "costs.rejected": "Không phê duyệt (không tính vào tổng): {n} điểm, dự trù {amount}",
    "costs.none": "Chưa có điểm phát sinh mới nào.",
    "costs.comment": "Ý kiến về kinh phí",
    "costs.comment_saved": "Đã ghi ý kiến về kinh phí vào lịch sử của điểm.",
    "home.kpi.days": "Đến ngày kỷ niệm",
    "report.doc.cost_rejected": (
        "Không phê duyệt {n} hạng mục phát sinh (không tính vào số hạng mục và kinh phí ở trên)."
    ),
    "init.summary": "Cơ sở dữ liệu {state}; đã nạp: {added}.",
    "init.schema_created": "đã được tạo",
    "init.schema_current": "đã ở phiên bản mới nhất",
    "init.nothing": "không có gì mới",
    "init.added.district": "quận",
    "init.added.wards": "phường",
    "init.added.streets": "tuyến phố",
    "init.added.places": "địa điểm",
    "init.added.plans": "kế hoạch",
    "init.added.campaigns": "đợt",
    "cli.assets": "Đã chép thư viện bản đồ vào {path}.",
    # Command-line help (python -m kehoach … --help): kehoach/cli_parser.py and the commands.
    "cli.help.assets": "cài các tệp Leaflet để bản đồ chạy không cần mạng",
    "cli.help.backup": "sao lưu cơ sở dữ liệu (khi đang chạy, có kiểm tra)",
    "cli.help.backup.out": "tệp sao lưu cần ghi",
    "cli.help.bench": "đo hiệu năng với các điểm tổng hợp",
    "cli.help.bench.browser": "đo cả thời gian vẽ trong Chromium (không giao diện)",
    "cli.help.bench.postgres": "đo cả thời gian lưu trong lúc nhập trên một cụm PostgreSQL tạm",
    "cli.help.campaign": "các đợt trang trí",
    "cli.help.campaign.close": "đóng một đợt (các điểm của đợt chỉ còn xem được)",
    "cli.help.campaign.end": "ngày kết thúc, YYYY-MM-DD (mặc định: theo kế hoạch)",
    "cli.help.campaign.from": "sao chép các vị trí từ đợt có mã ID",
    "cli.help.campaign.kind": "chỉ sao chép loại này",
    "cli.help.campaign.list": "liệt kê các đợt",
    "cli.help.campaign.name": "tên đợt (mặc định: theo dịp của kế hoạch)",
    "cli.help.campaign.new": "tạo một đợt từ tệp kế hoạch",
    "cli.help.campaign.occasion": "dịp kỷ niệm (mặc định: theo tiêu đề kế hoạch)",
    "cli.help.campaign.plan": "tệp kế hoạch (.txt hoặc .docx)",
    "cli.help.campaign.start": "ngày bắt đầu, YYYY-MM-DD (mặc định: theo kế hoạch)",
    "cli.help.campaign.street": "chỉ sao chép các vị trí trên tuyến phố này",
    "cli.help.campaign.ward": "chỉ sao chép các vị trí của phường này (mã GSO)",
    "cli.help.campaign_option": "mã đợt (mặc định: đợt đang chạy mới nhất)",
    "cli.help.coverage": "độ phủ theo hành lang các tuyến phố, tuyến trong kế hoạch, toàn quận",
    "cli.help.coverage.campaign": "chỉ các điểm của một đợt",
    "cli.help.demo": "nạp hoặc xoá bộ dữ liệu mẫu",
    "cli.help.exclude_demo": "bỏ các điểm dữ liệu mẫu",
    "cli.help.init": "tạo/nâng cấp cơ sở dữ liệu và nạp dữ liệu",
    "cli.help.init.no_plan": "không nạp kế hoạch",
    "cli.help.init.plan": "tệp kế hoạch cần nạp",
    "cli.help.inspections": "gói kiểm tra ngoại tuyến: tạo gói, nhập kết quả",
    "cli.help.inspections.confirm": "vẫn áp dụng các kết quả xung đột này",
    "cli.help.inspections.files": "(các) tệp kết quả do gói xuất ra",
    "cli.help.inspections.import": "ghi nhận (các) tệp kết quả của gói",
    "cli.help.inspections.near": "KINH_ĐỘ,VĨ_ĐỘ của tâm vòng tròn (dùng với --radius)",
    "cli.help.inspections.pack": "ghi một gói ngoại tuyến (một tệp HTML)",
    "cli.help.inspections.radius": "bán kính quanh --near, tính bằng mét",
    "cli.help.inspections.street": "tên tuyến phố, ví dụ 'Đường Nguyễn Trãi'",
    "cli.help.inspections.user": "cán bộ kiểm tra được ghi cho các kết quả",
    "cli.help.inspections.ward": "mã phường (GSO), ví dụ 00367",
    "cli.help.loadtest": "thử tải có giới hạn qua ứng dụng đang chạy (chỉ trên máy này)",
    "cli.help.loadtest.server": (
        "URL máy chủ cơ sở dữ liệu cho cơ sở dữ liệu tạm (mặc định: máy chủ của "
        "DATABASE_URL; PostgreSQL cần quyền CREATEDB)"
    ),
    "cli.help.locate": "chuyển mô tả vị trí thành một điểm hoặc một đoạn",
    "cli.help.locate.json": "in hình học GeoJSON và các trường",
    "cli.help.locate.text": "ví dụ \"Ngã tư Nguyễn Trãi - Khuất Duy Tiến\"",
    "cli.help.month": "tháng, dạng YYYY-MM",
    "cli.help.out.docx": "tệp .docx kết quả",
    "cli.help.out.html": "tệp .html kết quả",
    "cli.help.out.xlsx": "tệp .xlsx kết quả",
    "cli.help.photos": "tệp ảnh kiểm tra",
    "cli.help.photos.reconcile": "sửa thư mục ảnh sau một lần dừng đột ngột",
    "cli.help.plan": "văn bản kế hoạch",
    "cli.help.plan.parse": "đọc một kế hoạch (.txt hoặc .docx)",
    "cli.help.report": "văn bản: báo cáo tháng (.docx), biểu tổng hợp (.xlsx)",
    "cli.help.report.date": (
        "ngày ghi trên báo cáo (YYYY-MM-DD; mặc định: ngày cuối tháng nếu tháng "
        "đã hết, nếu không là hôm nay)"
    ),
    "cli.help.report.file": "tệp Markdown theo các đề mục báo cáo của kế hoạch",
    "cli.help.report.importable": "ghi bảng đơn giản mà lệnh nhập đọc lại được",
    "cli.help.report.monthly": "báo cáo tháng của quận (Word, theo Nghị định 30)",
    "cli.help.report.submit": "nộp báo cáo tháng của một đơn vị hoặc phường (Markdown)",
    "cli.help.report.summary": "biểu tổng hợp các điểm (.xlsx, nhập lại được)",
    "cli.help.report.table_date": "ngày ghi trên biểu",
    "cli.help.report.unit": "tên đơn vị (hoặc phần đầu tên), ví dụ 'Trung tâm Văn hóa'",
    "cli.help.report.ward": "mã phường, ví dụ 00343",
    "cli.help.restore": "khôi phục một bản sao lưu vào DATABASE_URL (kiểm tra trước)",
    "cli.help.restore.file": "tệp do lệnh `backup` ghi ra",
    "cli.help.restore.force": "ghi đè cơ sở dữ liệu đang có dữ liệu",
    "cli.help.sites": "điểm trang trí: nhập, liệt kê, xuất",
    "cli.help.sites.dry_run": "kiểm tra mọi dòng, không lưu gì",
    "cli.help.sites.export": "xuất biểu tổng hợp (.xlsx hoặc .csv)",
    "cli.help.sites.export.demo": "xuất cả các điểm dữ liệu mẫu",
    "cli.help.sites.export.out": "tệp kết quả; đuôi tệp quyết định định dạng",
    "cli.help.sites.import": "nhập biểu tổng hợp (.xlsx hoặc .csv)",
    "cli.help.sites.list": "liệt kê các điểm",
    "cli.help.user": "tài khoản",
    "cli.help.user.add": "tạo tài khoản (mật khẩu đọc từ đầu vào chuẩn)",
    "cli.help.user.disable": "khoá một tài khoản",
    "cli.help.user.enable": "mở lại một tài khoản đã khoá",
    "cli.help.user.list": "liệt kê tài khoản",
    "cli.help.user.passwd": "đặt mật khẩu mới (đọc từ đầu vào chuẩn)",
    "cli.help.user.role": "đổi vai trò của một tài khoản",
    "cli.help.user.unit": (
        "một đơn vị của kế hoạch, ví dụ \"Phòng Tài chính - Kế hoạch\" (bắt "
        "buộc với unit_reporter)"
    ),
    "cli.help.user.unlock": "xoá các lần đăng nhập sai",
    "cli.help.user.ward": "mã phường GSO, bắt buộc với ward_officer (ví dụ 00343)",
    "cli.help.user_option": "tên tài khoản thực hiện (mặc định: quản trị hệ thống 'cli')",
    "cli.usage": "cách dùng: ",
    "cli.positionals": "tham số",
    "cli.options": "tuỳ chọn",
    "cli.subcommands": "lệnh",
    "cli.help.help": "in hướng dẫn này rồi thoát",
    "cli.parse_error": "{prog}: lỗi: {message}\n",
    "cli.arg.required": "thiếu tham số bắt buộc: {names}",
    "cli.arg.invalid_choice": "giá trị «{value}» không hợp lệ (chọn một trong: {choices})",
    "cli.arg.unrecognized": "không hiểu tham số: {names}",
    "cli.arg.expected_one": "cần một giá trị",
    "cli.arg.expected_some": "cần ít nhất một giá trị",
    "cli.arg.invalid_value": "giá trị «{value}» không hợp lệ",
    "cli.arg.one_required": "cần một trong các tham số {names}",
    "cli.arg.not_allowed_with": "không dùng cùng tham số {other}",
    "cli.arg.argument": "tham số {name}: {message}",
    "cli.demo_added": "Đã thêm {n} điểm dữ liệu mẫu.",
    "cli.demo_removed": "Đã xoá {n} điểm dữ liệu mẫu.",
    "campaign.cli.created": (
        "Đã tạo đợt {id} «{name}» ({state}, {start} – {end}); đã chép {copied} điểm."
    ),
    "campaign.cli.closed": "Đã đóng đợt {id} «{name}».",
    "history.action.cost_comment": "ý kiến về kinh phí",
    "field.cost": "Kinh phí",
    "field.funding_source": "Nguồn kinh phí",
    "field.actual_cost": "Kinh phí thực chi",
    # Daily flow in a few taps: quick status, compact home, links that carry the view, print
    "form.quick_status": "Chuyển trạng thái (một chạm):",
    "home.whole_ward_district": "Toàn quận",
    "home.filters_active": "Bộ lọc ({n} đang chọn)",
    "map.choose_site": "Chọn điểm:",
    "print.button": "In bản đồ (PDF)",
    "print.title": "Bản đồ điểm trang trí quận Thanh Xuân",
    "print.date": "Ngày in: {date}",
    "print.filters": "Bộ lọc: {text}",
    "print.north": "B",
    "print.scale": "{m} m",
    "print.count": "{n} điểm",
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


def history_value(field: str | None, value: str | None) -> str:
    """Return a history value as users read it (status labels, "—" for nothing)."""
    if value is None or value == "":
        return "—"
    if field == "status" and f"SiteStatus.{value}" in VI:
        return VI[f"SiteStatus.{value}"]
    if field == "approval" and f"Approval.{value}" in VI:
        return VI[f"Approval.{value}"]
    if field == "inspection":
        result, _, number = value.partition(" #")
        text = VI.get(f"InspectionOutcome.{result}", result)
        return f"{text} (#{number})" if number else text
    return value


def _pattern(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def format_number(value: float, decimals: int = 0) -> str:
    """Format a number the Vietnamese way with ``decimals`` decimals: 1234.5 → "1.234,5"."""
    rounded = round(float(value), decimals) + 0.0  # + 0.0 turns -0.0 into 0.0
    return format_decimal(rounded, _pattern(decimals), locale=NUMBER_LOCALE)


def format_percent(share: float | None, decimals: int = 0) -> str:
    """Format a share (0..1) as a percentage: 0.256 → "26%" ("—" for no share)."""
    if share is None:
        return "—"
    return _babel_percent(share, _pattern(decimals) + "%", locale=NUMBER_LOCALE)


def format_length(metres: float | None) -> str:
    """Format a length: whole metres below 1 km ("850 m"), km with one decimal above ("1,2 km")."""
    if metres is None:
        return "—"
    if round(metres) < 1000:
        return f"{format_number(metres)} m"
    return f"{format_number(metres / 1000, 1)} km"


def format_money(vnd: float | None) -> str:
    """Format an amount of đồng: 1234000 → "1.234.000 đ" ("—" for none)."""
    if vnd is None or vnd != vnd:  # None or NaN (an empty cell of a table)
        return "—"
    return f"{format_number(vnd)} đ"


def parse_decimal(text: str) -> float:
    """Read a number typed the Vietnamese ("105,8", "1.234,5") or the English way ("105.8")."""
    cleaned = "".join(str(text).split())  # also drops no-break spaces
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif cleaned.count(".") > 1:
        cleaned = cleaned.replace(".", "")  # "1.234.567": dots group thousands
    try:
        value = float(cleaned)
    except ValueError:
        raise InvalidInput(f"not a number: {text!r}", field="number") from None
    if not math.isfinite(value):
        raise InvalidInput(f"not a finite number: {text!r}", field="number")
    return value
