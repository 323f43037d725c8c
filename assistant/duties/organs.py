"""Organ names found by grammar, not by a fixed table: a head noun and its complement.

A name is a head ("Ban", "Bộ", "Sở", "Ủy ban nhân dân", "Đảng ủy", "Công an", "UBND", ...) followed by its
complement: capitalised words ("Sở Nông nghiệp và Môi trường", "Văn phòng Chủ tịch nước"), numbers ("Ban Quản lý
dự án đầu tư xây dựng số 1"), an organ of its own right after the head ("Đảng ủy Bộ Xây dựng", "Văn phòng UBND
tỉnh") and levels of administration ("Ủy ban nhân dân các tỉnh biên giới", "UBND các huyện, thị xã và thành phố
Huế"). Lower-case words go on a capitalised complement ("Trung tâm Phát triển quỹ đất tỉnh") until a verb, a
modal word or a preposition, at most ``_RUN`` of them, and never after a level or a ministry's whole field
("Bộ Lao động - Thương binh và Xã hội cân đối": the task). Heads that are common nouns too ("Ban", "Hội", "Phòng")
count only when written with a capital and followed by a capitalised complement ("Hội nghị", "Phòng, chống" are
not organs). Matching is on the tone-unified text; offsets are offsets into the text as given.
"""

from __future__ import annotations

import re
from functools import lru_cache

from indexer.vntext import clean

# the titles of a body's head, who acts for it ("Giám đốc Công an tỉnh", "Chủ tịch UBND cấp huyện"; ``bodies.HEAD_OF``)
HEAD_TITLES = ("thủ trưởng", "bộ trưởng", "phó chủ tịch", "chủ tịch", "tổng giám đốc", "giám đốc", "viện trưởng",
               "chánh án", "cục trưởng", "chi cục trưởng", "chánh", "trưởng", "người đứng đầu")
# heads that are whole names ("Ủy ban thường vụ Quốc hội"): a body alone, no lower-case words after them
_COMPLETE = ("ủy ban thường vụ quốc hội", "ủy ban của quốc hội", "các ủy ban của quốc hội", "đoàn đại biểu quốc hội",
             "hội đồng dân tộc", "kho bạc nhà nước", "kbnn")
# a level's own committee or Youth Union, a body by itself when capitalised ("Huyện ủy lãnh đạo", "Tỉnh đoàn")
_BY_ITSELF = ("tỉnh ủy", "thành ủy", "huyện ủy", "quận ủy", "thị ủy", "tỉnh đoàn", "thành đoàn", "huyện đoàn",
              "quận đoàn", "thị đoàn")
# heads that name a body by themselves or with a level ("Công an tỉnh", "đảng ủy xã"), any case
_FULL = (
    "ủy ban nhân dân", "ubnd", "hội đồng nhân dân", "hđnd", "ủy ban mặt trận tổ quốc việt nam",
    "ủy ban mặt trận tổ quốc", "ủy ban mttqvn", "ủy ban mttq", "mặt trận tổ quốc việt nam", "mặt trận tổ quốc",
    "mttqvn", "mttq", "ban thường trực", "thường trực", "ban thường vụ", "ban cán sự đảng", "đảng ủy", "đảng đoàn",
    *_BY_ITSELF, "cấp ủy", "chi ủy", "chi bộ", "đảng bộ", "công an",
    "thanh tra", "viện kiểm sát nhân dân", "tòa án nhân dân", "bộ chỉ huy quân sự", "bộ chỉ huy bộ đội biên phòng",
    "liên đoàn lao động", "hội liên hiệp phụ nữ", "hội nông dân", "hội cựu chiến binh", "đoàn thanh niên",
    "ủy ban kiểm tra", "ban chỉ đạo", "ban chỉ huy", "ban quản lý", "văn phòng", "ban tổ chức", "ban tuyên giáo",
    "ban dân vận", "ban nội chính", "ban kinh tế", "ban bầu cử", "ủy ban bầu cử", "bảo hiểm xã hội", "cục thuế",
    "đài phát thanh và truyền hình", "báo và phát thanh, truyền hình", "bhxh", *_COMPLETE,
)
# heads that are common nouns too: a capital and a capitalised complement are required
_CAPITAL = (
    "ban", "bộ", "sở", "phòng", "đoàn", "hội", "vụ", "cục", "tổng cục", "chi cục", "viện", "học viện", "trung tâm",
    "tổng công ty", "công ty", "ủy ban", "hội đồng", "ngân hàng", "kho bạc", "báo", "đài", "tạp chí",
    "nhà xuất bản", "trường", "đại học", "bệnh viện", "quân khu", "bộ tư lệnh", "liên hiệp", "tổ", "đảng ủy khối",
    "thông tấn xã", "quỹ", "cơ quan",
)
# capital heads also written in lower case mid-sentence; their complement must still be capitalised
_LOWER_HEADS = frozenset(("phòng", "sở"))
# heads that need a complement ("thường trực" and "văn phòng" alone are no body)
_ALONE = frozenset(("ủy ban nhân dân", "ubnd", "hội đồng nhân dân", "hđnd", "mặt trận tổ quốc việt nam",
                    "mặt trận tổ quốc", "mttqvn", "mttq", "ủy ban mặt trận tổ quốc việt nam", "ủy ban mttqvn"))
