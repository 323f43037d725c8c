"""Lines that belong to the site a document was taken from, not to the document.

Portal and legal-site pages (and Markdown scraped from them) carry menus,
breadcrumbs, "read the original" links, posting times and help prompts. They
are dropped wherever they stand; everything else is kept as it is.
"""

from __future__ import annotations

import re

_BOILER = re.compile(
    r"^(?:"
    r"(?:Ngày giờ|Giờ|Thời gian) đăng bài(?: viết)?(?: gốc)?\s*:.*"
    r"|Link bài viết gốc\s*:.*"
    r"|Quý khách cần hỏi thêm thông tin.*"
    r"|>+\s*Tải về\b.*"
    r"|Nội dung chính"
    r"|Mục lục"
    r"|(?:Theo|Nguồn\s*:)\s*(?:Cổng|Trang) [Tt]hông tin điện tử.*"
    r"|\((?:Ảnh|Nguồn)\s*:[^)]*\)|.*\(Ảnh\s*:[^)]*\)"
    r"|\(?TTXVN\)?"
    r"|Trang chủ(?:\s*[|>»/›]\s*.*)?"
    r"|(?:Bản quyền|Copyright|©).*"
    r"|(?:Chia sẻ|In bài|Gửi email|Lên đầu trang|Xem thêm|Tin liên quan|Văn bản liên quan|Bài viết liên quan)\s*:?"
    r")$",
    re.IGNORECASE,
)


def is_boilerplate(line: str) -> bool:
    """Whether ``line`` is site chrome (menu, breadcrumb, source link, footer) rather than document text."""
    return bool(_BOILER.match(line.strip()))


def drop_boilerplate(lines: list[str]) -> list[str]:
    """``lines`` without site chrome and without a heading repeated right after itself."""
    out: list[str] = []
    for line in lines:
        repeated = out and line.strip() == out[-1].strip() and len(line.split()) >= 3
        if is_boilerplate(line) or repeated:
            continue
        out.append(line)
    return out
