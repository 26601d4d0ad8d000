"""Checks the hash chain: every altered, removed or inserted event is reported."""

from dataclasses import dataclass

from .models import GENESIS_HASH, AuditEvent, AuditHead


@dataclass
class Problem:
    seq: int
    message: str


def verify_chain(batch_size: int = 2000) -> tuple[int, list[Problem]]:
    from .services import chain_pending

    chain_pending()  # events whose chaining after commit did not run (a crash) join the chain first
    problems: list[Problem] = []
    expected_seq = 1
    prev_hash = GENESIS_HASH
    checked = 0
    chained = AuditEvent.objects.filter(seq__isnull=False).order_by("seq")
    for event in chained.iterator(chunk_size=batch_size):
        checked += 1
        if event.seq != expected_seq:
            problems.append(
                Problem(expected_seq, f"thiếu sự kiện số {expected_seq}–{event.seq - 1} (đã bị xoá)")
            )
        if event.prev_hash != prev_hash:
            problems.append(Problem(event.seq, "liên kết với sự kiện trước bị sai (bị xoá hoặc chèn)"))
        if event.compute_hash() != event.hash:
            problems.append(Problem(event.seq, "nội dung đã bị sửa (mã băm không khớp)"))
        expected_seq = event.seq + 1
        prev_hash = event.hash
    head = AuditHead.objects.filter(id=1).first()
    if head and (head.last_seq != expected_seq - 1 or head.last_hash != prev_hash):
        problems.append(
            Problem(head.last_seq, "cuối chuỗi không khớp với đầu chuỗi đã lưu (sự kiện cuối bị xoá)")
        )
    return checked, problems