_LEVELS = (
    "tỉnh", "thành phố", "huyện", "quận", "thị xã", "xã", "phường", "thị trấn", "đặc khu", "đơn vị", "cấp tỉnh",
    "cấp huyện", "cấp xã", "cấp cơ sở", "cơ sở", "các cấp", "cùng cấp", "trung ương", "nhà nước", "quốc gia",
    "việt nam", "biên giới", "ven biển", "trực thuộc", "địa phương", "khu vực", "bộ, cơ quan ngang bộ", "bộ, ngành",
)
# words that end a lower-case run: verbs and modal words of tasks, prepositions, conjunctions
_STOP = (
    "chủ trì", "phối hợp", "thực hiện", "triển khai", "tiến hành", "tổ chức", "hướng dẫn", "chỉ đạo", "lãnh đạo",
    "nghiên cứu",
    "đôn đốc", "kiểm tra", "giám sát", "tham mưu", "tổng hợp", "đề xuất", "xem xét", "quyết định", "thẩm định",
    "phê duyệt", "ban hành", "quản lý", "thông báo", "tiếp nhận", "phân công", "quán triệt", "tuyên truyền",
    "đánh giá", "rà soát", "sơ kết", "tổng kết", "nâng cao", "tăng cường", "đảm bảo", "bảo đảm", "khắc phục",
    "phát huy", "đăng ký", "liên hệ", "thu hồi", "giới thiệu", "thi hành", "chấp hành", "công bố", "thẩm tra",
    "xác minh", "cập nhật", "sử dụng", "hỗ trợ", "chuẩn bị", "điều chỉnh", "thành lập", "giải quyết", "xử lý",
    "hoàn thiện", "hoàn thành", "đề nghị", "yêu cầu", "căn cứ", "theo dõi", "báo cáo", "tiếp tục", "chủ động",
    "khẩn trương", "kịp thời", "thường xuyên", "định kỳ", "hằng", "hàng", "nghiêm túc", "trực tiếp",
    "chịu trách nhiệm", "tập trung", "đẩy mạnh", "đẩy nhanh", "cung cấp", "bố trí", "xây dựng", "phát triển",
    "đầu tư", "kiểm soát", "duy trì", "vận động", "ưu tiên", "có", "là", "được", "bị", "do", "thì", "khi", "nếu",
    "phải", "cần", "sẽ", "đã", "đang", "vẫn", "trong", "để", "về", "với", "tại", "đối với", "cho", "của", "từ",
    "đến", "trên", "dưới", "theo", "qua", "sau", "trước", "ngay", "cùng", "nhằm", "bằng", "như", "gồm", "và",
    "hoặc", "hay", "nhưng", "mà", "này", "đó", "các", "những", "mọi", "một số", "lập", "ghi", "gửi", "trao", "viết",
    "nộp", "chuyển", "giúp", "trình", "giao", "mời", "dự họp", "ký", "nhận", "làm", "không", "chưa", "vào", "đi",
    "ra", "việc", "thông tin", "hồ sơ", "kết thúc", "kết luận", "nhiệm kỳ", "năm", "ngày", "tháng", "lần", "kế hoạch",
    "văn bản", "tài liệu", "dữ liệu", "in ấn", "phát hành", "xét duyệt", "xét", "đối chiếu", "chi trả", "cấp phát",
    "phân bổ", "thanh toán", "quyết toán", "thống kê", "phổ biến", "lựa chọn", "mở", "xin",
)
# word pairs of names whose second word would end a run ("Bộ Ngoại giao")
_PAIRS = frozenset(clean(w) for w in ("ngoại giao", "giao thông", "hành chính", "nhà nước", "người có"))
# verbs that are also words of names ("Sở Xây dựng", "Ban Quản lý dự án đầu tư xây dựng số 1"): inside a
# lower-case run they go on only when a capitalised word, a number or "số" follows
_NAME_VERBS = frozenset(clean(w) for w in ("xây dựng", "phát triển", "đầu tư", "quản lý", "kiểm soát", "tổ chức",
                                           "kiểm tra", "giám sát", "phát thanh"))
