"""Bodies that receive reports and pass them on (internals of ``assistant.duties.outline``).

"… gửi về Bộ Xây dựng và Bộ Tài chính để tổng hợp, báo cáo Thủ tướng Chính phủ", "… phản ánh kịp thời về Sở Lao
động - Thương binh và Xã hội để tổng hợp, đề xuất Ủy ban nhân dân Thành phố …": the bodies a report is sent to
sum it up for a superior, a reporting line of theirs ("báo cáo/theo dõi"), from "để tổng hợp" to the clause's end.
"""

from __future__ import annotations

import re

from assistant.duties.rules import REPORT, Hit, Text

_SENT_TO = re.compile(r"\b(?:gui|phan anh|bao cao|chuyen)(?:\s+kip thoi)?\s+(?:ve|den|toi|cho)\s+")
_JOINED = re.compile(r"\s*(?:,|va)\s+")
# a channel "(qua Ban Tổ chức Thành ủy)" is the one that sums up (``rules.via_hits``), not the body before it
_PASS_ON = re.compile(r"\s*(?:\((?!qua\b)[^()]{0,80}\)\s*)?,?\s*(?:de|va)\s+(?=tong hop|bao cao|de xuat|trinh)")


def onward_hits(t: Text, s: int, e: int) -> list[Hit]:
    """A row for every body of ``[s, e)`` that a report is sent to for summing up and passing on."""
    out: list[Hit] = []
    for sent in _SENT_TO.finditer(t.low, s, e):
        names, pos = [], sent.end()
        while (m := t.mention_at(pos)) is not None and m.end <= e:
            names.append(m.name)
            joined = _JOINED.match(t.low, m.end, e)
            pos = joined.end() if joined else m.end
        passed = _PASS_ON.match(t.low, pos, e) if names else None
        if passed:
            stop = t.raw.find(";", passed.end(), e)
            out += [Hit(name, REPORT, (passed.end(), stop if stop > 0 else e)) for name in dict.fromkeys(names)]
    return out
