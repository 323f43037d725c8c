"""Task verbs and the role they give a subject (internals of ``assistant.duties``): "chủ trì" leads, "phối hợp"
partners, a reporting "báo cáo" reports, any other task verb (after modal words) does."""

from __future__ import annotations

import re

from assistant.duties.deadlines import DATE, deadline_kind
from assistant.duties.text import DO, LEAD, PARTNER, REPORT, Text, clause_end

_MODAL = (r"(?:(?:thuong xuyen|dinh ky(?: hang (?:nam|thang|quy)| \d{1,2} thang(?: mot lan)?)?"
          r"|hang (?:nam|thang|quy)|kip thoi|chu dong|tiep tuc"
          r"|nghiem tuc|truc tiep|co trach nhiem|chiu trach nhiem|co nhiem vu|phai|can|se|sau do|khan truong|tap trung"
          r"|trong pham vi [^.;:]{0,40}?(?:cua minh|duoc giao)"
          r"|theo (?:pham vi )?chuc nang,? nhiem vu(?: duoc (?:\w+ ){0,3}?giao)?"
          r"|theo (?:chuc nang va )?tham quyen)\s*[,:]?\s*)*")  # "có trách nhiệm: Chỉ định …" (a colon, same line)
_VERBS = (
    "thuc hien|trien khai|to chuc|huong dan|chi dao|lanh dao|xay dung|sua doi|bo sung|nghien cuu|don doc|kiem tra"
    "|giam sat|tham muu|tong hop|de xuat|xem xet|xet|quyet dinh|ra quyet dinh|ra nghi quyet|tham dinh|lap|ghi|gui"
    "|phe duyet|ban hanh|quan ly|thong bao|tiep nhan|niem phong|trao|phan cong|cu the hoa|quan triet|tuyen truyen"
    "|danh gia|ra soat|so ket|tong ket|nang cao|tang cuong|dam bao|bao dam|de ra|khac phuc|rut kinh nghiem|phat huy"
    "|dang ky|lien he|thu hoi|thu lai|viet|in an|phat hanh|nop|chuyen|gioi thieu|giup|thi hanh|chap hanh|cong bo"
    "|tham tra|xac minh|chung nhan|thao luan|cap nhat|su dung|bao quan|ho tro|chuan bi|dieu chinh|thanh lap"
    "|giai quyet|xu ly|doi chieu|thu nhan|hoan thien|hoan chinh|du thao|trinh|de nghi|lay y kien|xin y kien|giao"
    "|co ke hoach|la dau moi|bo tri|quan tam|day manh|cung cap|luu(?! y\b)|kiem diem"
    "|bieu quyet|nhan xet|xac nhan|chi dinh|ban giao|chuyen giao|can cu|phoi hop|chu tri|theo doi|bao cao"
    "|xac dinh|thuyet minh|giai trinh|pho bien|van dong|boi duong|dao tao|tap huan|kien toan|cung co|thong ke"
    "|khao sat|chi tra|cap phat|thanh toan|quyet toan|khen thuong|phat dong|dang tai|niem yet|cong khai|dang nhap"
    "|lam thu tuc|lam ro|lam dau moi|lam viec voi|cap giay|cap the|cap lai|rut du toan|chuyen kinh phi"
    "|cho y kien|tien hanh|quy dinh (?:cu the|chi tiet)"
    "|co(?= bao cao)"
)
_DUTY_MODAL = re.compile(r"(?:(?:co|chiu) trach nhiem|co nhiem vu)\s*:?\s+(?!truoc\b)(?=[a-z])")
_THEN_REPORT = re.compile(r"\s*,?\s*(?:va\s+)?bao cao\b")
VERB_IN = re.compile(rf"\b(?:{_VERBS})\b")
ROLE_AT = re.compile(rf"{_MODAL}(?P<verb>{_VERBS})\b")
PERIODIC = re.compile(r"\b(?:dinh ky|hang nam|hang quy|hang thang|6 thang|sau moi dot|vuong mac)\b")
_PROMPT = re.compile(r"\bkip thoi\s+$")  # "kịp thời báo cáo": difficulties reported to a superior
VIA = re.compile(r"\(qua\s+")
_SENT_UP = re.compile(r"\bgui (?:ve )?(?:bo|so|uy ban|ubnd|ban|thu tuong|chinh phu|tinh uy|thanh uy)\b")
_RESULTS = re.compile(r"\s+(?:tong hop\s+)?(?:ve\s+)?(?:ket qua|tinh hinh)\b")
_MORE_VERBS = re.compile(rf",\s*(?:{_VERBS})\b")
_NOT_TASK = re.compile(r"thuc hien theo\b")


def role_at(t: Text, pos: int, end: int) -> tuple[str, int] | None:
    """The role a verb phrase at ``pos`` gives its subject and where the verb ends; None if not a task."""
    m = ROLE_AT.match(t.low, t.skip_space(pos, end), end)
    if m is None:  # "… chịu trách nhiệm" + a verb the list lacks is still a task
        duty = _DUTY_MODAL.match(t.low, t.skip_space(pos, end), end)
        return (DO, duty.end()) if duty else None
    if _NOT_TASK.match(t.low, m.start("verb")):
        return None
    verb, at, stop = m.group("verb"), m.start("verb"), m.end()
    then = _THEN_REPORT.match(t.low, stop, end) if verb in ("tong hop", "co") else None
    if then:  # "Định kỳ tổng hợp, báo cáo …", "Hàng tháng có báo cáo nhanh …": the task is the report
        verb, at, stop = "bao cao", then.end() - len("bao cao"), then.end()
    if verb == "bao cao" and not reporting(t, at, stop, pos, end):
        return DO, stop  # "báo cáo, đề nghị cấp trên xét": a step of a procedure, not a reporting line
    if verb == "phoi hop" and _MORE_VERBS.match(t.low, stop, end):
        return DO, stop  # "phối hợp, hướng dẫn và tổ chức thực hiện Thông tư này": tasks of its own, no lead named
    return {"chu tri": LEAD, "phoi hop": PARTNER, "theo doi": REPORT, "bao cao": REPORT}.get(verb, DO), stop


def reporting(t: Text, at: int, after: int, clause: int, end: int) -> bool:
    """Whether "báo cáo" at ``at`` is a reporting line: periodic, about results, or through a channel."""
    stop = clause_end(t, after, end)
    heard = t.mention_at(t.skip_space(after, end))  # "báo cáo Bộ Chính trị về tình hình, kết quả ..."
    results = _RESULTS.match(t.low, after, end) or (heard and _RESULTS.match(t.low, heard.end, end))
    prompt = _PROMPT.search(t.low, max(clause, at - 12), at)
    upward = _SENT_UP.search(t.low, after, stop + 1)  # "tổng hợp báo cáo quyết toán … gửi về Bộ …"
    periodic = PERIODIC.search(t.low, clause, at) or PERIODIC.search(t.low, after, stop + 1)
    owed = deadline_kind(t.raw[after:stop + 1]) == DATE  # "báo cáo Thủ tướng Chính phủ trước ngày 30 tháng 11 …"
    return bool(periodic or prompt or results or upward or owed or VIA.search(t.low, after, stop + 1))