# fields of ministries, departments and offices ("Bộ/Sở/Phòng Lao động - Thương binh và Xã hội"): a complement
# that is one of them is a whole name, lower-case words after it are the task ("… Xã hội cân đối, bố trí vốn")
_SECTORS = (
    "lao động - thương binh và xã hội", "nông nghiệp và phát triển nông thôn", "nông nghiệp và môi trường",
    "tài nguyên và môi trường", "kế hoạch và đầu tư", "văn hóa, thể thao và du lịch", "giáo dục và đào tạo",
    "thông tin và truyền thông", "khoa học và công nghệ", "dân tộc và tôn giáo", "nội vụ", "tư pháp", "tài chính",
    "xây dựng", "công thương", "giao thông vận tải", "y tế", "ngoại giao", "quốc phòng", "công an",
)
_RUN = 8
_TOKEN = re.compile(r"\w+|[^\w\s]")


def _phrases(words: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    return tuple(sorted({tuple(_TOKEN.findall(clean(w).lower())) for w in words}, key=len, reverse=True))


@lru_cache(maxsize=1)
def _lexicon() -> tuple[tuple[tuple[str, ...], ...], ...]:
    """Head, capital-head, level, stop and sector phrases as token tuples, longest first."""
    return _phrases(_FULL), _phrases(_CAPITAL), _phrases(_LEVELS), _phrases(_STOP), _phrases(_SECTORS)


@lru_cache(maxsize=1)
def _titles() -> tuple[tuple[str, ...], ...]:
    """Heads' titles (``HEAD_TITLES``): a name does not go on over "và Chủ tịch …" (the next body's head)."""
    return _phrases(HEAD_TITLES)


@lru_cache(maxsize=1)
def _served() -> tuple[tuple[str, ...], ...]:
    """Organs one office may serve together ("Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh")."""
    return _phrases(("hội đồng nhân dân", "hđnd", "ủy ban nhân dân", "ubnd", "đoàn đại biểu quốc hội"))


class _Tokens:
    """Tokens of a text: lower-case words, whether capitalised, and offsets; line breaks end names."""

    def __init__(self, text: str) -> None:
        found = list(_TOKEN.finditer(text))
        self.text = text
        self.low = [m.group().lower() for m in found]
        self.start = [m.start() for m in found]
        self.end = [m.end() for m in found]

    def __len__(self) -> int:
        return len(self.low)

    def match(self, i: int, phrases: tuple[tuple[str, ...], ...]) -> int:
        """Number of tokens of the longest phrase at token ``i`` (on one line), 0 if none."""
        for p in phrases:
            n = len(p)
            if tuple(self.low[i:i + n]) == p and not self.broken(i, i + n - 1):
                return n
        return 0

    def broken(self, i: int, j: int) -> bool:
        """Whether a line break separates tokens ``i`` and ``j``."""
        return j < len(self) and "\n" in self.text[self.start[i]:self.start[j]]

    def upper(self, i: int) -> bool:
        return i < len(self) and (self.text[self.start[i]].isupper() or self.low[i].isdigit())

    def head(self, i: int) -> tuple[int, bool]:
        """(length of a head at token ``i``, whether it is a full head); (0, False) if none."""
        full, capital = _lexicon()[:2]
        n = self.match(i, full)
        if n:
            return n, True
        n = self.match(i, capital)
        lower_ok = n == 1 and self.low[i] in _LOWER_HEADS  # "phòng Lao động - Thương binh và Xã hội cấp huyện"
        return (n, False) if n and (self.upper(i) or lower_ok) else (0, False)


def _complement(t: _Tokens, i: int, full: bool, proper: bool = False, joint: bool = False) -> int:
    """Index after the complement starting at token ``i`` (``i`` itself when there is none); ``proper``: the
    head has a capitalised word of its own ("Ban Quản lý dự án ..."); ``joint``: an office may serve two organs
    ("Văn phòng Hội đồng nhân dân và Ủy ban nhân dân thành phố")."""
    levels, sectors = _lexicon()[2], _lexicon()[4]
    j, run, last, closed = i, 0, i, False  # closed: after a level or a whole sector, lower-case words are the task
    while j < len(t) and not t.broken(j - 1, j):
        tok = t.low[j]
        plural = j == i and tok == "các" and t.head(j + 1)[0]  # "thường trực các tỉnh ủy"
        nested = t.head(j + 1)[0] + 1 if plural else (t.head(j)[0] if j == i else 0)
        level = 0 if t.low[j:j + 2] == ["xã", "hội"] else t.match(j, levels)  # "Cục Bảo trợ xã hội"
        if nested:
            j += nested
            proper, run = True, 0
            j = _complement(t, j, True)
            while joint and t.low[j:j + 1] == ["và"] and t.match(j + 1, _served()) and not t.broken(j, j + 1):
                j = _complement(t, j + 1 + t.match(j + 1, _served()), True)
            last = j
            break
        if t.upper(j) and tok.isalnum():
            n = max(1, level)  # a capitalised level is one word of the name ("Trung ương")
            j, proper, run, last = j + n, True, 0, j + n
        elif tok == "số" and j + 1 < len(t) and t.low[j + 1].isdigit():
            j, last = j + 2, j + 2
        elif level and (full or proper or j > i):
            j, last, closed = j + level, j + level, True
        elif tok in ("các", "cấp") and t.match(j + 1, levels):
            j += 1
        elif tok in (",", "và", "-", "–") and j > i and t.match(j - 1, levels) and t.match(j + 1, levels):
            j += 1  # "các huyện, thị xã và thành phố Huế", "quận - huyện"
        elif tok in ("và", "-", "–", "&") and proper and t.upper(j + 1) and not t.head(j + 1)[0] and not t.match(
                j + 1, _titles()):  # "Quỹ Bảo trợ … và Chủ tịch Hội Chữ thập đỏ": another body's head
            j += 1  # "Sở Nông nghiệp và Môi trường", "Bộ Lao động - Thương binh và Xã hội"
        elif tok == "," and proper and t.upper(j + 1) and not t.head(j + 1)[0] and _and_capital(t, j + 2):
            j += 1  # "Bộ Văn hóa, Thể thao và Du lịch"
        elif proper and tok.isalpha() and run < _RUN and _goes_on(t, j) and not _acronym(t, j - 1) and not (
                closed or tuple(t.low[i:j]) in sectors):
            n = 2 if " ".join(t.low[j:j + 2]) in _NAME_VERBS else 1
            j, run, last = j + n, run + n, j + n
        else:
            break
    return last


def _acronym(t: _Tokens, j: int) -> bool:
    """Whether token ``j`` is an acronym ("LĐTBXH") that ends a name: lower-case words after it do not continue
    the name ("Sở LĐTBXH gặp vướng mắc") unless they are a naming pair ("đầu tư")."""
    word = t.text[t.start[j]:t.end[j]]
    named = " ".join(t.low[j + 1:j + 3]) in _NAME_VERBS  # "Ban QLDA đầu tư xây dựng số 2"
    return len(word) > 1 and word.isalpha() and word.isupper() and not named


def _and_capital(t: _Tokens, j: int) -> bool:
    """Whether "và" and a capitalised word follow within a few tokens ("…, Thể thao và Du lịch")."""
    return any(t.low[k] == "và" and t.upper(k + 1) for k in range(j, min(j + 3, len(t))))


def _goes_on(t: _Tokens, j: int) -> bool:
    """Whether a lower-case word at ``j`` continues a capitalised complement."""
    pair = " ".join(t.low[j:j + 2])
    if " ".join(t.low[j - 1:j + 1]) in _PAIRS:
        return True
    if pair in _NAME_VERBS:  # "... đầu tư xây dựng số 1": a chain of them ends in a number or a capital
        nxt = j + 2
        return t.upper(nxt) or (nxt < len(t) and t.low[nxt] == "số") or (
            " ".join(t.low[nxt:nxt + 2]) in _NAME_VERBS and _goes_on(t, nxt))
    return not t.match(j, _lexicon()[3])


def find_organs(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of organ names in ``text`` (tone-unified, as ``clean`` gives it), in order."""
    t = _Tokens(text)
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(t):
        n, full = t.head(i)
        glued = i > 0 and t.low[i - 1] in ("/", "-") and t.end[i - 1] == t.start[i]  # "110-BC/UBKTTW"
        if not n or glued or (i > 0 and t.low[i - 1] == "xã" and t.low[i] == "hội"):
            i += 1
            continue
        head = " ".join(t.low[i:i + n])
        proper = head not in _COMPLETE and any(t.upper(k) for k in range(i + 1, i + n))
        end = _complement(t, i + n, full, proper, head == "văn phòng")
        if not full and not (end > i + n and t.upper(i + n)):
            i += 1
            continue
        alone = head in _ALONE or head in _COMPLETE or (head in ("văn phòng", *_BY_ITSELF) and t.upper(i))
        if end == i + n and not alone:
            i += n
            continue
        span = text[t.start[i]:t.end[end - 1]]
        if not (span.isupper() and " " in span):  # headings in capitals ("TỔ CHỨC THỰC HIỆN") are no subjects
            out.append((t.start[i], t.end[end - 1]))
        i = end
    return out
